package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.picket.log.writer.FileLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isolation benchmark (run with {@code -Dpicket.bench=true}): tenant a with a pathological bundle
 * (300 backtracking-style signatures, 30 of which match every attack request, and 100,000 intel
 * entries matching every Host) beside tenant b with a normal one, on the same traffic. b's logs
 * must be identical; the figures printed are b's policy throughput (payload bytes per second of
 * b's policy work) with and without a's pathology, the work accounted to each tenant, and the
 * whole run's wall time. Timing runs count log records instead of writing them (5 alternating
 * pairs after one written pair, medians), so the shared log writer is not measured.
 */
class PolicyIsolationBenchmarkTest {

    @TempDir
    Path tmp;

    static String pathologicalSignatures() {
        String[] templates = {".*(a+)+tt%s", ".*(a|aa)*tt%s", ".*([a-z]+)*tt%s", ".*(t|tt)+%s", ".*(.*a){3}tt%s",
            ".*((at)|(a)|(t))+%s"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String tail = i % 10 == 0 ? "ack" : "ackZ" + i;
            sb.append("signature patho-").append(i).append(" {\n  ip-proto == tcp\n  payload /")
                    .append(String.format(Locale.ROOT, templates[i % templates.length], tail))
                    .append("/\n  event \"pathological ").append(i).append("\"\n}\n");
        }
        return sb.toString();
    }

    static String bigIntel() {
        StringBuilder sb = new StringBuilder("#fields\tindicator\tindicator_type\tmeta.source\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append("evil-").append(i).append(".example\tIntel::DOMAIN\tflood\n");
        }
        return sb.toString();
    }

    private RunSummary run(Path pcap, Path policy, Path logs, boolean files) throws Exception {
        Path tenants = tmp.resolve("tenants.yaml");
        // -Dpicket.bench.dedicated=true: a runs on a core of its own (the operator's answer to a
        // tenant with a heavy policy), b on the shared pool
        Files.writeString(tenants, Boolean.getBoolean("picket.bench.dedicated")
                ? PolicyTraffic.TENANTS.replace("vlans: [10]", "vlans: [10]\n    dedicated_cores: \"1\"")
                : PolicyTraffic.TENANTS);
        EngineConfig cfg = EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withUidSeed(5L).withWorkers(1).withPolicy(new PolicyConfig(policy, List.of(), List.of()));
        return Engine.run(cfg, files ? new FileLogSink(logs) : new Counting(), ProgressListener.NONE);
    }

    /** Counts records per tenant and drops them (timing runs: the disk and the writer are not measured). */
    private static final class Counting implements io.picket.log.LogSink {
        private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> counts =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void write(String tenant, io.picket.log.LogRecord record) {
            counts.computeIfAbsent(tenant, t -> new java.util.concurrent.atomic.LongAdder()).increment();
        }

        @Override
        public long recordsWritten(String tenant) {
            var c = counts.get(tenant);
            return c == null ? 0 : c.sum();
        }

        @Override
        public void close() {
        }
    }

    private static TenantStats stats(RunSummary s, String tenant) {
        return s.tenants().stream().filter(t -> t.tenant.equals(tenant)).findFirst().orElseThrow();
    }

    @Test
    void shouldKeepTenantBUnchangedWhenTenantAHasAPathologicalBundle() throws Exception {
        assumeTrue(Boolean.getBoolean("picket.bench"), "benchmark: run with -Dpicket.bench=true");
        int conns = Integer.getInteger("picket.bench.connections", 20_000);
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), conns, 0.002);
        Path normal = tmp.resolve("normal");
        PolicyTraffic.bundle(normal, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(normal, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Path patho = tmp.resolve("patho");
        PolicyTraffic.bundle(patho, "a", pathologicalSignatures(), bigIntel());
        PolicyTraffic.bundle(patho, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);

        Path none = tmp.resolve("none");
        PolicyTraffic.bundle(none, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        run(pcap, none, tmp.resolve("o0"), true);
        run(pcap, normal, tmp.resolve("n0"), true);
        run(pcap, patho, tmp.resolve("p0"), true);
        List<double[]> o = new ArrayList<>();
        List<double[]> n = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        for (int r = 0; r < Integer.getInteger("picket.bench.pairs", 5); r++) {
            long gc = gcMillis();
            o.add(measure(run(pcap, none, tmp.resolve("o"), false), gcMillis() - gc));
            gc = gcMillis();
            n.add(measure(run(pcap, normal, tmp.resolve("n"), false), gcMillis() - gc));
            gc = gcMillis();
            p.add(measure(run(pcap, patho, tmp.resolve("p"), false), gcMillis() - gc));
        }
        assertThat(PolicyTraffic.records(tmp.resolve("p0"), "b")).isEqualTo(PolicyTraffic.records(tmp.resolve("n0"), "b"))
                .isEqualTo(PolicyTraffic.records(tmp.resolve("o0"), "b"));
        assertThat(PolicyTraffic.rows(tmp.resolve("p0"), "a", "signatures.log").size())
                .isGreaterThan(PolicyTraffic.rows(tmp.resolve("n0"), "a", "signatures.log").size());
        double[] mo = median(o);
        double[] mn = median(n);
        double[] mp = median(p);
        System.out.printf(Locale.ROOT, "isolation benchmark, %d connections per tenant, %d packets%s%n", conns, conns * 16,
                Boolean.getBoolean("picket.bench.dedicated") ? ", tenant a on a dedicated core" : "");
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %12s %14s %14s%n", "", "a no policy", "a normal",
                "a patho", "patho/normal", "patho/none");
        String[] names = {"run wall s", "a policy ms", "a policy MB/s", "b policy ms", "b policy MB/s", "b policy bytes",
            "a log records", "b log records", "GC pause ms", "shard-0 CPU s", "shard-1 CPU s", "b ns/pkt (shard)"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-16s %12.3f %12.3f %12.3f %14.3f %14.3f%n", names[i], mo[i], mn[i], mp[i],
                    mp[i] / mn[i], mp[i] / mo[i]);
        }
    }

    private static long gcMillis() {
        long t = 0;
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static double[] measure(RunSummary s, long gcMillis) {
        TenantStats a = stats(s, "a");
        TenantStats b = stats(s, "b");
        return new double[] {s.wallSeconds(), a.policyNanos / 1e6,
            a.policyNanos == 0 ? 0 : a.policyBytes / (a.policyNanos / 1e9) / 1e6,
            b.policyNanos / 1e6, b.policyBytes / (b.policyNanos / 1e9) / 1e6, b.policyBytes,
            s.logLines().get("a"), s.logLines().get("b"), gcMillis,
            s.threadCpuSeconds().getOrDefault("picket-shard-0", 0.0),
            s.threadCpuSeconds().getOrDefault("picket-shard-1", 0.0),
            // with a on a dedicated core, shard 0 runs b alone: its CPU per b packet is b's cost
            Boolean.getBoolean("picket.bench.dedicated")
                    ? s.threadCpuSeconds().getOrDefault("picket-shard-0", 0.0) * 1e9 / b.packets : 0};
    }

    private static double[] median(List<double[]> runs) {
        double[] out = new double[runs.get(0).length];
        for (int i = 0; i < out.length; i++) {
            int k = i;
            out[i] = runs.stream().mapToDouble(r -> r[k]).sorted().toArray()[runs.size() / 2];
        }
        return out;
    }
}
