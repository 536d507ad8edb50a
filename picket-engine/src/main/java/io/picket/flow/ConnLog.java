package io.picket.flow;

import io.picket.decode.Addresses;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.util.List;

/**
 * The conn.log stream: Zeek's column set (plus the optional columns a run enables) and the
 * conversion of a removed {@link Connection} into a record, with Zeek's rules for each field
 * ({@code scripts/base/protocols/conn/main.zeek}). Called on the shard thread at removal.
 */
public final class ConnLog {

    /** Zeek's default conn.log columns, in file order. */
    public static final LogSchema BASE = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("service", ZeekType.STRING),
            LogField.of("duration", ZeekType.INTERVAL),
            LogField.of("orig_bytes", ZeekType.COUNT),
            LogField.of("resp_bytes", ZeekType.COUNT),
            LogField.of("conn_state", ZeekType.STRING),
            LogField.of("local_orig", ZeekType.BOOL),
            LogField.of("local_resp", ZeekType.BOOL),
            LogField.of("missed_bytes", ZeekType.COUNT),
            LogField.of("history", ZeekType.STRING),
            LogField.of("orig_pkts", ZeekType.COUNT),
            LogField.of("orig_ip_bytes", ZeekType.COUNT),
            LogField.of("resp_pkts", ZeekType.COUNT),
            LogField.of("resp_ip_bytes", ZeekType.COUNT),
            LogField.of("tunnel_parents", ZeekType.SET_STRING),
            LogField.of("ip_proto", ZeekType.COUNT));

    /** Decides {@code local_orig}/{@code local_resp} per tenant; null = no local networks (unset). */
    @FunctionalInterface
    public interface LocalNets {
        Boolean isLocal(int tenant, long hi, long lo);
    }

    /** Computes a Community ID v1 string for a connection. */
    @FunctionalInterface
    public interface CommunityIds {
        String of(Connection c);
    }

    /** The name of the steering profile a connection was sent to, or null (unset). */
    @FunctionalInterface
    public interface SteerProfiles {
        String of(Connection c);
    }

    /** The optional column with the connection's steering profile ({@code --log-steer-profile}). */
    public static final String STEER_PROFILE = "steer_profile";

    private final LogSchema schema;
    private final LocalNets localNets;
    private final CommunityIds communityIds;
    private final boolean vlanKey;
    private final boolean logVlans;

    private final int iCtxVlan, iCtxInner, iCommunity, iVlan, iInnerVlan;
    private final SteerProfiles steerProfiles;
    private final int iSteer;

    public ConnLog(boolean vlanKey, boolean logVlans, CommunityIds communityIds, LocalNets localNets) {
        this(vlanKey, logVlans, communityIds, localNets, null);
    }

    /** As above; a non-null {@code steerProfiles} adds the last column {@value #STEER_PROFILE}. */
    public ConnLog(boolean vlanKey, boolean logVlans, CommunityIds communityIds, LocalNets localNets,
            SteerProfiles steerProfiles) {
        LogSchema s = BASE;
        if (vlanKey) {
            s = s.withAfter("id.resp_p", LogField.of("id.ctx.vlan", ZeekType.INT),
                    LogField.of("id.ctx.inner_vlan", ZeekType.INT));
        }
        if (communityIds != null) {
            s = s.with(LogField.of("community_id", ZeekType.STRING));
        }
        if (logVlans) {
            s = s.with(LogField.of("vlan", ZeekType.INT), LogField.of("inner_vlan", ZeekType.INT));
        }
        if (steerProfiles != null) {
            s = s.with(LogField.of(STEER_PROFILE, ZeekType.STRING));
        }
        this.steerProfiles = steerProfiles;
        this.iSteer = s.indexOf(STEER_PROFILE);
        this.schema = s;
        this.vlanKey = vlanKey;
        this.logVlans = logVlans;
        this.communityIds = communityIds;
        this.localNets = localNets;
        iCtxVlan = s.indexOf("id.ctx.vlan");
        iCtxInner = s.indexOf("id.ctx.inner_vlan");
        iCommunity = s.indexOf("community_id");
        iVlan = s.indexOf("vlan");
        iInnerVlan = s.indexOf("inner_vlan");
    }

    public LogSchema schema() {
        return schema;
    }

    /** Zeek's {@code proto} enum for the connection's transport. */
    public static String protoName(Connection c) {
        return switch (c.transport()) {
            case Connection.TRANSPORT_TCP -> "tcp";
            case Connection.TRANSPORT_UDP -> "udp";
            case Connection.TRANSPORT_ICMP -> "icmp";
            default -> "unknown_transport";
        };
    }

    /** Zeek's {@code conn_state} for the connection at removal. */
    public static String connState(Connection c, String history) {
        return switch (c.transport()) {
            case Connection.TRANSPORT_TCP -> c.tcp.connState(history);
            case Connection.TRANSPORT_UDP -> {
                boolean o = c.origSize >= 0;
                boolean r = c.respSize >= 0;
                yield o && r ? "SF" : o ? "S0" : r ? "SHR" : "OTH";
            }
            default -> "OTH";
        };
    }

    public LogRecord record(Connection c) {
        LogRecord r = new LogRecord(schema);
        String history = c.history();
        r.set(0, c.startTime);
        r.set(1, c.uid());
        r.set(2, Addresses.format(c.origHi, c.origLo));
        r.set(3, c.origPort());
        r.set(4, Addresses.format(c.respHi, c.respLo));
        r.set(5, c.respPort());
        int o = 0;
        if (vlanKey) {
            r.set(iCtxVlan, c.ctxVlan() > 0 ? (long) c.ctxVlan() : null);
            r.set(iCtxInner, c.ctxInnerVlan() > 0 ? (long) c.ctxInnerVlan() : null);
            o = 2;
        }
        r.set(6 + o, protoName(c));
        List<String> services = c.services();
        r.set(7 + o, services.isEmpty() ? null : String.join(",", services));
        double duration = c.lastTime - c.startTime;
        if (duration > 0) {
            r.set(8 + o, duration);
            long ob;
            long rb;
            if (c.transport() == Connection.TRANSPORT_TCP) {
                ob = c.tcp.orig().size();
                rb = c.tcp.resp().size();
            } else {
                ob = Math.max(0, c.origSize);
                rb = Math.max(0, c.respSize);
            }
            r.set(9 + o, ob);
            r.set(10 + o, rb);
        }
        r.set(11 + o, connState(c, history));
        r.set(12 + o, localNets.isLocal(c.tenant, c.origHi, c.origLo));
        r.set(13 + o, localNets.isLocal(c.tenant, c.respHi, c.respLo));
        r.set(14 + o, c.missedBytes());
        r.set(15 + o, history);
        r.set(16 + o, c.origPkts);
        r.set(17 + o, c.origIpBytes);
        r.set(18 + o, c.respPkts);
        r.set(19 + o, c.respIpBytes);
        r.set(20 + o, c.tunnelParents() == null ? null : new java.util.LinkedHashSet<>(c.tunnelParents()));
        r.set(21 + o, (long) c.ipProto());
        if (communityIds != null) {
            r.set(iCommunity, communityIds.of(c));
        }
        if (logVlans) {
            r.set(iVlan, c.vlan > 0 ? (long) c.vlan : null);
            r.set(iInnerVlan, c.innerVlan > 0 ? (long) c.innerVlan : null);
        }
        if (steerProfiles != null) {
            r.set(iSteer, steerProfiles.of(c));
        }
        return r;
    }
}
