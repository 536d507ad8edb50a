package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.ConnectionPolicy;
import io.picket.analyzer.spi.HttpContentObserver;
import io.picket.log.writer.FileLogSink;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainmentTest {

    @TempDir
    Path tmp;

    @AfterEach
    void disarm() {
        FaultyAnalyzerProvider.armedFor = null;
        Containment.policyDecorator = null;
    }

    private RunSummary run(Path pcap, Path policy, Path logs) throws Exception {
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        EngineConfig cfg = EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withUidSeed(7L).withWorkers(1).withPolicy(new PolicyConfig(policy, List.of(), List.of()));
        return Engine.run(cfg, new FileLogSink(logs), ProgressListener.NONE);
    }

    private static TenantStats stats(RunSummary s, String tenant) {
        return s.tenants().stream().filter(t -> t.tenant.equals(tenant)).findFirst().orElseThrow();
    }

    @Test
    void shouldQuarantineOnlyTenantAWhenItsAnalyzerAndPolicyThrow() throws Exception {
        // 1500 connections per tenant, one every 50 ms: 75 s of network time
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 1500, 0.05);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(policy, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Path clean = tmp.resolve("clean");
        RunSummary base = run(pcap, policy, clean);

        FaultyAnalyzerProvider.armedFor = "10.10.";
        Containment.policyDecorator = (tenant, p) -> tenant.equals("a") ? new Throwing(p) : p;
        Path faulty = tmp.resolve("faulty");
        RunSummary s = run(pcap, policy, faulty);

        TenantStats a = stats(s, "a");
        TenantStats b = stats(s, "b");
        // first failure at the start: 30 s quarantine, restart, fails again: 60 s (beyond the end)
        assertThat(a.componentFailures).containsOnlyKeys("policy", "analyzer faulty");
        assertThat(a.policyFailures).isPositive();
        assertThat(a.analyzerFailures).isPositive();
        assertThat(a.quarantines).isEqualTo(4);
        assertThat(a.restarts).isEqualTo(2);
        assertThat(b.analyzerFailures + b.policyFailures + b.quarantines + b.restarts).isZero();
        assertThat(b.componentFailures).isEmpty();
        // B untouched: every log of B equals the run without faults
        assertThat(PolicyTraffic.records(faulty, "b")).isEqualTo(PolicyTraffic.records(clean, "b"))
                .anyMatch(l -> l.startsWith("signatures.log")).anyMatch(l -> l.startsWith("intel.log"));
        // nothing of A already accepted is lost: every connection still has its conn.log row
        assertThat(PolicyTraffic.rows(faulty, "a", "conn.log")).hasSize(1500)
                .isEqualTo(PolicyTraffic.rows(clean, "a", "conn.log"));
        assertThat(PolicyTraffic.rows(faulty, "a", "http.log")).isEqualTo(PolicyTraffic.rows(clean, "a", "http.log"));
        // A's policy ran only outside its quarantines: fewer signature matches
        assertThat(PolicyTraffic.rows(faulty, "a", "signatures.log").size())
                .isLessThan(PolicyTraffic.rows(clean, "a", "signatures.log").size());
        assertThat(stats(base, "a").policyBytes).isPositive();
        assertThat(a.policyBytes).isLessThan(stats(base, "a").policyBytes);
        assertThat(b.policyBytes).isEqualTo(stats(base, "b").policyBytes);
    }

    @Test
    void shouldKeepSignatureSummaryStatePerTenantWhenTenantsShareAddresses() throws Exception {
        // the same client scans the same 20 servers in both tenants
        Path pcap = PolicyTraffic.write(tmp.resolve("scan.pcap"), 60, 0.05, true);
        Path onlyB = tmp.resolve("policy-b");
        PolicyTraffic.bundle(onlyB, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Path both = tmp.resolve("policy-ab");
        PolicyTraffic.bundle(both, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(both, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);

        run(pcap, onlyB, tmp.resolve("b-alone"));
        run(pcap, both, tmp.resolve("a-and-b"));

        List<String> alone = PolicyTraffic.rows(tmp.resolve("b-alone"), "b", "signatures.log");
        assertThat(alone).anyMatch(l -> l.contains("Signatures::Multiple_Sig_Responders"));
        assertThat(PolicyTraffic.rows(tmp.resolve("a-and-b"), "b", "signatures.log")).isEqualTo(alone);
        assertThat(PolicyTraffic.rows(tmp.resolve("a-and-b"), "a", "signatures.log")).hasSameSizeAs(alone);
    }

    @Test
    void shouldDoubleBackoffUpToTheCapAndRestartWhenQuarantineEnds() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Containment c = new Containment(new String[] {"a", "b"}, List.of("http"), msgs::add);
        c.failed(0, 1, 100, new IllegalStateException("x"));

        assertThat(c.admits(0, 1, 129.9)).isFalse();
        assertThat(c.admits(1, 1, 110)).isTrue();
        assertThat(c.admits(0, Containment.POLICY, 110)).isTrue();
        assertThat(c.admits(0, 1, 130)).isTrue();
        assertThat(c.restarts(0, 1)).isEqualTo(1);
        double now = 130;
        double[] backoffs = new double[8];
        for (int i = 0; i < 8; i++) {
            c.failed(0, 1, now, new IllegalStateException("again"));
            double t = now;
            while (!c.admits(0, 1, t)) {
                t += 1;
            }
            backoffs[i] = t - now;
            now = t;
        }
        assertThat(backoffs).containsExactly(60, 120, 240, 480, 960, 960, 960, 960);
        assertThat(c.quarantines(0, 1)).isEqualTo(9);
        assertThat(c.failures(1, 1)).isZero();
        assertThat(msgs).anyMatch(m -> m.equals("containment: tenant a: analyzer http failed "
                + "(java.lang.IllegalStateException: x); quarantined for 30 s of network time"));
    }

    /** A policy that throws on payload; everything else passes through. */
    private static final class Throwing implements ConnectionPolicy {
        private final ConnectionPolicy p;

        Throwing(ConnectionPolicy p) {
            this.p = p;
        }

        @Override
        public boolean wantsPayload() {
            return p.wantsPayload();
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            throw new IllegalStateException("injected policy fault");
        }

        @Override
        public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
            throw new IllegalStateException("injected policy fault");
        }

        @Override
        public void onSeen(String indicator, String indicatorType, String where) {
            p.onSeen(indicator, indicatorType, where);
        }

        @Override
        public HttpContentObserver httpContent() {
            return p.httpContent();
        }

        @Override
        public void onRemove() {
            p.onRemove();
        }
    }
}
