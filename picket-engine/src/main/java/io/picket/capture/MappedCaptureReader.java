package io.picket.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the pcap and pcapng readers share: a capture held in a (usually memory-mapped) segment or,
 * for a streamed pcap file, a window of it; a read position, integer reads in the file's byte
 * order, the warning for a record cut short by the end of the file, and closing of the mapping.
 * Polled by one thread.
 */
abstract sealed class MappedCaptureReader implements PacketSource permits PcapReader, PcapngReader {
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final String name;
    /**
     * The bytes: the whole mapped file, or (a streamed pcap reader) a window of it starting at
     * file position {@link #windowStart}.
     */
    MemorySegment data;
    /** File position of {@code data}'s first byte (0 for a mapped file). */
    long windowStart;
    /** The mapping this reader owns and unmaps on close; null when the caller owns {@link #data}. */
    private final Arena arena;
    final long size;
    private final List<String> warnings = new ArrayList<>(1);
    /** Byte order of the file (pcapng: of the current section). */
    boolean bigEndian;
    long position;
    boolean finished;
    boolean closed;

    MappedCaptureReader(String name, MemorySegment data, Arena arena) {
        this(name, data, arena, data.byteSize());
    }

    /** A reader of a file of {@code size} bytes whose window {@code data} the subclass fills. */
    MappedCaptureReader(String name, MemorySegment data, Arena arena, long size) {
        this.name = name;
        this.data = data;
        this.arena = arena;
        this.size = size;
    }

    /** The arena of {@link #data} this reader owns, or null. */
    final Arena arena() {
        return arena;
    }

    /** Unmaps what the reader was given, when opening fails. */
    final void openFailed() {
        if (arena != null) {
            arena.close();
        }
    }

    /** Bytes {@link #warm} reads ahead at a time. */
    private static final int WARM_CHUNK = 64 * 1024;
    /** File position up to which {@link #warm} has read. */
    private long warmedTo;
    /** What {@link #warm} read, kept so that the compiler cannot drop the reads. */
    private long warmSink;
    /** This reader's share of the stretches: every {@code warmReaders}-th from {@code warmIndex}. */
    private int warmIndex;
    private int warmReaders = 1;

    /**
     * Mapped input: reads one byte of every cache line of the next stretch of the file once the
     * record at {@code pos} comes within a stretch of the part already read. Records have no
     * fixed stride, so the processor's prefetchers do not follow a walk from record header to
     * record header, and every header would wait for memory; a plain sequential pass over the
     * lines ahead lets them stream the file into the cache as a copy would.
     */
    final void warm(long pos) {
        if (pos + WARM_CHUNK > warmedTo && warmedTo < size) {
            long from = Math.max(warmedTo, pos);
            long to = Math.min(size, from + WARM_CHUNK);
            if (warmReaders == 1 || (from / WARM_CHUNK) % warmReaders == warmIndex) {
                long sum = 0;
                MemorySegment d = data;
                for (long a = from - windowStart; a < to - windowStart; a += 64) {
                    sum += d.get(ValueLayout.JAVA_BYTE, a);
                }
                warmSink += sum;
            }
            warmedTo = to;
        }
    }

    /**
     * This reader is number {@code index} of {@code readers} walking the same mapping side by
     * side: {@link #warm} reads only every {@code readers}-th stretch, starting with the
     * {@code index}-th.
     */
    final void warmShare(int index, int readers) {
        if (readers < 1 || index < 0 || index >= readers) {
            throw new IllegalArgumentException("reader " + index + " of " + readers);
        }
        warmIndex = index;
        warmReaders = readers;
    }

    /** The int at file position {@code offset} (inside the current window). */
    final int u32(long offset) {
        long at = offset - windowStart;
        return bigEndian ? data.get(INT_BE, at) : data.get(INT_LE, at);
    }

    /** The unsigned short at file position {@code offset} (inside the current window). */
    final int u16(long offset) {
        long at = offset - windowStart;
        return Short.toUnsignedInt(bigEndian ? data.get(SHORT_BE, at) : data.get(SHORT_LE, at));
    }

    /** Ends the input at a record the file cuts short, with one warning. */
    final void endTruncated(long pos, long needed, long left) {
        finished = true;
        warnings.add(name + ": truncated record at offset " + pos + ": needs " + needed
                + " bytes, only " + left + " left; input ends here");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            closeInput();
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** Releases what a subclass reads from besides the segment (a file channel); called once. */
    void closeInput() {
    }
}
