package io.picket.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture files opened once for several readers: each {@link #open()} gives an independent
 * {@link PacketSource} (its own position, merged by time when there are several files). A pcap
 * file is read by each reader through its own window ({@link PcapReader#streamed}): no page
 * faults on the shards, and no shared mapping to keep alive. A pcapng file is mapped once and
 * shared read-only, so N shards fault each page into the process once. Closing a reader does
 * not unmap; {@link #close()} does, after every reader is done. Thread-safe: readers may be
 * opened and used on any thread.
 */
public final class SharedCapture implements AutoCloseable {
    /** Per file: its mapping (pcapng), or null where each reader streams it (pcap). */
    private final List<MappedFile> files;
    private final List<Path> paths;

    private SharedCapture(List<Path> paths, List<MappedFile> files) {
        this.paths = paths;
        this.files = files;
    }

    /**
     * Checks every file as a capture (its header) once, mapping the pcapng ones.
     *
     * @throws CaptureException as {@link CaptureFiles#open(Path)}; files already mapped are unmapped
     * @throws IllegalArgumentException if {@code paths} is empty
     */
    public static SharedCapture map(List<Path> paths) throws CaptureException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no capture files given");
        }
        List<MappedFile> files = new ArrayList<>();
        try {
            for (Path p : paths) {
                if (CaptureFiles.isPcapFile(p)) {
                    PcapReader.streamed(p, CaptureFiles.STREAM_WINDOW).close();
                    files.add(null);
                } else {
                    MappedFile f = MappedFile.map(p);
                    files.add(f);
                    CaptureFiles.open(f.name(), f.segment()).close();
                }
            }
        } catch (CaptureException | RuntimeException e) {
            unmap(files);
            throw e;
        }
        return new SharedCapture(List.copyOf(paths), java.util.Collections.unmodifiableList(files));
    }

    /** A new reader from the first record. */
    public PacketSource open() throws CaptureException {
        if (files.size() == 1) {
            return open(0);
        }
        List<PacketSource> sources = new ArrayList<>(files.size());
        try {
            for (int i = 0; i < files.size(); i++) {
                sources.add(open(i));
            }
        } catch (CaptureException | RuntimeException e) {
            for (PacketSource s : sources) {
                s.close();
            }
            throw e;
        }
        return new MergedPacketSource(sources);
    }

    private PacketSource open(int i) throws CaptureException {
        MappedFile f = files.get(i);
        return f == null ? PcapReader.streamed(paths.get(i), CaptureFiles.STREAM_WINDOW)
                : CaptureFiles.open(f.name(), f.segment());
    }

    /** Unmaps the mapped files: every reader must be done. */
    @Override
    public void close() {
        unmap(files);
    }

    private static void unmap(List<MappedFile> files) {
        for (MappedFile f : files) {
            if (f != null) {
                f.arena().close();
            }
        }
    }
}
