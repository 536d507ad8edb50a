package io.picket.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.afpacket.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * CPU placement of live capture: the interface of a tenant with dedicated cores (an SR-IOV VF
 * mapped by name in tenants.yaml) is captured by threads pinned to those cores, checked by the
 * threads themselves from /proc and reported in the run summary.
 */
class LivePinningTest {
    private static TestNetwork net;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void createNetwork() {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
        net = TestNetwork.create();
    }

    @AfterAll
    static void deleteNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void shouldPinEveryCaptureThreadOfAVfToItsTenantsDedicatedCoreWhenTheTenantHasOne() throws Exception {
        DemoReference ref = DemoReference.get();
        int core = Runtime.getRuntime().availableProcessors() - 1;
        Path tenants = dir.resolve("tenants.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: vf
                    interfaces: [%s]
                    dedicated_cores: "%d"
                """.formatted(TestNetwork.CAPTURE_LINK, core));

        LiveReplay r = LiveReplay.run(net, ref, dir, "live-pinned", List.of("--tenants", tenants.toString(),
                "--workers", "2"), "TERM", logs -> { });

        List<String> placement = r.process().stdout().lines().filter(l -> l.startsWith("placement: ")).toList();
        SoftAssertions.assertSoftly(s -> {
            s.assertThat(r.exitStatus()).as("exit status").isZero();
            s.assertThat(placement).as("both sockets' threads, pinned and checked from /proc").containsExactlyInAnyOrder(
                    "placement: shard 0 (capture vb): cpus " + core,
                    "placement: shard 1 (capture vb): cpus " + core);
            s.assertThat(ZeekLogs.kernelCounters(r.process().stderr())).as("kernel counters per socket")
                    .hasSize(2).allSatisfy(k -> assertThat(k[1]).as("dropped").isZero());
            s.assertThat(Files.exists(r.logs().resolve("vf").resolve("conn.log"))).as("vf's conn.log").isTrue();
        });
    }
}
