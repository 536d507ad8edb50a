package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.decode.PacketDecoder;
import io.picket.engine.RunSummary;
import io.picket.engine.TenantStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmarks' setups and one operation each, so a broken benchmark fails the build, not a run. */
class BenchmarksTest {

    @Test
    void shouldDecodeEveryNamedFrameSetWhenSetUp() {
        Map<String, Integer> sizes = Map.of(FrameSet.VLAN_TCP, 14, FrameSet.QINQ_UDP, 4, FrameSet.IPV6, 9,
                FrameSet.MIX, 617);
        for (var e : sizes.entrySet()) {
            DecodeBenchmark b = new DecodeBenchmark();
            b.frames = e.getKey();
            b.verifyChecksums = true;
            b.setup();
            assertThat(FrameSet.named(e.getKey()).size()).as(e.getKey()).isEqualTo(e.getValue());
            int ip = 0;
            for (int i = 0; i < e.getValue(); i++) {
                ip += b.decode() == PacketDecoder.IP ? 1 : 0;
            }
            assertThat(ip).as(e.getKey()).isPositive();
        }
    }

    @Test
    void shouldSelectEveryTenantWhenReplayingTheMix() throws Exception {
        TenantSelectBenchmark b = new TenantSelectBenchmark();
        b.setup();
        int[] seen = new int[8];
        int unassigned = 0;
        for (int i = 0; i < 617; i++) {
            int t = b.select();
            if (t < 0) {
                unassigned++;
            } else {
                seen[t]++;
            }
        }
        assertThat(seen).doesNotContain(0);
        assertThat(unassigned).isEqualTo(8);
    }

    @Test
    void shouldKeepTheSameConnectionsWhenTrackingSteadily() throws Exception {
        ConnTrackerBenchmark b = new ConnTrackerBenchmark();
        b.mode = "steady";
        b.setup();
        for (int i = 0; i < 20_000; i++) {
            b.onPacket();
        }
        long created = b.tracker().connectionsCreated();
        for (int i = 0; i < 5_000; i++) {
            b.onPacket();
        }
        assertThat(b.tracker().connectionsCreated()).isEqualTo(created);
    }

    @Test
    void shouldCreateConnectionsEveryPassWhenChurning() throws Exception {
        ConnTrackerBenchmark b = new ConnTrackerBenchmark();
        b.mode = "churn";
        b.setup();
        long created = b.tracker().connectionsCreated();
        for (int i = 0; i < 5_000; i++) {
            b.onPacket();
        }
        assertThat(b.tracker().connectionsCreated()).isGreaterThan(created);
    }

    @Test
    void shouldRunTheEngineOnEveryTraceWhenSetUp() throws Exception {
        for (String run : List.of("mix/all", "wikipedia/dns", "ssh/ssh", "ssh/none")) {
            EngineBenchmark b = new EngineBenchmark();
            b.run = run;
            b.copies = 2;
            b.setup();
            try {
                RunSummary s = b.engine();
                assertThat(s.packets()).as(run).isEqualTo(b.frames());
                long assigned = 0;
                for (TenantStats t : s.tenants()) {
                    assigned += t.packets;
                }
                assertThat(assigned).as(run).isPositive();
                assertThat(s.logLines().values().stream().mapToLong(Long::longValue).sum()).as(run).isPositive();
            } finally {
                b.tearDown();
            }
        }
    }
}
