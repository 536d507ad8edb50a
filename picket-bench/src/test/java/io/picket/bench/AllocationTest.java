package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.RawPacket;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.flow.ConnTracker;
import io.picket.tenant.TenantSelector;
import java.lang.management.ManagementFactory;
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
 */
class AllocationTest {
    private static final int WARMUP = 200_000;
    private static final int PACKETS = 100_000;
    private static final long MAX_BYTES = 1024;

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
        long before = allocated();
        for (int i = 0; i < PACKETS; i++) {
            int t = selector.select(packets[i % packets.length]);
            if (t >= 0) {
                perTenant[t]++;
            }
            sum += t;
        }
        long bytes = allocated() - before;
        report("select", bytes);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(perTenant).as("every tenant owns traffic").doesNotContain(0);
        assertThat(sum).isNotZero();
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
        long before = allocated();
        for (int i = 0; i < PACKETS; i++) {
            int k = replay.next();
            tracker.onPacket(replay.tenant(k), replay.packet(k));
        }
        long bytes = allocated() - before;
        report("tracker (steady, " + active + " connections)", bytes);
        assertThat(tracker.connectionsCreated()).as("no new connection on the steady path").isEqualTo(created);
        assertThat(tracker.activeConnections()).isEqualTo(active);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
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
        long before = allocated();
        for (int i = 0; i < PACKETS; i++) {
            ip += decoder.decode(raw[i % raw.length], out) == PacketDecoder.IP ? 1 : 0;
        }
        long bytes = allocated() - before;
        report("decode " + set, bytes);
        assertThat(ip).as("every frame decodes to IP").isEqualTo(WARMUP + PACKETS);
        return bytes;
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static void report(String what, long bytes) {
        System.out.printf("%s: %d bytes for %d packets (%.3f B/packet)%n", what, bytes, PACKETS,
                (double) bytes / PACKETS);
    }
}
