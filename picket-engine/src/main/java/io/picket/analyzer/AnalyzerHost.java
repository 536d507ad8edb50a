package io.picket.analyzer;

import io.picket.flow.Connection;
import io.picket.flow.ConnectionObserver;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;

/**
 * The engine side of the analyzer stage for one shard: creates a {@link ConnectionAnalyzers}
 * for each new TCP/UDP connection and gives analyzers what they need from the engine (time,
 * log output, weirds, file ids, schemas). Owned by the shard thread.
 */
public final class AnalyzerHost implements ConnectionObserver.Factory {

    /** What the analyzer stage needs from the engine. */
    public interface Engine {
        double networkTime();

        /** The run's schema for an analyzer log (connection-key context columns added). */
        LogSchema schema(LogSchema base);

        void log(Connection c, LogRecord record);

        void weird(Connection c, String name, String addl, String source);

        String newFileId();

        /** Runs {@code action} at network time {@code time} unless the connection is removed first. */
        void schedule(Connection c, double time, Runnable action);

        /** Removes the connection now. */
        void remove(Connection c);

        /** The tenant policy of a new connection, or null when the tenant has none. */
        default ConnectionPolicy policyFor(Connection c) {
            return null;
        }

        /** An analyzer threw: it is removed from the connection and the failure counted. */
        void analyzerFailed(Connection c, String analyzer, RuntimeException e);

        /** The connection's policy threw: it is dropped from the connection and the failure counted. */
        default void policyFailed(Connection c, RuntimeException e) {
        }

        /** Whether analyzer provider {@code index} may start on the new connection (false while quarantined). */
        default boolean analyzerAdmitted(Connection c, int index) {
            return true;
        }

        /**
         * Accounting: payload bytes the connection's policy was given (0 for HTTP content and intel
         * sightings) and the nanoseconds the call took.
         */
        default void policyWork(Connection c, int bytes, long nanos) {
        }
    }

    /** Zeek's {@code dpd_buffer_size}: payload bytes kept for detection and replay. */
    static final int DPD_BUFFER_SIZE = 1024;
    /** Zeek's {@code DPD::ignore_violations_after}. */
    static final long IGNORE_VIOLATIONS_AFTER = 10 * 1024;

    private final AnalyzerRegistry registry;
    final Engine engine;
    private final boolean anyTcp;
    private final boolean anyUdp;

    public AnalyzerHost(AnalyzerRegistry registry, Engine engine) {
        this.registry = registry;
        this.engine = engine;
        this.anyTcp = registry.any(true);
        this.anyUdp = registry.any(false);
    }

    /**
     * Script-registered tunnels in Zeek's {@code Tunnel::active} (SOCKS): key to the network time
     * of the last registration; an entry older than {@code Tunnel::expiration_interval} counts as
     * expired (the EXPIRE line itself is not written).
     */
    private final java.util.HashMap<String, double[]> activeTunnels = new java.util.HashMap<>();
    /** Size at which expired {@link #activeTunnels} entries are swept out (bounds the map to the live ones). */
    private int sweepTunnelsAt = 1024;

    /** Zeek's {@code Tunnel::register} of {@code c}'s id with orig_p 0 (once per connection handshake). */
    void registerTunnel(Connection c, String tunnelType) {
        double now = engine.networkTime();
        String key = c.tenant() + "|" + c.origHi() + "|" + c.origLo() + "|" + c.respHi() + "|" + c.respLo() + "|"
                + c.respPort() + "|" + tunnelType;
        if (activeTunnels.size() >= sweepTunnelsAt) {
            activeTunnels.values().removeIf(t -> now - t[0] >= io.picket.tunnel.Tunnels.EXPIRATION_INTERVAL);
            sweepTunnelsAt = Math.max(1024, 2 * activeTunnels.size());
        }
        double[] last = activeTunnels.get(key);
        if (last == null || now - last[0] >= io.picket.tunnel.Tunnels.EXPIRATION_INTERVAL) {
            engine.log(c, io.picket.tunnel.TunnelLog.record(now, null, c.origHi(), c.origLo(), 0, c.respHi(),
                    c.respLo(), c.respPort(), tunnelType, io.picket.tunnel.TunnelLog.DISCOVER));
            activeTunnels.put(key, new double[] {now});
        } else {
            last[0] = now;
        }
    }

    AnalyzerRegistry registry() {
        return registry;
    }

    @Override
    public ConnectionObserver create(Connection c) {
        boolean tcp = c.transport() == Connection.TRANSPORT_TCP;
        boolean udp = c.transport() == Connection.TRANSPORT_UDP;
        if (c.transport() == Connection.TRANSPORT_ICMP) {
            ConnectionPolicy policy = engine.policyFor(c);
            return policy == null ? null : ConnectionAnalyzers.policyOnly(this, c, policy);
        }
        if (!tcp && !udp) {
            return null;
        }
        ConnectionPolicy policy = engine.policyFor(c);
        if ((tcp && anyTcp) || (udp && anyUdp) || policy != null) {
            return new ConnectionAnalyzers(this, c, tcp, policy);
        }
        return null;
    }
}
