package io.picket.engine;

import io.picket.decode.Addresses;
import io.picket.flow.Connection;
import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.policy.intel.IntelNotice;
import io.picket.policy.notice.TenantNotices;
import io.picket.policy.signature.SignatureLog;
import io.picket.policy.signature.SignatureNotice;
import io.picket.tenant.LocalNets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Feeds every tenant's {@link TenantNotices} from the shards and writes the notice.log rows to the
 * tenant's sink. Signature and intel notices go through at once. Failed SSH logins (ssh.log rows
 * with {@code auth_success} F) and failed TCP connection attempts (from the conn.log row) are
 * stamped with the connection's last packet time and handled in time order once every shard's
 * network time has passed that time by {@link #SLACK} (a connection is removed at most an
 * inactivity timeout after its last packet), so notices are the same whatever the number of
 * workers. Tenant-defined notices ({@code notice.yaml} {@code notices:}) are tested on every record
 * a tenant writes ({@link #record}, from its shard's {@link FilteringSink}, before the log filters)
 * and queued the same way by the record's ts. A reload swaps a tenant's notice policy
 * ({@link #policy}). Each shard owns one {@link Clock}; it publishes its network time at most once
 * per second of network time, and {@code +inf} when it finishes. Thread-safe.
 */
final class NoticeHub {
    /** Seconds between a connection's last packet and its removal, at most (Zeek's inactivity timeouts are 5 min). */
    static final double SLACK = 600.0;

    private final java.util.concurrent.atomic.AtomicReferenceArray<TenantNotices> tenants;
    private final SignatureLog[] signatureLogs;
    private volatile boolean active;
    private final List<Clock> clocks = new CopyOnWriteArrayList<>();
    private volatile LogSink sink;
    private volatile String[] ids;

    NoticeHub(PolicyBundle[] bundles) {
        this.tenants = new java.util.concurrent.atomic.AtomicReferenceArray<>(bundles.length);
        this.signatureLogs = new SignatureLog[bundles.length];
        boolean any = false;
        for (int t = 0; t < bundles.length; t++) {
            if (bundles[t] != null) {
                tenants.set(t, new TenantNotices(bundles[t].notices()));
                signatureLogs[t] = new SignatureLog();
                any = true;
            }
        }
        this.active = any;
    }

    /** One shard's network time as the hub sees it. Owned by the shard thread. */
    final class Clock {
        private volatile double published = Double.NEGATIVE_INFINITY;
        private double next = Double.NEGATIVE_INFINITY;

        /** Called per packet; publishes and drains at most once per second of network time. */
        void advance(double time) {
            if (active && time >= next) {
                next = time + 1.0;
                published = time;
                drain();
            }
        }

        /** The shard has no more packets: its observations are all in. */
        void finish() {
            published = Double.POSITIVE_INFINITY;
            if (active) {
                drain();
            }
        }
    }

    /**
     * A clock for a new shard; every shard registers before the first packet. Drained notices go
     * to {@code logSink} through the tenants' log filters, counted in the hub's own
     * {@link #filterCounts} (drains run on any shard thread, one at a time).
     */
    synchronized Clock register(LogSink logSink, String[] tenantIds, TenantPolicies policies) {
        if (sink == null) {
            filterStats = new TenantStats[tenantIds.length];
            for (int t = 0; t < tenantIds.length; t++) {
                filterStats[t] = new TenantStats(tenantIds[t]);
            }
            this.sink = policies == null ? logSink : new FilteringSink(logSink, policies, tenantIds, filterStats);
            this.ids = tenantIds;
        }
        Clock c = new Clock();
        clocks.add(c);
        return c;
    }

    private volatile TenantStats[] filterStats;

    /** As {@link #register(LogSink, String[], TenantPolicies)} without log filters (a hub without a run). */
    Clock register(LogSink logSink, String[] tenantIds) {
        return register(logSink, tenantIds, null);
    }

    /** Outcomes of the tenant's log filters on the notices the hub wrote (read after the run). */
    io.picket.policy.filter.FilterCounts filterCounts(int tenant) {
        TenantStats[] s = filterStats;
        return s == null ? new io.picket.policy.filter.FilterCounts() : s[tenant].filters;
    }

    private synchronized void drain() {
        double watermark = Double.POSITIVE_INFINITY;
        for (Clock c : clocks) {
            watermark = Math.min(watermark, c.published);
        }
        if (watermark != Double.POSITIVE_INFINITY) {
            watermark -= SLACK;
        }
        for (int t = 0; t < tenants.length(); t++) {
            TenantNotices n = tenants.get(t);
            if (n != null && (n.observes() || n.pendingCount() > 0)) {
                write(t, n.drain(watermark));
            }
        }
    }

    /**
     * A reloaded bundle's notice policy for {@code tenant} takes effect (null: the tenant has no
     * policy any more, its notice state is dropped). Suppression state of notes that still exist
     * and detector counters with unchanged parameters are kept. Called on the reloading thread.
     */
    void policy(int tenant, io.picket.policy.notice.NoticePolicy next) {
        if (next == null) {
            tenants.set(tenant, null);
            return;
        }
        TenantNotices n = tenants.get(tenant);
        if (n == null) {
            tenants.set(tenant, new TenantNotices(next));
            active = true;
        } else {
            n.policy(next);
        }
    }

    /**
     * A record the tenant writes (before its log filters): tested against the tenant-defined
     * notices of its log; matches are queued and written by a later drain. Shard thread, per record.
     */
    void record(int tenant, LogRecord record) {
        TenantNotices n = tenants.get(tenant);
        if (n != null) {
            n.record(record);
        }
    }

    /** Tenant-defined notice expressions of {@code tenant} that failed to evaluate. */
    long customErrors(int tenant) {
        TenantNotices n = tenants.get(tenant);
        return n == null ? 0 : n.customErrors();
    }

    private void write(int tenant, List<LogRecord> rows) {
        for (LogRecord r : rows) {
            sink.write(ids[tenant], r);
        }
    }

    /**
     * The tenant's signature state ({@code base/frameworks/signatures} scan and count tables),
     * shared by the tenant's shards so that counts span them; callers lock it for each match.
     * {@code fallback} for a tenant without a bundle.
     */
    SignatureLog signatureLog(int tenant, SignatureLog fallback) {
        SignatureLog s = signatureLogs[tenant];
        return s == null ? fallback : s;
    }

    /** A notice of {@code base/frameworks/signatures} on connection {@code c}. */
    void signature(Connection c, SignatureNotice n) {
        TenantNotices t = tenants.get(c.tenant());
        if (t != null) {
            write(c.tenant(), t.signature(n, proto(c)));
        }
    }

    /** The {@code Intel::Notice}s of one intel match on connection {@code c}. */
    void intel(Connection c, List<IntelNotice> notices) {
        TenantNotices t = tenants.get(c.tenant());
        if (t != null) {
            for (IntelNotice n : notices) {
                write(c.tenant(), t.intel(n, proto(c)));
            }
        }
    }

    /** An analyzer's log row: an ssh.log row of a failed login is {@code ssh_auth_failed}. */
    void analyzerLog(Connection c, LogRecord record) {
        TenantNotices t = tenants.get(c.tenant());
        if (t == null || !t.observes() || !record.schema().path().equals("ssh")) {
            return;
        }
        // base/protocols/ssh/main.zeek finalize_ssh: client, server and auth_success=F known
        if (Boolean.FALSE.equals(record.get("auth_success")) && record.get("client") != null
                && record.get("server") != null) {
            t.sshAuthFailed(c.lastTime(), Addresses.format(c.origHi(), c.origLo()),
                    Addresses.format(c.respHi(), c.respLo()));
        }
    }

    /**
     * A removed connection with its conn.log row: a failed TCP attempt in the sense of
     * {@code policy/misc/scan.zeek} ({@code connection_attempt}, {@code connection_rejected},
     * {@code connection_reset}/{@code connection_pending} with {@code is_failed_conn} or
     * {@code is_reverse_failed_conn}), judged from {@code conn_state} and {@code history}.
     */
    void connectionRemoved(Connection c, LogRecord conn, LocalNets nets) {
        TenantNotices t = tenants.get(c.tenant());
        if (t == null || !t.observes() || c.transport() != Connection.TRANSPORT_TCP) {
            return;
        }
        Object s = conn.get("conn_state");
        Object h = conn.get("history");
        int dir = failed(s == null ? "" : s.toString(), h == null ? "" : h.toString());
        if (dir == 0) {
            return;
        }
        boolean reverse = dir < 0;
        long sHi = reverse ? c.respHi() : c.origHi();
        long sLo = reverse ? c.respLo() : c.origLo();
        String scanner = Addresses.format(sHi, sLo);
        String victim = reverse ? Addresses.format(c.origHi(), c.origLo()) : Addresses.format(c.respHi(), c.respLo());
        int port = reverse ? c.origPort() : c.respPort();
        t.failedConnection(c.lastTime(), scanner, victim, port + "/tcp", !nets.isEmpty() && nets.contains(sHi, sLo));
    }

    /** 1: the originator failed to connect; -1: the responder did (reverse scan); 0: not a failed attempt. */
    static int failed(String state, String history) {
        boolean noData = history.indexOf('D') < 0 && history.indexOf('d') < 0;
        switch (state) {
            case "S0" -> {
                return history.indexOf('H') >= 0 ? -1 : 1;
            }
            case "REJ" -> {
                return history.indexOf('s') >= 0 || history.indexOf('H') >= 0 ? -1 : 1;
            }
            case "RSTO" -> {
                if (noData && history.indexOf('S') >= 0) {
                    return 1;
                }
                return noData && history.indexOf('s') >= 0 ? -1 : 0;
            }
            case "RSTR" -> {
                return noData && history.indexOf('s') >= 0 ? -1 : 0;
            }
            case "OTH" -> {
                return history.startsWith("H") && history.chars().noneMatch(Character::isLowerCase) ? -1 : 0;
            }
            default -> {
                return 0;
            }
        }
    }

    private static String proto(Connection c) {
        return switch (c.transport()) {
            case Connection.TRANSPORT_TCP -> "tcp";
            case Connection.TRANSPORT_UDP -> "udp";
            case Connection.TRANSPORT_ICMP -> "icmp";
            default -> "unknown_transport";
        };
    }
}
