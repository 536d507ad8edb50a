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
 * Live capture with {@code --runmode autofp --workers 2}: one AF_PACKET socket whose capture
 * thread routes and copies every frame into the queues of two shard threads must log what one
 * offline run logs (uids and times aside), with no frame dropped at the queues.
 */
class LiveAutofpTest {
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
    void shouldLogWhatTheOfflineRunLogsWhenACaptureThreadFeedsTwoShards() throws Exception {
        DemoReference ref = DemoReference.get();

        LiveReplay r = LiveReplay.run(net, ref, dir, "live-autofp", List.of("--runmode", "autofp", "--workers", "2"),
                "TERM", logs -> { });

        SoftAssertions.assertSoftly(s -> {
            LiveAssertions.assertCleanRun(s, r, ref, 1);
            s.assertThat(r.process().stderr()).as("no queue drops").doesNotContain("queue_full")
                    .doesNotContain("queue_quota");
            s.assertThat(r.process().stdout() + r.process().stderr()).as("two shard threads ran")
                    .contains("shard 1");
            LiveAssertions.assertSameAsOffline(s, r, ref);
        });
        assertThat(r.exitStatus()).isZero();
    }
}
