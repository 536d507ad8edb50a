package io.picket.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A capture file mapped read-only into memory: the whole file is one segment, freed when the
 * arena is closed. Created by the thread that opens the source.
 *
 * <p>The segment handed out is a plain native view of the mapping (same address, size and
 * arena), not the {@code FileChannel.map} segment itself: the live capture ring and the shards'
 * own buffers are native segments too, so the decoders and analyzers see one segment class and
 * the JIT keeps their memory accesses monomorphic. Without native access (the launcher and the
 * tests grant it) the mapped segment is used as is.
 */
record MappedFile(String name, MemorySegment segment, Arena arena) {

    /**
     * Maps {@code path} read-only.
     *
     * @throws CaptureException if the file is missing, unreadable, a directory or empty
     */
    static MappedFile map(Path path) throws CaptureException {
        String name = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel channel = open(path)) {
            long size = channel.size();
            if (size == 0) {
                throw new CaptureException(name, 0, "empty file");
            }
            MemorySegment segment = nativeView(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), arena);
            return new MappedFile(name, segment, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw readFailure(name, 0, e);
        } catch (CaptureException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Opens {@code path} for reading: the one place the errors of a capture file that cannot be
     * opened are worded (missing, a directory, permission denied, any other I/O failure).
     */
    static FileChannel open(Path path) throws CaptureException {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new CaptureException(name, 0, "is a directory, not a capture file");
        }
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CaptureException(name, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new CaptureException(name, 0, "cannot read file: permission denied", e);
        } catch (IOException | RuntimeException e) {
            throw readFailure(name, 0, e);
        }
    }

    /** A read of {@code name} failed at {@code offset}: one line naming the cause. */
    static CaptureException readFailure(String name, long offset, Exception e) {
        return new CaptureException(name, offset, "cannot read file: " + oneLine(e), e);
    }

    /** The mapping as an ordinary read-only native segment in the same arena (unmapped with it). */
    static MemorySegment nativeView(MemorySegment mapped, Arena arena) {
        try {
            return MemorySegment.ofAddress(mapped.address()).reinterpret(mapped.byteSize(), arena, null).asReadOnly();
        } catch (IllegalCallerException e) {
            return mapped;
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
