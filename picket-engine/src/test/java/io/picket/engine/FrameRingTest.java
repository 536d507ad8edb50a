package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.RawPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameRingTest {

    private static RawPacket frame(int seq, int len, String iface) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        RawPacket p = new RawPacket();
        p.segment = MemorySegment.ofArray(b);
        p.offset = 0;
        p.capturedLength = len;
        p.wireLength = len + 4;
        p.tsSeconds = 1_700_000_000L + seq;
        p.tsNanos = seq * 1000;
        p.linkType = 1;
        p.interfaceId = 3;
        p.interfaceName = iface;
        p.outOfBandVlanTci = seq % 2 == 0 ? -1 : 1000;
        return p;
    }

    private static void assertFrame(RawPacket got, int seq, int len, String iface) {
        assertThat(got.capturedLength).isEqualTo(len);
        assertThat(got.wireLength).isEqualTo(len + 4);
        assertThat(got.tsSeconds).isEqualTo(1_700_000_000L + seq);
        assertThat(got.tsNanos).isEqualTo(seq * 1000);
        assertThat(got.linkType).isEqualTo(1);
        assertThat(got.interfaceId).isEqualTo(3);
        assertThat(got.interfaceName).isSameAs(iface);
        assertThat(got.outOfBandVlanTci).isEqualTo(seq % 2 == 0 ? -1 : 1000);
        for (int i = 0; i < len; i++) {
            assertThat(got.segment.get(ValueLayout.JAVA_BYTE, got.offset + i)).isEqualTo((byte) (seq * 31 + i));
        }
    }

    @Test
    void shouldHandFramesOverInOrderWhenTheRingWrapsAround() {
        FrameRing ring = new FrameRing(1 << 16, 2);
        RawPacket out = new RawPacket();
        int next = 0;
        for (int seq = 0; seq < 2_000; seq++) {
            int len = 60 + (seq * 977) % 1400;
            assertThat(ring.offer(frame(seq, len, "veth1"), seq % 2, -1)).isEqualTo(FrameRing.QUEUED);
            if (seq % 3 == 2) {
                while (ring.poll(out)) {
                    assertFrame(out, next, 60 + (next * 977) % 1400, "veth1");
                    ring.release();
                    next++;
                }
            }
        }
        while (ring.poll(out)) {
            ring.release();
            next++;
        }
        assertThat(next).isEqualTo(2_000);
        assertThat(ring.waiting(0)).isZero();
        assertThat(ring.waiting(1)).isZero();
    }

    @Test
    void shouldRefuseFramesWhenFullOrOverTheTenantsQuota() {
        FrameRing ring = new FrameRing(1 << 16, 2);
        assertThat(ring.offer(frame(0, 100, "a"), 0, 2)).isEqualTo(FrameRing.QUEUED);
        assertThat(ring.offer(frame(1, 100, "a"), 0, 2)).isEqualTo(FrameRing.QUEUED);
        assertThat(ring.offer(frame(2, 100, "a"), 0, 2)).isEqualTo(FrameRing.OVER_QUOTA);
        assertThat(ring.waiting(0)).isEqualTo(2);
        // tenant 1 is not limited by tenant 0's quota
        assertThat(ring.offer(frame(3, 100, "a"), 1, 2)).isEqualTo(FrameRing.QUEUED);
        RawPacket out = new RawPacket();
        assertThat(ring.poll(out)).isTrue();
        ring.release();
        assertThat(ring.waiting(0)).isEqualTo(1);
        assertThat(ring.offer(frame(4, 100, "a"), 0, 2)).isEqualTo(FrameRing.QUEUED);

        int queued = 0;
        while (ring.offer(frame(5, 1500, "a"), 1, -1) == FrameRing.QUEUED) {
            queued++;
        }
        assertThat(queued).isBetween(30, 44);
        assertThat(ring.offer(frame(6, 1500, "a"), 1, -1)).isEqualTo(FrameRing.FULL);
        // a frame of no tenant is counted apart
        assertThat(ring.offer(frame(7, 40_000, "a"), -1, -1)).isEqualTo(FrameRing.FULL);
    }

    @Property(tries = 20)
    void shouldLoseOrReorderNothingWhenProducerAndConsumerRunConcurrently(
            @ForAll @IntRange(min = 1, max = 64) int ringKiB, @ForAll long seed) throws Exception {
        FrameRing ring = new FrameRing(ringKiB * 1024L, 3);
        int total = 5_000;
        List<Integer> refused = new ArrayList<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            Random r = new Random(seed);
            for (int seq = 0; seq < total; seq++) {
                int len = 40 + r.nextInt(1500);
                if (ring.offer(frame(seq, len, "x"), seq % 3, 64) != FrameRing.QUEUED) {
                    refused.add(seq);
                }
            }
            ring.close();
        });
        RawPacket out = new RawPacket();
        List<Integer> got = new ArrayList<>();
        while (true) {
            boolean closed = ring.closed();
            if (ring.poll(out)) {
                int seq = (int) (out.tsSeconds - 1_700_000_000L);
                assertThat(out.tsNanos).isEqualTo(seq * 1000);
                assertThat(out.segment.get(ValueLayout.JAVA_BYTE, out.offset)).isEqualTo((byte) (seq * 31));
                got.add(seq);
                ring.release();
            } else if (closed) {
                break; // closed before this empty poll: nothing more comes
            }
        }
        producer.join();
        assertThat(got).isSorted();
        assertThat(got.size() + refused.size()).isEqualTo(total);
        for (int t = 0; t < 3; t++) {
            assertThat(ring.waiting(t)).isZero();
        }
    }
}
