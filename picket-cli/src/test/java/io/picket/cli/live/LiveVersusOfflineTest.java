package io.picket.cli.live;

import io.picket.capture.afpacket.TestNetwork;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture end to end: {@code picket run --interface vb} in a throw-away network namespace
 * while the demo capture (4 tenants, 802.1Q and QinQ tags, overlapping addresses, an unassigned
 * VLAN) is sent into the veth peer, stopped with SIGTERM, against an offline run of the same
 * frames (see {@link DemoReference} for why its timestamps are compacted).
 */
class LiveVersusOfflineTest {
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
    void shouldLogWhatTheOfflineRunLogsWhenTheDemoIsCapturedLive() throws Exception {
        DemoReference ref = DemoReference.get();

        LiveReplay r = LiveReplay.run(net, ref, dir, "live", List.of(), "TERM", logs -> { });

        SoftAssertions.assertSoftly(s -> {
            LiveAssertions.assertCleanRun(s, r, ref, 1);
            LiveAssertions.assertSameAsOffline(s, r, ref);
        });
    }
}
