package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.decode.Packet;
import io.picket.flow.ConnTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * One million concurrent idle flows in the test JVM's 1 GiB heap (the build runs tests with
 * {@code -Xmx1g}): a UDP packet of the 8-tenant capture is replayed with a different client
 * address and port each time, one microsecond apart, so every packet opens a connection and
 * none times out. Heap in use after a full collection, before and after, gives the bytes
 * retained per flow; the table's own arrays are taken out to give the figure the performance
 * target is stated in (bytes per idle flow beyond the table). The test asserts that the flows fit,
 * are all tracked and stay within the target of 256 bytes per idle flow beyond the table (a
 * {@link io.picket.flow.Connection} and its inactivity timer), and prints the figure for
 * docs/PERFORMANCE.md.
 */
class IdleFlowMemoryTest {
    private static final int FLOWS = 1_000_000;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    @Test
    void shouldTrackAMillionIdleFlowsInTheTestHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("test heap").isLessThanOrEqualTo(1L << 30);
        FlowReplay replay = FlowReplay.of(FlowReplay.Mode.CHURN, TenantSelectBenchmark.eightTenants());
        int udp = -1;
        for (int i = 0; i < replay.size() + replay.prologue(); i++) {
            Packet p = replay.packet(i);
            if (p.ipProto == 17 && p.ipVersion == 4 && p.srcPort > 1023 && p.dstPort == 53) {
                udp = i;
                break;
            }
        }
        assertThat(udp).as("a DNS query over IPv4 in the capture").isNotNegative();
        Packet p = replay.packet(udp);
        int tenant = replay.tenant(udp);
        long srcLo = p.srcLo;
        double t0 = p.time;
        long t0Micros = p.timeMicros;

        ConnTracker tracker = ConnTrackerBenchmark.newTracker();
        long before = usedAfterGc();
        for (int i = 0; i < FLOWS; i++) {
            // 16 bits of the client address and the client port: every packet a new flow
            p.srcLo = srcLo ^ ((long) (i >>> 6) << 8);
            p.srcPort = 1024 + (i & 63);
            p.timeMicros = t0Micros + i;
            p.time = t0 + i / 1e6;
            tracker.onPacket(tenant, p);
        }
        long after = usedAfterGc();
        assertThat(tracker.activeConnections()).isEqualTo(FLOWS);
        assertThat(tracker.tableFullDrops()).isZero();

        long table = tracker.tableBytes(4);
        double perFlow = (after - before) / (double) FLOWS;
        double beyondTable = (after - before - table) / (double) FLOWS;
        System.out.printf("idle flows: %,d tracked; heap retained %,d bytes = %.0f bytes/flow; table arrays %,d bytes"
                + " (%.0f bytes/flow); beyond the table %.0f bytes/flow (target <= 256)%n", FLOWS, after - before,
                perFlow, table, table / (double) FLOWS, beyondTable);
        assertThat(after - before).as("retained heap").isPositive();
        assertThat(beyondTable).as("bytes per idle flow beyond the table").isLessThanOrEqualTo(256.0);
    }
}
