package io.picket.tunnel;

import io.picket.capture.RawPacket;
import io.picket.decode.DecodeWeird;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.flow.ConnTracker;
import io.picket.flow.Connection;
import io.picket.flow.Encapsulation;
import java.lang.foreign.MemorySegment;

/**
 * The tunnel stage of one shard: sends every decoded IP packet either to the connection stage
 * or, for IP protocols 4, 41 and 47, to IP-in-IP/GRE decapsulation; sees every UDP datagram
 * after the connection stage (VXLAN on port 4789, Geneve on 6081, Teredo on 3544 or by DPD);
 * decodes inner frames with its own decoders (one per depth, up to Zeek's
 * {@code Tunnel::max_depth}) and feeds them back with their tunnel as encapsulation; keeps
 * Zeek's {@code Tunnel::active} bookkeeping for tunnel.log (DISCOVER when the first inner
 * connection appears, CLOSE when a tunnel connection is removed, EXPIRE after an hour without
 * new inner connections).
 *
 * <p>Owned by the shard thread. Allocates nothing per packet (inner packets reuse per-depth
 * {@link RawPacket}/{@link Packet} objects); malformed encapsulations end as Zeek's weirds or
 * analyzer violations, never as exceptions.
 */
public final class Tunnels {
    /** Zeek's {@code Tunnel::max_depth}. */
    public static final int MAX_DEPTH = 2;
    /** Zeek's {@code Tunnel::expiration_interval} (read expiry of {@code Tunnel::active}). */
    public static final double EXPIRATION_INTERVAL = 3600;
    /** Zeek's {@code Tunnel::ip_tunnel_timeout}: an IP tunnel idle this long gets a new uid. */
    public static final double IP_TUNNEL_TIMEOUT = 24 * 3600;
    /** Zeek's {@code table_expire_interval}: how often expiry is checked. */
    static final double SWEEP_INTERVAL = 10;

    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW = 101;
    static final int LINK_IEEE802_11 = 105;

    static final byte TYPE_TEREDO = 1;
    static final byte TYPE_VXLAN = 2;
    static final byte TYPE_GENEVE = 3;
    static final byte TYPE_GRE = 4;
    static final byte TYPE_IP = 5;

    /** {@link Connection#packetTunnelState}: VXLAN/Geneve confirmed or violated on the connection. */
    static final byte CONFIRMED = 1;
    static final byte VIOLATED = 2;

    /** Zeek's {@code HIST_UNKNOWN_PKT} ('X' on exceeded_tunnel_max_depth). */
    static final int HIST_UNKNOWN_PKT = 0x400;

    final ConnTracker tracker;
    final TunnelHost host;
    private final boolean teredo;
    private final PacketDecoder[] decoders = new PacketDecoder[MAX_DEPTH + 1];
    private final RawPacket[] raws = new RawPacket[MAX_DEPTH + 1];
    private final Packet[] packets = new Packet[MAX_DEPTH + 1];
    /** {@code chain[i]} is the tunnel of the packets at depth {@code i + 1}. */
    private final Encapsulation[] chain = new Encapsulation[MAX_DEPTH];
    final IpTunnels ipTunnels;
    /** UDP tunnels in Zeek's {@code Tunnel::active}: last time a connection was created inside. */
    private final java.util.IdentityHashMap<Connection, double[]> activeConnections = new java.util.IdentityHashMap<>();
    final String[] teredoWeird = new String[1];

    /** Depth of the packet being processed: 0 for the captured frame. */
    int depth;
    int tenant;
    private RawPacket outer;
    private double nextSweep = Double.NEGATIVE_INFINITY;

    /**
     * @param teredo whether the Teredo analyzer is loaded (VXLAN, Geneve, GRE and IP-in-IP are
     *        packet analyzers Zeek always runs)
     */
    public Tunnels(ConnTracker tracker, TunnelHost host, boolean teredo, boolean verifyChecksums) {
        this.tracker = tracker;
        this.host = host;
        this.teredo = teredo;
        this.ipTunnels = new IpTunnels();
        for (int d = 1; d <= MAX_DEPTH; d++) {
            raws[d] = new RawPacket();
            packets[d] = new Packet();
            decoders[d] = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(verifyChecksums),
                    new InnerWeirds());
        }
    }

    /** Processes one decoded IP packet of the captured frame {@code raw} for {@code tenant}. */
    public void onPacket(int tenant, Packet p, RawPacket raw) {
        this.tenant = tenant;
        this.outer = raw;
        this.depth = 0;
        advance(p.time);
        dispatch(p);
    }

    /** Network time moved on (a quiet live source): expires idle IP tunnels. */
    public void advance(double now) {
        if (now >= nextSweep) {
            if (nextSweep != Double.NEGATIVE_INFINITY) {
                ipTunnels.sweep(this, now);
                sweepConnections(now);
            }
            nextSweep = now + SWEEP_INTERVAL;
        }
    }

    private void dispatch(Packet p) {
        switch (p.ipProto) {
            case 47 -> {
                tracker.advance(p.time);
                Gre.onPacket(this, p);
            }
            case 4, 41 -> {
                tracker.advance(p.time);
                IpTunnels.onIpInIp(this, p);
            }
            default -> {
                if (depth == 0) {
                    tracker.onPacket(tenant, p);
                } else {
                    tracker.onInnerPacket(tenant, p, chain[depth - 1]);
                }
            }
        }
    }

    /**
     * The connection stage's UDP hook: every checksum-valid datagram of {@code c}. Dispatches like
     * Zeek's UDP analyzer, by the responder port (so both directions), then Teredo.
     */
    public void onUdp(Connection c, boolean isOrig, Packet p) {
        int rp = c.respPort();
        if (rp == Vxlan.PORT) {
            Vxlan.onDatagram(this, c, p);
        } else if (rp == Geneve.PORT) {
            Geneve.onDatagram(this, c, p);
        } else if (teredo) {
            Teredo.onDatagram(this, c, isOrig, p);
        }
    }

    /**
     * Decodes the inner frame {@code [off, off + cap)} of {@code seg} (link type {@code linkType})
     * and processes it one level deeper inside {@code tunnel}. The caller checked the depth.
     */
    void decapsulate(Encapsulation tunnel, MemorySegment seg, long off, int cap, int wire, int linkType) {
        int d = depth + 1;
        RawPacket r = raws[d];
        r.segment = seg;
        r.offset = off;
        r.capturedLength = cap;
        r.wireLength = wire;
        r.tsSeconds = outer.tsSeconds;
        r.tsNanos = outer.tsNanos;
        r.linkType = linkType;
        r.interfaceId = outer.interfaceId;
        r.interfaceName = outer.interfaceName;
        r.outOfBandVlanTci = -1;
        chain[d - 1] = tunnel;
        int saved = depth;
        depth = d;
        try {
            Packet inner = packets[d];
            if (decoders[d].decode(r, inner) == PacketDecoder.IP) {
                dispatch(inner);
            }
        } finally {
            depth = saved;
        }
    }

    /** Wire length of an inner frame of {@code cap} captured bytes (Zeek's build_inner_packet). */
    int innerWire(int cap) {
        RawPacket r = depth == 0 ? outer : raws[depth];
        return cap + Math.max(0, r.wireLength - r.capturedLength);
    }

    /** A weird raised by a tunnel analyzer on packet {@code p} (Zeek's session_mgr->Weird). */
    void weird(String name, String addl, String source, Packet p) {
        String n = depth > 0 ? name + "_in_tunnel" : name;
        host.flowWeird(tenant, n, addl, source, p.srcHi, p.srcLo, p.dstHi, p.dstLo);
    }

    /** The packet analyzer {@code service} parsed its header: conn.log gets the service once. */
    static void confirm(Connection c, String service) {
        if (c.packetTunnelState == 0) {
            c.packetTunnelState = CONFIRMED;
            c.addService(service);
        }
    }

    /** A protocol violation: the analyzer stops for the connection and its service goes. */
    static void violation(Connection c, String service) {
        c.packetTunnelState = VIOLATED;
        c.removeService(service);
    }

    /**
     * A connection was created inside {@code tunnel}: Zeek's {@code Tunnel::register_all} over
     * the encapsulation chain (DISCOVER for each tunnel not yet active).
     */
    public void onTunnelConnection(Connection inner, Encapsulation tunnel) {
        double now = host.networkTime();
        for (int i = 0; i < depth && i < MAX_DEPTH; i++) {
            register(chain[i], now);
        }
        if (depth == 0) {
            register(tunnel, now);
        }
    }

    private void register(Encapsulation e, double now) {
        if (e instanceof Connection c) {
            double[] lastRead = activeConnections.get(c);
            if (lastRead != null) {
                lastRead[0] = now;
            }
            if (!c.tunnelDiscovered) {
                c.tunnelDiscovered = true;
                activeConnections.put(c, new double[] {now});
                host.tunnelLog(c.tenant(), TunnelLog.record(now, c.uid(), c.origHi(), c.origLo(), c.origPort(),
                        c.respHi(), c.respLo(), c.respPort(), typeName(c.tunnelType), TunnelLog.DISCOVER));
            }
        } else if (e instanceof IpTunnel t) {
            t.lastRead = now;
            if (!t.active) {
                t.active = true;
                host.tunnelLog(t.tenant, t.record(now, TunnelLog.DISCOVER));
            }
        }
    }

    /** A connection is removed: Zeek's {@code Tunnel::finalize_tunnel} removal hook (CLOSE). */
    public void onConnectionRemoved(Connection c) {
        if (c.tunnelDiscovered) {
            c.tunnelDiscovered = false;
            activeConnections.remove(c);
            host.tunnelLog(c.tenant(), TunnelLog.record(host.networkTime(), c.uid(), c.origHi(), c.origLo(),
                    c.origPort(), c.respHi(), c.respLo(), c.respPort(), typeName(c.tunnelType), TunnelLog.CLOSE));
        }
    }

    /** Read expiry of active UDP tunnels (Zeek's {@code Tunnel::expire}). */
    private void sweepConnections(double now) {
        if (activeConnections.isEmpty()) {
            return;
        }
        java.util.Iterator<java.util.Map.Entry<Connection, double[]>> it = activeConnections.entrySet().iterator();
        while (it.hasNext()) {
            java.util.Map.Entry<Connection, double[]> e = it.next();
            if (now - e.getValue()[0] >= EXPIRATION_INTERVAL) {
                Connection c = e.getKey();
                c.tunnelDiscovered = false;
                it.remove();
                host.tunnelLog(c.tenant(), TunnelLog.record(now, c.uid(), c.origHi(), c.origLo(), c.origPort(),
                        c.respHi(), c.respLo(), c.respPort(), typeName(c.tunnelType), TunnelLog.EXPIRE));
            }
        }
    }

    static String typeName(byte type) {
        return switch (type) {
            case TYPE_VXLAN -> "Tunnel::VXLAN";
            case TYPE_GENEVE -> "Tunnel::GENEVE";
            case TYPE_GRE -> "Tunnel::GRE";
            case TYPE_IP -> "Tunnel::IP";
            default -> "Tunnel::TEREDO";
        };
    }

    /** Weirds of inner frames: Zeek appends {@code _in_tunnel} to every weird of an encapsulated packet. */
    private final class InnerWeirds implements WeirdListener {
        @Override
        public void onWeird(String name, String addl, Packet p) {
            report(name + "_in_tunnel", addl, null, p);
        }

        @Override
        public void onDecodeWeird(DecodeWeird weird, String addl, Packet p) {
            report(weird.zeekName() + "_in_tunnel", addl, weird.source(), p);
        }

        private void report(String name, String addl, String source, Packet p) {
            if (p.ipVersion != 0) {
                host.flowWeird(tenant, name, addl, source, p.srcHi, p.srcLo, p.dstHi, p.dstLo);
            } else {
                host.netWeird(tenant, name, addl, source);
            }
        }
    }
}
