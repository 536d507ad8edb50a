package io.picket.tunnel;

import io.picket.decode.Packet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Zeek's {@code IPTunnelAnalyzer}: IP-in-IP (protocols 4 and 41) and the IP side of GRE. Keeps
 * the tunnels by tenant and unordered address pair (Zeek's {@code ip_tunnels}, so one uid per
 * address pair), checks an IP-in-IP or PPTP inner header as Zeek's {@code IP::ParsePacket} does
 * and hands the inner frame to {@link Tunnels#decapsulate}. Lookups reuse one scratch key, so
 * only a new tunnel allocates. Owned by the shard thread.
 */
final class IpTunnels {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Map<Key, IpTunnel> tunnels = new HashMap<>();
    private final Key scratch = new Key();

    /** An IP packet whose protocol is 4 or 41 (Zeek's IP analyzer forwards it to IPTunnel). */
    static void onIpInIp(Tunnels t, Packet p) {
        int inner = p.ipProto == 4 ? 4 : 41;
        t.ipTunnels.analyze(t, p, Tunnels.TYPE_IP, -1, Tunnels.LINK_RAW, inner, p.l4Segment, p.payloadOffset,
                Math.max(0, p.payloadCapturedLength));
    }

    /**
     * Zeek's {@code IPTunnelAnalyzer::AnalyzePacket} for the payload {@code [off, off + len)} of
     * {@code p}: {@code greVersion} 0 carries a frame of {@code linkType}; any other value (PPTP,
     * or -1 for plain IP-in-IP) an IP packet of protocol {@code innerProto} that must fill the
     * payload exactly.
     */
    void analyze(Tunnels t, Packet p, byte type, int greVersion, int linkType, int innerProto, MemorySegment s,
            long off, int len) {
        if (t.depth >= Tunnels.MAX_DEPTH) {
            t.weird("exceeded_tunnel_max_depth", null, "IPTUNNEL", p);
            return;
        }
        int total = 0;
        if (greVersion != 0) {
            // IP::ParsePacket; Zeek reports only a bad version (its truncation and length
            // mismatch weirds are unreachable), a length mismatch just ends the analysis
            int version = len > 0 ? (s.get(ValueLayout.JAVA_BYTE, off) & 0xF0) >>> 4 : -1;
            if (innerProto == 41) {
                if (len < 40) {
                    return;
                }
                if (version != 6) {
                    t.weird("invalid_inner_IP_version", null, "IPTUNNEL", p);
                    return;
                }
                total = 40 + (s.get(U16, off + 4) & 0xFFFF);
            } else {
                if (len < 20 || version != 4) {
                    t.weird("invalid_inner_IP_version", null, "IPTUNNEL", p);
                    return;
                }
                total = s.get(U16, off + 2) & 0xFFFF;
            }
            if (total != len) {
                return;
            }
        }
        IpTunnel tunnel = lookup(t, p, type);
        if (greVersion == 0) {
            t.decapsulate(tunnel, s, off, len, len, linkType);
        } else {
            t.decapsulate(tunnel, s, off, total, total, Tunnels.LINK_RAW);
        }
    }

    private IpTunnel lookup(Tunnels t, Packet p, byte type) {
        double now = p.time;
        scratch.set(t.tenant, p.srcHi, p.srcLo, p.dstHi, p.dstLo);
        IpTunnel tunnel = tunnels.get(scratch);
        if (tunnel == null) {
            tunnel = new IpTunnel(t.tenant, t.host.newUid(), p.srcHi, p.srcLo, p.dstHi, p.dstLo, type, now);
            tunnels.put(scratch.copy(), tunnel);
        } else {
            tunnel.lastActive = now;
        }
        return tunnel;
    }

    /**
     * Zeek's periodic table expiry: an active tunnel without a new inner connection for
     * {@link Tunnels#EXPIRATION_INTERVAL} gets EXPIRE; a tunnel without packets for
     * {@link Tunnels#IP_TUNNEL_TIMEOUT} is forgotten (its next packet makes a new uid).
     */
    void sweep(Tunnels t, double now) {
        if (tunnels.isEmpty()) {
            return;
        }
        Iterator<IpTunnel> it = tunnels.values().iterator();
        while (it.hasNext()) {
            IpTunnel tunnel = it.next();
            if (tunnel.active && now - tunnel.lastRead >= Tunnels.EXPIRATION_INTERVAL) {
                tunnel.active = false;
                t.host.tunnelLog(tunnel.tenant, tunnel.record(now, TunnelLog.EXPIRE));
            }
            if (now - tunnel.lastActive >= Tunnels.IP_TUNNEL_TIMEOUT) {
                it.remove();
            }
        }
    }

    int size() {
        return tunnels.size();
    }

    /** Tenant and address pair in canonical (smaller first) order. */
    private static final class Key {
        int tenant;
        long aHi, aLo, bHi, bLo;

        void set(int tenant, long sHi, long sLo, long dHi, long dLo) {
            this.tenant = tenant;
            boolean srcFirst = Long.compareUnsigned(sHi, dHi) < 0
                    || (sHi == dHi && Long.compareUnsigned(sLo, dLo) <= 0);
            if (srcFirst) {
                aHi = sHi;
                aLo = sLo;
                bHi = dHi;
                bLo = dLo;
            } else {
                aHi = dHi;
                aLo = dLo;
                bHi = sHi;
                bLo = sLo;
            }
        }

        Key copy() {
            Key k = new Key();
            k.tenant = tenant;
            k.aHi = aHi;
            k.aLo = aLo;
            k.bHi = bHi;
            k.bLo = bLo;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.tenant == tenant && k.aHi == aHi && k.aLo == aLo && k.bHi == bHi
                    && k.bLo == bLo;
        }

        @Override
        public int hashCode() {
            long h = tenant * 0x9E3779B97F4A7C15L;
            h = (h ^ aHi) * 0x9E3779B97F4A7C15L;
            h = (h ^ aLo) * 0x9E3779B97F4A7C15L;
            h = (h ^ bHi) * 0x9E3779B97F4A7C15L;
            h = (h ^ bLo) * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
