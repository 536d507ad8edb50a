package io.picket.log.writer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses rotated log files off the writer thread, one at a time, in rotation order.
 *
 * <p>Threads: {@link #submit} is called by the sink's writer thread; one platform daemon thread
 * ({@code picket-log-compress}) owned by this object does the work; {@link #close} (writer
 * thread, at the sink's close) waits until everything submitted is done.
 *
 * <p>Each file {@code X} is written to a hidden {@code .X<suffix>.part} (created with the
 * configured file permissions), renamed to {@code X<suffix>} when complete, and only then is
 * {@code X} deleted, so a crash leaves either the plain or the compressed file, never neither.
 * Failures are counted ({@link #errors}); the plain rotated file is then kept.
 */
final class LogCompressor {
    private static final Path STOP = Path.of(".picket-compressor-stop");
    private static final OpenOption[] CREATE_NEW = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};

    private final FileLogSink.Compression compression;
    private final Set<PosixFilePermission> filePermissions;
    private final LongAdder errors;
    private final LinkedBlockingQueue<Path> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    /**
     * @param filePermissions permissions of the compressed files, or null on a file system
     *     without POSIX permissions
     * @param errors where failures are counted
     */
    LogCompressor(FileLogSink.Compression compression, Set<PosixFilePermission> filePermissions, LongAdder errors) {
        this.compression = Objects.requireNonNull(compression);
        this.filePermissions = filePermissions;
        this.errors = Objects.requireNonNull(errors);
        this.thread = Thread.ofPlatform().name("picket-log-compress").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues a rotated file for compression. */
    void submit(Path rotated) {
        queue.add(rotated);
    }

    /** Compresses everything submitted so far, then stops the thread. */
    void close() {
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Path p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() stops the compressor
            }
            if (p == STOP) {
                return;
            }
            compress(p);
        }
    }

    private void compress(Path src) {
        String name = src.getFileName() + compression.suffix();
        Path dst = src.resolveSibling(name);
        Path part = src.resolveSibling("." + name + ".part");
        try {
            Files.deleteIfExists(part);
            try (OutputStream out = wrap(new BufferedOutputStream(create(part), 1 << 16))) {
                Files.copy(src, out);
            }
            if (Files.exists(dst)) {
                throw new FileAlreadyExistsException(dst.toString());
            }
            Files.move(part, dst, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(src);
        } catch (IOException | RuntimeException e) {
            errors.increment();
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the plain file is still there; nothing is lost
            }
        }
    }

    private OutputStream create(Path part) throws IOException {
        if (filePermissions == null) {
            return Files.newOutputStream(part, CREATE_NEW);
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(filePermissions);
        OutputStream out = Channels.newOutputStream(Files.newByteChannel(part, Set.of(CREATE_NEW), attr));
        // The umask may have narrowed the mode at creation; set exactly what was configured.
        Files.setPosixFilePermissions(part, filePermissions);
        return out;
    }

    private OutputStream wrap(OutputStream out) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> ZstdStreams.compress(out);
            case NONE -> out;
        };
    }
}
