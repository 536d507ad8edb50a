package io.picket.decode;

import java.lang.foreign.MemorySegment;

/**
 * The decoded view of one packet: what the layers below the transport told us, as primitive
 * fields. Filled by {@link PacketDecoder}; reused for every packet of a shard (no allocation).
 *
 * <p>Addresses are 128-bit, two longs each, big-endian word order: IPv4 addresses are stored
 * IPv4-mapped ({@code ::ffff:a.b.c.d}, i.e. {@code hi = 0}, {@code lo = 0x0000_FFFF_xxxx_xxxxL}),
 * so one flow key layout serves both families.
 *
 * <p>Owned by the shard thread that decodes into it.
 */
public final class Packet {
    public static final int NO_VLAN = -1;

    // ---- timing (copied from the raw packet) ----
    /** Packet time in seconds as Zeek computes it ({@code tv_sec + tv_usec / 1e6}). */
    public double time;
    public long timeMicros;

    // ---- link layer ----
    /** Outer (first) VLAN id, or {@link #NO_VLAN}. */
    public int vlan = NO_VLAN;
    /** Inner (second) VLAN id, or {@link #NO_VLAN}; a third tag overwrites it (Zeek behaviour). */
    public int innerVlan = NO_VLAN;
    /** Number of VLAN tags seen (0..n). */
    public int vlanTags;
    /** Capture interface name when known, else null (tenant selection by interface). */
    public String interfaceName;

    // ---- network layer ----
    /** 4 or 6 for IP packets; 0 when the packet carries no IP (ARP, LLC, ...). */
    public int ipVersion;
    public long srcHi, srcLo, dstHi, dstLo;
    /** Transport protocol number (IPv6: the next header after extension headers). */
    public int ipProto;
    /** IP length as Zeek's ConnSize counts it: IPv4 total length; IPv6 payload length + 40. */
    public int ipTotalLength;
    /** Bytes of the IP datagram actually captured (after reassembly for fragments). */
    public int ipCapturedLength;
    /** Header length of the (innermost) IP header including IPv6 extension headers. */
    public int ipHeaderLength;
    public int ttl;
    /** True when this packet is the result of fragment reassembly. */
    public boolean reassembled;

    // ---- transport ----
    /** Segment holding the transport header and payload (frame memory, or the reassembly buffer). */
    public MemorySegment l4Segment;
    /** Offset of the transport header within {@link #l4Segment}. */
    public long l4Offset;
    /** Transport bytes by the IP length (header + payload), as the IP header claims. */
    public int l4Length;
    /** Transport bytes actually captured (<= {@link #l4Length} when snaplen cut the frame). */
    public int l4CapturedLength;

    /** TCP/UDP ports; for ICMP the type and code are in {@link #icmpType}/{@link #icmpCode}. */
    public int srcPort, dstPort;

    // TCP
    public int tcpFlags;
    public long seq;
    public long ack;
    public int window;
    public int tcpHeaderLength;

    // UDP
    /** Value of the UDP length field. */
    public int udpLength;

    // ICMP / ICMPv6
    public int icmpType, icmpCode;

    /** Offset of the transport payload within {@link #l4Segment}. */
    public long payloadOffset;
    /** Transport payload length by the headers (TCP: IP payload - TCP header; UDP: IP payload - 8). */
    public int payloadLength;
    /** Transport payload bytes actually captured. */
    public int payloadCapturedLength;

    /**
     * Transport checksum verdict: true if verified good, or not verified (checksum checks off,
     * packet truncated, UDP checksum 0). False only for a verified bad TCP/UDP/ICMP checksum.
     */
    public boolean l4ChecksumOk = true;

    /**
     * Weird Zeek's TCP analyzer raises on the connection for this packet after finding or creating
     * the connection ({@code bad_TCP_header_len}, {@code truncated_header}), or null. When set, the
     * connection stage raises it (source {@code TCP}) and processes the packet no further (not
     * counted, no history); the fixed TCP header fields are filled, the payload fields are not.
     */
    public String transportWeird;

    public static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08,
            TCP_ACK = 0x10, TCP_URG = 0x20;

    public boolean isIpv4() {
        return ipVersion == 4;
    }

    /** Resets every field before decoding the next packet. */
    public void clear() {
        time = 0;
        timeMicros = 0;
        vlan = NO_VLAN;
        innerVlan = NO_VLAN;
        vlanTags = 0;
        interfaceName = null;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ipProto = 0;
        ipTotalLength = 0;
        ipCapturedLength = 0;
        ipHeaderLength = 0;
        ttl = 0;
        reassembled = false;
        l4Segment = null;
        l4Offset = 0;
        l4Length = 0;
        l4CapturedLength = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        seq = ack = 0;
        window = 0;
        tcpHeaderLength = 0;
        udpLength = 0;
        icmpType = icmpCode = 0;
        payloadOffset = 0;
        payloadLength = 0;
        payloadCapturedLength = 0;
        l4ChecksumOk = true;
        transportWeird = null;
    }
}
