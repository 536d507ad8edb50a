package io.picket.policy.notice;

import io.picket.log.LogRecord;
import io.picket.policy.intel.IntelNotice;
import io.picket.policy.signature.SignatureNotice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The notice state of one tenant, shared by every shard thread that carries the tenant's flows:
 * the {@link NoticeFramework} (suppression), SSH password guessing
 * ({@code policy/protocols/ssh/detect-bruteforcing.zeek}), TCP scan detection
 * ({@code policy/misc/scan.zeek}) and the tenant-defined notices ({@link #record}). Methods take the
 * object's lock (except {@link #record}, which evaluates outside it); they are called per notice,
 * per log record or per finished connection, never per packet. {@link #policy(NoticePolicy)} swaps
 * the policy on reload.
 *
 * <p>Signature and intel notices are handled when they are raised. Failed logins and failed
 * connections are observations with a time (the connection's last packet); they are queued and
 * handled in (time, content) order once {@link #drain} is given a watermark at or past their time,
 * so the result does not depend on how flows are spread over shards. Methods return the
 * notice.log rows to write (usually none).
 */
public final class TenantNotices {
    private record Observation(double ts, int kind, String a, String b, String c, boolean local, Notice notice,
                               NoticePolicy policy) {
        Observation(double ts, int kind, String a, String b, String c, boolean local) {
            this(ts, kind, a, b, c, local, null, null);
        }
    }

    private static final int SSH_FAILED = 0;
    private static final int CONN_FAILED = 1;
    private static final int CUSTOM = 2;
    /** Logs whose connections are TCP (their records have no {@code proto} column). */
    private static final java.util.Set<String> TCP_LOGS = java.util.Set.of("http", "ssl", "ssh", "smtp", "socks",
            "websocket", "ftp", "irc", "pop3", "imap", "rdp", "mysql", "ldap", "smb_files", "smb_mapping");
    private static final Comparator<Observation> ORDER = Comparator.comparingDouble(Observation::ts)
            .thenComparingInt(Observation::kind).thenComparing(Observation::a).thenComparing(Observation::b)
            .thenComparing(Observation::c);

    private volatile NoticePolicy policy;
    private final NoticeFramework framework;
    private volatile SumStat sshFailures;
    private volatile SumStat addrScan;
    private volatile SumStat portScan;
    private final PriorityQueue<Observation> pending = new PriorityQueue<>(ORDER);
    private final java.util.concurrent.atomic.AtomicLong customErrors = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong customRaised = new java.util.concurrent.atomic.AtomicLong();

    public TenantNotices(NoticePolicy policy) {
        this.policy = policy;
        this.framework = new NoticeFramework(policy);
        detectors(policy, null);
    }

    /** Sets up the detectors of {@code p}, keeping those of {@code old} whose parameters are unchanged. */
    private void detectors(NoticePolicy p, NoticePolicy old) {
        boolean sshSame = old != null && old.sshBruteforcing() == p.sshBruteforcing()
                && old.passwordGuessesLimit() == p.passwordGuessesLimit()
                && old.guessingTimeout() == p.guessingTimeout();
        boolean scanSame = old != null && old.scan() == p.scan() && old.addrScanThreshold() == p.addrScanThreshold()
                && old.addrScanInterval() == p.addrScanInterval() && old.portScanThreshold() == p.portScanThreshold()
                && old.portScanInterval() == p.portScanInterval();
        NoticePolicy policy = p;
        if (!sshSame) {
            sshFailures = policy.sshBruteforcing()
                ? new SumStat(policy.guessingTimeout(), policy.passwordGuessesLimit(), SumStat.Measure.SUM, 5, 0)
                : null;
        }
        if (!scanSame) {
            addrScan = policy.scan() ? new SumStat(policy.addrScanInterval(), policy.addrScanThreshold(),
                SumStat.Measure.UNIQUE, 0, (long) (policy.addrScanThreshold() + 2) > Integer.MAX_VALUE
                        ? Integer.MAX_VALUE : (int) (policy.addrScanThreshold() + 2)) : null;
            portScan = policy.scan() ? new SumStat(policy.portScanInterval(), policy.portScanThreshold(),
                SumStat.Measure.UNIQUE, 0, (long) (policy.portScanThreshold() + 2) > Integer.MAX_VALUE
                        ? Integer.MAX_VALUE : (int) (policy.portScanThreshold() + 2)) : null;
        }
    }

    /**
     * Continues with a reloaded policy: ignored types, suppression intervals and tenant-defined
     * notices of {@code next} apply from now on; suppression state is kept for notes that still
     * exist, a detector's counters are kept when its parameters are unchanged (restarted otherwise).
     * Queued observations stay. Called on the reloading thread.
     */
    public synchronized void policy(NoticePolicy next) {
        NoticePolicy old = policy;
        framework.policy(next);
        detectors(next, old);
        policy = next;
    }

    /**
     * Tests one log record the tenant writes against the tenant-defined notices of its log
     * ({@code notice.yaml} {@code notices:}); each match is queued as a notice stamped with the
     * record's {@code ts} and handled in time order by {@link #drain}, like failed logins, under
     * the policy in force when the record was tested (ignored types, suppression interval). The
     * notice takes {@code ts}, {@code uid}, {@code id.*} and the transport ({@code proto} column,
     * or TCP for TCP-only protocol logs) from the record, as Zeek's {@code NOTICE} with
     * {@code $conn} would. An expression that fails to evaluate is counted and raises nothing.
     * Called on shard threads, per record; evaluates outside the lock.
     */
    public void record(LogRecord r) {
        NoticePolicy p = policy;
        List<CustomNotice> cs = p.customNotices(r.schema().path());
        if (cs.isEmpty()) {
            return;
        }
        for (int i = 0; i < cs.size(); i++) {
            CustomNotice c = cs.get(i);
            Notice n;
            try {
                if (!c.when().test(r)) {
                    continue;
                }
                n = notice(c, r);
            } catch (io.picket.policy.expr.LogExpressionException e) {
                customErrors.incrementAndGet();
                continue;
            }
            if (n == null) {
                customErrors.incrementAndGet();
                continue;
            }
            customRaised.incrementAndGet();
            synchronized (this) {
                pending.add(new Observation(n.ts(), CUSTOM, n.note(), n.identifier() == null ? "" : n.identifier(),
                        (n.uid() == null ? "" : n.uid()) + '\0' + (n.msg() == null ? "" : n.msg()), false, n, p));
            }
        }
    }

    private static Notice notice(CustomNotice c, LogRecord r) throws io.picket.policy.expr.LogExpressionException {
        if (!(field(r, "ts") instanceof Double ts)) {
            return null;
        }
        String msg = c.msg().evalString(r);
        String sub = c.sub() == null ? null : c.sub().evalString(r);
        String identifier = c.identifier() == null ? null : c.identifier().evalString(r);
        String uid = field(r, "uid") instanceof String u ? u : null;
        Object oh = field(r, "id.orig_h");
        Object op = field(r, "id.orig_p");
        Object rh = field(r, "id.resp_h");
        Object rp = field(r, "id.resp_p");
        if (oh != null && op instanceof Number o && rh != null && rp instanceof Number p) {
            String proto = field(r, "proto") instanceof String s ? s
                    : TCP_LOGS.contains(r.schema().path()) ? "tcp" : null;
            return new Notice(ts, c.note(), msg, sub, uid, oh.toString(), o.intValue(), rh.toString(), p.intValue(),
                    proto, null, null, null, null, null, identifier);
        }
        return new Notice(ts, c.note(), msg, sub, uid, null, null, null, null, null, null, null, null, null, null,
                identifier);
    }

    private static Object field(LogRecord r, String name) {
        int i = r.schema().indexOf(name);
        return i < 0 ? null : r.get(i);
    }

    /** Tenant-defined notice expressions that failed to evaluate (the record is unaffected). */
    public long customErrors() {
        return customErrors.get();
    }

    /** Tenant-defined notices raised (before suppression and ignoring). */
    public long customRaised() {
        return customRaised.get();
    }

    public NoticePolicy policy() {
        return policy;
    }

    /** Whether failed logins and failed connections are of interest (a detector is enabled). */
    public boolean observes() {
        return sshFailures != null || addrScan != null || policy.hasCustomNotices();
    }

    /** A notice raised by {@code base/frameworks/signatures} (no identifier: never suppressed). */
    public synchronized List<LogRecord> signature(SignatureNotice s) {
        Notice n = new Notice(s.ts(), s.note(), s.msg(), s.sub(), s.uid(), s.origH(), s.origP(), s.respH(), s.respP(),
                null, s.src(), s.dst(), null, null, s.n(), null);
        return one(n);
    }

    /** As {@link #signature(SignatureNotice)} for a notice with a connection of transport {@code proto}. */
    public synchronized List<LogRecord> signature(SignatureNotice s, String proto) {
        Notice n = new Notice(s.ts(), s.note(), s.msg(), s.sub(), s.uid(), s.origH(), s.origP(), s.respH(), s.respP(),
                proto, s.src(), s.dst(), null, null, s.n(), null);
        return one(n);
    }

    /** {@code Intel::Notice} of {@code policy/frameworks/intel/do_notice.zeek}. */
    public synchronized List<LogRecord> intel(IntelNotice i, String proto) {
        Notice n = new Notice(i.ts(), "Intel::Notice", i.msg(), i.sub(), i.uid(), i.origH(), i.origP(), i.respH(),
                i.respP(), i.origH() == null ? null : proto, null, null, null, null, null, i.identifier());
        return one(n);
    }

    /** Any notice (custom sources); handled at once. */
    public synchronized List<LogRecord> raise(Notice n) {
        return one(n);
    }

    /** {@code ssh_auth_failed} of a connection from {@code client} to {@code server}; queued. */
    public synchronized void sshAuthFailed(double ts, String client, String server) {
        if (sshFailures != null) {
            pending.add(new Observation(ts, SSH_FAILED, client, server, "", false));
        }
    }

    /**
     * A failed TCP connection attempt as {@code scan.zeek}'s {@code add_sumstats} sees it:
     * {@code scanner} tried {@code victim} on {@code port} (Zeek's port text, e.g. {@code 22/tcp});
     * {@code scannerLocal} is {@code Site::is_local_addr(scanner)}. Queued.
     */
    public synchronized void failedConnection(double ts, String scanner, String victim, String port,
                                              boolean scannerLocal) {
        if (addrScan != null) {
            pending.add(new Observation(ts, CONN_FAILED, scanner, victim, port, scannerLocal));
        }
    }

    /** Handles the queued observations up to {@code watermark} (inclusive) in order; returns the rows. */
    public synchronized List<LogRecord> drain(double watermark) {
        List<LogRecord> out = null;
        while (!pending.isEmpty() && pending.peek().ts() <= watermark) {
            Observation o = pending.poll();
            if (o.kind() == CUSTOM) {
                out = add(out, framework.raise(o.notice(), o.policy()));
                continue;
            }
            if ((o.kind() == SSH_FAILED && sshFailures == null) || (o.kind() == CONN_FAILED && addrScan == null)) {
                continue; // the detector was turned off by a reload
            }
            Notice n = o.kind() == SSH_FAILED ? ssh(o) : null;
            if (o.kind() == CONN_FAILED) {
                Notice a = addr(o);
                if (a != null) {
                    out = add(out, framework.raise(a));
                }
                n = port(o);
            }
            if (n != null) {
                out = add(out, framework.raise(n));
            }
        }
        return out == null ? List.of() : out;
    }

    /** Observations waiting for the watermark. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private Notice ssh(Observation o) {
        SumStat.Result r = sshFailures.observe(o.ts(), o.a(), o.b());
        if (r == null) {
            return null;
        }
        StringBuilder sub = new StringBuilder("Sampled servers: ");
        for (int i = 0; i < r.samples.size(); i++) {
            sub.append(i == 0 ? "" : ",").append(' ').append(r.samples.get(i));
        }
        return Notice.of(o.ts(), "SSH::Password_Guessing",
                o.a() + " appears to be guessing SSH passwords (seen in " + r.num + " connections).",
                sub.toString(), o.a(), null, null, null, null, o.a());
    }

    private Notice addr(Observation o) {
        SumStat.Result r = addrScan.observe(o.ts(), o.a() + "|" + o.c(), o.b());
        if (r == null) {
            return null;
        }
        String msg = o.a() + " scanned at least " + r.unique.size() + " unique hosts on port " + o.c() + " in "
                + minsSecs(r.end - r.begin);
        int slash = o.c().indexOf('/');
        return Notice.of(o.ts(), "Scan::Address_Scan", msg, o.local() ? "local" : "remote", o.a(), null,
                Integer.parseInt(o.c().substring(0, slash)), o.c().substring(slash + 1), null, o.a());
    }

    private Notice port(Observation o) {
        SumStat.Result r = portScan.observe(o.ts(), o.a() + "|" + o.b(), o.c());
        if (r == null) {
            return null;
        }
        String msg = o.a() + " scanned at least " + r.unique.size() + " unique ports of host " + o.b() + " in "
                + minsSecs(r.end - r.begin);
        return Notice.of(o.ts(), "Scan::Port_Scan", msg, o.local() ? "local" : "remote", o.a(), o.b(), null, null,
                null, o.a());
    }

    /** {@code duration_to_mins_secs}: whole seconds as {@code <m>m<s>s}. */
    static String minsSecs(double seconds) {
        long s = (long) Math.max(0, seconds);
        return (s / 60) + "m" + (s % 60) + "s";
    }

    private List<LogRecord> one(Notice n) {
        LogRecord r = framework.raise(n);
        return r == null ? List.of() : List.of(r);
    }

    private static List<LogRecord> add(List<LogRecord> out, LogRecord r) {
        if (r == null) {
            return out;
        }
        List<LogRecord> l = out == null ? new ArrayList<>() : out;
        l.add(r);
        return l;
    }
}
