package io.picket.capture.afpacket;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureException;
import io.picket.capture.LinkTypes;
import io.picket.capture.PcapReader;
import io.picket.capture.PcapWriter;
import io.picket.capture.RawPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Captures real frames: a network namespace with a veth pair (MTU 9000), frames sent into
 * {@code va} by a raw AF_PACKET sender, captured on {@code vb} by {@link AfPacketSource}. Skipped
 * when the process is not root or the namespace cannot be made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AfPacketSourceTest {
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);
    private static final int IP_A = 0x0A000001; // 10.0.0.1
    private static final int IP_B = 0x0A000002; // 10.0.0.2

    private TestNetwork net;
    private RawSender sender;

    @BeforeAll
    void createNetwork() throws Exception {
        net = TestNetwork.create();
        sender = net.call(() -> RawSender.open("va"));
    }

    @AfterAll
    void deleteNetwork() {
        try {
            if (sender != null) {
                sender.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private static AfPacketConfig small(String iface) {
        // 16 blocks of 64 KiB: holds jumbo frames; blocks retired after 2 ms for quick tests.
        return AfPacketConfig.of(iface).withRing(1 << 16, 16).withBlockTimeoutMillis(2).withPollTimeoutMillis(20);
    }

    private AfPacketSource open(AfPacketConfig config) throws Exception {
        return net.call(() -> AfPacketSource.open(config));
    }

    @Test
    void shouldDeliverEveryFrameUnchangedWhenUntaggedFramesAreSent() throws Exception {
        int[] sizes = {42, 60, 64, 128, 512, 1000, 1514, 1518, 4000, 9014};
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int size = sizes[i % sizes.length];
            sent.add(Frames.udp(i, Math.max(size, 46), IP_A, IP_B, 10_000 + i, 53));
        }
        try (AfPacketSource source = open(small("vb"))) {
            long before = System.currentTimeMillis() * 1_000_000L;
            sent.forEach(sender::send);
            List<Captured> got = Captured.drain(sent.size(), DRAIN_LIMIT, source).getFirst();
            long after = System.currentTimeMillis() * 1_000_000L;
            List<Captured> ours = Captured.ours(got);

            assertThat(ours).extracting(Captured::bytesAndTci)
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(f -> "tci=-1 " + hex(f)).toList());
            assertThat(ours).allSatisfy(c -> {
                assertThat(c.capturedLength()).isEqualTo(c.bytes().length).isEqualTo(c.wireLength());
                assertThat(c.linkType()).isEqualTo(LinkTypes.ETHERNET);
                assertThat(c.interfaceName()).isEqualTo("vb");
                assertThat(c.tsNanos()).isBetween(0, 999_999_999);
                assertThat(c.epochNanos()).isBetween(before - 10_000_000L, after + 10_000_000L);
            });
            assertThat(got).extracting(Captured::position).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, got.size()).boxed().toList());
            assertThat(got).extracting(Captured::epochNanos).isSorted();
            AfPacketStats stats = source.stats();
            assertThat(stats.drops()).isZero();
            assertThat(stats.freezeQueueCount()).isZero();
            assertThat(stats.packets()).isEqualTo(got.size());
            assertThat(source.packetsDelivered()).isEqualTo(got.size());
            assertThat(source.warnings()).isEmpty();
            System.out.printf("untagged: sent %d, received %d (+%d other), kernel %s%n", sent.size(),
                    ours.size(), got.size() - ours.size(), stats);
        }
    }

    @Test
    void shouldDeliverTciOutOfBandAndStripTheTagWhenVlanTaggedFramesAreSent() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] plain = Frames.udp(i, i == 99 ? 9014 : 100 + i * 10, IP_A, IP_B, 20_000 + i, 80);
            // VLAN 1000 with priority 5; VLAN 1001 with DEI set.
            int tci = i % 2 == 0 ? (5 << 13) | 1000 : 0x1000 | 1001;
            sent.add(Frames.tagged(plain, Frames.TPID_8021Q, tci));
            expected.add("tci=" + tci + " " + hex(plain));
        }
        try (AfPacketSource source = open(small("vb"))) {
            sent.forEach(sender::send);
            List<Captured> ours = Captured.ours(Captured.drain(sent.size(), DRAIN_LIMIT, source).getFirst());

            assertThat(ours).extracting(Captured::bytesAndTci).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ours).extracting(c -> c.vlanTci() & 0xFFF).containsOnly(1000, 1001);
            assertThat(ours).allSatisfy(c -> assertThat(c.wireLength()).isEqualTo(c.bytes().length));
            assertThat(source.stats().drops()).isZero();
            System.out.printf("802.1Q: sent %d tagged (VLAN 1000/1001, one 9018-byte), received %d, tag out of band%n",
                    sent.size(), ours.size());
        }
    }

    @Test
    void shouldStripOnlyTheOuterTagWhenQinQFramesAreSent() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] plain = Frames.udp(i, 200 + i, IP_A, IP_B, 30_000 + i, 443);
            boolean ad = i % 2 == 0;
            int outer = ad ? 1000 : 1001;
            int inner = ad ? 1001 : 1000;
            byte[] innerTagged = Frames.tagged(plain, Frames.TPID_8021Q, inner);
            sent.add(Frames.tagged(innerTagged, ad ? Frames.TPID_8021AD : Frames.TPID_8021Q, outer));
            expected.add("tci=" + outer + " " + hex(innerTagged));
        }
        try (AfPacketSource source = open(small("vb"))) {
            sent.forEach(sender::send);
            List<Captured> ours = Captured.ours(Captured.drain(sent.size(), DRAIN_LIMIT, source).getFirst());

            assertThat(ours).extracting(Captured::bytesAndTci).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(source.stats().drops()).isZero();
            System.out.printf("QinQ: sent %d (802.1ad and 802.1Q outer), received %d, inner tag kept in bytes%n",
                    sent.size(), ours.size());
        }
    }

    @Test
    void shouldKeepBothDirectionsOfEachFlowOnOneSourceWhenTwoSourcesShareAFanoutGroup() throws Exception {
        int group = ThreadLocalRandom.current().nextInt(1, 0xFFFF);
        AfPacketConfig config = small("vb").withFanout(group, FanoutMode.HASH);
        List<byte[]> sent = new ArrayList<>();
        int flows = 64;
        for (int flow = 0; flow < flows; flow++) {
            for (int k = 0; k < 6; k++) {
                int seq = flow * 6 + k;
                int clientPort = 40_000 + flow;
                sent.add(k % 2 == 0
                        ? Frames.udp(seq, 120, IP_A, IP_B, clientPort, 5000)
                        : Frames.udp(seq, 120, IP_B, IP_A, 5000, clientPort));
            }
        }
        try (AfPacketSource first = open(config); AfPacketSource second = open(config)) {
            sent.forEach(sender::send);
            List<List<Captured>> got = Captured.drain(sent.size(), DRAIN_LIMIT, first, second);
            List<Captured> a = Captured.ours(got.get(0));
            List<Captured> b = Captured.ours(got.get(1));

            assertThat(a.size() + b.size()).isEqualTo(sent.size());
            assertThat(a).isNotEmpty();
            assertThat(b).isNotEmpty();
            Set<Integer> flowsA = flowsOf(a);
            Set<Integer> flowsB = flowsOf(b);
            assertThat(flowsA).doesNotContainAnyElementsOf(flowsB);
            assertThat(flowsA.size() + flowsB.size()).isEqualTo(flows);
            Map<Integer, Integer> perFlowA = countPerFlow(a);
            assertThat(perFlowA.values()).containsOnly(6);
            assertThat(first.stats().drops() + second.stats().drops()).isZero();
            System.out.printf("fanout HASH group %d: sent %d frames in %d flows, source 1 got %d (%d flows), "
                    + "source 2 got %d (%d flows)%n", group, sent.size(), flows, a.size(), flowsA.size(), b.size(),
                    flowsB.size());
        }
    }

    private static Set<Integer> flowsOf(List<Captured> frames) {
        return countPerFlow(frames).keySet();
    }

    private static Map<Integer, Integer> countPerFlow(List<Captured> frames) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Captured c : frames) {
            int clientPort = Math.max(Frames.sourcePort(c.bytes()), Frames.destinationPort(c.bytes()));
            counts.merge(clientPort, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void shouldPassOnlyMatchingFramesWhenAFilterIsAttached() throws Exception {
        // Accept frames whose source MAC starts 02:50:4b:54, as `tcpdump -ddd 'ether[6:4] = 0x02504b54'`.
        BpfProgram program = BpfProgram.parse("""
                4
                32 0 0 6
                21 0 1 38816596
                6 0 0 262144
                6 0 0 0
                """);
        List<byte[]> wanted = new ArrayList<>();
        try (AfPacketSource source = open(small("vb").withFilter(program))) {
            for (int i = 0; i < 50; i++) {
                byte[] ours = Frames.udp(i, 100, IP_A, IP_B, 1234, 80);
                wanted.add(ours);
                sender.send(ours);
                sender.send(Frames.udp(i, 100, IP_A, IP_B, 1234, 80, Frames.FOREIGN_MAC));
            }
            List<Captured> got = Captured.drain(wanted.size(), DRAIN_LIMIT, source).getFirst();

            assertThat(got).extracting(Captured::hex)
                    .containsExactlyInAnyOrderElementsOf(wanted.stream().map(AfPacketSourceTest::hex).toList());
            assertThat(source.stats().packets()).isEqualTo(wanted.size());
        }
    }

    @Test
    void shouldCountDropsWhenTheRingOverflows() throws Exception {
        BpfProgram onlyTestFrames = BpfProgram.of(
                new BpfProgram.Instruction(0x20, 0, 0, 6),             // ld [6]
                new BpfProgram.Instruction(0x15, 0, 1, 0x02504b54),    // jeq #0x02504b54
                new BpfProgram.Instruction(0x06, 0, 0, 0x40000),       // ret #262144
                new BpfProgram.Instruction(0x06, 0, 0, 0));            // ret #0
        // Two blocks of 8 KiB hold about 14 frames of 1000 bytes.
        AfPacketConfig tiny = small("vb").withRing(8192, 2).withFilter(onlyTestFrames);
        int total = 200;
        try (AfPacketSource source = open(tiny)) {
            for (int i = 0; i < total; i++) {
                sender.send(Frames.udp(i, 1000, IP_A, IP_B, 7, 7));
            }
            List<Captured> got = Captured.drain(total, Duration.ofMillis(300), source).getFirst();
            AfPacketStats stats = source.stats();

            assertThat(stats.packets()).isEqualTo(total);
            assertThat(stats.drops()).isPositive();
            assertThat(stats.freezeQueueCount()).isPositive();
            assertThat(stats.received()).isEqualTo(got.size());
            assertThat(got.size() + stats.drops()).isEqualTo(total);
            System.out.printf("overflow: sent %d into a 16 KiB ring, received %d, kernel %s%n", total, got.size(),
                    stats);
        }
    }

    @Test
    void shouldAllocateNothingPerFrameWhenPollingAWarmSource() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int perRound = 1000;
        byte[] frame = Frames.udp(1, 200, IP_A, IP_B, 1, 2);
        try (AfPacketSource source = open(small("vb"))) {
            RawPacket packet = new RawPacket();
            // the quietest measured round counts: a one-off runtime event (a deoptimization, a
            // compilation) lands in one round, an allocation per frame would be in every round
            long allocated = Long.MAX_VALUE;
            long polled = 0;
            for (int round = 0; round < 14; round++) {
                for (int i = 0; i < perRound; i++) {
                    sender.send(frame);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                long deadline = System.nanoTime() + 2_000_000_000L;
                int got = 0;
                while (got < perRound && System.nanoTime() < deadline) {
                    if (source.poll(packet, 5) == AfPacketSource.PACKET) {
                        got++;
                    }
                }
                long used = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(got).isEqualTo(perRound);
                if (round >= 10) { // after warm-up, once the polling path is compiled
                    allocated = Math.min(allocated, used);
                    polled = got;
                }
            }
            assertThat(source.stats().drops()).isZero();
            System.out.printf("allocation: %d bytes over %d frames polled in the quietest warm round%n", allocated,
                    polled);
            assertThat(allocated).isLessThan(polled / 4);
        }
    }

    @Test
    void shouldReturnTimeoutWhenNoFrameArrives() throws Exception {
        try (AfPacketSource source = open(small("vb"))) {
            RawPacket packet = new RawPacket();
            assertThat(source.poll(packet, 0)).isEqualTo(AfPacketSource.TIMEOUT);
            assertThat(source.poll(packet, 5)).isEqualTo(AfPacketSource.TIMEOUT);
        }
    }

    @Test
    void shouldReturnFalseFromNextWhenStoppedFromAnotherThread() throws Exception {
        try (AfPacketSource source = open(small("vb"))) {
            AtomicReference<Long> framesBeforeStop = new AtomicReference<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                RawPacket packet = new RawPacket();
                long frames = 0;
                try {
                    while (source.next(packet)) {
                        frames++;
                    }
                } catch (CaptureException e) {
                    throw new IllegalStateException(e);
                }
                framesBeforeStop.set(frames);
            }, r -> Thread.ofPlatform().daemon().start(r));
            Thread.sleep(100);
            assertThat(reader).isNotDone();
            long stoppedAt = System.nanoTime();
            source.stop();
            reader.get(2, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - stoppedAt) / 1_000_000;

            assertThat(framesBeforeStop.get()).isZero();
            assertThat(tookMillis).isLessThan(1000);
            assertThat(source.isStopped()).isTrue();
            assertThat(source.next(new RawPacket())).isFalse();
        }
    }

    @Test
    void shouldResumeCaptureWhenTheInterfaceGoesDownAndUp() throws Exception {
        try (AfPacketSource source = open(small("vb"))) {
            for (int i = 0; i < 5; i++) {
                sender.send(Frames.udp(i, 100, IP_A, IP_B, 9, 9));
            }
            List<Captured> early = Captured.ours(Captured.drain(5, DRAIN_LIMIT, source).getFirst());
            net.ip("link", "set", "vb", "down");
            net.ip("link", "set", "vb", "up");
            net.awaitUp("va");
            net.awaitUp("vb");
            for (int i = 5; i < 10; i++) {
                sender.send(Frames.udp(i, 100, IP_A, IP_B, 9, 9));
            }
            List<Captured> late = Captured.ours(Captured.drain(5, DRAIN_LIMIT, source).getFirst());

            assertThat(early).hasSize(5);
            assertThat(late).hasSize(5);
            assertThat(source.interfaceDownEvents()).isEqualTo(1);
            assertThat(source.warnings()).singleElement().asString().contains("vb: interface went down");
        }
    }

    @Test
    void shouldChooseTheLinkTypeFromTheHardwareTypeWhenOpening() throws Exception {
        try (AfPacketSource veth = open(small("vb")); AfPacketSource loopback = open(small("lo"))) {
            assertThat(veth.linkType()).isEqualTo(LinkTypes.ETHERNET);
            assertThat(loopback.linkType()).isEqualTo(LinkTypes.ETHERNET);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(net.hasLink("tn0"), "no tun device in this kernel");
        try (AfPacketSource tun = open(small("tn0"))) {
            assertThat(tun.linkType()).isEqualTo(LinkTypes.RAW);
        }
    }

    @Test
    void shouldFailNamingTheInterfaceWhenItDoesNotExist() {
        assertThatThrownBy(() -> open(small("nosuch0")))
                .isInstanceOf(CaptureException.class)
                .satisfies(e -> System.out.println("error: " + e.getMessage()))
                .hasMessageContaining("nosuch0")
                .hasMessageContaining("no such interface: No such device (ENODEV)");
    }

    @Test
    void shouldFailWhenTheInterfaceIsDown() {
        assertThatThrownBy(() -> open(small("vc")))
                .isInstanceOf(CaptureException.class)
                .satisfies(e -> System.out.println("error: " + e.getMessage()))
                .hasMessageContaining("vc")
                .hasMessageContaining("interface is down")
                .hasMessageContaining("ENETDOWN");
    }

    @Test
    void shouldFailWithACapabilityHintWhenCapNetRawIsMissing() {
        assertThatThrownBy(() -> net.call(() -> {
            dropCapabilitiesFromThisThread(CAP_NET_RAW);
            return AfPacketSource.open(small("vb"));
        }))
                .isInstanceOf(CaptureException.class)
                .satisfies(e -> System.out.println("error: " + e.getMessage()))
                .hasMessageContaining("vb")
                .hasMessageContaining("Operation not permitted (EPERM)")
                .hasMessageContaining("CAP_NET_RAW");
    }

    @Test
    void shouldRoundTripCapturedFramesThroughAPcapFile() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "afpacket-" + System.nanoTime() + ".pcap");
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(Frames.tagged(Frames.udp(i, 300, IP_A, IP_B, 5353, 5353), Frames.TPID_8021Q, 1000));
        }
        try (AfPacketSource source = open(small("vb"))) {
            sent.forEach(sender::send);
            try (PcapWriter writer = new PcapWriter(file, LinkTypes.ETHERNET, 65535)) {
                for (Captured c : Captured.ours(Captured.drain(sent.size(), DRAIN_LIMIT, source).getFirst())) {
                    writer.write(c.tsSeconds(), c.tsNanos() / 1000, c.bytes(), 0, c.bytes().length, c.wireLength());
                }
            }
        }
        Set<String> read = new HashSet<>();
        try (PcapReader reader = new PcapReader(file)) {
            RawPacket p = new RawPacket();
            while (reader.next(p)) {
                read.add(hex(p.segment.asSlice(p.offset, p.capturedLength).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        assertThat(read).hasSize(sent.size());
        assertThat(read).allSatisfy(h -> assertThat(h).startsWith("02504b54000202504b5400010800"));
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Test
    void shouldCaptureInPromiscuousModeWhenOnlyCapNetRawIsHeld() throws Exception {
        // Every capability but CAP_NET_RAW dropped from the opening thread.
        long allButNetRaw = ~(1L << CAP_NET_RAW) & ((1L << 41) - 1);
        try (AfPacketSource source = net.call(() -> {
            dropCapabilitiesFromThisThread(allButNetRaw);
            return AfPacketSource.open(small("vb").withFanout(4242, FanoutMode.HASH)
                    .withFilter(BpfProgram.ACCEPT_ALL));
        })) {
            // Promiscuous mode from a packet socket shows in the promiscuity count, not in the PROMISC flag.
            assertThat(net.ip("-details", "link", "show", "vb")).contains("promiscuity 1");
            sender.send(Frames.udp(1, 100, IP_A, IP_B, 1, 2));
            assertThat(Captured.ours(Captured.drain(1, DRAIN_LIMIT, source).getFirst())).hasSize(1);
        }
        assertThat(net.ip("-details", "link", "show", "vb")).contains("promiscuity 0");
    }

    private static final int CAP_NET_RAW = 13;

    private static void dropCapabilitiesFromThisThread(int capability) {
        dropCapabilitiesFromThisThread(1L << capability);
    }

    /** Clears {@code mask} from the effective set of the calling thread only (capget/capset). */
    private static void dropCapabilitiesFromThisThread(long mask) {
        MethodHandle capget = Libc.downcall("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle capset = Libc.downcall("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newErrnoState(arena);
            MemorySegment header = arena.allocate(8, 4);
            header.set(JAVA_INT, 0, 0x20080522); // _LINUX_CAPABILITY_VERSION_3
            header.set(JAVA_INT, 4, 0);          // pid 0: this thread
            MemorySegment data = arena.allocate(24, 4); // two of {effective, permitted, inheritable}
            if ((int) capget.invokeExact(state, header, data) != 0) {
                throw new IllegalStateException("capget: " + Libc.describe(Libc.errno(state)));
            }
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & ~(int) mask);           // effective, caps 0..31
            data.set(JAVA_INT, 12, data.get(JAVA_INT, 12) & ~(int) (mask >>> 32)); // effective, caps 32..63
            if ((int) capset.invokeExact(state, header, data) != 0) {
                throw new IllegalStateException("capset: " + Libc.describe(Libc.errno(state)));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
