package io.picket.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
     * Opens {@code path} as pcap (read through a window, {@link PcapReader#streamed}) or pcapng
     * (mapped read-only).
     *
     * @throws CaptureException if the file is missing, unreadable, empty, of unknown format, or
     *         its header is corrupt or names an unsupported link type
     */
    public static PacketSource open(Path path) throws CaptureException {
        FileChannel channel = MappedFile.open(path);
        if (startsWithPcapMagic(channel)) {
            return PcapReader.streamed(path.toString(), channel, STREAM_WINDOW);
        }
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing is lost
        }
        MappedFile file = MappedFile.map(path);
        return open(file.name(), file.segment(), file.arena());
    }

    /**
     * Bytes a streamed pcap reader reads at a time (its window also holds the largest record):
     * small enough to stay in a core's cache, large enough that a read is cheap per packet.
     */
    static final int STREAM_WINDOW = 1 << 20;

    /**
     * Whether the file starts with a pcap magic number: such files are read in a window by
     * positional reads, others (pcapng, and anything mapping then reports as broken) are mapped.
     */
    private static boolean startsWithPcapMagic(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
                // read the magic
            }
            if (b.hasRemaining()) {
                return false;
            }
            int magic = b.flip().getInt();
            return PcapReader.isPcapMagic(magic) || PcapReader.isPcapMagic(Integer.reverseBytes(magic));
        } catch (IOException e) {
            return false;
        }
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
