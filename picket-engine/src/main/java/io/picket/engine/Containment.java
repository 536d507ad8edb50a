package io.picket.engine;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Failure containment per tenant and component: component {@link #POLICY} is the tenant's policy
 * (its {@code PolicyRunner} with signature matcher and intel), component {@code 1 + i} the
 * analyzer provider {@code i} of the run's registry. An exception thrown by a component removes it
 * from the connection it happened on (the connection and its conn.log row carry on), is counted,
 * and quarantines the component for that tenant: new connections of the tenant run without it for
 * a backoff in network time ({@link #FIRST_BACKOFF} s, doubling with each further quarantine up to
 * {@link #MAX_BACKOFF} s; a successful policy reload resets the policy's backoff). The first new
 * connection after the backoff restarts it. Other tenants are never affected. Thread-safe: shard
 * threads report failures and ask {@link #admits}, one volatile read per check.
 */
public final class Containment {
    /** First quarantine, seconds of network time. */
    public static final double FIRST_BACKOFF = 30;
    /** Longest quarantine, seconds of network time. */
    public static final double MAX_BACKOFF = 960;
    /** Component index of the tenant policy. */
    static final int POLICY = 0;

    /**
     * Test hook: when set, wraps every new connection's policy, given the tenant id (to inject
     * faults in tests). Null in production.
     */
    static volatile java.util.function.BiFunction<String, io.picket.analyzer.ConnectionPolicy,
            io.picket.analyzer.ConnectionPolicy> policyDecorator;

    private final String[] tenants;
    private final String[] components;
    private final int nc;
    /** Raw bits of the quarantine end (network time); 0 when the component runs. */
    private final AtomicLongArray until;
    private final AtomicLongArray failures;
    private final AtomicLongArray quarantines;
    private final AtomicLongArray restarts;
    private final int[] level;
    private final Consumer<String> report;

    /**
     * @param tenants tenant ids by index
     * @param analyzers analyzer names by provider index
     * @param report where quarantine and restart messages go
     */
    Containment(String[] tenants, List<String> analyzers, Consumer<String> report) {
        this.tenants = tenants.clone();
        this.nc = 1 + analyzers.size();
        this.components = new String[nc];
        components[POLICY] = "policy";
        for (int i = 0; i < analyzers.size(); i++) {
            components[1 + i] = "analyzer " + analyzers.get(i);
        }
        int n = tenants.length * nc;
        this.until = new AtomicLongArray(n);
        this.failures = new AtomicLongArray(n);
        this.quarantines = new AtomicLongArray(n);
        this.restarts = new AtomicLongArray(n);
        this.level = new int[n];
        this.report = report;
    }

    /**
     * Whether {@code component} may start on a new connection of {@code tenant} at network time
     * {@code now}; the first call after the quarantine ends counts the restart.
     */
    boolean admits(int tenant, int component, double now) {
        int i = tenant * nc + component;
        long u = until.get(i);
        if (u == 0) {
            return true;
        }
        if (now < Double.longBitsToDouble(u)) {
            return false;
        }
        if (until.compareAndSet(i, u, 0)) {
            restarts.incrementAndGet(i);
            report.accept("containment: tenant " + tenants[tenant] + ": " + components[component] + " restarted");
        }
        return true;
    }

    /** {@code component} of {@code tenant} threw at network time {@code now}: counted and quarantined. */
    void failed(int tenant, int component, double now, RuntimeException e) {
        int i = tenant * nc + component;
        failures.incrementAndGet(i);
        double backoff;
        synchronized (this) {
            if (until.get(i) != 0) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF, FIRST_BACKOFF * (1L << Math.min(level[i], 20)));
            level[i]++;
            until.set(i, Double.doubleToRawLongBits(now + backoff));
            quarantines.incrementAndGet(i);
        }
        report.accept(String.format(Locale.ROOT,
                "containment: tenant %s: %s failed (%s); quarantined for %.0f s of network time", tenants[tenant],
                components[component], e, backoff));
    }

    /** A new policy bundle of {@code tenant} was swapped in: its next quarantine starts short again. */
    synchronized void policyReloaded(int tenant) {
        level[tenant * nc + POLICY] = 0;
    }

    /** Whether {@code component} of {@code tenant} is quarantined now. */
    boolean quarantined(int tenant, int component) {
        return until.get(tenant * nc + component) != 0;
    }

    int components() {
        return nc;
    }

    /** The component's name: {@code policy} or {@code analyzer <name>}. */
    String component(int component) {
        return components[component];
    }

    long failures(int tenant, int component) {
        return failures.get(tenant * nc + component);
    }

    long quarantines(int tenant, int component) {
        return quarantines.get(tenant * nc + component);
    }

    long restarts(int tenant, int component) {
        return restarts.get(tenant * nc + component);
    }

    /** Copies the tenant's counters into {@code stats} (after the run). */
    void addTo(int tenant, TenantStats stats) {
        for (int c = 0; c < nc; c++) {
            long f = failures(tenant, c);
            if (f > 0) {
                stats.componentFailures.merge(components[c], f, Long::sum);
            }
            if (c == POLICY) {
                stats.policyFailures += f;
            }
            stats.quarantines += quarantines(tenant, c);
            stats.restarts += restarts(tenant, c);
        }
    }
}
