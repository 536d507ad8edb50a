package io.picket.engine;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.tenant.TenantsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled policy bundle of every tenant (index = tenant index; null = no policy). All
 * bundles are validated before the run starts; any error stops it with every problem listed.
 * Immutable and shared by the shards.
 */
final class TenantPolicies {
    private final PolicyBundle[] bundles;
    private final NoticeHub notices;

    private TenantPolicies(PolicyBundle[] bundles) {
        this.bundles = bundles;
        this.notices = new NoticeHub(bundles);
    }

    /** The notice state of the run's tenants (tenants with a bundle only). */
    NoticeHub notices() {
        return notices;
    }

    PolicyBundle of(int tenant) {
        return bundles[tenant];
    }

    static TenantPolicies load(PolicyConfig cfg, TenantsConfig tenants) throws PolicyException, IOException {
        return load(cfg, tenants, java.util.Map.of());
    }

    /** As {@link #load(PolicyConfig, TenantsConfig)}, checking log filters against {@code schemas}. */
    static TenantPolicies load(PolicyConfig cfg, TenantsConfig tenants,
            java.util.Map<String, io.picket.log.LogSchema> schemas) throws PolicyException, IOException {
        PolicyBundle[] out = new PolicyBundle[tenants.size()];
        if (cfg.isEmpty()) {
            return new TenantPolicies(out);
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
                if (cfg.policyDir() != null && Files.isDirectory(cfg.policyDir().resolve(id))) {
                    PolicyBundle dir = PolicyBundle.load(cfg.policyDir().resolve(id), Limits.DEFAULT, knownAnalyzers(),
                            schemas);
                    out[t] = sigs.isEmpty() && intel.isEmpty() ? dir : merged(id, cfg.policyDir().resolve(id), sigs, intel)
                            .withFilters(dir.filters());
                } else if (!sigs.isEmpty() || !intel.isEmpty()) {
                    out[t] = PolicyBundle.of(id, sigs, intel, Limits.DEFAULT);
                }
            } catch (PolicyException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new TenantPolicies(out);
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

    private static PolicyBundle merged(String id, Path dir, List<SourceFile> sigs, List<SourceFile> intel)
            throws PolicyException, IOException {
        List<SourceFile> allSigs = new ArrayList<>(sigs);
        List<SourceFile> allIntel = new ArrayList<>(intel);
        allSigs.addAll(readAll(dir.resolve("signatures"), ".sig"));
        allIntel.addAll(readAll(dir.resolve("intel"), ".dat"));
        Path steering = dir.resolve(io.picket.policy.steering.Steering.FILE_NAME);
        SourceFile steeringFile = Files.isRegularFile(steering)
                ? new SourceFile(steering.toString(), Files.readString(steering)) : null;
        return PolicyBundle.of(id, allSigs, allIntel, steeringFile, Limits.DEFAULT, knownAnalyzers())
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
