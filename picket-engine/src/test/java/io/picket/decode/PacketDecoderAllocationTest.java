package io.picket.decode;

import io.picket.capture.RawPacket;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** The steady path (complete, non-fragmented packets) must not allocate. */
class PacketDecoderAllocationTest {
    private static final int WARMUP = 200_000;
    private static final int MEASURED = 100_000;

    private static long allocatedBytesWhileDecoding(RawPacket raw) {
        PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
        Packet out = new Packet();
        int sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += decoder.decode(raw, out);
        }
        long fewest = io.picket.testing.Allocations.fewest(3, () -> {
            long results = 0;
            for (int i = 0; i < MEASURED; i++) {
                results += decoder.decode(raw, out);
            }
            return results;
        });
        assertThat(sink).isGreaterThanOrEqualTo(0);
        return fewest;
    }

    @Test
    void shouldNotAllocateWhenDecodingSameTcpFrame() {
        assertThat(allocatedBytesWhileDecoding(Frames.raw(1, RealFrames.TCP_SYN))).isLessThan(1024);
    }

    @Test
    void shouldNotAllocateWhenDecodingQinQUdpAndIpv6Frames() {
        assertThat(allocatedBytesWhileDecoding(Frames.raw(1, RealFrames.QINQ_UDP))).isLessThan(1024);
        assertThat(allocatedBytesWhileDecoding(Frames.raw(1, RealFrames.IPV6_DNS_QUERY))).isLessThan(1024);
    }
}
