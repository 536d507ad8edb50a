package io.picket.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture files mapped once for several readers: each {@link #open()} gives an independent
 * {@link PacketSource} (its own position, merged by time when there are several files) over the
 * same read-only memory, so N shards walking the input fault each page into the process once and
 * share it, instead of mapping the file N times. (One reader alone reads a pcap file through a
 * window instead, {@link PcapReader#streamed}; with several, each would copy the whole file,
 * where the page faults of one shared mapping are paid once; docs/PERFORMANCE.md has the
 * measurements.) Closing a reader does not unmap; {@link #close()} does, after every reader is
 * done. Thread-safe: readers may be opened and used on any thread.
 */
public final class SharedCapture implements AutoCloseable {
    private final List<MappedFile> files;

    private SharedCapture(List<MappedFile> files) {
        this.files = files;
    }

    /**
     * Maps every file read-only, checking each as a capture (its header) once.
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
                MappedFile f = MappedFile.map(p);
                files.add(f);
                CaptureFiles.open(f.name(), f.segment()).close();
            }
        } catch (CaptureException | RuntimeException e) {
            for (MappedFile f : files) {
                f.arena().close();
            }
            throw e;
        }
        return new SharedCapture(List.copyOf(files));
    }

    /** A new reader from the first record. */
    public PacketSource open() throws CaptureException {
        return open(0, 1);
    }

    /**
     * A new reader from the first record, for reader {@code index} of {@code readers} that walk
     * the capture side by side: each reads ahead into the cache ({@link MappedCaptureReader#warm})
     * only its share of the stretches, and finds the others' in the shared cache.
     */
    public PacketSource open(int index, int readers) throws CaptureException {
        List<PacketSource> sources = new ArrayList<>(files.size());
        for (MappedFile f : files) {
            PacketSource s = CaptureFiles.open(f.name(), f.segment());
            if (s instanceof MappedCaptureReader m) {
                m.warmShare(index, readers);
            }
            sources.add(s);
        }
        return sources.size() == 1 ? sources.getFirst() : new MergedPacketSource(sources);
    }

    /** Unmaps the files: every reader must be done. */
    @Override
    public void close() {
        for (MappedFile f : files) {
            f.arena().close();
        }
    }
}
