package io.picket.cli.live;

import io.picket.capture.afpacket.TestNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture with {@code --workers 2}: two AF_PACKET sockets in one hash fanout group, one
 * shard each, must log what one offline run logs (uids and times aside).
 */
class LiveWorkersTest {
    private static TestNetwork net;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void createNetwork() {
        net = TestNetwork.create();
    }

    @AfterAll
    static void deleteNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void shouldLogWhatTheOfflineRunLogsWhenTwoFanoutSocketsShareTheCapture() throws Exception {
        DemoReference ref = DemoReference.get();

        LiveReplay r = LiveReplay.run(net, ref, dir, "live-workers-2", List.of("--workers", "2"), "TERM", logs -> { });

        SoftAssertions.assertSoftly(s -> {
            LiveAssertions.assertCleanRun(s, r, ref, 2);
            s.assertThat(ZeekLogs.kernelCounters(r.process().stderr())).as("both fanout sockets got flows")
                    .allSatisfy(k -> assertThat(k[0]).isPositive());
            LiveAssertions.assertSameAsOffline(s, r, ref);
        });
    }
}
