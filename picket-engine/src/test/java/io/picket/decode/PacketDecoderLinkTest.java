package io.picket.decode;

import io.picket.capture.RawPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.picket.decode.Frames.cat;
import static io.picket.decode.Frames.ethernet;
import static io.picket.decode.Frames.hex;
import static io.picket.decode.Frames.raw;
import static io.picket.decode.Frames.tag;
import static io.picket.decode.Frames.u16;
import static io.picket.decode.Frames.udp;
import static io.picket.decode.Frames.v4;
import static io.picket.decode.PacketDecoder.DROPPED;
import static io.picket.decode.PacketDecoder.IP;
import static io.picket.decode.PacketDecoder.NON_IP;
import static org.assertj.core.api.Assertions.assertThat;

class PacketDecoderLinkTest {
    private final RecordingWeirds weirds = new RecordingWeirds();
    private final PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), weirds);
    private final Packet out = new Packet();

    /** IPv4 UDP 10.0.0.1:1234 -> 10.0.0.2:53 carrying "hello", checksums valid. */
    static byte[] udp4() {
        return Frames.withTransportChecksum(v4(17).build(udp(1234, 53, "hello".getBytes())), 20, 17);
    }

    /** IPv6 UDP 2001:db8::1:1234 -> 2001:db8::2:53 carrying "hello", checksum valid. */
    static byte[] udp6() {
        return Frames.withTransportChecksum(
                Frames.ipv6(17, "2001:db8::1", "2001:db8::2", udp(1234, 53, "hello".getBytes())), 40, 17);
    }

    private int decode(RawPacket raw) {
        return decoder.decode(raw, out);
    }

    private void assertUdp4() {
        assertThat(out.ipVersion).isEqualTo(4);
        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("10.0.0.1");
        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("10.0.0.2");
        assertThat(out.ipProto).isEqualTo(17);
        assertThat(out.srcPort).isEqualTo(1234);
        assertThat(out.dstPort).isEqualTo(53);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).isEmpty();
    }

    // ---------------------------------------------------------------- Ethernet

    @Test
    void shouldDecodeUdpWhenPlainEthernet() {
        assertThat(decode(raw(1, ethernet(0x0800, udp4())))).isEqualTo(IP);

        assertUdp4();
        assertThat(out.vlan).isEqualTo(Packet.NO_VLAN);
        assertThat(out.innerVlan).isEqualTo(Packet.NO_VLAN);
        assertThat(out.vlanTags).isZero();
        assertThat(out.time).isEqualTo(1_700_000_000.123456);
        assertThat(out.timeMicros).isEqualTo(1_700_000_000_123_456L);
        assertThat(decoder.counters().ip()).isEqualTo(1);
    }

    @Test
    void shouldUseTotalLengthWhenEthernetPadded() {
        byte[] ip = v4(6).build(Frames.tcp(1, 2, 0, 0, Packet.TCP_ACK, new byte[0], new byte[0]));
        Frames.withTransportChecksum(ip, 20, 6);
        byte[] frame = cat(ethernet(0x0800, ip), new byte[6]); // 40-byte datagram + 6 bytes of padding = 60

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.ipTotalLength).isEqualTo(40);
        assertThat(out.ipCapturedLength).isEqualTo(40);
        assertThat(out.l4Length).isEqualTo(20);
        assertThat(out.l4CapturedLength).isEqualTo(20);
        assertThat(out.payloadLength).isZero();
        assertThat(out.payloadCapturedLength).isZero();
        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldReturnNonIpWhenArp() {
        byte[] arp = hex("0001 0800 06 04 0001"            // htype Ethernet, ptype IPv4, hlen 6, plen 4, request
                + "667788 99aabb 0a000001"                  // sender MAC, sender IP
                + "000000 000000 0a000002");                // target MAC, target IP

        assertThat(decode(raw(1, ethernet(0x0806, arp)))).isEqualTo(NON_IP);

        assertThat(out.ipVersion).isZero();
        assertThat(weirds.seen).isEmpty();
        assertThat(decoder.counters().nonIp()).isEqualTo(1);
    }

    @Test
    void shouldRaiseTruncatedArpWhenAddressesMissing() {
        byte[] arp = hex("0001 0800 06 04 0001 667788 99aabb"); // header and sender MAC only

        assertThat(decode(raw(1, ethernet(0x0806, arp)))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_ARP);
        assertThat(weirds.seen.getFirst().flow()).isFalse();
    }

    @Test
    void shouldRaiseTruncatedEthernetFrameWhenSixteenBytesOrLess() {
        byte[] frame = hex("001122334455 66778899aabb 0800 4500"); // dst, src, type IPv4, 2 bytes

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_ETHERNET_FRAME);
        assertThat(DecodeWeird.TRUNCATED_ETHERNET_FRAME.source()).isEqualTo("Ethernet");
        assertThat(decoder.counters().dropped()).isEqualTo(1);
        assertThat(decoder.counters().weird("truncated_ethernet_frame")).isEqualTo(1);
    }

    @Test
    void shouldRaiseUndefinedEtherTypeWhenTypeBetween1500And1536() {
        assertThat(decode(raw(1, ethernet(0x05DD, udp4())))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("undefined_ether_type");
    }

    @Test
    void shouldReturnNonIpWhenUnknownEtherType() {
        assertThat(decode(raw(1, ethernet(0x88CC, new byte[40])))).isEqualTo(NON_IP); // LLDP

        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldReturnNonIpWhenPbbEtherType() {
        assertThat(decode(raw(1, ethernet(0x88E7, new byte[64])))).isEqualTo(NON_IP);
    }

    // ---------------------------------------------------------------- 802.3

    @Test
    void shouldReturnNonIpWhenLlcFrame() {
        byte[] stp = cat(hex("42 42 03"), new byte[35]);       // DSAP/SSAP STP, UI, BPDU

        assertThat(decode(raw(1, ethernet(stp.length, stp)))).isEqualTo(NON_IP);

        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldRaiseTruncatedEthernetFrameWhenLengthFieldExceedsFrame() {
        byte[] llc = cat(hex("42 42 03"), new byte[10]);

        assertThat(decode(raw(1, ethernet(100, llc)))).isEqualTo(DROPPED); // length 100, 13 bytes present

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_ETHERNET_FRAME);
    }

    @Test
    void shouldDecodeIpWhenSnapCarriesIpv4() {
        byte[] snap = cat(hex("AA AA 03"),                     // DSAP, SSAP SNAP, UI
                hex("00 00 00 0800"),                           // OUI 0, EtherType IPv4
                udp4());

        assertThat(decode(raw(1, ethernet(snap.length, snap)))).isEqualTo(IP);

        assertUdp4();
    }

    @Test
    void shouldReturnNonIpWhenSnapOuiNonZero() {
        byte[] snap = cat(hex("AA AA 03 00000C 2000"), new byte[30]); // Cisco OUI, CDP

        assertThat(decode(raw(1, ethernet(snap.length, snap)))).isEqualTo(NON_IP);
    }

    @Test
    void shouldRaiseTruncatedSnapHeaderWhenOuiCut() {
        byte[] snap = hex("AA AA 03 00 00");                    // LLC and two bytes of OUI

        assertThat(decode(raw(1, ethernet(snap.length, snap)))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_SNAP_HEADER);
    }

    @Test
    void shouldRaiseNoSuitableAnalyzerWhenNovellRaw() {
        byte[] ipx = cat(hex("FF FF"), new byte[28]);          // IPX checksum field 0xFFFF

        assertThat(decode(raw(1, ethernet(ipx.length, ipx)))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.NOVELL_NO_SUITABLE_ANALYZER_FOUND);
        assertThat(weirds.names()).containsExactly("no_suitable_analyzer_found");
        assertThat(DecodeWeird.NOVELL_NO_SUITABLE_ANALYZER_FOUND.source()).isEqualTo("Novell_802_3");
    }

    // ---------------------------------------------------------------- Cisco FabricPath

    @Test
    void shouldSkipFabricPathWhenEtherType8903() {
        byte[] frame = cat(hex("0a0b0c0d0e0f 010203040506 8903 0000"), // FabricPath outer DA, SA, type, FTag/TTL
                ethernet(0x0800, udp4()));                              // encapsulated Ethernet frame

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertUdp4();
    }

    @Test
    void shouldRaiseTruncatedCfpWhenFabricPathFrameShort() {
        byte[] frame = cat(hex("0a0b0c0d0e0f 010203040506 8903 0000"), new byte[14]); // 30 bytes

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_LINK_HEADER_CFP);
    }

    // ---------------------------------------------------------------- VLAN

    @Test
    void shouldSetVlanWhenSingleTag() {
        byte[] frame = ethernet(0x8100, tag(0x2064, 0x0800, udp4())); // PCP 1, VID 100

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertUdp4();
        assertThat(out.vlan).isEqualTo(100);
        assertThat(out.innerVlan).isEqualTo(Packet.NO_VLAN);
        assertThat(out.vlanTags).isEqualTo(1);
    }

    @Test
    void shouldSetInnerVlanWhenQinQ8021ad() {
        byte[] frame = ethernet(0x88A8, tag(300, 0x8100, tag(42, 0x0800, udp4()))); // S-tag 300, C-tag 42

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertUdp4();
        assertThat(out.vlan).isEqualTo(300);
        assertThat(out.innerVlan).isEqualTo(42);
        assertThat(out.vlanTags).isEqualTo(2);
    }

    @Test
    void shouldSetVlanWhenOuterTag9100() {
        byte[] frame = ethernet(0x9100, tag(7, 0x8100, tag(8, 0x0800, udp4())));

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.vlan).isEqualTo(7);
        assertThat(out.innerVlan).isEqualTo(8);
    }

    @Test
    void shouldReturnNonIpWhen88a8InsideVlan() {
        // Zeek's VLAN analyzer only nests 0x8100
        byte[] frame = ethernet(0x8100, tag(7, 0x88A8, tag(8, 0x0800, udp4())));

        assertThat(decode(raw(1, frame))).isEqualTo(NON_IP);

        assertThat(out.vlan).isEqualTo(7);
    }

    @Test
    void shouldKeepTwoTagsAndRaiseWeirdWhenTripleTagged() {
        byte[] frame = ethernet(0x8100, tag(30, 0x8100, tag(20, 0x8100, tag(10, 0x0800, udp4()))));

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.vlan).isEqualTo(30);
        assertThat(out.innerVlan).isEqualTo(10);
        assertThat(out.vlanTags).isEqualTo(3);
        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("triple_tagged_vlan_unsupported");
            assertThat(w.addl()).isEqualTo("inner VLAN tag overwritten");
            assertThat(w.weird().source()).isEqualTo("VLAN");
            assertThat(w.flow()).isFalse();
        });
    }

    @Test
    void shouldMatchZeekWhenRealQinQinQFrame() {
        // Zeek's weird.log for vlan-qinqinq.pcap: triple_tagged_vlan_unsupported, addl
        // "inner VLAN tag overwritten", source VLAN, no addresses
        assertThat(decode(raw(1, RealFrames.QINQINQ_TCP_SYN))).isEqualTo(IP);

        assertThat(out.vlan).isEqualTo(30);
        assertThat(out.innerVlan).isEqualTo(10);
        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("141.142.228.5");
        assertThat(out.srcPort).isEqualTo(59856);
        assertThat(out.dstPort).isEqualTo(80);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_SYN);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).extracting(RecordingWeirds.Seen::name, RecordingWeirds.Seen::addl,
                        w -> w.weird().source(), RecordingWeirds.Seen::flow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "triple_tagged_vlan_unsupported", "inner VLAN tag overwritten", "VLAN", false));
    }

    @Test
    void shouldDecodeRealQinQFrame() {
        assertThat(decode(raw(1, RealFrames.QINQ_UDP))).isEqualTo(IP);

        assertThat(out.vlan).isEqualTo(13);
        assertThat(out.innerVlan).isEqualTo(10);
        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("172.19.51.37");
        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("172.19.51.63");
        assertThat(out.srcPort).isEqualTo(47808);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldRaiseTruncatedVlanHeaderWhenFourBytesOrLess() {
        byte[] frame = cat(hex("001122334455 66778899aabb 8100"), // dst, src, VLAN
                hex("0064 0800"));                                 // TCI, type, nothing after

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_VLAN_HEADER);
    }

    @Test
    void shouldRaiseUndefinedVlanProtocolWhenTypeBetween1500And1536() {
        assertThat(decode(raw(1, ethernet(0x8100, tag(5, 0x05F0, udp4()))))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("undefined_vlan_protocol");
    }

    @Test
    void shouldTrimToLengthFieldWhenVlanCarriesSnap() {
        byte[] snap = cat(hex("AA AA 03 000000 0800"), udp4());
        byte[] frame = cat(ethernet(0x8100, tag(9, snap.length, snap)), new byte[12]); // trailing padding

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertUdp4();
        assertThat(out.vlan).isEqualTo(9);
    }

    @Test
    void shouldRaiseTruncatedSnapLlcHeaderWhenVlanLengthFieldTooSmall() {
        byte[] frame = ethernet(0x8100, tag(9, 2, cat(hex("AA AA 03"), new byte[40]))); // 802.3 length 2

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_SNAP_LLC_HEADER);
    }

    @Test
    void shouldRaiseTruncatedLlcHeaderWhenVlanLengthFieldTooSmall() {
        byte[] frame = ethernet(0x8100, tag(9, 2, cat(hex("42 42 03"), new byte[40])));

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_LLC_HEADER);
    }

    @Test
    void shouldUseOutOfBandTagAsOuterWhenLiveCapture() {
        RawPacket plain = raw(1, ethernet(0x0800, udp4()));
        plain.outOfBandVlanTci = 0x2064;

        assertThat(decode(plain)).isEqualTo(IP);
        assertThat(out.vlan).isEqualTo(100);
        assertThat(out.innerVlan).isEqualTo(Packet.NO_VLAN);

        RawPacket tagged = raw(1, ethernet(0x8100, tag(200, 0x0800, udp4())));
        tagged.outOfBandVlanTci = 100;

        assertThat(decode(tagged)).isEqualTo(IP);
        assertThat(out.vlan).isEqualTo(100);
        assertThat(out.innerVlan).isEqualTo(200);
        assertThat(out.vlanTags).isEqualTo(2);
    }

    // ---------------------------------------------------------------- MPLS, PPPoE, VNTag

    @Test
    void shouldDecodeIpWhenMplsLabelStack() {
        byte[] frame = ethernet(0x8847, cat(
                hex("00064 0 40"),                              // label 100, TC 0, S=0, TTL 64
                hex("000C8 1 40"),                              // label 200, TC 0, S=1, TTL 64
                udp6()));

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(out.dstPort).isEqualTo(53);
        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldRaiseTruncatedLinkHeaderWhenMplsStackNeverEnds() {
        byte[] frame = ethernet(0x8847, hex("00064040 000C8040 00000040")); // no bottom-of-stack bit

        assertThat(decode(raw(1, frame))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("truncated_link_header");
            assertThat(w.weird().source()).isEqualTo("MPLS");
        });
    }

    @Test
    void shouldDecodeIpWhenPppoeSession() {
        byte[] ip = udp4();
        byte[] pppoe = cat(hex("11 00 1234"),                 // ver/type, code session, session id
                u16(ip.length + 2),                             // PPPoE payload length
                hex("0021"),                                    // PPP protocol IPv4
                ip);

        assertThat(decode(raw(1, ethernet(0x8864, pppoe)))).isEqualTo(IP);

        assertUdp4();
    }

    @Test
    void shouldDecodeIpv6WhenPppoeProtocol0057() {
        byte[] ip = udp6();
        byte[] pppoe = cat(hex("11 00 1234"), u16(ip.length + 2), hex("0057"), ip);

        assertThat(decode(raw(1, ethernet(0x8864, pppoe)))).isEqualTo(IP);

        assertThat(out.ipVersion).isEqualTo(6);
    }

    @Test
    void shouldReturnNonIpWhenPppoeCarriesLcp() {
        byte[] pppoe = cat(hex("11 00 1234 000a c021"), new byte[8]);

        assertThat(decode(raw(1, ethernet(0x8864, pppoe)))).isEqualTo(NON_IP);
    }

    @Test
    void shouldRaiseTruncatedPppoeHeaderWhenEightBytesOrLess() {
        assertThat(decode(raw(1, ethernet(0x8864, hex("11 00 1234 0002 0021"))))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_PPPOE_HEADER);
    }

    @Test
    void shouldDecodeVlanWhenVnTagFollowedByTag() {
        byte[] frame = ethernet(0x8926, cat(hex("8001 0002 8100"), // VNTag fields, EtherType 802.1Q
                tag(55, 0x0800, udp4())));

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.vlan).isEqualTo(55);
        assertUdp4();
    }

    @Test
    void shouldRaiseTruncatedVnTagHeaderWhenSixBytesOrLess() {
        assertThat(decode(raw(1, ethernet(0x8926, hex("8001 0002 0800"))))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_VNTAG_HEADER);
    }

    // ---------------------------------------------------------------- Linux cooked, raw, null

    @Test
    void shouldDecodeIpWhenLinuxCookedV1() {
        byte[] frame = cat(hex("0000 0001 0006 667788 99aabb 0000"), // packet type, ARPHRD, addr len, addr (8)
                hex("0800"),                                         // protocol
                udp4());

        assertThat(decode(raw(113, frame))).isEqualTo(IP);

        assertUdp4();
    }

    @Test
    void shouldReturnNonIpWhenLinuxCookedV1CarriesVlan() {
        byte[] frame = cat(hex("0000 0001 0006 667788 99aabb 0000 8100"), tag(5, 0x0800, udp4()));

        assertThat(decode(raw(113, frame))).isEqualTo(NON_IP);
    }

    @Test
    void shouldRaiseTruncatedSllHeaderWhenSixteenBytesOrLess() {
        assertThat(decode(raw(113, hex("0000 0001 0006 667788 99aabb 0000 0800")))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("truncated_Linux_SLL_header");
    }

    @Test
    void shouldDecodeIpWhenLinuxCookedV2() {
        byte[] frame = cat(hex("86dd 0000"),                  // protocol IPv6, reserved
                hex("00000002 0001 00 06"),                     // interface index, ARPHRD, packet type, addr len
                hex("667788 99aabb 0000"),                      // address (8)
                udp6());

        assertThat(decode(raw(276, frame))).isEqualTo(IP);

        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(out.dstPort).isEqualTo(53);
    }

    @Test
    void shouldRaiseTruncatedSll2HeaderWhenTwentyBytesOrLess() {
        assertThat(decode(raw(276, hex("0800 0000 00000002 0001 00 06 667788 99aabb 0000")))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("truncated_Linux_SLL2_header");
    }

    @ParameterizedTest
    @ValueSource(ints = {101, 12, 14, 228, 229})
    void shouldPickIpVersionByNibbleWhenRawLinkType(int linkType) {
        assertThat(decode(raw(linkType, udp4()))).isEqualTo(IP);
        assertThat(out.ipVersion).isEqualTo(4);

        assertThat(decode(raw(linkType, udp6()))).isEqualTo(IP);
        assertThat(out.ipVersion).isEqualTo(6);
    }

    @Test
    void shouldRaiseUnknownIpVersionWhenRawNibbleNotIp() {
        byte[] ip = udp4();
        ip[0] = 0x55;

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("unknown_ip_version");
            assertThat(w.weird().source()).isEqualTo("IP");
            assertThat(w.flow()).isFalse();
        });
    }

    @Test
    void shouldDecodeIpWhenBsdNullFamily() {
        assertThat(decode(raw(0, cat(hex("02000000"), udp4())))).isEqualTo(IP); // AF_INET, little-endian
        assertThat(out.ipVersion).isEqualTo(4);

        assertThat(decode(raw(0, cat(hex("1e000000"), udp6())))).isEqualTo(IP); // AF_INET6 (30), macOS
        assertThat(out.ipVersion).isEqualTo(6);

        assertThat(decode(raw(0, cat(hex("07000000"), udp4())))).isEqualTo(NON_IP); // other family
    }

    @Test
    void shouldRaiseNullAnalyzerFailedWhenFourBytesOrLess() {
        assertThat(decode(raw(0, hex("02000000")))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("null_analyzer_failed");
    }

    @Test
    void shouldCountUnsupportedLinkTypeWhen80211() {
        assertThat(decode(raw(105, new byte[64]))).isEqualTo(NON_IP);

        assertThat(decoder.counters().unsupportedLinkType()).isEqualTo(1);
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldReadWithinWindowWhenFrameAtOffsetInLargerSegment() {
        byte[] frame = ethernet(0x0800, udp4());
        byte[] big = cat(new byte[37], frame);
        java.util.Arrays.fill(big, 0, 37, (byte) 0xFF);
        RawPacket r = raw(1, big);
        r.offset = 37;
        r.capturedLength = frame.length;
        r.wireLength = frame.length;

        assertThat(decode(r)).isEqualTo(IP);

        assertUdp4();
        assertThat(out.l4Offset).isEqualTo(37 + 14 + 20);
        assertThat(out.payloadOffset).isEqualTo(37 + 14 + 20 + 8);
    }
}
