package io.picket.engine;

import io.picket.analyzer.AnalyzerHost;
import io.picket.analyzer.AnalyzerRegistry;
import io.picket.analyzer.LikelyServerPorts;
import io.picket.log.LogField;
import io.picket.tunnel.Teredo;
import io.picket.tunnel.TunnelLog;
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
    private final LocalNets[] localNets;
    private final TenantStats[] stats;
    private final ConnLog connLog;
    private final WeirdLog weirdLog = new WeirdLog();
    private final LogSink sink;
    private final ConnTracker tracker;
    private final String[] tenantIds;
    private double currentTime;
    private final Uid.Generator uids;
    private final boolean teredo;
    private final PacketDecoder innerDecoder;
    private final RawPacket innerRaw = new RawPacket();
    private final Packet innerPacket = new Packet();
    private final String[] tunnelWeird = new String[1];
    private RawPacket currentRaw;

    private static final byte TUNNEL_UNKNOWN = 0;
    private static final byte TUNNEL_TEREDO = 1;
    private static final byte TUNNEL_NONE = 2;
    private final Map<LogSchema, LogSchema> schemas = new IdentityHashMap<>();
    private long unassignedPackets;
    private long unassignedBytes;

    private final TenantPolicies policies;

    private final AnalyzerRegistry registry;

    Shard(EngineConfig config, TenantsConfig tenants, LogSink sink, int index, TenantPolicies policies,
            AnalyzerRegistry registry) {
        this.registry = registry;
        this.config = config;
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
        this.teredo = config.analyzers() == null || config.analyzers().contains("teredo");
        if (teredo) {
            tracker.setUdpPayloadHook(this::onUdpPayload);
        }
        this.innerDecoder = new PacketDecoder(
                DecoderOptions.defaults().withVerifyChecksums(!config.ignoreChecksums()), new WeirdListener() {
                    @Override
                    public void onWeird(String name, String addl, Packet p) {
                        // weirds of inner packets are reported on the tunnel connection
                    }
                });
        CommunityId cid = new CommunityId();
        this.connLog = new ConnLog(config.vlanKey(), config.logVlans(),
                config.communityId() ? c -> communityId(cid, c) : null,
                (t, hi, lo) -> localNets[t].isEmpty() ? null : localNets[t].contains(hi, lo));
        this.sink = sink;
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
        currentTime = raw.time();
        currentRaw = raw;
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
                tracker.onPacket(tenant, pkt);
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
        }
    }

    /** End of input: every remaining connection is logged. */
    void finish() {
        tracker.flush();
    }

    TenantStats[] stats() {
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
            sink.write(tenantIds[tenant], r);
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
        if (b == null || b == io.picket.policy.bundle.PolicyBundle.empty()
                || !containment().admits(c.tenant(), Containment.POLICY, currentTime)) {
            return null;
        }
        io.picket.analyzer.ConnectionPolicy p = new PolicyRunner(this, c, b, signatureLog(c.tenant()));
        var hook = Containment.policyDecorator;
        return hook == null ? p : hook.apply(tenantIds[c.tenant()], p);
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
    private Containment containment() {
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
        sink.write(tenantIds[c.tenant()], record);
    }

    @Override
    public void log(Connection c, LogRecord record) {
        sink.write(tenantIds[c.tenant()], record);
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

    /** Teredo decapsulation of a UDP datagram (Zeek's Teredo analyzer, port 3544 or DPD). */
    private void onUdpPayload(Connection c, boolean isOrig, Packet p) {
        if (c.tunnelState == TUNNEL_NONE) {
            return;
        }
        int len = Math.min(Math.min(p.l4Length, p.udpLength) - 8, p.payloadCapturedLength);
        if (len <= 0) {
            return;
        }
        long off = p.payloadOffset;
        if (c.tunnelState == TUNNEL_UNKNOWN) {
            if (c.respPort() == Teredo.PORT || Teredo.looksLikeTeredo(p.l4Segment, off, len)) {
                c.tunnelState = TUNNEL_TEREDO;
            } else {
                c.tunnelBytesSeen += len;
                if (c.tunnelBytesSeen > 1024) {
                    c.tunnelState = TUNNEL_NONE;
                }
                return;
            }
        }
        int ipAt = Teredo.parse(p.l4Segment, off, len, tunnelWeird);
        if (ipAt < 0) {
            c.tunnelState = TUNNEL_NONE;
            c.removeService("teredo");
            return;
        }
        long ip = off + ipAt;
        int avail = len - ipAt;
        int payloadLen = p.l4Segment.get(U16, ip + 4) & 0xFFFF;
        int next = p.l4Segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, ip + 6) & 0xFF;
        int total = 40 + payloadLen;
        boolean bubble = next == 59 && payloadLen == 0;
        if (total > avail) {
            c.tunnelState = TUNNEL_NONE;
            c.removeService("teredo");
            return;
        }
        if (total < avail) {
            if (bubble) {
                onConnectionWeird(c, "Teredo_bubble_with_payload", null, "TEREDO");
            } else {
                c.tunnelState = TUNNEL_NONE;
                c.removeService("teredo");
                return;
            }
        }
        if (isOrig) {
            c.tunnelValidOrig = true;
        } else {
            c.tunnelValidResp = true;
        }
        if (c.tunnelValidOrig && c.tunnelValidResp) {
            c.addService("teredo");
        }
        if (bubble) {
            return;
        }
        innerRaw.segment = p.l4Segment;
        innerRaw.offset = ip;
        innerRaw.capturedLength = total;
        innerRaw.wireLength = total;
        innerRaw.tsSeconds = currentRaw.tsSeconds;
        innerRaw.tsNanos = currentRaw.tsNanos;
        innerRaw.linkType = 229;
        innerRaw.interfaceId = currentRaw.interfaceId;
        innerRaw.interfaceName = currentRaw.interfaceName;
        innerRaw.outOfBandVlanTci = -1;
        if (innerDecoder.decode(innerRaw, innerPacket) == PacketDecoder.IP) {
            innerPacket.vlan = p.vlan;
            innerPacket.innerVlan = p.innerVlan;
            tracker.onInnerPacket(c.tenant(), innerPacket, c);
        }
    }

    private static final java.lang.foreign.ValueLayout.OfShort U16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    @Override
    public void onTunnelConnection(Connection inner, Connection tunnel) {
        if (!tunnel.tunnelDiscovered) {
            tunnel.tunnelDiscovered = true;
            sink.write(tenantIds[tunnel.tenant()], tunnelRecord(tunnel, "Tunnel::DISCOVER"));
        }
    }

    private LogRecord tunnelRecord(Connection t, String action) {
        return new LogRecord(TunnelLog.SCHEMA).set(0, currentTime).set(1, t.uid())
                .set(2, Addresses.format(t.origHi(), t.origLo())).set(3, t.origPort())
                .set(4, Addresses.format(t.respHi(), t.respLo())).set(5, t.respPort()).set(6, "Tunnel::TEREDO")
                .set(7, action);
    }

    @Override
    public void onConnectionRemoved(Connection c) {
        if (c.tunnelDiscovered) {
            sink.write(tenantIds[c.tenant()], tunnelRecord(c, "Tunnel::CLOSE"));
        }
        stats[c.tenant()].connections++;
        sink.write(tenantIds[c.tenant()], connLog.record(c));
    }

    @Override
    public void onConnectionWeird(Connection c, String name, String addl, String source) {
        stats[c.tenant()].weirds++;
        LogRecord r = weirdLog.connWeird(c, currentTime, name, addl, source);
        if (r != null) {
            sink.write(tenantIds[c.tenant()], r);
        }
    }
}
