package io.picket.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a pcapng capture file from a read-only memory mapping; frames are handed out as
 * windows into the mapping, so nothing is copied or allocated per packet.
 *
 * <pre>
 * every block                       EPB body                    IDB body
 *  0 block type                      0 interface id              0 link type (u16), reserved
 *  4 total length (multiple of 4)    4 ts high, 8 ts low        4 snaplen
 *  8 body ...                       12 captured length          8 options: if_name (2),
 *  L-4 total length again           16 original length              if_tsresol (9),
 *                                   20 frame bytes, padding         if_tsoffset (14)
 * </pre>
 *
 * <p>Handles several sections per file, each in its own byte order and each starting with no
 * interfaces; Interface Description Blocks with their own link type, snaplen, name, timestamp
 * resolution (power of 10, or of 2 when the high bit is set) and offset; Enhanced, Simple and the
 * obsolete Packet Blocks. Every other block type is skipped. As in libpcap, a snaplen of 0 or above
 * 262144 means 262144, a Simple Packet Block belongs to interface 0 and has no timestamp (only the
 * interface offset), and a packet whose captured length exceeds its interface's snaplen is an
 * error. Unlike libpcap, interfaces may differ in link type and snaplen, and sections may differ in
 * byte order. Timestamps keep the file's precision down to nanoseconds; {@link RawPacket#time()}
 * gives what libpcap gives Zeek in microsecond mode.
 *
 * <p>Corrupt blocks raise {@link CaptureException}; a block cut short by the end of the file ends
 * the input with one warning. Polled by one thread. {@link #close()} unmaps the file.
 */
public final class PcapngReader extends MappedCaptureReader {
    /** Block type of the Section Header Block; also the file's magic number. */
    public static final int BLOCK_SECTION_HEADER = 0x0A0D0D0A;
    /** Block type of the Interface Description Block. */
    public static final int BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
    /** Block type of the obsolete Packet Block. */
    public static final int BLOCK_PACKET = 0x00000002;
    /** Block type of the Simple Packet Block. */
    public static final int BLOCK_SIMPLE_PACKET = 0x00000003;
    /** Block type of the Enhanced Packet Block. */
    public static final int BLOCK_ENHANCED_PACKET = 0x00000006;
    /** Largest block accepted (libpcap's limit). */
    public static final int MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int MIN_SECTION_HEADER_LENGTH = 28;
    private static final int MAX_SNAPLEN = PcapReader.MAX_CAPTURED_LENGTH;

    private static final int OPT_END = 0;
    private static final int OPT_IF_NAME = 2;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    private static final int SCALE_MULTIPLY = 0;
    private static final int SCALE_DIVIDE = 1;
    private static final int SCALE_BINARY = 2;

    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private boolean blockBigEndian;
    private int sections;

    private int interfaceCount;
    private int[] linkTypes = new int[4];
    private int[] snaplens = new int[4];
    private long[] resolutions = new long[4];
    private int[] scaleModes = new int[4];
    private long[] scales = new long[4];
    private long[] offsets = new long[4];
    private String[] interfaceNames = new String[4];

    /**
     * Maps and opens a pcapng file, reading its first Section Header Block.
     *
     * @throws CaptureException if the file cannot be read or does not start with a valid
     *         Section Header Block
     */
    public PcapngReader(Path path) throws CaptureException {
        this(MappedFile.map(path));
    }

    private PcapngReader(MappedFile file) throws CaptureException {
        this(file.name(), file.segment(), file.arena());
    }

    /**
     * Opens a pcapng capture held in memory; the caller keeps ownership of {@code data}.
     *
     * @throws CaptureException if the bytes do not start with a valid Section Header Block
     */
    public PcapngReader(String name, MemorySegment data) throws CaptureException {
        this(name, data, null);
    }

    PcapngReader(String name, MemorySegment data, Arena arena) throws CaptureException {
        super(name, data, arena);
        try {
            CaptureFiles.checkMinimumSize(name, size);
            int magic = data.get(INT_BE, 0);
            if (magic != BLOCK_SECTION_HEADER) {
                throw CaptureFiles.unknownMagic(name, magic);
            }
            long length = checkBlock(0, true);
            sectionHeader(0, length - 12, true);
            position = length;
        } catch (CaptureException | RuntimeException e) {
            openFailed();
            throw e;
        }
    }

    @Override
    public boolean next(RawPacket packet) throws CaptureException {
        if (finished || closed) {
            return false;
        }
        try {
            while (true) {
                final long pos = position;
                if (pos == size) {
                    finished = true;
                    return false;
                }
                warm(pos);
                final long length = checkBlock(pos, false);
                if (length < 0) {
                    return false;
                }
                final long bodyLength = length - 12;
                final int type = u32(pos);
                position = pos + length;
                switch (type) {
                    case BLOCK_ENHANCED_PACKET -> {
                        if (bodyLength < 20) {
                            throw corrupt(pos, "enhanced packet block too short (length " + length + ")");
                        }
                        long id = Integer.toUnsignedLong(u32(pos + 8));
                        readPacket(packet, pos, id, bodyLength);
                        return true;
                    }
                    case BLOCK_SIMPLE_PACKET -> {
                        if (bodyLength < 4) {
                            throw corrupt(pos, "simple packet block too short (length " + length + ")");
                        }
                        checkInterface(pos, 0);
                        long wire = Integer.toUnsignedLong(u32(pos + 8));
                        long captured = Math.min(Math.min(wire, snaplens[0]), bodyLength - 4);
                        fill(packet, pos, pos + 12, (int) captured, wire, 0, 0);
                        return true;
                    }
                    case BLOCK_PACKET -> {
                        if (bodyLength < 20) {
                            throw corrupt(pos, "packet block too short (length " + length + ")");
                        }
                        readPacket(packet, pos, u16(pos + 8), bodyLength);
                        return true;
                    }
                    case BLOCK_INTERFACE_DESCRIPTION -> interfaceDescription(pos, bodyLength);
                    case BLOCK_SECTION_HEADER -> sectionHeader(pos, bodyLength, false);
                    default -> {
                        // name resolution, statistics, decryption secrets, custom: not needed
                    }
                }
            }
        } catch (CaptureException e) {
            finished = true;
            throw e;
        }
    }

    /** Reads an Enhanced or obsolete Packet Block, whose fields after the interface id agree. */
    private void readPacket(RawPacket packet, long pos, long id, long bodyLength) throws CaptureException {
        checkInterface(pos, id);
        int i = (int) id;
        long timestamp = (Integer.toUnsignedLong(u32(pos + 12)) << 32) | Integer.toUnsignedLong(u32(pos + 16));
        long captured = Integer.toUnsignedLong(u32(pos + 20));
        long wire = Integer.toUnsignedLong(u32(pos + 24));
        if (captured > bodyLength - 20) {
            throw corrupt(pos, "captured length " + captured + " larger than the "
                    + (bodyLength - 20) + " bytes of packet data in the block");
        }
        if (captured > snaplens[i]) {
            throw corrupt(pos, "captured length " + captured + " larger than the snaplen "
                    + snaplens[i] + " of interface " + i);
        }
        fill(packet, pos, pos + 28, (int) captured, wire, i, timestamp);
    }

    private void checkInterface(long pos, long id) throws CaptureException {
        if (id >= interfaceCount) {
            throw corrupt(pos, "packet on interface " + id
                    + ", which has no interface description block in this section");
        }
    }

    private void fill(RawPacket packet, long pos, long frame, int captured, long wire, int i, long timestamp) {
        long resolution = resolutions[i];
        long fraction = Long.remainderUnsigned(timestamp, resolution);
        long nanos = switch (scaleModes[i]) {
            case SCALE_MULTIPLY -> fraction * scales[i];
            case SCALE_DIVIDE -> Long.divideUnsigned(fraction, scales[i]);
            default -> binaryFractionToNanos(fraction, (int) scales[i]);
        };
        packet.segment = data;
        packet.offset = frame;
        packet.capturedLength = captured;
        packet.wireLength = (int) Math.min(wire, Integer.MAX_VALUE);
        packet.tsSeconds = Long.divideUnsigned(timestamp, resolution) + offsets[i];
        packet.tsNanos = (int) nanos;
        packet.linkType = linkTypes[i];
        packet.interfaceId = i;
        packet.interfaceName = interfaceNames[i];
        packet.outOfBandVlanTci = -1;
        packet.sourcePosition = pos;
    }

    /**
     * Converts a fraction in units of 2^-shift seconds to nanoseconds whose microsecond part is
     * what libpcap computes: {@code fraction * 1000000 / 2^shift} in 64-bit arithmetic.
     */
    static long binaryFractionToNanos(long fraction, int shift) {
        if (shift == 0) {
            return 0;
        }
        if (shift <= 44) {
            // exact floor(fraction * 1e9 / 2^shift) via the 128-bit product; libpcap does not wrap here
            long high = Math.unsignedMultiplyHigh(fraction, 1_000_000_000L);
            long low = fraction * 1_000_000_000L;
            return (low >>> shift) | (high << (64 - shift));
        }
        // libpcap's 64-bit product wraps for such fine resolutions; Zeek sees the wrapped value
        return ((fraction * 1_000_000L) >>> shift) * 1000;
    }

    /**
     * Validates the framing of the block at {@code pos}.
     *
     * @return the block's total length, or -1 if the input ends inside it (warning added)
     */
    private long checkBlock(long pos, boolean first) throws CaptureException {
        long left = size - pos;
        if (left < 8) {
            return truncated(pos, 8, left, first);
        }
        boolean be = bigEndian;
        if (u32(pos) == BLOCK_SECTION_HEADER) {
            if (left < 12) {
                return truncated(pos, 12, left, first);
            }
            int magic = data.get(INT_BE, pos + 8);
            if (magic == BYTE_ORDER_MAGIC) {
                be = true;
            } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                be = false;
            } else {
                throw corrupt(pos, "section header block has a bad byte-order magic 0x"
                        + String.format("%08x", magic));
            }
            blockBigEndian = be;
        }
        long length = Integer.toUnsignedLong(be ? data.get(INT_BE, pos + 4) : data.get(INT_LE, pos + 4));
        if (length < 12) {
            throw corrupt(pos, "block length " + length + " is smaller than 12");
        }
        if (length % 4 != 0) {
            throw corrupt(pos, "block length " + length + " is not a multiple of 4");
        }
        if (length > MAX_BLOCK_LENGTH) {
            throw corrupt(pos, "block length " + length + " larger than the maximum of " + MAX_BLOCK_LENGTH);
        }
        if (left < length) {
            return truncated(pos, length, left, first);
        }
        long trailer = Integer.toUnsignedLong(
                be ? data.get(INT_BE, pos + length - 4) : data.get(INT_LE, pos + length - 4));
        if (trailer != length) {
            throw corrupt(pos, "block length " + length + " in the header but " + trailer + " in the trailer");
        }
        return length;
    }

    private long truncated(long pos, long needed, long left, boolean first) throws CaptureException {
        if (first) {
            throw new CaptureException(name, pos, "file too short for a pcapng section header block: needs "
                    + Math.max(needed, MIN_SECTION_HEADER_LENGTH) + " bytes, only " + left);
        }
        endTruncated(pos, needed, left);
        return -1;
    }

    private void sectionHeader(long pos, long bodyLength, boolean first) throws CaptureException {
        if (bodyLength + 12 < MIN_SECTION_HEADER_LENGTH) {
            throw corrupt(pos, "section header block too short (length " + (bodyLength + 12) + ")");
        }
        bigEndian = blockBigEndian;
        int major = u16(pos + 12);
        int minor = u16(pos + 14);
        if (major != 1 || (first && minor != 0 && minor != 2)) {
            throw new CaptureException(name, pos, "unsupported pcapng version " + major + "." + minor);
        }
        interfaceCount = 0;
        sections++;
    }

    private void interfaceDescription(long pos, long bodyLength) throws CaptureException {
        if (bodyLength < 8) {
            throw corrupt(pos, "interface description block too short (length " + (bodyLength + 12) + ")");
        }
        int linkType = u16(pos + 8);
        if (!LinkTypes.isSupported(linkType)) {
            throw new CaptureException(name, pos, "unsupported link type " + linkType);
        }
        long rawSnaplen = Integer.toUnsignedLong(u32(pos + 12));
        int snaplen = rawSnaplen == 0 || rawSnaplen > MAX_SNAPLEN ? MAX_SNAPLEN : (int) rawSnaplen;

        String interfaceName = null;
        long resolution = 1_000_000L;
        int scaleMode = SCALE_MULTIPLY;
        long scale = 1000;
        long offset = 0;
        boolean sawResolution = false;
        boolean sawOffset = false;
        long option = pos + 16;
        final long end = pos + 8 + bodyLength;
        while (option < end) {
            if (end - option < 4) {
                throw corrupt(pos, "option header runs past the end of the interface description block");
            }
            int code = u16(option);
            int length = u16(option + 2);
            long padded = (length + 3) & ~3L;
            long value = option + 4;
            if (end - value < padded) {
                throw corrupt(pos, "option " + code + " of length " + length
                        + " runs past the end of the interface description block");
            }
            option = value + padded;
            switch (code) {
                case OPT_END -> option = end;
                case OPT_IF_NAME -> interfaceName = string(value, length);
                case OPT_IF_TSRESOL -> {
                    if (length != 1) {
                        throw corrupt(pos, "if_tsresol option of length " + length + ", expected 1");
                    }
                    if (sawResolution) {
                        throw corrupt(pos, "more than one if_tsresol option");
                    }
                    sawResolution = true;
                    int code8 = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, value));
                    int exponent = code8 & 0x7F;
                    if ((code8 & 0x80) != 0) {
                        if (exponent > 63) {
                            throw corrupt(pos, "if_tsresol 2^-" + exponent + " is too fine");
                        }
                        resolution = 1L << exponent; // 2^63 is read as unsigned
                        scaleMode = SCALE_BINARY;
                        scale = exponent;
                    } else {
                        if (exponent > 19) {
                            throw corrupt(pos, "if_tsresol 10^-" + exponent + " is too fine");
                        }
                        resolution = 1;
                        for (int k = 0; k < exponent; k++) {
                            resolution *= 10; // 10^19 fits as an unsigned 64-bit value
                        }
                        scaleMode = exponent <= 9 ? SCALE_MULTIPLY : SCALE_DIVIDE;
                        scale = powerOfTen(exponent <= 9 ? 9 - exponent : exponent - 9);
                    }
                }
                case OPT_IF_TSOFFSET -> {
                    if (length != 8) {
                        throw corrupt(pos, "if_tsoffset option of length " + length + ", expected 8");
                    }
                    if (sawOffset) {
                        throw corrupt(pos, "more than one if_tsoffset option");
                    }
                    sawOffset = true;
                    offset = bigEndian ? data.get(LONG_BE, value) : data.get(LONG_LE, value);
                }
                default -> {
                    // description, addresses, speed, filter, os, fcslen, comments: not needed
                }
            }
        }
        addInterface(linkType, snaplen, resolution, scaleMode, scale, offset, interfaceName);
    }

    private void addInterface(int linkType, int snaplen, long resolution, int scaleMode, long scale,
                              long offset, String interfaceName) {
        int i = interfaceCount;
        if (i == linkTypes.length) {
            int grown = i * 2;
            linkTypes = Arrays.copyOf(linkTypes, grown);
            snaplens = Arrays.copyOf(snaplens, grown);
            resolutions = Arrays.copyOf(resolutions, grown);
            scaleModes = Arrays.copyOf(scaleModes, grown);
            scales = Arrays.copyOf(scales, grown);
            offsets = Arrays.copyOf(offsets, grown);
            interfaceNames = Arrays.copyOf(interfaceNames, grown);
        }
        linkTypes[i] = linkType;
        snaplens[i] = snaplen;
        resolutions[i] = resolution;
        scaleModes[i] = scaleMode;
        scales[i] = scale;
        offsets[i] = offset;
        interfaceNames[i] = interfaceName;
        interfaceCount = i + 1;
    }

    private String string(long offset, int length) {
        int n = length;
        while (n > 0 && data.get(ValueLayout.JAVA_BYTE, offset + n - 1) == 0) {
            n--; // some writers add a terminating NUL
        }
        return new String(data.asSlice(offset, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static long powerOfTen(int exponent) {
        long value = 1;
        for (int k = 0; k < exponent; k++) {
            value *= 10;
        }
        return value;
    }

    private CaptureException corrupt(long pos, String problem) {
        return new CaptureException(name, pos, "corrupt block: " + problem);
    }

    /** Number of interfaces described so far in the current section. */
    public int interfaceCount() {
        return interfaceCount;
    }

    /** Number of sections seen so far. */
    public int sectionCount() {
        return sections;
    }
}
