package io.picket.tunnel;

import io.picket.log.LogRecord;

/**
 * What the tunnel stage needs from its shard: log output, weirds and uids. Called on the shard
 * thread only.
 */
public interface TunnelHost {
    /** Writes one tunnel.log record of {@code tenant}. */
    void tunnelLog(int tenant, LogRecord record);

    /** Zeek's {@code flow_weird}: a weird about two addresses (ports 0, no uid). */
    void flowWeird(int tenant, String name, String addl, String source, long srcHi, long srcLo, long dstHi,
            long dstLo);

    /** Zeek's {@code conn_weird}: a weird about connection {@code c}. */
    void connWeird(io.picket.flow.Connection c, String name, String addl, String source);

    /** Zeek's {@code net_weird}: a weird with neither connection nor addresses. */
    void netWeird(int tenant, String name, String addl, String source);

    /** A fresh uid for an IP-level tunnel (Zeek draws it like a connection uid). */
    String newUid();

    /** Current network time (seconds). */
    double networkTime();
}
