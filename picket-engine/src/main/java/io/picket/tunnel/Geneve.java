package io.picket.tunnel;

import io.picket.decode.Packet;
import io.picket.flow.Connection;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Geneve (RFC 8926) as Zeek's {@code GeneveAnalyzer} reads it: version 0, an 8-byte header plus
 * options, then by protocol type an Ethernet frame (0x6558) or an IP packet (0x0800, and 0x08DD,
 * which Zeek registers where IPv6's 0x86DD was meant: IPv6 with 0x86DD is therefore not
 * analyzed, as in Zeek); UDP responder port 6081. Short headers are violations, a bad version a
 * weird. Stateless apart from the connection's analyzer state; runs on the shard thread.
 */
public final class Geneve {
    /** Zeek's {@code geneve_ports}. */
    public static final int PORT = 6081;
    public static final int HEADER_LENGTH = 8;
    private static final String SOURCE = "GENEVE";
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String[] VERSION_ADDL = {"0", "1", "2", "3"};

    private Geneve() {
    }

    /** Link type of the inner frame for a Geneve protocol type, or -1 when Zeek has no analyzer for it. */
    static int linkType(int protocolType) {
        return switch (protocolType) {
            case 0x6558 -> Tunnels.LINK_ETHERNET;
            case 0x0800, 0x08DD -> Tunnels.LINK_RAW;
            default -> -1; // ARP (0x0806) and the rest: no IP inside
        };
    }

    static void onDatagram(Tunnels t, Connection c, Packet p) {
        if (c.packetTunnelState == Tunnels.VIOLATED) {
            return;
        }
        if (t.depth >= Tunnels.MAX_DEPTH) {
            c.checkHistory(Tunnels.HIST_UNKNOWN_PKT, 'X');
            t.weird("exceeded_tunnel_max_depth", null, SOURCE, p);
            return;
        }
        MemorySegment s = p.l4Segment;
        long off = p.payloadOffset;
        int len = Math.max(0, p.payloadCapturedLength);
        if (len < HEADER_LENGTH) {
            Tunnels.violation(c, "geneve");
            return;
        }
        int b0 = s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
        int version = b0 >>> 6;
        if (version != 0) {
            t.weird("geneve_invalid_version", VERSION_ADDL[version], SOURCE, p);
            return;
        }
        int header = HEADER_LENGTH + (b0 & 0x3F) * 4;
        if (header > len) {
            Tunnels.violation(c, "geneve");
            return;
        }
        int protocolType = s.get(U16, off + 2) & 0xFFFF;
        Tunnels.confirm(c, "geneve");
        len -= header;
        if (len == 0) {
            t.weird("geneve_empty_packet", null, SOURCE, p);
            return;
        }
        int link = linkType(protocolType);
        if (link < 0) {
            return;
        }
        c.tunnelType = Tunnels.TYPE_GENEVE;
        t.decapsulate(c, s, off + header, len, t.innerWire(len), link);
    }
}
