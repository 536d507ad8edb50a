package io.picket.decode;

import io.picket.capture.RawPacket;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import static io.picket.decode.Frames.cat;
import static io.picket.decode.Frames.ethernet;
import static io.picket.decode.Frames.ext;
import static io.picket.decode.Frames.fragHeader;
import static io.picket.decode.Frames.hex;
import static io.picket.decode.Frames.ipv6;
import static io.picket.decode.Frames.tag;
import static io.picket.decode.Frames.tcp;
import static io.picket.decode.Frames.udp;
import static io.picket.decode.Frames.v4;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness properties: whatever the bytes, the decoder returns an outcome without throwing, and
 * every read stays inside the captured window (the segments here end exactly at the window, so a
 * read beyond it throws and fails the property).
 */
class PacketDecoderPropertyTest {
    record Sample(int linkType, byte[] frame) {
    }

    private static final List<Sample> SEEDS = seeds();

    private static List<Sample> seeds() {
        byte[] udp4 = Frames.withTransportChecksum(v4(17).build(udp(1, 2, new byte[16])), 20, 17);
        byte[] udp6 = Frames.withTransportChecksum(ipv6(17, "2001:db8::1", "2001:db8::2", udp(1, 2, new byte[16])), 40, 17);
        byte[] tcp4 = Frames.withTransportChecksum(
                v4(6).options(hex("01010101")).build(tcp(1, 2, 3, 4, 0x18, hex("0101080a0000000100000002"), new byte[10])), 24, 6);
        byte[] ext6 = ipv6(0, "2001:db8::1", "2001:db8::2", cat(
                ext(43, hex("01 04 00000000")),                                  // hop-by-hop, PadN
                hex("3c 02 00 01 00000000"), Frames.addr("2001:db8::9"),         // routing type 0, 1 address
                hex("33 02 00 00 c9 10"), Frames.addr("2001:db8::7"), hex("00 00"), // dst-opts, home address
                hex("2c 04 0000 00000001 00000001"), new byte[12],               // AH
                fragHeader(17, 0, true, 9), udp(3, 4, new byte[40])));          // fragment, UDP
        byte[] frag4 = v4(17).id(5).frag(false, true, 0).build(udp(1, 2, new byte[40]));
        byte[] frag4b = v4(17).id(5).frag(false, false, 48).build(new byte[24]);
        byte[] mobility = ipv6(135, "2001:db8::1", "2001:db8::2", cat(hex("3b 01 00 00 0000"), new byte[10]));
        return List.of(
                new Sample(1, RealFrames.QINQINQ_TCP_SYN),
                new Sample(1, RealFrames.TCP_SYN),
                new Sample(1, RealFrames.QINQ_UDP),
                new Sample(1, RealFrames.DNS_REPLY_BAD_UDP_CHECKSUM),
                new Sample(1, RealFrames.IPV6_DNS_QUERY),
                new Sample(1, RealFrames.IPV6_FRAG_FIRST),
                new Sample(1, RealFrames.IPV6_FRAG_LAST),
                new Sample(1, ethernet(0x88A8, tag(1, 0x8100, tag(2, 0x8847, cat(hex("00064140"), tcp4))))),
                new Sample(1, ethernet(0x8864, cat(hex("1100 0001"), Frames.u16(udp6.length + 2), hex("0057"), udp6))),
                new Sample(1, ethernet(0x8926, cat(hex("8001 0002 8100"), tag(3, 0x0800, udp4)))),
                new Sample(1, ethernet(udp4.length + 8, cat(hex("AAAA03 000000 0800"), udp4))),
                new Sample(1, ethernet(0x8100, tag(4, 40, cat(hex("AAAA03 000000 0806"), new byte[28])))),
                new Sample(1, ethernet(0x0806, hex("0001 0800 06 04 0001 667788 99aabb 0a000001 000000 000000 0a000002"))),
                new Sample(1, cat(hex("0a0b0c0d0e0f 010203040506 8903 0000"), ethernet(0x0800, frag4))),
                new Sample(1, ethernet(0x0800, frag4b)),
                new Sample(113, cat(hex("0000 0001 0006 667788 99aabb 0000 86dd"), ext6)),
                new Sample(276, cat(hex("0800 0000 00000002 0001 00 06 667788 99aabb 0000"), tcp4)),
                new Sample(0, cat(hex("1e000000"), mobility)),
                new Sample(101, udp6),
                new Sample(228, udp4));
    }

    @Provide
    Arbitrary<Integer> linkTypes() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, 9, 12, 14, 101, 105, 108, 113, 228, 229, 276),
                Arbitraries.integers());
    }

    @Provide
    Arbitrary<Sample> mutated() {
        return Arbitraries.of(SEEDS).flatMap(s -> {
            int n = s.frame().length;
            Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, n - 1).list().ofMaxSize(6);
            Arbitrary<List<Byte>> values = Arbitraries.bytes().list().ofSize(6);
            Arbitrary<Integer> cut = Arbitraries.oneOf(Arbitraries.just(n), Arbitraries.integers().between(0, n));
            return Combinators.combine(positions, values, cut).as((p, v, c) -> {
                byte[] f = s.frame().clone();
                for (int i = 0; i < p.size(); i++) {
                    f[p.get(i)] = v.get(i);
                }
                return new Sample(s.linkType(), Arrays.copyOf(f, c));
            });
        });
    }

    @Provide
    Arbitrary<List<Sample>> mutatedSequences() {
        return mutated().list().ofMinSize(1).ofMaxSize(40);
    }

    private static RawPacket exact(Sample s, int wireLength) {
        return Frames.raw(s.linkType(), s.frame(), wireLength);
    }

    private static void assertConsistent(int result, Packet p, RawPacket raw) {
        assertThat(result).isBetween(PacketDecoder.IP, PacketDecoder.FRAGMENT);
        if (result != PacketDecoder.IP) {
            return;
        }
        assertThat(p.ipVersion).isIn(4, 6);
        assertThat(p.l4Segment).isNotNull();
        assertThat(p.l4CapturedLength).isBetween(0, Math.max(0, p.l4Length));
        // the captured transport bytes are readable (slicing checks the bounds)
        p.l4Segment.asSlice(p.l4Offset, p.l4CapturedLength);
        if (p.transportWeird == null) {
            assertThat(p.payloadCapturedLength).isBetween(0, Math.max(0, p.payloadLength));
            p.l4Segment.asSlice(p.payloadOffset, p.payloadCapturedLength);
        }
        if (!p.reassembled) {
            assertThat(p.l4Segment).isSameAs(raw.segment);
            assertThat(p.l4Offset + p.l4CapturedLength).isLessThanOrEqualTo(raw.offset + raw.capturedLength);
        }
    }

    @Property(tries = 3000)
    void shouldNeverThrowWhenArbitraryBytes(@ForAll @Size(max = 300) byte[] bytes, @ForAll("linkTypes") int linkType,
                                            @ForAll @IntRange(min = -20, max = 300) int extraWire, @ForAll boolean verify,
                                            @ForAll @IntRange(min = -1, max = 0xFFFF) int oobTci) {
        PacketDecoder decoder = new PacketDecoder(new DecoderOptions(verify, 300, 1 << 20), (n, a, p) -> { });
        Packet out = new Packet();
        RawPacket raw = Frames.raw(linkType, bytes, bytes.length + extraWire);
        raw.outOfBandVlanTci = oobTci;

        int result = decoder.decode(raw, out);

        assertConsistent(result, out, raw);
    }

    @Property(tries = 3000)
    void shouldNeverThrowWhenRealFramesMutated(@ForAll("mutated") Sample sample, @ForAll boolean verify) {
        PacketDecoder decoder = new PacketDecoder(new DecoderOptions(verify, 300, 1 << 20), (n, a, p) -> { });
        Packet out = new Packet();
        RawPacket raw = exact(sample, sample.frame().length);

        int result = decoder.decode(raw, out);

        assertConsistent(result, out, raw);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenMutatedFramesShareOneDecoder(@ForAll("mutatedSequences") List<Sample> samples,
                                                          @ForAll @IntRange(max = 4000) int maxFragmentBytes) {
        PacketDecoder decoder = new PacketDecoder(new DecoderOptions(true, 300, 1 + maxFragmentBytes), (n, a, p) -> { });
        Packet out = new Packet();
        long seconds = 1_000;
        for (Sample s : samples) {
            RawPacket raw = exact(s, s.frame().length);
            raw.tsSeconds = seconds;
            seconds += (s.frame().length & 1) * 200; // sometimes move past the fragment timeout

            assertConsistent(decoder.decode(raw, out), out, raw);
        }
        DecoderCounters c = decoder.counters();
        assertThat(c.fragmentBytesInUse()).isBetween(0L, 1L + maxFragmentBytes);
        assertThat(c.ip() + c.nonIp() + c.dropped() + c.fragment()).isEqualTo(samples.size());
    }

    @Property(tries = 500)
    void shouldDecodeSameWhenFrameAtOffsetInLargerSegment(@ForAll("mutated") Sample sample,
                                                          @ForAll @IntRange(min = 1, max = 64) int offset) {
        byte[] frame = sample.frame();
        byte[] big = new byte[offset + frame.length + 16];
        Arrays.fill(big, (byte) 0xA5);
        System.arraycopy(frame, 0, big, offset, frame.length);
        RawPacket placed = Frames.raw(sample.linkType(), big, frame.length);
        placed.offset = offset;
        placed.capturedLength = frame.length;
        RawPacket exact = exact(sample, frame.length);
        Packet a = new Packet();
        Packet b = new Packet();
        RecordingWeirds wa = new RecordingWeirds();
        RecordingWeirds wb = new RecordingWeirds();

        int ra = new PacketDecoder(DecoderOptions.defaults(), wa).decode(exact, a);
        int rb = new PacketDecoder(DecoderOptions.defaults(), wb).decode(placed, b);

        assertThat(rb).isEqualTo(ra);
        assertThat(wb.seen).isEqualTo(wa.seen);
        assertThat(b.ipVersion).isEqualTo(a.ipVersion);
        assertThat(new long[] {b.srcHi, b.srcLo, b.dstHi, b.dstLo}).containsExactly(a.srcHi, a.srcLo, a.dstHi, a.dstLo);
        assertThat(new int[] {b.vlan, b.innerVlan, b.ipProto, b.srcPort, b.dstPort, b.l4Length, b.l4CapturedLength,
                b.payloadLength, b.icmpType, b.tcpFlags})
                .containsExactly(a.vlan, a.innerVlan, a.ipProto, a.srcPort, a.dstPort, a.l4Length, a.l4CapturedLength,
                        a.payloadLength, a.icmpType, a.tcpFlags);
        assertThat(b.l4ChecksumOk).isEqualTo(a.l4ChecksumOk);
        if (ra == PacketDecoder.IP && !a.reassembled) {
            assertThat(b.l4Offset - offset).isEqualTo(a.l4Offset);
        }
    }

    @Property(tries = 200)
    void shouldReassembleAnyOrderWhenFragmentsShuffled(@ForAll("fragmentOrders") List<Integer> order) {
        byte[] data = new byte[400];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        byte[] whole = Frames.withTransportChecksum(v4(17).build(udp(5, 6, data)), 20, 17);
        byte[] payload = Arrays.copyOfRange(whole, 20, whole.length); // 408 bytes = 8 pieces of 48 + 24
        PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), (n, a, p) -> { });
        Packet out = new Packet();
        int results = 0;
        for (int i = 0; i < order.size(); i++) {
            int piece = order.get(i);
            int from = piece * 48;
            int to = Math.min(payload.length, from + 48);
            byte[] ip = v4(17).id(77).frag(false, to < payload.length, from).build(Arrays.copyOfRange(payload, from, to));
            int r = decoder.decode(Frames.raw(101, ip), out);
            if (i < order.size() - 1) {
                assertThat(r).isEqualTo(PacketDecoder.FRAGMENT);
            } else {
                assertThat(r).isEqualTo(PacketDecoder.IP);
                results++;
            }
        }
        assertThat(results).isEqualTo(1);
        assertThat(out.l4ChecksumOk).isTrue();
        MemorySegment l4 = out.l4Segment.asSlice(out.l4Offset, out.l4Length);
        assertThat(l4.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(payload);
    }

    @Provide
    Arbitrary<List<Integer>> fragmentOrders() {
        return Arbitraries.shuffle(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }
}
