package io.picket.decode;

import io.picket.capture.RawPacket;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.picket.decode.Frames.cat;
import static io.picket.decode.Frames.ethernet;
import static io.picket.decode.Frames.fragHeader;
import static io.picket.decode.Frames.ipv6;
import static io.picket.decode.Frames.raw;
import static io.picket.decode.Frames.snapped;
import static io.picket.decode.Frames.tag;
import static io.picket.decode.Frames.udp;
import static io.picket.decode.Frames.v4;
import static io.picket.decode.PacketDecoder.DROPPED;
import static io.picket.decode.PacketDecoder.FRAGMENT;
import static io.picket.decode.PacketDecoder.IP;
import static org.assertj.core.api.Assertions.assertThat;

class FragmentReassemblyTest {
    private final RecordingWeirds weirds = new RecordingWeirds();
    private PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), weirds);
    private final Packet out = new Packet();

    /** UDP 7000 -> 7001 with a 292-byte patterned payload (300 bytes of IP payload), checksum over the whole datagram. */
    private static byte[] datagramPayload() {
        byte[] data = new byte[292];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        byte[] whole = v4(17).build(udp(7000, 7001, data));
        Frames.withTransportChecksum(whole, 20, 17);
        return Arrays.copyOfRange(whole, 20, whole.length);
    }

    private static final byte[] PAYLOAD = datagramPayload();

    /** IPv4 fragment of {@link #PAYLOAD}: bytes [from, to), id 0x4242, MF unless it is the tail. */
    private static RawPacket frag4(int from, int to) {
        return frag4(from, to, to < PAYLOAD.length, 0x4242);
    }

    private static RawPacket frag4(int from, int to, boolean mf, int id) {
        byte[] ip = v4(17).id(id).frag(false, mf, from).build(Arrays.copyOfRange(PAYLOAD, from, to));
        return raw(1, ethernet(0x0800, ip));
    }

    private int decode(RawPacket raw) {
        return decoder.decode(raw, out);
    }

    private void assertReassembled() {
        assertThat(out.reassembled).isTrue();
        assertThat(out.ipVersion).isEqualTo(4);
        assertThat(out.ipTotalLength).isEqualTo(20 + PAYLOAD.length);
        assertThat(out.ipCapturedLength).isEqualTo(20 + PAYLOAD.length);
        assertThat(out.ipProto).isEqualTo(17);
        assertThat(out.srcPort).isEqualTo(7000);
        assertThat(out.dstPort).isEqualTo(7001);
        assertThat(out.l4Length).isEqualTo(PAYLOAD.length);
        assertThat(out.l4CapturedLength).isEqualTo(PAYLOAD.length);
        assertThat(out.payloadLength).isEqualTo(PAYLOAD.length - 8);
        assertThat(out.l4ChecksumOk).isTrue();
        MemorySegment l4 = out.l4Segment.asSlice(out.l4Offset, out.l4Length);
        assertThat(l4.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(PAYLOAD);
    }

    private void assertNothingPending() {
        assertThat(decoder.counters().fragmentDatagramsPending()).isZero();
        assertThat(decoder.counters().fragmentBytesInUse()).isZero();
    }

    @Test
    void shouldReassembleWhenFragmentsInOrder() {
        assertThat(decode(frag4(0, 104))).isEqualTo(FRAGMENT);
        assertThat(out.ipVersion).isEqualTo(4);
        assertThat(out.reassembled).isFalse();
        assertThat(decode(frag4(104, 208))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(208, 300))).isEqualTo(IP);

        assertReassembled();
        assertNothingPending();
        assertThat(weirds.seen).isEmpty();
        assertThat(decoder.counters().fragment()).isEqualTo(2);
        assertThat(decoder.counters().reassembled()).isEqualTo(1);
        assertThat(decoder.counters().ip()).isEqualTo(1);
    }

    @Test
    void shouldReassembleWhenFragmentsOutOfOrder() {
        assertThat(decode(frag4(208, 300))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(0, 104))).isEqualTo(FRAGMENT);
        assertThat(decoder.counters().fragmentDatagramsPending()).isEqualTo(1);
        assertThat(decoder.counters().fragmentBytesInUse()).isPositive();
        assertThat(decode(frag4(104, 208))).isEqualTo(IP);

        assertReassembled();
        assertNothingPending();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldRaiseFragmentOverlapWhenOverlappingBytesEqual() {
        assertThat(decode(frag4(0, 160))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(104, 208))).isEqualTo(FRAGMENT); // 104..160 seen before, same bytes
        assertThat(decode(frag4(208, 300))).isEqualTo(IP);

        assertReassembled();
        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("fragment_overlap");
            assertThat(w.flow()).isTrue();
            assertThat(w.src()).isEqualTo("10.0.0.1");
            assertThat(w.dst()).isEqualTo("10.0.0.2");
            assertThat(w.weird().source()).isNull();
        });
    }

    @Test
    void shouldKeepFirstDataAndRaiseInconsistencyWhenOverlappingBytesDiffer() {
        byte[] forged = Arrays.copyOfRange(PAYLOAD, 104, 208);
        Arrays.fill(forged, 0, 40, (byte) 0x5A);
        byte[] ip = v4(17).id(0x4242).frag(false, true, 104).build(forged);

        assertThat(decode(frag4(0, 160))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(208, 300))).isEqualTo(IP);

        assertReassembled(); // bytes 104..160 come from the first fragment
        assertThat(weirds.names()).containsExactly("fragment_inconsistency");
    }

    @Test
    void shouldReportEachOverlappedBlockWhenFragmentSpansSeveral() {
        assertThat(decode(frag4(0, 48))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(96, 144))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(40, 104))).isEqualTo(FRAGMENT); // overlaps both blocks, fills the gap
        assertThat(decode(frag4(144, 300))).isEqualTo(IP);

        assertReassembled();
        assertThat(weirds.names()).containsExactly("fragment_overlap", "fragment_overlap");
    }

    @Test
    void shouldExpireDatagramWhenTimeoutPassed() {
        RawPacket first = frag4(0, 104);
        first.tsSeconds = 1000;
        RawPacket rest = frag4(104, 300, false, 0x4242);
        rest.tsSeconds = 1300; // 300 s later: Zeek's timer fires before the packet is processed

        assertThat(decode(first)).isEqualTo(FRAGMENT);
        assertThat(decode(rest)).isEqualTo(FRAGMENT);

        assertThat(decoder.counters().fragmentDatagramsExpired()).isEqualTo(1);
        assertThat(decoder.counters().fragmentDatagramsPending()).isEqualTo(1);
        assertThat(out.reassembled).isFalse();
    }

    @Test
    void shouldReassembleWhenLastFragmentJustBeforeTimeout() {
        RawPacket first = frag4(0, 104);
        first.tsSeconds = 1000;
        RawPacket rest = frag4(104, 300, false, 0x4242);
        rest.tsSeconds = 1299;

        assertThat(decode(first)).isEqualTo(FRAGMENT);
        assertThat(decode(rest)).isEqualTo(IP);

        assertReassembled();
        assertThat(decoder.counters().fragmentDatagramsExpired()).isZero();
    }

    @Test
    void shouldEvictOldestWhenMemoryBoundExceeded() {
        decoder = new PacketDecoder(new DecoderOptions(true, 300, 2_000), weirds);

        for (int id = 1; id <= 20; id++) {
            assertThat(decode(frag4(0, 104, true, id))).isEqualTo(FRAGMENT);
        }

        DecoderCounters c = decoder.counters();
        assertThat(c.fragmentDatagramsEvicted()).isPositive();
        assertThat(c.fragmentBytesInUse()).isLessThanOrEqualTo(2_000);
        assertThat(c.fragmentDatagramsPending()).isEqualTo(20 - c.fragmentDatagramsEvicted());
        // the newest datagram survived and still completes
        assertThat(decode(frag4(104, 300, false, 20))).isEqualTo(IP);
        assertReassembled();
        // the oldest one was evicted: its tail starts a new datagram
        assertThat(decode(frag4(104, 300, false, 1))).isEqualTo(FRAGMENT);
    }

    @Test
    void shouldKeepVlansApartWhenSameIdOnTwoVlans() {
        byte[] head = v4(17).id(0x4242).frag(false, true, 0).build(Arrays.copyOfRange(PAYLOAD, 0, 104));
        byte[] tail = v4(17).id(0x4242).frag(false, false, 104).build(Arrays.copyOfRange(PAYLOAD, 104, 300));

        assertThat(decode(raw(1, ethernet(0x8100, tag(1, 0x0800, head))))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(1, ethernet(0x8100, tag(2, 0x0800, tail))))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(1, ethernet(0x8100, tag(1, 0x0800, tail))))).isEqualTo(IP);

        assertReassembled();
        assertThat(out.vlan).isEqualTo(1);
        assertThat(decoder.counters().fragmentDatagramsPending()).isEqualTo(1); // VLAN 2's tail
    }

    @Test
    void shouldRaiseFragmentWithDfWhenDontFragmentSet() {
        byte[] ip = v4(17).id(7).frag(true, true, 0).build(Arrays.copyOfRange(PAYLOAD, 0, 104));

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(FRAGMENT);

        assertThat(weirds.names()).containsExactly("fragment_with_DF");
    }

    @Test
    void shouldRaiseExcessivelySmallFragmentWhenNotLastAndUnder64Bytes() {
        assertThat(decode(frag4(0, 16))).isEqualTo(FRAGMENT); // total length 36

        assertThat(weirds.names()).containsExactly("excessively_small_fragment");
    }

    @Test
    void shouldRaiseExcessivelyLargeFragmentWhenEndBeyond64000() {
        byte[] ip = v4(17).id(9).frag(false, false, 64000).build(new byte[16]);

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(FRAGMENT);

        assertThat(weirds.names()).containsExactly("excessively_large_fragment");
    }

    @Test
    void shouldRaiseSizeInconsistencyWhenTwoLastFragmentsDisagree() {
        assertThat(decode(frag4(208, 300))).isEqualTo(FRAGMENT);
        assertThat(decode(frag4(208, 296, false, 0x4242))).isEqualTo(FRAGMENT);

        assertThat(weirds.names()).containsExactly("fragment_size_inconsistency", "fragment_overlap");
    }

    @Test
    void shouldRaiseProtocolInconsistencyWhenProtocolChanges() {
        byte[] other = v4(6).id(0x4242).frag(false, true, 104).build(Arrays.copyOfRange(PAYLOAD, 104, 208));

        assertThat(decode(frag4(0, 104))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(1, ethernet(0x0800, other)))).isEqualTo(FRAGMENT);

        assertThat(weirds.names()).containsExactly("fragment_protocol_inconsistency");
    }

    @Test
    void shouldAnalyseFirstFragmentAloneWhenIncompletelyCaptured() {
        byte[] frame = ethernet(0x0800, v4(17).id(3).frag(false, true, 0).build(Arrays.copyOfRange(PAYLOAD, 0, 104)));

        assertThat(decode(snapped(1, frame, 14 + 20 + 50))).isEqualTo(IP);

        assertThat(weirds.names()).containsExactly("incompletely_captured_fragment");
        assertThat(weirds.seen.getFirst().flow()).isTrue();
        assertThat(out.reassembled).isFalse();
        assertThat(out.srcPort).isEqualTo(7000);
        assertThat(out.l4Length).isEqualTo(104);
        assertThat(out.l4CapturedLength).isEqualTo(50);
        assertThat(decoder.counters().fragmentDatagramsPending()).isZero();
    }

    @Test
    void shouldDropLaterFragmentWhenIncompletelyCaptured() {
        byte[] frame = ethernet(0x0800, v4(17).id(3).frag(false, true, 104).build(Arrays.copyOfRange(PAYLOAD, 104, 208)));

        assertThat(decode(snapped(1, frame, 14 + 20 + 50))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("incompletely_captured_fragment");
    }

    // ---------------------------------------------------------------- IPv6

    @Test
    void shouldReassembleRealIpv6DnsReply() {
        // ipv6-fragmented-dns.pcap: the DNS reply of Zeek's core.ipv6-frag test, three fragments
        assertThat(decode(raw(1, RealFrames.IPV6_FRAG_FIRST))).isEqualTo(FRAGMENT);
        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(decode(raw(1, RealFrames.IPV6_FRAG_MIDDLE))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(1, RealFrames.IPV6_FRAG_LAST))).isEqualTo(IP);

        assertThat(out.reassembled).isTrue();
        assertThat(out.ipProto).isEqualTo(17);
        assertThat(out.ipHeaderLength).isEqualTo(40);
        assertThat(out.ipTotalLength).isEqualTo(40 + 3238);
        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("2607:f740:b::f93");
        assertThat(out.srcPort).isEqualTo(53);
        assertThat(out.dstPort).isEqualTo(51851);
        assertThat(out.udpLength).isEqualTo(3238);
        assertThat(out.l4Length).isEqualTo(3238);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldReassembleIpv6WhenFragmentableExtensionHeaderFollows() {
        byte[] l4 = udp(9, 10, new byte[100]);
        byte[] fragmentable = cat(Frames.ext(17, Frames.hex("01 04 00000000")), l4); // dst-opts, then UDP
        byte[] whole = ipv6(60, "2001:db8::1", "2001:db8::2", fragmentable);
        Frames.withTransportChecksum(whole, 48, 17);
        byte[] body = Arrays.copyOfRange(whole, 40, whole.length);
        byte[] a = ipv6(44, "2001:db8::1", "2001:db8::2", cat(fragHeader(60, 0, true, 77), Arrays.copyOfRange(body, 0, 64)));
        byte[] b = ipv6(44, "2001:db8::1", "2001:db8::2", cat(fragHeader(60, 64, false, 77), Arrays.copyOfRange(body, 64, body.length)));

        assertThat(decode(raw(101, b))).isEqualTo(FRAGMENT);
        assertThat(decode(raw(101, a))).isEqualTo(IP);

        assertThat(out.reassembled).isTrue();
        assertThat(out.ipHeaderLength).isEqualTo(48);
        assertThat(out.ipProto).isEqualTo(17);
        assertThat(out.ipTotalLength).isEqualTo(40 + body.length);
        assertThat(out.l4ChecksumOk).isTrue();
        // the fixed header's Next Header now names the first fragmentable header, as in Zeek
        assertThat(out.l4Segment.get(ValueLayout.JAVA_BYTE, 6)).isEqualTo((byte) 60);
    }

    @Test
    void shouldCompleteImmediatelyWhenAtomicIpv6Fragment() {
        byte[] l4 = udp(9, 10, new byte[12]);
        byte[] whole = Frames.withTransportChecksum(ipv6(17, "2001:db8::1", "2001:db8::2", l4), 40, 17);
        byte[] ip = ipv6(44, "2001:db8::1", "2001:db8::2", cat(fragHeader(17, 0, false, 5), Arrays.copyOfRange(whole, 40, whole.length)));

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.reassembled).isTrue();
        assertThat(out.ipHeaderLength).isEqualTo(40);
        assertThat(out.l4Length).isEqualTo(20);
        assertThat(out.l4ChecksumOk).isTrue();
    }
}
