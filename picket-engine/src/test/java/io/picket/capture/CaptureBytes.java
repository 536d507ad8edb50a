package io.picket.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: builds pcap and pcapng files byte by byte, including broken ones. */
final class CaptureBytes {
    private CaptureBytes() {
    }

    /** Classic pcap file builder. */
    static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final boolean patched;

        Pcap(ByteOrder order, int magic, int versionMajor, int versionMinor, int snaplen, int linkType) {
            this.order = order;
            this.patched = magic == PcapReader.MAGIC_PATCHED;
            ByteBuffer b = ByteBuffer.allocate(24).order(order);
            b.putInt(magic);                  // 0 magic
            b.putShort((short) versionMajor); // 4 version major
            b.putShort((short) versionMinor); // 6 version minor
            b.putInt(0);                      // 8 thiszone
            b.putInt(0);                      // 12 sigfigs
            b.putInt(snaplen);                // 16 snaplen
            b.putInt(linkType);               // 20 link type
            out.writeBytes(b.array());
        }

        static Pcap micros(ByteOrder order, int linkType) {
            return new Pcap(order, PcapReader.MAGIC_MICROS, 2, 4, 65535, linkType);
        }

        static Pcap nanos(ByteOrder order, int linkType) {
            return new Pcap(order, PcapReader.MAGIC_NANOS, 2, 4, 65535, linkType);
        }

        /** A record whose lengths are those of {@code frame}. */
        Pcap record(long seconds, long fraction, byte[] frame) {
            return record(seconds, fraction, frame.length, frame.length, frame);
        }

        /** A record with explicit length fields; {@code frame} is written as is. */
        Pcap record(long seconds, long fraction, long captured, long wire, byte[] frame) {
            ByteBuffer b = ByteBuffer.allocate(patched ? 24 : 16).order(order);
            b.putInt((int) seconds);  // 0 ts seconds
            b.putInt((int) fraction); // 4 ts micro/nanoseconds
            b.putInt((int) captured); // 8 captured length
            b.putInt((int) wire);     // 12 wire length
            // patched format: 16 ifindex (4), 20 protocol (2), 22 pkt_type (1), 23 pad (1), all 0
            out.writeBytes(b.array());
            out.writeBytes(frame);
            return this;
        }

        Pcap raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** pcapng builder; every block is written in the order of the current section. */
    static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        Pcapng(ByteOrder order) {
            this.order = order;
            shb(order);
        }

        /** Starts a new section in {@code sectionOrder}. */
        Pcapng shb(ByteOrder sectionOrder) {
            this.order = sectionOrder;
            ByteBuffer body = buffer(16);
            body.putInt(PcapngReader.BYTE_ORDER_MAGIC); // byte-order magic
            body.putShort((short) 1);                   // major version
            body.putShort((short) 0);                   // minor version
            body.putLong(-1);                           // section length: unknown
            return block(PcapngReader.BLOCK_SECTION_HEADER, body.array());
        }

        /** Interface Description Block with options given as {@link #option} byte arrays. */
        Pcapng idb(int linkType, int snaplen, byte[]... options) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            ByteBuffer fixed = buffer(8);
            fixed.putShort((short) linkType); // link type
            fixed.putShort((short) 0);        // reserved
            fixed.putInt(snaplen);            // snaplen
            body.writeBytes(fixed.array());
            for (byte[] option : options) {
                body.writeBytes(option);
            }
            if (options.length > 0) {
                body.writeBytes(option(0, new byte[0])); // opt_endofopt
            }
            return block(PcapngReader.BLOCK_INTERFACE_DESCRIPTION, body.toByteArray());
        }

        /** One option: code, length, value, padding to 4 bytes. */
        byte[] option(int code, byte[] value) {
            ByteBuffer b = buffer(4 + pad(value.length));
            b.putShort((short) code);         // option code
            b.putShort((short) value.length); // option length
            b.put(value);                     // value, then zero padding
            return b.array();
        }

        byte[] ifName(String name) {
            return option(2, name.getBytes(StandardCharsets.UTF_8));
        }

        byte[] ifTsresol(int code) {
            return option(9, new byte[] {(byte) code});
        }

        byte[] ifTsoffset(long seconds) {
            return option(14, buffer(8).putLong(seconds).array());
        }

        /** Enhanced Packet Block with lengths of {@code frame}. */
        Pcapng epb(int interfaceId, long timestamp, byte[] frame) {
            return epb(interfaceId, timestamp, frame.length, frame.length, frame);
        }

        Pcapng epb(int interfaceId, long timestamp, long captured, long wire, byte[] frame) {
            ByteBuffer b = buffer(20 + pad(frame.length));
            b.putInt(interfaceId);                 // interface id
            b.putInt((int) (timestamp >>> 32));    // timestamp high
            b.putInt((int) timestamp);             // timestamp low
            b.putInt((int) captured);              // captured length
            b.putInt((int) wire);                  // original length
            b.put(frame);                          // data, padding
            return block(PcapngReader.BLOCK_ENHANCED_PACKET, b.array());
        }

        /** Obsolete Packet Block. */
        Pcapng pb(int interfaceId, long timestamp, byte[] frame) {
            ByteBuffer b = buffer(20 + pad(frame.length));
            b.putShort((short) interfaceId);       // interface id
            b.putShort((short) 0);                 // drops count
            b.putInt((int) (timestamp >>> 32));    // timestamp high
            b.putInt((int) timestamp);             // timestamp low
            b.putInt(frame.length);                // captured length
            b.putInt(frame.length);                // original length
            b.put(frame);                          // data, padding
            return block(PcapngReader.BLOCK_PACKET, b.array());
        }

        /** Simple Packet Block: original length, then the data. */
        Pcapng spb(long wire, byte[] frame) {
            ByteBuffer b = buffer(4 + pad(frame.length));
            b.putInt((int) wire); // original length
            b.put(frame);         // data, padding
            return block(PcapngReader.BLOCK_SIMPLE_PACKET, b.array());
        }

        /** Any block: type, total length, body (padded), total length. */
        Pcapng block(int type, byte[] body) {
            int length = 12 + pad(body.length);
            return rawBlock(type, length, body, length);
        }

        /** A block with free header and trailer lengths (for corrupt files). */
        Pcapng rawBlock(int type, int length, byte[] body, int trailer) {
            ByteBuffer b = buffer(12 + pad(body.length));
            b.putInt(type);     // block type
            b.putInt(length);   // total length
            b.put(body);        // body, padding
            b.position(b.capacity() - 4);
            b.putInt(trailer);  // total length again
            out.writeBytes(b.array());
            return this;
        }

        Pcapng raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private ByteBuffer buffer(int n) {
            return ByteBuffer.allocate(n).order(order);
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }

    static Path write(Path dir, String file, byte[] bytes) {
        try {
            return Files.write(dir.resolve(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] frame(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    /** A packet as handed out, with its bytes copied for comparison. */
    record Seen(long offset, int capturedLength, int wireLength, long tsSeconds, int tsNanos, int linkType,
                int interfaceId, String interfaceName, long sourcePosition, double time, byte[] bytes) {
        static Seen of(RawPacket p) {
            byte[] bytes = p.segment.asSlice(p.offset, p.capturedLength).toArray(ValueLayout.JAVA_BYTE);
            return new Seen(p.offset, p.capturedLength, p.wireLength, p.tsSeconds, p.tsNanos, p.linkType,
                    p.interfaceId, p.interfaceName, p.sourcePosition, p.time(), bytes);
        }
    }

    static List<Seen> readAll(PacketSource source) throws CaptureException {
        List<Seen> seen = new ArrayList<>();
        RawPacket p = new RawPacket();
        while (source.next(p)) {
            seen.add(Seen.of(p));
        }
        return seen;
    }

    /** An opener of a fresh source, for repeated measurements. */
    interface Opener {
        PacketSource open() throws CaptureException;
    }

    /**
     * Reads {@code opener}'s source to the end several times and returns the fewest bytes the
     * reading loop allocated in one round (after warm-up, the JIT removes interpreter noise).
     */
    static long fewestBytesAllocatedReading(Opener opener, int expectedPackets) throws CaptureException {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        RawPacket p = new RawPacket();
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            try (PacketSource source = opener.open()) {
                long before = threads.getThreadAllocatedBytes(thread);
                int n = 0;
                while (source.next(p)) {
                    n++;
                }
                long allocated = threads.getThreadAllocatedBytes(thread) - before;
                if (n != expectedPackets) {
                    throw new AssertionError("read " + n + " packets, expected " + expectedPackets);
                }
                fewest = Math.min(fewest, allocated);
            }
        }
        return fewest;
    }

    static List<Seen> readAll(byte[] bytes) throws CaptureException {
        try (PacketSource source = CaptureFiles.open("mem", MemorySegment.ofArray(bytes))) {
            return readAll(source);
        }
    }
}
