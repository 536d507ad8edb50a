package io.picket.tunnel;

import io.picket.decode.Packet;
import io.picket.flow.Connection;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * VXLAN (RFC 7348) as Zeek's {@code VXLAN_Analyzer} reads it: an 8-byte header with the I flag,
 * then an Ethernet frame; UDP responder port 4789 ({@code PacketAnalyzer::VXLAN::vxlan_ports}).
 * A short header or a missing I flag is a violation (the analyzer stops for the connection), a
 * valid header confirms it (service {@code vxlan}). Stateless apart from the connection's
 * analyzer state; runs on the shard thread.
 */
public final class Vxlan {
    /** Zeek's {@code vxlan_ports}. */
    public static final int PORT = 4789;
    public static final int HEADER_LENGTH = 8;
    private static final String SOURCE = "VXLAN";

    private Vxlan() {
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
        if (len < HEADER_LENGTH || (s.get(ValueLayout.JAVA_BYTE, off) & 0x08) == 0) {
            Tunnels.violation(c, "vxlan");
            return;
        }
        Tunnels.confirm(c, "vxlan");
        len -= HEADER_LENGTH;
        if (len == 0) {
            t.weird("vxlan_empty_packet", null, SOURCE, p);
            return;
        }
        c.tunnelType = Tunnels.TYPE_VXLAN;
        t.decapsulate(c, s, off + HEADER_LENGTH, len, t.innerWire(len), Tunnels.LINK_ETHERNET);
    }
}
