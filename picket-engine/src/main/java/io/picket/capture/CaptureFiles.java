package io.picket.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens capture files, choosing pcap or pcapng by the magic number, and merges several files
 * into one time-ordered source. Called by the thread that will poll the returned source.
 */
public final class CaptureFiles {
    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private CaptureFiles() {
    }

    /**
     * Maps {@code path} read-only and opens it as pcap or pcapng.
     *
     * @throws CaptureException if the file is missing, unreadable, empty, of unknown format, or
     *         its header is corrupt or names an unsupported link type
     */
    public static PacketSource open(Path path) throws CaptureException {
        MappedFile file = MappedFile.map(path);
        return open(file.name(), file.segment(), file.arena());
    }

    /**
     * Opens a capture held in memory; the caller keeps ownership of {@code data}.
     *
     * @throws CaptureException as {@link #open(Path)}
     */
    public static PacketSource open(String name, MemorySegment data) throws CaptureException {
        return open(name, data, null);
    }

    private static PacketSource open(String name, MemorySegment data, Arena arena) throws CaptureException {
        try {
            checkMinimumSize(name, data.byteSize());
        } catch (CaptureException e) {
            if (arena != null) {
                arena.close();
            }
            throw e;
        }
        int magic = data.get(INT_BE, 0);
        if (magic == PcapngReader.BLOCK_SECTION_HEADER) {
            return new PcapngReader(name, data, arena);
        }
        if (PcapReader.isPcapMagic(magic) || PcapReader.isPcapMagic(Integer.reverseBytes(magic))) {
            return new PcapReader(name, data, arena);
        }
        if (arena != null) {
            arena.close();
        }
        throw unknownMagic(name, magic);
    }

    /**
     * Opens every file and merges them by timestamp; a single file is returned as is.
     *
     * @throws CaptureException if any file cannot be opened (those already opened are closed)
     * @throws IllegalArgumentException if {@code paths} is empty
     */
    public static PacketSource openAll(List<Path> paths) throws CaptureException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no capture files given");
        }
        if (paths.size() == 1) {
            return open(paths.getFirst());
        }
        List<PacketSource> sources = new ArrayList<>(paths.size());
        try {
            for (Path path : paths) {
                sources.add(open(path));
            }
        } catch (CaptureException | RuntimeException e) {
            for (PacketSource source : sources) {
                source.close();
            }
            throw e;
        }
        return new MergedPacketSource(sources);
    }

    static void checkMinimumSize(String name, long size) throws CaptureException {
        if (size == 0) {
            throw new CaptureException(name, 0, "empty file");
        }
        if (size < 4) {
            throw new CaptureException(name, 0,
                    "file too short for a header: needs 4 bytes, only " + size);
        }
    }

    static CaptureException unknownMagic(String name, int magic) {
        return new CaptureException(name, 0,
                "not a pcap or pcapng file (magic 0x" + String.format("%08x", magic) + ")");
    }
}
