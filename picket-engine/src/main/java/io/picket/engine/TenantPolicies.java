package io.picket.engine;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.policy.bundle.PolicyBundleSlot;
import io.picket.tenant.TenantsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The compiled policy bundle of every tenant (index = tenant index; null = no policy), each in a
 * {@link PolicyBundleSlot}. All bundles are validated before the run starts; any error stops it
 * with every problem listed. During the run {@link #reload(int)} rebuilds one tenant's bundle
 * off the packet path (watcher or API thread) and swaps it in only when the whole bundle is
 * valid; shard threads read the slot when a connection starts. Thread-safe.
 */
final class TenantPolicies {
    private final PolicyBundleSlot[] slots;
    private final NoticeHub notices;
    private PolicyConfig cfg = PolicyConfig.NONE;
    private String[] ids = new String[0];
    /** Each tenant's policy limits from tenants.yaml (by index). */
    private Limits[] limits = new Limits[0];
    /** The schemas of the logs the run writes, for checking log filters on reload. */
    private java.util.Map<String, io.picket.log.LogSchema> schemas = java.util.Map.of();
    private final AtomicLongArray reloads;
    private final AtomicLongArray rejected;
    private final List<List<String>> lastErrors;
    private volatile Consumer<String> report = System.err::println;
    private volatile Containment containment;

    private TenantPolicies(PolicyBundle[] bundles) {
        this.slots = new PolicyBundleSlot[bundles.length];
        for (int t = 0; t < bundles.length; t++) {
            slots[t] = new PolicyBundleSlot(bundles[t]);
        }
        this.notices = new NoticeHub(bundles);
        this.reloads = new AtomicLongArray(bundles.length);
        this.rejected = new AtomicLongArray(bundles.length);
        this.lastErrors = new ArrayList<>();
        for (int t = 0; t < bundles.length; t++) {
            lastErrors.add(List.of());
        }
    }

    /** The notice state of the run's tenants (tenants with a bundle at the start only). */
    NoticeHub notices() {
        return notices;
    }

    /** The bundle new connections of {@code tenant} use (null = none). */
    PolicyBundle of(int tenant) {
        return slots[tenant].current();
    }

    static TenantPolicies load(PolicyConfig cfg, TenantsConfig tenants) throws PolicyException, IOException {
        return load(cfg, tenants, java.util.Map.of());
    }

    /** As {@link #load(PolicyConfig, TenantsConfig)}, checking log filters against {@code schemas}. */
    static TenantPolicies load(PolicyConfig cfg, TenantsConfig tenants,
            java.util.Map<String, io.picket.log.LogSchema> schemas) throws PolicyException, IOException {
        PolicyBundle[] out = new PolicyBundle[tenants.size()];
        String[] ids = new String[out.length];
        Limits[] limits = new Limits[out.length];
        for (int t = 0; t < out.length; t++) {
            ids[t] = tenants.tenant(t).id();
            limits[t] = tenants.tenant(t).limits().policy();
        }
        if (cfg.isEmpty()) {
            return new TenantPolicies(out).keep(cfg, ids, limits, schemas);
        }
        List<SourceFile> sigs = new ArrayList<>();
        for (Path p : cfg.signatureFiles()) {
            sigs.add(SourceFile.read(p, p.toString()));
        }
        List<SourceFile> intel = new ArrayList<>();
        for (Path p : cfg.intelFiles()) {
            intel.add(SourceFile.read(p, p.toString()));
        }
        List<PolicyError> errors = new ArrayList<>();
        for (int t = 0; t < out.length; t++) {
            String id = tenants.tenant(t).id();
            try {
                out[t] = loadTenant(cfg, id, limits[t], sigs, intel, schemas);
            } catch (PolicyException e) {
                for (PolicyError err : e.errors()) {
                    errors.add(inTenantFolder(cfg, id, err));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new TenantPolicies(out).keep(cfg, ids, limits, schemas);
    }

    /**
     * An error of a file of the tenant's folder named from the policy folder ({@code a/signatures/x.sig}),
     * so that errors of several tenants at start-up say whose they are; run-wide files keep their names.
     */
    private static PolicyError inTenantFolder(PolicyConfig cfg, String id, PolicyError e) {
        if (cfg.policyDir() == null || e.file() == null || Path.of(e.file()).isAbsolute()
                || !Files.exists(cfg.policyDir().resolve(id).resolve(e.file()))) {
            return e;
        }
        return new PolicyError(id + "/" + e.file(), e.line(), e.column(), e.message());
    }

    /** One tenant's bundle from its folder and the run-wide files, or null when it has none. */
    private static PolicyBundle loadTenant(PolicyConfig cfg, String id, Limits limits, List<SourceFile> sigs,
            List<SourceFile> intel, java.util.Map<String, io.picket.log.LogSchema> schemas)
            throws PolicyException, IOException {
        if (cfg.policyDir() != null && Files.isDirectory(cfg.policyDir().resolve(id))) {
            PolicyBundle dir = PolicyBundle.load(cfg.policyDir().resolve(id), limits, knownAnalyzers(), schemas);
            return sigs.isEmpty() && intel.isEmpty() ? dir
                    : merged(id, cfg.policyDir().resolve(id), limits, sigs, intel).withFilters(dir.filters())
                            .withNotices(dir.notices());
        } else if (!sigs.isEmpty() || !intel.isEmpty()) {
            return PolicyBundle.of(id, sigs, intel, limits);
        }
        return null;
    }

    private TenantPolicies keep(PolicyConfig c, String[] tenantIds, Limits[] tenantLimits,
            java.util.Map<String, io.picket.log.LogSchema> logSchemas) {
        this.cfg = c;
        this.ids = tenantIds;
        this.limits = tenantLimits;
        this.schemas = logSchemas;
        return this;
    }

    /** The policies of the runs in progress in this JVM (for {@link Engine#reloadPolicies()}). */
    static final java.util.Set<TenantPolicies> RUNNING = new java.util.concurrent.CopyOnWriteArraySet<>();

    private PolicyWatcher watcher;

    /**
     * The run starts: failure containment is set up for the registry's analyzers, the policy
     * folder is watched when the configuration asks for it, and {@link Engine#reloadPolicies()}
     * reaches this run. Called on the run's thread before the shards start.
     */
    TenantPolicies start(io.picket.analyzer.AnalyzerRegistry registry) {
        List<String> names = new ArrayList<>();
        for (var p : registry.providers()) {
            names.add(p.name());
        }
        containment(new Containment(ids, names, report));
        if (cfg.reload() && cfg.policyDir() != null) {
            watcher = PolicyWatcher.start(cfg.policyDir(), this);
        }
        RUNNING.add(this);
        return this;
    }

    /** The run ended: no more reloads. */
    void stop() {
        RUNNING.remove(this);
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Copies reload and containment counters of {@code tenant} into {@code stats} (after the run). */
    void addTo(int tenant, TenantStats stats) {
        stats.policyReloads += reloads(tenant);
        stats.policyReloadsRejected += rejected(tenant);
        stats.noticeErrors += notices.customErrors(tenant);
        io.picket.policy.bundle.PolicyBundle b = slots[tenant].current();
        if (b != null && b.signatures() != null) {
            stats.signatureDfaStates = b.signatures().cachedDfaStates();
            stats.signatureDfaRefusals = b.signatures().dfaCacheRefusals();
            stats.signatureDfaSpills = b.signatures().dfaSpills();
        }
        if (containment != null) {
            containment.addTo(tenant, stats);
        }
    }

    /** The run's policy configuration. */
    PolicyConfig config() {
        return cfg;
    }

    /** Tenant ids by index. */
    String[] tenantIds() {
        return ids.clone();
    }

    /** The tenant index of {@code id}, or -1. */
    int indexOf(String id) {
        for (int t = 0; t < ids.length; t++) {
            if (ids[t].equals(id)) {
                return t;
            }
        }
        return -1;
    }

    /** Where reload and quarantine messages go (default standard error). */
    void report(Consumer<String> to) {
        this.report = to;
    }

    Consumer<String> report() {
        return report;
    }

    /** The run's failure containment (created with the analyzer registry, before the shards). */
    Containment containment() {
        return containment;
    }

    void containment(Containment c) {
        this.containment = c;
    }

    long reloads(int tenant) {
        return reloads.get(tenant);
    }

    long rejected(int tenant) {
        return rejected.get(tenant);
    }

    /**
     * Rebuilds {@code tenant}'s bundle from its folder (and the run-wide files) on the calling
     * thread, never a shard thread. A valid bundle is swapped in for new connections; an invalid
     * one leaves the running bundle in place, its errors printed (once for a repeated set) and
     * counted. One reload at a time.
     */
    synchronized PolicyReload reload(int tenant) {
        String id = ids[tenant];
        long start = System.nanoTime();
        PolicyBundle next;
        try {
            List<SourceFile> sigs = new ArrayList<>();
            for (Path p : cfg.signatureFiles()) {
                sigs.add(SourceFile.read(p, p.toString()));
            }
            List<SourceFile> intel = new ArrayList<>();
            for (Path p : cfg.intelFiles()) {
                intel.add(SourceFile.read(p, p.toString()));
            }
            next = loadTenant(cfg, id, limits[tenant], sigs, intel, schemas);
        } catch (PolicyException e) {
            return rejected(tenant, e.errors().stream().map(PolicyError::toString).toList(), start);
        } catch (IOException | RuntimeException e) {
            return rejected(tenant, List.of(id + ": cannot load: " + e), start);
        }
        slots[tenant].swap(next == null ? PolicyBundle.empty() : next);
        notices.policy(tenant, next == null ? null : next.notices());
        reloads.incrementAndGet(tenant);
        lastErrors.set(tenant, List.of());
        Containment c = containment;
        if (c != null) {
            c.policyReloaded(tenant);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        report.accept(String.format(java.util.Locale.ROOT,
                "policy reload: tenant %s: swapped in (%d signatures, %d intel entries) in %.0f ms", id,
                next == null ? 0 : next.signatures().size(), next == null ? 0 : next.intel().entries(),
                secs * 1e3));
        return new PolicyReload(id, true, List.of(), secs);
    }

    private PolicyReload rejected(int tenant, List<String> errors, long start) {
        String id = ids[tenant];
        rejected.incrementAndGet(tenant);
        if (errors.equals(lastErrors.get(tenant))) {
            report.accept("policy reload: tenant " + id + ": rejected again (same " + errors.size()
                    + " error(s)); the running bundle stays");
        } else {
            lastErrors.set(tenant, errors);
            report.accept("policy reload: tenant " + id + ": rejected with " + errors.size()
                    + " error(s); the running bundle stays:");
            for (String e : errors) {
                report.accept("  " + e);
            }
        }
        return new PolicyReload(id, false, errors, (System.nanoTime() - start) / 1e9);
    }

    /** Analyzer names a steering profile may use: the analyzers on the class path and {@code teredo}. */
    private static java.util.Set<String> knownAnalyzers() {
        java.util.Set<String> known = new java.util.TreeSet<>();
        for (String a : io.picket.analyzer.AnalyzerRegistry.available()) {
            known.add(a.toLowerCase(java.util.Locale.ROOT));
        }
        known.add("teredo");
        return known;
    }

    private static PolicyBundle merged(String id, Path dir, Limits limits, List<SourceFile> sigs,
            List<SourceFile> intel) throws PolicyException, IOException {
        List<SourceFile> allSigs = new ArrayList<>(sigs);
        List<SourceFile> allIntel = new ArrayList<>(intel);
        allSigs.addAll(readAll(dir.resolve("signatures"), ".sig"));
        allIntel.addAll(readAll(dir.resolve("intel"), ".dat"));
        Path steering = dir.resolve(io.picket.policy.steering.Steering.FILE_NAME);
        SourceFile steeringFile = Files.isRegularFile(steering)
                ? new SourceFile(steering.toString(), Files.readString(steering)) : null;
        return PolicyBundle.of(id, allSigs, allIntel, steeringFile, limits, knownAnalyzers())
                .withNotices(PolicyBundle.noticePolicy(dir));
    }

    private static List<SourceFile> readAll(Path dir, String suffix) throws IOException {
        List<SourceFile> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                for (Path p : s.filter(f -> f.toString().endsWith(suffix)).sorted().toList()) {
                    out.add(SourceFile.read(p, p.toString()));
                }
            }
        }
        return out;
    }
}
