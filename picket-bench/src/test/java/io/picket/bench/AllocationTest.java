package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.RawPacket;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.flow.ConnTracker;
import io.picket.tenant.TenantSelector;
import io.picket.testing.Allocations;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The steady packet path allocates nothing: decode of complete frames, tenant selection and
 * connection tracking of known flows, each run for {@value #PACKETS} packets after
 * {@value #WARMUP} packets of warm-up (so the JIT has compiled the path and every per-flow
 * structure exists), measured with the thread's allocation counter.
 *
 * <p>Bound: {@value #MAX_BYTES} bytes in total per measurement, i.e. 0 bytes per packet; the
 * slack only absorbs a one-off event of the JIT (a deoptimisation re-materialises scalar-replaced
 * objects on the heap), never a per-packet allocation, which would show as at least
 * {@value #PACKETS} times 16 bytes.
 *
 * <p>The whole engine without analyzers is checked the same way on captures of the steady replay:
 * a run over {@value #ENGINE_BASE_PASSES} + {@value #ENGINE_PASSES} passes may allocate no more
 * than a run over {@value #ENGINE_BASE_PASSES} passes. Both base runs are past 127 passes, so the
 * conn.log records written at the end box the same counters in both (below 128,
 * {@code Long.valueOf} hands out cached boxes: a run over 20 passes allocates 2,928 bytes less
 * than one over 140, a per-record, not a per-packet, difference).
 */
class AllocationTest {
    private static final int WARMUP = 200_000;
    private static final int PACKETS = 100_000;
    private static final long MAX_BYTES = 1024;
    private static final int ENGINE_BASE_PASSES = 140;
    private static final int ENGINE_PASSES = 200;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static byte[] control;

    @BeforeAll
    static void shouldCountThisThreadsAllocations() {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        long before = allocated();
        control = new byte[4096];
        assertThat(allocated() - before).as("the counter sees a 4 KiB array").isGreaterThanOrEqualTo(4096);
    }

    @Test
    void shouldNotAllocateWhenDecodingVlanTcpFrames() {
        assertThat(decodeBytes(FrameSet.VLAN_TCP)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenDecodingQinqUdpFrames() {
        assertThat(decodeBytes(FrameSet.QINQ_UDP)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenDecodingIpv6Frames() {
        assertThat(decodeBytes(FrameSet.IPV6)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenDecodingCompleteFramesOfEightTenants() {
        assertThat(decodeBytes(FrameSet.MIX_IP)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenSelectingTenants() throws Exception {
        TenantSelector selector = TenantSelectBenchmark.eightTenants();
        Packet[] packets = TenantSelectBenchmark.decodeAll(FrameSet.named(FrameSet.MIX));
        int[] perTenant = new int[selector.tenantCount()];
        long sum = 0;
        for (int i = 0; i < WARMUP; i++) {
            sum += selector.select(packets[i % packets.length]);
        }
        long bytes = Allocations.fewest(3, () -> {
            long selected = 0;
            for (int i = 0; i < PACKETS; i++) {
                int t = selector.select(packets[i % packets.length]);
                if (t >= 0) {
                    perTenant[t]++;
                }
                selected += t;
            }
            return selected;
        });
        report("select", bytes);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(perTenant).as("every tenant owns traffic").doesNotContain(0);
        assertThat(sum + Allocations.sink()).isNotZero();
    }

    @Test
    void shouldNotAllocateWhenTrackingKnownFlows() throws Exception {
        FlowReplay replay = FlowReplay.of(FlowReplay.Mode.STEADY, TenantSelectBenchmark.eightTenants());
        ConnTracker tracker = ConnTrackerBenchmark.newTracker();
        for (int i = 0; i < WARMUP; i++) {
            int k = replay.next();
            tracker.onPacket(replay.tenant(k), replay.packet(k));
        }
        long created = tracker.connectionsCreated();
        int active = tracker.activeConnections();
        long bytes = Allocations.fewest(3, () -> {
            for (int i = 0; i < PACKETS; i++) {
                int k = replay.next();
                tracker.onPacket(replay.tenant(k), replay.packet(k));
            }
            return tracker.activeConnections();
        });
        report("tracker (steady, " + active + " connections)", bytes);
        assertThat(tracker.connectionsCreated()).as("no new connection on the steady path").isEqualTo(created);
        assertThat(tracker.activeConnections()).isEqualTo(active);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocatePerPacketWhenTheEngineRunsKnownFlows() throws Exception {
        assertThat(engineBytes()).isLessThanOrEqualTo(MAX_BYTES);
    }

    /**
     * Bytes the whole engine without analyzers (one worker, so all on this thread: read, decode,
     * tenant selection, connections, TCP reassembly, timers) allocates for {@value #ENGINE_PASSES}
     * extra passes of the steady 8-tenant replay: the least a run over
     * {@value #ENGINE_BASE_PASSES} + {@value #ENGINE_PASSES} passes allocates minus the least a run
     * over {@value #ENGINE_BASE_PASSES} passes allocates (2 runs each, after a warm-up run), so the per-run costs
     * (configuration, tables, handshakes, conn.log records at the end) cancel out.
     */
    private static long engineBytes() throws Exception {
        TenantSelector selector = TenantSelectBenchmark.eightTenants();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "alloc");
        Path tenants = dir.resolve(Traces.TENANTS_8);
        Files.writeString(tenants, Traces.tenantsYaml(), StandardCharsets.UTF_8);
        Path small = dir.resolve("base.pcap");
        Path large = dir.resolve("large.pcap");
        try {
            return engineBytes(selector, dir, tenants, small, large);
        } finally {
            Files.deleteIfExists(small);
            Files.deleteIfExists(large);
            Files.deleteIfExists(tenants);
            Files.deleteIfExists(dir);
        }
    }

    private static long engineBytes(TenantSelector selector, Path dir, Path tenants, Path small, Path large)
            throws Exception {
        Traces.writePcap(small, FlowReplay.steadyCapture(selector, ENGINE_BASE_PASSES));
        Traces.writePcap(large, FlowReplay.steadyCapture(selector, ENGINE_BASE_PASSES + ENGINE_PASSES));
        int perPass = FlowReplay.of(FlowReplay.Mode.STEADY, selector).size();
        EngineConfig base = new EngineConfig(List.of(small), dir.resolve("logs"), tenants, false, false, 1L, true,
                false, false, false, Set.of(), 1);
        EngineConfig more = new EngineConfig(List.of(large), dir.resolve("logs"), tenants, false, false, 1L, true,
                false, false, false, Set.of(), 1);
        Engine.run(more, new CountingSink(), ProgressListener.NONE);
        long baseBytes = Long.MAX_VALUE;
        long moreBytes = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long a = allocated();
            Engine.run(base, new CountingSink(), ProgressListener.NONE);
            long b = allocated();
            Engine.run(more, new CountingSink(), ProgressListener.NONE);
            long c = allocated();
            baseBytes = Math.min(baseBytes, b - a);
            moreBytes = Math.min(moreBytes, c - b);
        }
        long bytes = moreBytes - baseBytes;
        long packets = (long) ENGINE_PASSES * perPass;
        System.out.printf("engine (no analyzers): %d bytes per run, %d bytes for %d more packets (%.3f B/packet)%n",
                baseBytes, bytes, packets, (double) bytes / packets);
        return bytes;
    }

    private static long decodeBytes(String set) {
        FrameSet frames = FrameSet.named(set);
        RawPacket[] raw = frames.frames();
        PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
        Packet out = new Packet();
        int ip = 0;
        for (int i = 0; i < WARMUP; i++) {
            ip += decoder.decode(raw[i % raw.length], out) == PacketDecoder.IP ? 1 : 0;
        }
        int[] decodedIp = {ip};
        long bytes = Allocations.fewest(3, () -> {
            for (int i = 0; i < PACKETS; i++) {
                decodedIp[0] += decoder.decode(raw[i % raw.length], out) == PacketDecoder.IP ? 1 : 0;
            }
            return decodedIp[0];
        });
        report("decode " + set, bytes);
        assertThat(decodedIp[0]).as("every frame decodes to IP").isEqualTo(WARMUP + 3 * PACKETS);
        return bytes;
    }

    private static long allocated() {
        return Allocations.allocated();
    }

    private static void report(String what, long bytes) {
        System.out.printf("%s: %d bytes for %d packets (%.3f B/packet)%n", what, bytes, PACKETS,
                (double) bytes / PACKETS);
    }
}
