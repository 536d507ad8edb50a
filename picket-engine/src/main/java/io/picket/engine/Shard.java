package io.picket.engine;

import io.picket.analyzer.AnalyzerHost;
import io.picket.analyzer.AnalyzerRegistry;
import io.picket.analyzer.LikelyServerPorts;
import io.picket.log.LogField;
import io.picket.tunnel.TunnelHost;
import io.picket.tunnel.Tunnels;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.util.IdentityHashMap;
import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import io.picket.decode.DecodeWeird;
import io.picket.decode.DecoderOptions;
import io.picket.decode.WeirdListener;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.flow.ConnLog;
import io.picket.flow.ConnTracker;
import io.picket.flow.Connection;
import io.picket.decode.Addresses;
import io.picket.log.CommunityId;
import io.picket.log.LogRecord;
import io.picket.log.format.JsonFormat;
import io.picket.log.LogSink;
import io.picket.log.Uid;
import io.picket.log.writer.FileLogSink;
import io.picket.tenant.LocalNets;
import io.picket.tenant.TenantConfigException;
import io.picket.tenant.TenantSelector;
import io.picket.tenant.TenantsConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard of the engine: decode, tenant selection, connection tracking, analyzers and log
 * records for the flows routed to it. Everything here is owned by the shard's thread; the only
 * shared objects are immutable (config, tenants, analyzer registry) or thread-safe (the log
 * sink).
 */
final class Shard implements ConnTracker.Listener, AnalyzerHost.Engine {
    private final EngineConfig config;
    private final TenantsConfig tenants;
    private final TenantSelector selector;
    private final EngineConfig.Stage stage;
    private final LocalNets[] localNets;
    private final TenantStats[] stats;
    private final ConnLog connLog;
    private final WeirdLog weirdLog = new WeirdLog();
    private final FilteringSink sink;
    private final ConnTracker tracker;
    private final String[] tenantIds;
    private double currentTime;
    private final Uid.Generator uids;
    private final Tunnels tunnels;
    private final Map<LogSchema, LogSchema> schemas = new IdentityHashMap<>();
    private long unassignedPackets;
    private long unassignedBytes;

    private final TenantPolicies policies;

    private final AnalyzerRegistry registry;
    private final NoticeHub.Clock noticeClock;

    /** A shard enforcing the tenants' {@code quotas}: the run-wide ledger every shard of the run shares. */
    Shard(EngineConfig config, TenantsConfig tenants, LogSink sink, int index, TenantPolicies policies,
            AnalyzerRegistry registry, io.picket.flow.TenantQuotas quotas) {
        this.registry = registry;
        this.config = config;
        this.stage = config.stage();
        this.tenants = tenants;
        this.policies = policies;
        this.selector = new TenantSelector(tenants);
        int n = selector.tenantCount();
        this.tenantIds = new String[n];
        this.stats = new TenantStats[n];
        this.localNets = new LocalNets[n];
        for (int i = 0; i < n; i++) {
            tenantIds[i] = selector.tenantId(i);
            stats[i] = new TenantStats(tenantIds[i]);
            localNets[i] = tenants.tenants().get(i).localNets();
        }
        LikelyServerPorts ports = config.analyzers() == null ? LikelyServerPorts.zeekDefault()
                : LikelyServerPorts.forAnalyzers(config.analyzers());
        ConnTracker.Options opts = ConnTracker.Options.zeekDefaults(ports::isTcp, ports::isUdp)
                .withVlanKey(config.vlanKey());
        Uid.Generator uid = config.uidSeed() == null ? Uid.generator()
                : Uid.generator(config.uidSeed() + 0x9E3779B97F4A7C15L * index);
        this.uids = uid;
        this.tracker = new ConnTracker(opts, this, ConnTracker.UidSource.of(uid), new AnalyzerHost(registry, this));
        tracker.setQuotas(quotas.forShard());
        this.tunnels = new Tunnels(tracker, tunnelHost(),
                config.analyzers() == null || config.analyzers().contains("teredo"), !config.ignoreChecksums());
        tracker.setUdpPayloadHook(tunnels::onUdp);
        CommunityId cid = new CommunityId();
        this.connLog = new ConnLog(config.vlanKey(), config.logVlans(),
                config.communityId() ? c -> communityId(cid, c) : null,
                (t, hi, lo) -> localNets[t].isEmpty() ? null : localNets[t].contains(hi, lo),
                config.policy().logSteerProfile() ? this::steerProfileName : null);
        this.sink = new FilteringSink(sink, policies, tenantIds, stats);
        this.noticeClock = policies.notices().register(sink, tenantIds, policies);
    }

    private static String communityId(CommunityId cid, Connection c) {
        return cid.compute(c.ipProto(), Addresses.toBytes(c.origHi(), c.origLo()),
                Addresses.toBytes(c.respHi(), c.respLo()), c.origPort(), c.respPort());
    }

    private PacketDecoder decoder;
    private final Packet pkt = new Packet();

    private PacketDecoder decoder() {
        if (decoder == null) {
            WeirdListener weirds = new WeirdListener() {
                @Override
                public void onWeird(String name, String addl, Packet p) {
                    onNetWeird(name, addl, null, p);
                }

                @Override
                public void onDecodeWeird(DecodeWeird weird, String addl, Packet p) {
                    onNetWeird(weird.zeekName(), addl, weird.source(), p);
                }
            };
            decoder = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(!config.ignoreChecksums()),
                    weirds);
        }
        return decoder;
    }

    /** Processes one frame (its memory stays valid during the call). */
    void onPacket(RawPacket raw) {
        if (stage == EngineConfig.Stage.READ) {
            return;
        }
        currentTime = raw.time();
        noticeClock.advance(currentTime);
        int result = decoder().decode(raw, pkt);
        int tenant = selector.select(pkt);
        if (tenant == TenantSelector.UNASSIGNED) {
            unassignedPackets++;
            unassignedBytes += raw.capturedLength;
            return;
        }
        TenantStats ts = stats[tenant];
        ts.packets++;
        ts.bytes += raw.capturedLength;
        switch (result) {
            case PacketDecoder.IP -> {
                ts.ipPackets++;
                if (stage == EngineConfig.Stage.ALL) {
                    tunnels.onPacket(tenant, pkt, raw);
                }
            }
            case PacketDecoder.NON_IP -> ts.nonIpPackets++;
            case PacketDecoder.DROPPED -> ts.droppedPackets++;
            default -> {
            }
        }
    }

    /** A live source was quiet: network time moves on to {@code now} (timers may fire). */
    void idle(double now) {
        if (now > currentTime) {
            currentTime = now;
            tracker.advance(now);
            tunnels.advance(now);
            noticeClock.advance(now);
        }
    }

    /** End of input: every remaining connection is logged. */
    void finish() {
        finish(currentTime);
    }

    NoticeHub notices() {
        return policies.notices();
    }

    /**
     * End of input when several shards share it: network time moves to {@code endTime}, the last
     * packet's time over all shards (Zeek's one clock), before every remaining connection is
     * logged (tunnel.log CLOSE at the end then does not depend on the shard).
     */
    void finish(double endTime) {
        if (endTime > currentTime) {
            currentTime = endTime;
        }
        tracker.flush();
        noticeClock.finish();
    }

    TenantStats[] stats() {
        io.picket.flow.ShardQuotas q = tracker.quotas();
        for (int t = 0; t < stats.length; t++) {
            stats[t].flowQuotaDrops = q.flowQuotaDrops(t);
            stats[t].reassemblyQuotaDrops = q.reassemblyQuotaDrops(t);
            stats[t].reassemblyQuotaBytes = q.reassemblyQuotaBytes(t);
            stats[t].peakFlows = q.ledger().peakFlows(t);
            stats[t].peakReassemblyBytes = q.ledger().peakReassemblyBytes(t);
        }
        return stats;
    }

    TenantPolicies policies() {
        return policies;
    }

    TenantSelector selector() {
        return selector;
    }

    String[] tenantIds() {
        return tenantIds;
    }

    long unassignedPackets() {
        return unassignedPackets;
    }

    long unassignedBytes() {
        return unassignedBytes;
    }

    private void onNetWeird(String name, String addl, String source, Packet p) {
        int tenant = selector.select(p);
        if (tenant == TenantSelector.UNASSIGNED) {
            return;
        }
        stats[tenant].weirds++;
        LogRecord r = weirdLog.netWeird(tenant, currentTime, name, addl, source);
        if (r != null) {
            sink.write(tenant, r);
        }
    }

    @Override
    public double networkTime() {
        return currentTime;
    }

    @Override
    public LogSchema schema(LogSchema base) {
        return schemas.computeIfAbsent(base, b -> config.vlanKey() && b.indexOf("id.resp_p") >= 0
                ? b.withAfter("id.resp_p", LogField.of("id.ctx.vlan", ZeekType.INT),
                        LogField.of("id.ctx.inner_vlan", ZeekType.INT))
                : b);
    }

    @Override
    public io.picket.analyzer.ConnectionPolicy policyFor(Connection c) {
        io.picket.policy.bundle.PolicyBundle b = policies.of(c.tenant());
        if (b == null || b == io.picket.policy.bundle.PolicyBundle.empty()) {
            return null;
        }
        io.picket.policy.steering.SteeringProfile profile = steer(c, b);
        if (!containment().admits(c.tenant(), Containment.POLICY, currentTime)) {
            return null;
        }
        io.picket.analyzer.ConnectionPolicy p = new PolicyRunner(this, c, b,
                policies.notices().signatureLog(c.tenant(), signatureLog(c.tenant())), profile);
        var hook = Containment.policyDecorator;
        return hook == null ? p : hook.apply(tenantIds[c.tenant()], p);
    }

    /**
     * Sends a new connection to its tenant's steering profile (first matching rule, Zeek's
     * orig/resp as the connection has them now) and records it on the connection; null when the
     * tenant has no steering. A profile without {@code teredo} turns Teredo decapsulation off.
     */
    private io.picket.policy.steering.SteeringProfile steer(Connection c, io.picket.policy.bundle.PolicyBundle b) {
        io.picket.policy.steering.Steering steering = b.steering();
        if (steering == null) {
            return null;
        }
        int index = steering.profileFor(c.ipProto(), c.origHi(), c.origLo(), c.origPort(), c.respHi(), c.respLo(),
                c.respPort());
        c.setSteerProfile(index);
        io.picket.policy.steering.SteeringProfile profile = steering.profile(index);
        if (!profile.allowsAnalyzer("teredo")) {
            io.picket.tunnel.Teredo.disable(c);
        }
        return profile;
    }

    /**
     * conn.log {@code steer_profile}: the profile decided at the start (TCP/UDP), else (ICMP and
     * other transports, which have no analyzers) decided now; null when the tenant has no steering.
     */
    private String steerProfileName(Connection c) {
        int index = c.steerProfile();
        if (index < 0) {
            io.picket.policy.bundle.PolicyBundle b = policies.of(c.tenant());
            if (b == null || b.steering() == null) {
                return null;
            }
            index = b.steering().profileFor(c.ipProto(), c.origHi(), c.origLo(), c.origPort(), c.respHi(),
                    c.respLo(), c.respPort());
            c.setSteerProfile(index);
        }
        return io.picket.policy.steering.Steering.PROFILE_NAMES.get(index);
    }

    private Containment containment;
    private io.picket.policy.signature.SignatureLog[] signatureLogs;

    /**
     * The tenant's signature summary state (scan and count thresholds keyed by address): one per
     * tenant, so tenants sharing addresses, or one flooding matches, never change another's rows.
     */
    private io.picket.policy.signature.SignatureLog signatureLog(int tenant) {
        if (signatureLogs == null) {
            signatureLogs = new io.picket.policy.signature.SignatureLog[tenantIds.length];
        }
        if (signatureLogs[tenant] == null) {
            signatureLogs[tenant] = new io.picket.policy.signature.SignatureLog();
        }
        return signatureLogs[tenant];
    }

    /** The run's containment (a private one when the shard runs without an engine). */
    Containment containment() {
        if (containment == null) {
            containment = policies.containment();
            if (containment == null) {
                containment = new Containment(tenantIds, List.of(), x -> {
                });
            }
        }
        return containment;
    }

    @Override
    public void policyFailed(Connection c, RuntimeException e) {
        containment().failed(c.tenant(), Containment.POLICY, currentTime, e);
    }

    @Override
    public boolean analyzerAdmitted(Connection c, int index) {
        return 1 + index >= containment().components()
                || containment().admits(c.tenant(), 1 + index, currentTime);
    }

    @Override
    public void policyWork(Connection c, int bytes, long nanos) {
        TenantStats ts = stats[c.tenant()];
        ts.policyBytes += bytes;
        ts.policyNanos += nanos;
    }

    void writeFor(Connection c, LogRecord record) {
        sink.write(c.tenant(), record);
    }

    @Override
    public void log(Connection c, LogRecord record) {
        sink.write(c.tenant(), record);
        policies.notices().analyzerLog(c, record);
    }

    @Override
    public void weird(Connection c, String name, String addl, String source) {
        onConnectionWeird(c, name, addl, source);
    }

    @Override
    public void schedule(Connection c, double time, Runnable action) {
        tracker.schedule(c, time, action);
    }

    @Override
    public void remove(Connection c) {
        tracker.remove(c);
    }

    @Override
    public String newFileId() {
        return uids.file();
    }

    @Override
    public void analyzerFailed(Connection c, String analyzer, RuntimeException e) {
        stats[c.tenant()].analyzerFailures++;
        List<io.picket.analyzer.spi.AnalyzerProvider> ps = registry.providers();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).name().equals(analyzer) && 1 + i < containment().components()) {
                containment().failed(c.tenant(), 1 + i, currentTime, e);
                break;
            }
        }
    }

    @Override
    public void onTunnelConnection(Connection inner, io.picket.flow.Encapsulation tunnel) {
        tunnels.onTunnelConnection(inner, tunnel);
    }

    /** The tunnel stage's view of this shard: tunnel.log, weirds, uids and network time. */
    private TunnelHost tunnelHost() {
        return new TunnelHost() {
            @Override
            public void tunnelLog(int tenant, LogRecord record) {
                sink.write(tenant, record);
            }

            @Override
            public void flowWeird(int tenant, String name, String addl, String source, long srcHi, long srcLo,
                    long dstHi, long dstLo) {
                stats[tenant].weirds++;
                LogRecord r = weirdLog.flowWeird(tenant, currentTime, name, addl, source, srcHi, srcLo, dstHi, dstLo);
                if (r != null) {
                    sink.write(tenant, r);
                }
            }

            @Override
            public void connWeird(Connection c, String name, String addl, String source) {
                onConnectionWeird(c, name, addl, source);
            }

            @Override
            public void netWeird(int tenant, String name, String addl, String source) {
                stats[tenant].weirds++;
                LogRecord r = weirdLog.netWeird(tenant, currentTime, name, addl, source);
                if (r != null) {
                    sink.write(tenant, r);
                }
            }

            @Override
            public String newUid() {
                return uids.connection();
            }

            @Override
            public double networkTime() {
                return currentTime;
            }
        };
    }

    @Override
    public void onConnectionRemoved(Connection c) {
        tunnels.onConnectionRemoved(c);
        stats[c.tenant()].connections++;
        LogRecord conn = connLog.record(c);
        sink.write(c.tenant(), conn);
        policies.notices().connectionRemoved(c, conn, localNets[c.tenant()]);
    }

    @Override
    public void onConnectionEstablished(Connection c) {
        ConnIntel.established(this, c, policies.of(c.tenant()));
    }

    @Override
    public void onConnectionWeird(Connection c, String name, String addl, String source) {
        stats[c.tenant()].weirds++;
        LogRecord r = weirdLog.connWeird(c, currentTime, name, addl, source);
        if (r != null) {
            sink.write(c.tenant(), r);
        }
    }
}
