package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant-defined notices ({@code notice.yaml} {@code notices:}) through the engine, with reloads mid-run. */
class CustomNoticeReloadTest {

    @TempDir
    Path tmp;

    private static final String V1 = """
            notices:
              - note: Acme::Attack_Request
                log: http
                when: 'uri.startsWith("/attack")'
                msg: '"request for " + uri'
                identifier: 'uri'
            """;

    private static final String V2 = """
            notices:
              - note: Acme::Benign_Request
                log: http
                when: 'uri.startsWith("/benign")'
                msg: '"request for " + uri'
                sub: 'host'
                identifier: 'uri'
            """;

    private RunSummary run(Path pcap, Path policy, int workers, Runnable atConnection150) throws Exception {
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        if (atConnection150 != null) {
            Containment.policyDecorator = (tenant, p) -> {
                if (tenant.equals("a") && seen.incrementAndGet() == 150) {
                    atConnection150.run();
                }
                return p;
            };
        }
        try {
            EngineConfig cfg = EngineConfig.of(List.of(pcap), tmp.resolve("logs")).withTenants(tenants)
                    .withIgnoreChecksums(true).withWorkers(workers)
                    .withPolicy(new PolicyConfig(policy, List.of(), List.of()).withReload(atConnection150 != null));
            return Engine.run(cfg, new io.picket.log.writer.FileLogSink(tmp.resolve("logs")), ProgressListener.NONE);
        } finally {
            Containment.policyDecorator = null;
        }
    }

    private List<Integer> requests(String note) throws Exception {
        return PolicyTraffic.rows(tmp.resolve("logs"), "a", "notice.log").stream()
                .filter(l -> l.contains("\t" + note + "\t"))
                .map(l -> Integer.parseInt(l.replaceAll(".*\trequest for /[a-z]+/([0-9]+)\t.*", "$1"))).sorted()
                .toList();
    }

    @Test
    void shouldRaiseTheReloadedNoticesForRecordsWrittenAfterTheSwapWhenNoticeYamlChanges() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 300, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Files.writeString(policy.resolve("a/notice.yaml"), V1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RunSummary s = run(pcap, policy, 1, () -> {
            try {
                Files.writeString(policy.resolve("a/notice.yaml"), V2);
                TenantPolicies running = TenantPolicies.RUNNING.iterator().next();
                awaitTrue(() -> running.reloads(0) == 1);
            } catch (Exception | AssertionError e) {
                failure.set(e);
            }
        });

        assertThat(failure.get()).isNull();
        assertThat(s.tenants().get(0).policyReloads).isEqualTo(1);
        // connection i requests /benign/i when i % 3 == 0, else /attack/i
        // a record is tested when written: the http.log row of connection 149 may follow the swap
        List<Integer> attacks = java.util.stream.IntStream.range(0, 150).filter(i -> i % 3 != 0).boxed().toList();
        assertThat(requests("Acme::Attack_Request")).isSubsetOf(attacks)
                .containsAll(attacks.subList(0, attacks.size() - 1));
        assertThat(requests("Acme::Benign_Request"))
                .isEqualTo(java.util.stream.IntStream.range(150, 300).filter(i -> i % 3 == 0).boxed().toList());
        assertThat(PolicyTraffic.rows(tmp.resolve("logs"), "a", "notice.log"))
                .filteredOn(l -> l.contains("Acme::Benign_Request")).allMatch(l -> l.contains("\tevil-"));
        assertThat(Files.exists(tmp.resolve("logs/b/notice.log"))).isFalse();
    }

    @Test
    void shouldApplyAReloadedThresholdAndIgnoreListWhenTheRunGoesOn() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 300, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        // one notice per host (5 hosts) for the whole run, then the notice is ignored
        String perHost = V1.replace("identifier: 'uri'", "identifier: 'host'");
        Files.writeString(policy.resolve("a/notice.yaml"), perHost);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RunSummary s = run(pcap, policy, 1, () -> {
            try {
                Files.writeString(policy.resolve("a/notice.yaml"), perHost
                        + "ignored_types: [Acme::Attack_Request]\n");
                TenantPolicies running = TenantPolicies.RUNNING.iterator().next();
                awaitTrue(() -> running.reloads(0) == 1);
            } catch (Exception | AssertionError e) {
                failure.set(e);
            }
        });
        assertThat(failure.get()).isNull();
        assertThat(s.tenants().get(0).policyReloads).isEqualTo(1);
        // the first attack request of each host: i = 1, 2, 3, 4, 5 (host evil-(i % 5))
        assertThat(requests("Acme::Attack_Request")).containsExactly(1, 2, 4, 5, 8);
    }

    @Test
    void shouldRaiseTheSameNoticesWhenRunWithOneOrTwoWorkers() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 200, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Files.writeString(policy.resolve("a/notice.yaml"), V1.replace("identifier: 'uri'", "identifier: 'host'")
                + "    suppress_for: 2sec\n");
        run(pcap, policy, 1, null);
        List<String> one = PolicyTraffic.rows(tmp.resolve("logs"), "a", "notice.log").stream()
                .map(l -> l.replaceAll("\tC[A-Za-z0-9]+\t", "\tuid\t")).sorted().toList();
        deleteTree(tmp.resolve("logs"));
        run(pcap, policy, 2, null);
        List<String> two = PolicyTraffic.rows(tmp.resolve("logs"), "a", "notice.log").stream()
                .map(l -> l.replaceAll("\tC[A-Za-z0-9]+\t", "\tuid\t")).sorted().toList();
        assertThat(one).hasSizeGreaterThan(5).isEqualTo(two);
    }

    @Test
    void shouldCountEvaluationErrorsPerTenantAndKeepTheRecordsWhenAnExpressionFails() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 30, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Files.writeString(policy.resolve("a/notice.yaml"), V1.replace("'uri.startsWith(\"/attack\")'",
                "'int(host) > 0'"));
        RunSummary s = run(pcap, policy, 1, null);
        assertThat(s.tenants().get(0).noticeErrors).isEqualTo(30);
        assertThat(s.tenants().get(1).noticeErrors).isZero();
        assertThat(PolicyTraffic.rows(tmp.resolve("logs"), "a", "http.log")).hasSize(30);
        assertThat(PolicyTraffic.rows(tmp.resolve("logs"), "a", "notice.log")).noneMatch(l -> l.contains("Acme::"));
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
