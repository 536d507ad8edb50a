package io.picket.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a classic libpcap capture file from a read-only memory mapping, or ({@link #streamed})
 * through a window of it refilled by positional reads; frames are handed out as windows into the
 * mapping or the window, so nothing is allocated per packet.
 *
 * <pre>
 * file header (24 bytes)                record header (16 bytes, 24 for magic 0xa1b2cd34)
 *  0 magic        a1b2c3d4 us            0 ts seconds (unsigned)
 *                 a1b23c4d ns            4 ts micro- or nanoseconds
 *                 a1b2cd34 us, patched   8 captured length
 *  4 version major, minor (u16 each)    12 original (wire) length
 *  8 thiszone, 12 sigfigs (ignored)     16 frame bytes (captured length)
 * 16 snaplen
 * 20 link type (low 26 bits; FCS bits above are ignored)
 * </pre>
 *
 * <p>Follows libpcap: a snaplen of 0 or above 262144 means 262144; a record captured length above
 * 262144 is a corrupt file; one above the snaplen (but sane) is cut to the snaplen; version 2.0-2.2
 * and 543.0 files have the two length fields swapped, 2.3 files when captured exceeds wire length.
 * Both byte orders are read. A record cut short by the end of the file ends the input with one
 * warning instead of an error. Timestamps keep their full precision in {@link RawPacket#tsNanos}
 * ({@link RawPacket#time()} truncates to microseconds as libpcap does for Zeek); a fraction at or
 * above one second (corrupt) is carried into the seconds.
 *
 * <p>Polled by one thread. {@link #close()} unmaps the file, invalidating every {@link RawPacket}
 * handed out.
 */
public final class PcapReader extends MappedCaptureReader {
    /** Length of the file header. */
    public static final int FILE_HEADER_LENGTH = 24;
    /** Largest captured length accepted in a record (libpcap's sanity bound, 256 KiB). */
    public static final int MAX_CAPTURED_LENGTH = 262_144;

    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int MAGIC_PATCHED = 0xa1b2cd34;

    private static final int LENGTHS_IN_ORDER = 0;
    private static final int LENGTHS_MAYBE_SWAPPED = 1;
    private static final int LENGTHS_SWAPPED = 2;

    private final boolean nanos;
    private final int recordHeaderLength;
    private final int linkType;
    private final int snaplen;
    private final int lengthOrder;
    private final int versionMajor;
    private final int versionMinor;

    /**
     * Maps and opens a pcap file.
     *
     * @throws CaptureException if the file cannot be read, has no valid pcap header or an
     *         unsupported link type
     */
    public PcapReader(Path path) throws CaptureException {
        this(MappedFile.map(path));
    }

    private PcapReader(MappedFile file) throws CaptureException {
        this(file.name(), file.segment(), file.arena());
    }

    /**
     * Opens a pcap file to be read through a window of {@code windowBytes} (grown when a record
     * is larger) that is refilled with positional reads, the next window read ahead on a helper
     * thread ({@link ReadAhead}): no mapping, so no page faults and page-table work per 4 KiB on
     * the reading thread, and the file does not count in the process's resident memory. Frames
     * are windows into that buffer, valid until the next call.
     *
     * @throws CaptureException as {@link #PcapReader(Path)}
     */
    static PcapReader streamed(Path path, int windowBytes) throws CaptureException {
        return streamed(path.toString(), MappedFile.open(path), windowBytes);
    }

    /** {@link #streamed(Path, int)} of a file already open; the reader owns {@code channel}. */
    static PcapReader streamed(String name, FileChannel channel, int windowBytes) throws CaptureException {
        Arena arena = Arena.ofShared();
        try {
            long size = channel.size();
            return new PcapReader(name, arena.allocate(64, 64), arena, size, channel,
                    new ReadAhead(name, channel, size, arena, windowBytes));
        } catch (IOException e) {
            arena.close();
            closeQuietly(channel);
            throw MappedFile.readFailure(name, 0, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Opens a pcap capture held in memory; the caller keeps ownership of {@code data}, which must
     * stay alive while packets are read.
     *
     * @throws CaptureException if the bytes have no valid pcap header or an unsupported link type
     */
    public PcapReader(String name, MemorySegment data) throws CaptureException {
        this(name, data, null);
    }

    PcapReader(String name, MemorySegment data, Arena arena) throws CaptureException {
        this(name, data, arena, data.byteSize(), null, null);
    }

    private PcapReader(String name, MemorySegment window, Arena arena, long size,
            FileChannel channel, ReadAhead readAhead) throws CaptureException {
        super(name, window, arena, size);
        this.channel = channel;
        this.readAhead = readAhead;
        this.windowEnd = channel == null ? size : 0;
        position = FILE_HEADER_LENGTH;
        try {
            CaptureFiles.checkMinimumSize(name, size);
            if (channel != null) {
                fill(0, FILE_HEADER_LENGTH);
            }
            int magic = data.get(INT_BE, 0);
            int swappedMagic = Integer.reverseBytes(magic);
            if (isPcapMagic(magic)) {
                bigEndian = true;
            } else if (isPcapMagic(swappedMagic)) {
                bigEndian = false;
                magic = swappedMagic;
            } else {
                throw CaptureFiles.unknownMagic(name, data.get(INT_BE, 0));
            }
            if (size < FILE_HEADER_LENGTH) {
                throw new CaptureException(name, 0, "file too short for a pcap file header: needs "
                        + FILE_HEADER_LENGTH + " bytes, only " + size);
            }
            nanos = magic == MAGIC_NANOS;
            recordHeaderLength = magic == MAGIC_PATCHED ? 24 : 16;
            versionMajor = u16(4);
            versionMinor = u16(6);
            if (versionMajor < 2) {
                throw new CaptureException(name, 4,
                        "archaic pcap file format version " + versionMajor + "." + versionMinor);
            }
            if (!((versionMajor == 2 && versionMinor <= 4) || (versionMajor == 543 && versionMinor == 0))) {
                throw new CaptureException(name, 4,
                        "unsupported pcap file format version " + versionMajor + "." + versionMinor);
            }
            if (versionMajor == 543 || versionMinor < 3) {
                lengthOrder = LENGTHS_SWAPPED;
            } else if (versionMinor == 3) {
                lengthOrder = LENGTHS_MAYBE_SWAPPED;
            } else {
                lengthOrder = LENGTHS_IN_ORDER;
            }
            linkType = u32(20) & 0x03FF_FFFF;
            if (!LinkTypes.isSupported(linkType)) {
                throw new CaptureException(name, 20, "unsupported link type " + linkType);
            }
            long rawSnaplen = Integer.toUnsignedLong(u32(16));
            int effective = rawSnaplen == 0 || rawSnaplen > MAX_CAPTURED_LENGTH
                    ? MAX_CAPTURED_LENGTH : (int) rawSnaplen;
            if (magic == MAGIC_PATCHED && linkType == LinkTypes.ETHERNET) {
                effective += 14; // libpcap: such captures may carry a faked Ethernet header
            }
            snaplen = effective;
        } catch (CaptureException | RuntimeException e) {
            if (readAhead != null) {
                readAhead.close();
            }
            openFailed();
            if (channel != null) {
                closeQuietly(channel);
            }
            throw e;
        }
    }

    /** The file a streamed reader reads, null when the whole capture is in {@link #data}. */
    private final FileChannel channel;
    /** File position just past the bytes in the window. */
    private long windowEnd;
    /** Reads a streamed reader's windows, the next one on a helper thread. */
    private final ReadAhead readAhead;

    /**
     * Moves the window to start at file position {@code from} (keeping the bytes already read
     * from there on), growing it if {@code need} bytes do not fit, with the file read until the
     * window is full or the file ends.
     */
    private void fill(long from, long need) throws CaptureException {
        long keep = Math.max(0, windowEnd - from);
        long at;
        try {
            at = readAhead.next(data, from - windowStart, from, keep, need);
        } catch (IOException e) {
            finished = true;
            throw MappedFile.readFailure(name, Math.max(from, windowEnd), e);
        }
        data = readAhead.window();
        windowStart = from - at; // the file position of the buffer's first byte (before it: not read)
        windowEnd = readAhead.windowEnd();
    }

    @Override
    void closeInput() {
        if (channel != null) {
            readAhead.close();
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing is lost
        }
    }

    static boolean isPcapMagic(int magic) {
        return magic == MAGIC_MICROS || magic == MAGIC_NANOS || magic == MAGIC_PATCHED;
    }

    @Override
    public boolean next(RawPacket packet) throws CaptureException {
        if (finished || closed) {
            return false;
        }
        final long pos = position;
        final long left = size - pos;
        if (left == 0) {
            finished = true;
            return false;
        }
        if (left < recordHeaderLength) {
            return truncated(pos, recordHeaderLength, left);
        }
        if (pos + recordHeaderLength > windowEnd) {
            fill(pos, recordHeaderLength);
        }
        if (channel == null) {
            warm(pos);
        }
        long seconds = Integer.toUnsignedLong(u32(pos));
        long fraction = Integer.toUnsignedLong(u32(pos + 4));
        long captured = Integer.toUnsignedLong(u32(pos + 8));
        long wire = Integer.toUnsignedLong(u32(pos + 12));
        if (lengthOrder == LENGTHS_SWAPPED || (lengthOrder == LENGTHS_MAYBE_SWAPPED && captured > wire)) {
            long t = captured;
            captured = wire;
            wire = t;
        }
        if (captured > MAX_CAPTURED_LENGTH) {
            finished = true;
            throw new CaptureException(name, pos, "corrupt record: captured length " + captured
                    + " larger than the maximum of " + MAX_CAPTURED_LENGTH);
        }
        long recordLength = recordHeaderLength + captured;
        if (left < recordLength) {
            return truncated(pos, recordLength, left);
        }
        if (pos + recordLength > windowEnd) {
            fill(pos, recordLength);
        }
        long unitsPerSecond = nanos ? 1_000_000_000L : 1_000_000L;
        if (fraction >= unitsPerSecond) {
            seconds += fraction / unitsPerSecond;
            fraction %= unitsPerSecond;
        }
        packet.segment = data;
        packet.offset = pos - windowStart + recordHeaderLength;
        packet.capturedLength = (int) Math.min(captured, snaplen);
        packet.wireLength = (int) Math.min(wire, Integer.MAX_VALUE);
        packet.tsSeconds = seconds;
        packet.tsNanos = (int) (nanos ? fraction : fraction * 1000);
        packet.linkType = linkType;
        packet.interfaceId = 0;
        packet.interfaceName = null;
        packet.outOfBandVlanTci = -1;
        packet.sourcePosition = pos;
        position = pos + recordLength;
        return true;
    }

    private boolean truncated(long pos, long needed, long left) {
        endTruncated(pos, needed, left);
        return false;
    }

    /** Link type from the file header (FCS bits masked off). */
    public int linkType() {
        return linkType;
    }

    /** Effective snapshot length: the header value, or 262144 when that is 0 or larger. */
    public int snaplen() {
        return snaplen;
    }

    /** True for nanosecond files (magic 0xa1b23c4d). */
    public boolean nanosecondResolution() {
        return nanos;
    }

    /** True if the file was written big-endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Format version from the header, e.g. "2.4". */
    public String version() {
        return versionMajor + "." + versionMinor;
    }
}
