package io.picket.engine;

import static io.picket.engine.PolicyTraffic.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.CaptureFiles;
import io.picket.capture.PcapWriter;
import io.picket.log.writer.FileLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live runs with a hand-off ({@link Engine#runAutofp}), fed from capture files at full speed (a
 * capture thread that never waits): with queues large enough the logs are those of the file
 * engine; a flooding tenant with {@code max_queue_slots} loses only its own frames, each counted.
 */
class AutofpTest {
    private static final String TENANTS = """
            tenants:
              - id: a
                vlans: [10]
                max_queue_slots: 8
              - id: b
                vlans: [20]
            """;
    private static final int FLOOD = 40_000;
    private static final int B_CONNECTIONS = 200;

    @TempDir
    Path tmp;

    private EngineConfig config(Path pcap, Path logs, String tenants, int workers) throws Exception {
        Path t = tmp.resolve("tenants-" + Math.abs(tenants.hashCode()) + ".yaml");
        Files.writeString(t, tenants);
        return EngineConfig.of(List.of(pcap), logs).withTenants(t).withIgnoreChecksums(true).withUidSeed(5L)
                .withWorkers(workers);
    }

    private RunSummary autofp(EngineConfig cfg, Path pcap, long queueBytes) throws Exception {
        try (io.picket.capture.PacketSource source = CaptureFiles.openAll(List.of(pcap))) {
            return Engine.runAutofp(cfg, List.of(source), new FileLogSink(cfg.logDir()), ProgressListener.NONE,
                    queueBytes);
        }
    }

    private static TenantStats stats(RunSummary s, String tenant) {
        return s.tenants().stream().filter(t -> t.tenant.equals(tenant)).findFirst().orElseThrow();
    }

    @Test
    void shouldWriteTheFileEnginesLogsWhenQueuesHoldEverything() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 2_000, 0.002);
        RunSummary files = Engine.run(config(pcap, tmp.resolve("files"), TENANTS.replace("max_queue_slots: 8", ""), 2),
                ProgressListener.NONE);
        RunSummary live = autofp(config(pcap, tmp.resolve("autofp"), TENANTS.replace("max_queue_slots: 8", ""), 2),
                pcap, 64L << 20);

        assertThat(live.packets()).isEqualTo(files.packets()).isEqualTo(32_000);
        for (String t : List.of("a", "b")) {
            assertThat(stats(live, t).queueFullDrops + stats(live, t).queueQuotaDrops).isZero();
            assertThat(stats(live, t).packets).isEqualTo(16_000);
            // same shards (one router), same order per shard: even the uids are the same
            assertThat(PolicyTraffic.records(tmp.resolve("autofp"), t))
                    .isNotEmpty()
                    .isEqualTo(PolicyTraffic.records(tmp.resolve("files"), t));
        }
        assertThat(live.threadCpuSeconds()).containsKeys("picket-shard-0", "picket-shard-1");
        assertThat(live.threadCpuSeconds().keySet()).anyMatch(k -> k.startsWith("picket-capture-"));
    }

    /** Tenant a floods 40,000 SYNs of new flows; b has 200 ordinary HTTP connections in between. */
    private Path flood() throws Exception {
        Path mixed = tmp.resolve("b.pcap");
        PolicyTraffic.write(mixed, B_CONNECTIONS, 0.05);
        List<byte[]> b = new ArrayList<>();
        List<long[]> bTimes = new ArrayList<>();
        try (var src = CaptureFiles.openAll(List.of(mixed))) {
            var raw = new io.picket.capture.RawPacket();
            while (src.next(raw)) {
                byte[] f = new byte[raw.capturedLength];
                java.lang.foreign.MemorySegment.copy(raw.segment, java.lang.foreign.ValueLayout.JAVA_BYTE, raw.offset,
                        f, 0, f.length);
                if ((f[15] & 0xFF) == 20) { // VLAN id 20: tenant b's frames only
                    b.add(f);
                    bTimes.add(new long[] {raw.tsSeconds, raw.tsNanos / 1000});
                }
            }
        }
        Path out = tmp.resolve("flood.pcap");
        try (PcapWriter w = new PcapWriter(out, 1, 65535)) {
            int perB = FLOOD / b.size();
            int a = 0;
            for (int i = 0; i < b.size(); i++) {
                long[] t = bTimes.get(i);
                for (int k = 0; k < perB; k++, a++) {
                    w.write(t[0], (int) t[1], tcp(10, new byte[] {10, 66, (byte) (a >> 8), (byte) a},
                            new byte[] {(byte) 192, (byte) 168, 9, 9}, 1024 + (a % 50_000), 80, a, 0, 0x02,
                            new byte[0]));
                }
                w.write(t[0], (int) t[1], b.get(i));
            }
        }
        return out;
    }

    /** conn.log and http.log rows of a tenant without their uid column (uids follow a's connections too). */
    private static List<String> rowsWithoutUid(Path logs, String tenant) throws Exception {
        List<String> out = new ArrayList<>();
        for (String log : List.of("conn.log", "http.log")) {
            for (String row : PolicyTraffic.rows(logs, tenant, log)) {
                String[] f = row.split("\t", -1);
                f[1] = "";
                out.add(log + " " + String.join("\t", f));
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void shouldDropOnlyTheFloodingTenantsFramesWhenItIsOverItsQueueSlots() throws Exception {
        Path pcap = flood();
        Engine.run(config(pcap, tmp.resolve("files"), TENANTS, 1), ProgressListener.NONE);
        RunSummary live = autofp(config(pcap, tmp.resolve("autofp"), TENANTS, 1), pcap, 8L << 20);

        TenantStats a = stats(live, "a");
        TenantStats b = stats(live, "b");
        assertThat(b.queueFullDrops + b.queueQuotaDrops).as("b's drops").isZero();
        assertThat(b.packets).isEqualTo(B_CONNECTIONS * 8);
        assertThat(rowsWithoutUid(tmp.resolve("autofp"), "b")).hasSize(2 * B_CONNECTIONS)
                .isEqualTo(rowsWithoutUid(tmp.resolve("files"), "b"));
        assertThat(a.queueQuotaDrops).as("a over its queue slots").isPositive();
        assertThat(a.packets + a.queueQuotaDrops + a.queueFullDrops).as("every frame of a counted").isEqualTo(FLOOD);
        assertThat(live.packets()).isEqualTo(FLOOD + B_CONNECTIONS * 8);
    }

    @Test
    void shouldDropTheOtherTenantsFramesTooWhenNoQuotaBoundsTheFlood() throws Exception {
        // the control case: without max_queue_slots a's flood fills the shard's small queue and b loses frames
        Path pcap = flood();
        RunSummary live = autofp(config(pcap, tmp.resolve("autofp"), TENANTS.replace("max_queue_slots: 8", ""), 1),
                pcap, 64L << 10);
        TenantStats b = stats(live, "b");
        assertThat(b.queueFullDrops).as("b's frames lost to a's flood").isPositive();
        assertThat(b.packets + b.queueFullDrops).isEqualTo(B_CONNECTIONS * 8);
    }

    @Test
    void shouldCountEveryFrameWhenTheQueueIsTiny() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 500, 0.002);
        RunSummary live = autofp(config(pcap, tmp.resolve("autofp"), TENANTS.replace("max_queue_slots: 8", ""), 2),
                pcap, 1);
        long seen = 0;
        for (String t : List.of("a", "b")) {
            TenantStats s = stats(live, t);
            seen += s.packets + s.queueFullDrops + s.queueQuotaDrops;
        }
        assertThat(seen).isEqualTo(live.packets()).isEqualTo(8_000);
        try (Stream<Path> logs = Files.list(tmp.resolve("autofp"))) {
            assertThat(logs.count()).isPositive();
        }
    }

    @Test
    void shouldRunCaptureThreadsOnTheCaptureCoresApartFromTheShards() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.picket.affinity.Affinity.available().size() >= 2,
                "needs two CPUs");
        int first = io.picket.affinity.Affinity.available().toArray()[0];
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 200, 0.002);
        String tenants = "capture_cores: \"" + first + "\"\n" + TENANTS.replace("max_queue_slots: 8", "");
        RunSummary live = autofp(config(pcap, tmp.resolve("autofp"), tenants, 1), pcap, 64L << 20);
        assertThat(live.placement()).anyMatch(p -> p.startsWith("capture ") && p.endsWith(": cpus " + first))
                .anyMatch(p -> p.startsWith("shard 0 (pool)") && !p.endsWith(": cpus " + first));
        assertThat(stats(live, "a").packets + stats(live, "b").packets).isEqualTo(3_200);
    }
}
