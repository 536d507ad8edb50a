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
 * ({@code policy/protocols/ssh/detect-bruteforcing.zeek}) and TCP scan detection
 * ({@code policy/misc/scan.zeek}). Every method takes the object's lock; they are called per notice
 * or per finished connection, never per packet.
 *
 * <p>Signature and intel notices are handled when they are raised. Failed logins and failed
 * connections are observations with a time (the connection's last packet); they are queued and
 * handled in (time, content) order once {@link #drain} is given a watermark at or past their time,
 * so the result does not depend on how flows are spread over shards. Methods return the
 * notice.log rows to write (usually none).
 */
public final class TenantNotices {
    private record Observation(double ts, int kind, String a, String b, String c, boolean local) {
    }

    private static final int SSH_FAILED = 0;
    private static final int CONN_FAILED = 1;
    private static final Comparator<Observation> ORDER = Comparator.comparingDouble(Observation::ts)
            .thenComparingInt(Observation::kind).thenComparing(Observation::a).thenComparing(Observation::b)
            .thenComparing(Observation::c);

    private final NoticePolicy policy;
    private final NoticeFramework framework;
    private final SumStat sshFailures;
    private final SumStat addrScan;
    private final SumStat portScan;
    private final PriorityQueue<Observation> pending = new PriorityQueue<>(ORDER);

    public TenantNotices(NoticePolicy policy) {
        this.policy = policy;
        this.framework = new NoticeFramework(policy);
        this.sshFailures = policy.sshBruteforcing()
                ? new SumStat(policy.guessingTimeout(), policy.passwordGuessesLimit(), SumStat.Measure.SUM, 5, 0)
                : null;
        this.addrScan = policy.scan() ? new SumStat(policy.addrScanInterval(), policy.addrScanThreshold(),
                SumStat.Measure.UNIQUE, 0, (long) (policy.addrScanThreshold() + 2) > Integer.MAX_VALUE
                        ? Integer.MAX_VALUE : (int) (policy.addrScanThreshold() + 2)) : null;
        this.portScan = policy.scan() ? new SumStat(policy.portScanInterval(), policy.portScanThreshold(),
                SumStat.Measure.UNIQUE, 0, (long) (policy.portScanThreshold() + 2) > Integer.MAX_VALUE
                        ? Integer.MAX_VALUE : (int) (policy.portScanThreshold() + 2)) : null;
    }

    public NoticePolicy policy() {
        return policy;
    }

    /** Whether failed logins and failed connections are of interest (a detector is enabled). */
    public boolean observes() {
        return sshFailures != null || addrScan != null;
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
