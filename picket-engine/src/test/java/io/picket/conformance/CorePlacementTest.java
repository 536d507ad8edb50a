package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.affinity.Affinity;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant with {@code dedicated_cores} gets its own shard pinned to its core (checked from
 * {@code /proc/thread-self/status} inside the shard), the other tenants share the remaining
 * pool, and the records equal those of an unpinned run.
 */
class CorePlacementTest {

    @TempDir
    Path tmp;

    @Test
    void shouldPinADedicatedTenantsShardToItsCoreWhileOthersShareThePool() throws Exception {
        Assumptions.assumeTrue(Affinity.supported() && Affinity.available().size() >= 2,
                "needs two cores and sched_setaffinity");
        int dedicated = Affinity.available().nth(1);
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                    dedicated_cores: "%d"
                  - id: others
                    vlans: ["1001-1007"]
                """.formatted(dedicated));
        EngineConfig pinned = EngineConfig.of(List.of(BenchCapture.distinct()), tmp.resolve("pinned"))
                .withTenants(tenants).withIgnoreChecksums(true).withUidSeed(3L).withWorkers(1);
        RunSummary s = Engine.run(pinned, ProgressListener.NONE);
        assertThat(s.placement()).anyMatch(p -> p.equals("shard 1 (tenant acme): cpus " + dedicated));
        String pool = Affinity.available().minus(io.picket.affinity.CpuSet.of(dedicated)).toString();
        assertThat(s.placement()).anyMatch(p -> p.equals("shard 0 (pool): cpus " + pool));

        Path plainTenants = tmp.resolve("plain.yaml");
        Files.writeString(plainTenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                  - id: others
                    vlans: ["1001-1007"]
                """);
        EngineConfig plain = EngineConfig.of(List.of(BenchCapture.distinct()), tmp.resolve("plain"))
                .withTenants(plainTenants).withIgnoreChecksums(true).withUidSeed(3L).withWorkers(1);
        Engine.run(plain, ProgressListener.NONE);
        for (String tenant : List.of("acme", "others")) {
            ZeekLog a = ZeekLog.read(tmp.resolve("pinned/" + tenant + "/conn.log"));
            ZeekLog b = ZeekLog.read(tmp.resolve("plain/" + tenant + "/conn.log"));
            int uid = a.columns().indexOf("uid");
            int parents = a.columns().indexOf("tunnel_parents");
            assertThat(a.rows().stream().map(r -> without(r, uid, parents)).sorted().toList())
                    .containsExactlyElementsOf(b.rows().stream().map(r -> without(r, uid, parents)).sorted().toList());
        }
    }

    /** The row without the uid columns (uids are random per shard). */
    private static String without(List<String> row, int uid, int parents) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            if (i != uid && i != parents) {
                sb.append(row.get(i)).append('\t');
            }
        }
        return sb.toString();
    }
}
