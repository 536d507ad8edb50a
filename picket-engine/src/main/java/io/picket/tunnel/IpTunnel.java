package io.picket.tunnel;

import io.picket.flow.Encapsulation;
import io.picket.log.LogRecord;

/**
 * An IP-level tunnel (GRE, IP-in-IP) between two addresses: Zeek's {@code EncapsulatingConn}
 * without a transport connection (ports 0). Its uid is drawn when its first packet is seen.
 * Owned by the shard thread.
 */
public final class IpTunnel implements Encapsulation {
    final int tenant;
    final String uid;
    final long srcHi, srcLo, dstHi, dstLo;
    final byte type;
    /** Network time of the last packet (Zeek's {@code ip_tunnels} activity). */
    double lastActive;
    /** Network time of the last new inner connection (read expiry of {@code Tunnel::active}). */
    double lastRead;
    /** In Zeek's {@code Tunnel::active} table (DISCOVER written, not yet expired). */
    boolean active;

    IpTunnel(int tenant, String uid, long srcHi, long srcLo, long dstHi, long dstLo, byte type, double now) {
        this.tenant = tenant;
        this.uid = uid;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.type = type;
        this.lastActive = now;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Zeek's tunnel type name ({@code Tunnel::GRE} or {@code Tunnel::IP}). */
    public String typeName() {
        return Tunnels.typeName(type);
    }

    LogRecord record(double ts, String action) {
        return TunnelLog.record(ts, uid, srcHi, srcLo, 0, dstHi, dstLo, 0, typeName(), action);
    }
}
