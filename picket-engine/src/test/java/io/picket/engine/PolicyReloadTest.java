package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.AnalyzerRegistry;
import io.picket.policy.bundle.PolicyBundle;
import io.picket.tenant.TenantsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloadTest {

    @TempDir
    Path tmp;

    private final List<String> messages = new CopyOnWriteArrayList<>();

    private TenantPolicies load(Path policy) throws Exception {
        TenantPolicies p = TenantPolicies.load(new PolicyConfig(policy, List.of(), List.of()),
                TenantsConfig.parse(PolicyTraffic.TENANTS, "tenants.yaml"));
        p.report(messages::add);
        return p;
    }

    @Test
    void shouldSwapBundleForNewConnectionsWhenReloadedBundleIsValid() throws Exception {
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        TenantPolicies p = load(policy);
        PolicyBundle before = p.of(0);
        Files.writeString(policy.resolve("a/signatures/more.sig"),
                "signature other { payload /x/\n event \"x\" }\n");

        PolicyReload r = p.reload(0);

        assertThat(r.swapped()).isTrue();
        assertThat(p.of(0)).isNotSameAs(before);
        assertThat(p.of(0).signatures().size()).isEqualTo(2);
        assertThat(p.reloads(0)).isEqualTo(1);
        assertThat(p.of(1)).isNull();
        assertThat(messages).anyMatch(m -> m.contains("tenant a: swapped in (2 signatures, 1 intel entries)"));
    }

    @Test
    void shouldKeepRunningBundleAndListEveryErrorOnceWhenReloadedBundleIsInvalid() throws Exception {
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        TenantPolicies p = load(policy);
        PolicyBundle before = p.of(0);
        Files.writeString(policy.resolve("a/signatures/attack.sig"), "signature broken {\n  payload /x/\n  eval f\n}\n");
        Files.writeString(policy.resolve("a/intel/evil.dat"), "#fields\tindicator\n1.2.3.4\n");

        PolicyReload first = p.reload(0);
        PolicyReload again = p.reload(0);

        assertThat(first.swapped()).isFalse();
        assertThat(first.errors()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(first.errors()).anyMatch(e -> e.startsWith("signatures/attack.sig:3:"));
        assertThat(first.errors()).anyMatch(e -> e.startsWith("intel/evil.dat:"));
        assertThat(again.errors()).isEqualTo(first.errors());
        assertThat(p.of(0)).isSameAs(before);
        assertThat(p.rejected(0)).isEqualTo(2);
        assertThat(p.reloads(0)).isZero();
        for (String e : first.errors()) {
            assertThat(messages).filteredOn(m -> m.equals("  " + e)).hasSize(1);
        }
        assertThat(messages).anyMatch(m -> m.contains("rejected again"));
    }

    @Test
    void shouldReloadOnlyTheChangedTenantWhenWatcherSeesAnEdit() throws Exception {
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(policy, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        TenantPolicies p = load(policy);
        p.start(AnalyzerRegistry.of(List.of()));
        try (PolicyWatcher w = PolicyWatcher.start(policy, p, 50, 200)) {
            // a new file in a new sub-folder: the whole tenant folder is watched, recursively
            Files.createDirectories(policy.resolve("a/extra"));
            Files.writeString(policy.resolve("a/extra/notes.txt"), "v1");
            Files.writeString(policy.resolve("a/signatures/attack.sig"), PolicyTraffic.SIGNATURES + "# v2\n");
            awaitTrue(() -> p.reloads(0) >= 1);
            long settled = p.reloads(0);
            Files.writeString(policy.resolve("a/extra/notes.txt"), "v2 longer");
            awaitTrue(() -> p.reloads(0) > settled);
            assertThat(p.reloads(1)).isZero();
            assertThat(p.rejected(0)).isZero();
        } finally {
            p.stop();
        }
    }

    @Test
    void shouldReloadWhenAMountedVolumeSwapsItsDataLink() throws Exception {
        // the layout of a Kubernetes ConfigMap volume: policy/a -> ..data/a, ..data -> ..v1
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy.resolve("..v1"), "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Files.createSymbolicLink(policy.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(policy.resolve("a"), Path.of("..data/a"));
        TenantPolicies p = load(policy);
        assertThat(p.of(0).signatures().size()).isEqualTo(1);
        p.start(AnalyzerRegistry.of(List.of()));
        // polling every 60 s: only the event on the link can trigger the reload in time
        try (PolicyWatcher w = PolicyWatcher.start(policy, p, 50, 60_000)) {
            PolicyTraffic.bundle(policy.resolve("..v2"), "a",
                    PolicyTraffic.SIGNATURES + "signature other { payload /x/\n event \"x\" }\n", PolicyTraffic.INTEL);
            Files.createSymbolicLink(policy.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(policy.resolve("..data_tmp"), policy.resolve("..data"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            awaitTrue(() -> p.reloads(0) == 1);
            assertThat(p.of(0).signatures().size()).isEqualTo(2);
        } finally {
            p.stop();
        }
    }

    @Test
    void shouldPickUpChangesByPollingWhenNoEventArrives() throws Exception {
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        String before = PolicyWatcher.fingerprint(policy.resolve("b"));
        Files.writeString(policy.resolve("b/intel/evil.dat"), PolicyTraffic.INTEL + "evil-2.example\tIntel::DOMAIN\tt\n");

        assertThat(PolicyWatcher.fingerprint(policy.resolve("b"))).isNotEqualTo(before);
        assertThat(PolicyWatcher.fingerprint(policy.resolve("missing"))).isEmpty();
    }

    @Test
    void shouldUseTheNewBundleForConnectionsStartedAfterTheFileChangedWhenRunning() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 300, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        String v2 = PolicyTraffic.SIGNATURES + "signature benign-uri {\n  payload /.*GET \\/benign/\n  event \"b\"\n}\n";
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        // at a's 150th connection the file changes; the shard waits until the watcher swapped
        Containment.policyDecorator = (tenant, p) -> {
            if (tenant.equals("a") && seen.incrementAndGet() == 150) {
                try {
                    Files.writeString(policy.resolve("a/signatures/attack.sig"), v2);
                    TenantPolicies running = TenantPolicies.RUNNING.iterator().next();
                    awaitTrue(() -> running.reloads(0) == 1);
                } catch (Exception | AssertionError e) {
                    failure.set(e);
                }
            }
            return p;
        };
        RunSummary s;
        try {
            EngineConfig cfg = EngineConfig.of(List.of(pcap), tmp.resolve("logs")).withTenants(tenants)
                    .withIgnoreChecksums(true).withWorkers(1)
                    .withPolicy(new PolicyConfig(policy, List.of(), List.of()).withReload(true));
            s = Engine.run(cfg, new io.picket.log.writer.FileLogSink(tmp.resolve("logs")), ProgressListener.NONE);
        } finally {
            Containment.policyDecorator = null;
        }

        assertThat(failure.get()).isNull();
        assertThat(s.tenants().get(0).policyReloads).isEqualTo(1);
        assertThat(TenantPolicies.RUNNING).isEmpty();
        // connection i carries request /benign/i (i % 3 == 0); a's connections start in index order
        List<Integer> benign = PolicyTraffic.rows(tmp.resolve("logs"), "a", "signatures.log").stream()
                .filter(l -> l.contains("\tbenign-uri\t"))
                .map(l -> Integer.parseInt(l.replaceAll(".*GET /benign/([0-9]+) .*", "$1"))).sorted().toList();
        assertThat(benign).isNotEmpty().allMatch(i -> i >= 150);
        assertThat(benign).hasSize((int) java.util.stream.IntStream.range(150, 300).filter(i -> i % 3 == 0).count());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
