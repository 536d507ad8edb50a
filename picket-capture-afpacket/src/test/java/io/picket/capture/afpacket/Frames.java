package io.picket.capture.afpacket;

/**
 * Builds test frames: Ethernet II carrying IPv4/UDP with a sequence number, 802.1Q/802.1ad tags.
 * Stateless test helper.
 */
final class Frames {
    /** Source MAC of every test frame: locally administered 02:50:4b:54 ("\2PKT") + 00:01. */
    static final byte[] SOURCE_MAC = {0x02, 0x50, 0x4b, 0x54, 0x00, 0x01};
    /** Destination MAC: another locally administered address (not vb's, so frames are "other host"). */
    static final byte[] DESTINATION_MAC = {0x02, 0x50, 0x4b, 0x54, 0x00, 0x02};
    /** A source MAC outside the test prefix, for frames a filter must drop. */
    static final byte[] FOREIGN_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, (byte) 0x99};
    static final int ETHERNET_HEADER = 14;
    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88A8;

    private Frames() {
    }

    /**
     * An untagged IPv4/UDP frame of {@code frameLength} bytes (at least 46): the UDP payload starts
     * with {@code sequence} and is filled with a pattern derived from it.
     */
    static byte[] udp(int sequence, int frameLength, int srcIp, int dstIp, int srcPort, int dstPort) {
        return udp(sequence, frameLength, srcIp, dstIp, srcPort, dstPort, SOURCE_MAC);
    }

    static byte[] udp(int sequence, int frameLength, int srcIp, int dstIp, int srcPort, int dstPort, byte[] srcMac) {
        if (frameLength < ETHERNET_HEADER + 20 + 8 + 4) {
            throw new IllegalArgumentException("frame too short: " + frameLength);
        }
        byte[] f = new byte[frameLength];
        // Ethernet: destination, source, EtherType IPv4.
        System.arraycopy(DESTINATION_MAC, 0, f, 0, 6);
        System.arraycopy(srcMac, 0, f, 6, 6);
        put16(f, 12, 0x0800);
        int ipLength = frameLength - ETHERNET_HEADER;
        int ip = ETHERNET_HEADER;
        // IPv4: version 4, IHL 5; TOS 0; total length; id = sequence; no fragmentation; TTL 64; UDP.
        f[ip] = 0x45;
        put16(f, ip + 2, ipLength);
        put16(f, ip + 4, sequence);
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        put32(f, ip + 12, srcIp);
        put32(f, ip + 16, dstIp);
        put16(f, ip + 10, ipChecksum(f, ip));
        int udp = ip + 20;
        // UDP: ports, length, checksum 0 (none).
        put16(f, udp, srcPort);
        put16(f, udp + 2, dstPort);
        put16(f, udp + 4, ipLength - 20);
        // Payload: sequence number, then a pattern.
        put32(f, udp + 8, sequence);
        for (int i = udp + 12; i < f.length; i++) {
            f[i] = (byte) (i * 31 + sequence);
        }
        return f;
    }

    /** {@code frame} with a tag (TPID, TCI) inserted after the MAC addresses. */
    static byte[] tagged(byte[] frame, int tpid, int tci) {
        byte[] f = new byte[frame.length + 4];
        System.arraycopy(frame, 0, f, 0, 12);
        put16(f, 12, tpid);
        put16(f, 14, tci);
        System.arraycopy(frame, 12, f, 16, frame.length - 12);
        return f;
    }

    /** The UDP source port of an untagged frame built by {@link #udp}. */
    static int sourcePort(byte[] frame) {
        return ((frame[34] & 0xFF) << 8) | (frame[35] & 0xFF);
    }

    /** The UDP destination port of an untagged frame built by {@link #udp}. */
    static int destinationPort(byte[] frame) {
        return ((frame[36] & 0xFF) << 8) | (frame[37] & 0xFF);
    }

    static boolean fromTestSource(byte[] frame) {
        return frame.length >= 12 && java.util.Arrays.equals(frame, 6, 12, SOURCE_MAC, 0, 6);
    }

    private static int ipChecksum(byte[] f, int at) {
        int sum = 0;
        for (int i = at; i < at + 20; i += 2) {
            sum += ((f[i] & 0xFF) << 8) | (f[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
