package io.picket.decode;

import io.picket.capture.RawPacket;
import org.junit.jupiter.api.Test;

import static io.picket.decode.Frames.cat;
import static io.picket.decode.Frames.ethernet;
import static io.picket.decode.Frames.hex;
import static io.picket.decode.Frames.icmp;
import static io.picket.decode.Frames.ipv6;
import static io.picket.decode.Frames.raw;
import static io.picket.decode.Frames.snapped;
import static io.picket.decode.Frames.tcp;
import static io.picket.decode.Frames.u16;
import static io.picket.decode.Frames.udp;
import static io.picket.decode.Frames.v4;
import static io.picket.decode.Frames.withTransportChecksum;
import static io.picket.decode.PacketDecoder.DROPPED;
import static io.picket.decode.PacketDecoder.IP;
import static org.assertj.core.api.Assertions.assertThat;

class PacketDecoderTransportTest {
    private final RecordingWeirds weirds = new RecordingWeirds();
    private PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), weirds);
    private final Packet out = new Packet();

    private int decode(RawPacket raw) {
        return decoder.decode(raw, out);
    }

    private static byte[] tcp4(byte[] options, byte[] payload) {
        byte[] ip = v4(6).src("192.168.1.10").dst("93.184.216.34")
                .build(tcp(51000, 443, 0xFFFF_FFF0L, 0x8000_0001L, Packet.TCP_PSH | Packet.TCP_ACK, options, payload));
        return withTransportChecksum(ip, 20, 6);
    }

    // ---------------------------------------------------------------- TCP

    @Test
    void shouldFillTcpFieldsWhenSegmentWithOptionsAndPayload() {
        byte[] options = hex("0101 080a 00000001 00000002"); // NOP NOP timestamps
        byte[] frame = ethernet(0x0800, tcp4(options, "GET / HTTP/1.1\r\n".getBytes()));

        assertThat(decode(raw(1, frame))).isEqualTo(IP);

        assertThat(out.srcPort).isEqualTo(51000);
        assertThat(out.dstPort).isEqualTo(443);
        assertThat(out.seq).isEqualTo(0xFFFF_FFF0L);
        assertThat(out.ack).isEqualTo(0x8000_0001L);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_PSH | Packet.TCP_ACK);
        assertThat(out.window).isEqualTo(65535);
        assertThat(out.tcpHeaderLength).isEqualTo(32);
        assertThat(out.l4Offset).isEqualTo(34);
        assertThat(out.l4Length).isEqualTo(48);
        assertThat(out.l4CapturedLength).isEqualTo(48);
        assertThat(out.payloadOffset).isEqualTo(34 + 32);
        assertThat(out.payloadLength).isEqualTo(16);
        assertThat(out.payloadCapturedLength).isEqualTo(16);
        assertThat(out.l4Segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, out.payloadOffset)).isEqualTo((byte) 'G');
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(out.transportWeird).isNull();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldMarkChecksumBadWithoutWeirdWhenTcpChecksumWrong() {
        byte[] ip = tcp4(new byte[0], "data".getBytes());
        ip[20 + 16] ^= 0x01;

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isFalse();
        assertThat(weirds.seen).isEmpty();
        assertThat(decoder.counters().badTransportChecksum()).isEqualTo(1);
        assertThat(decoder.counters().ip()).isEqualTo(1);
    }

    @Test
    void shouldNotVerifyTcpChecksumWhenChecksumsIgnored() {
        decoder = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(false), weirds);
        byte[] ip = tcp4(new byte[0], "data".getBytes());
        ip[20 + 16] ^= 0x01;

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldNotVerifyTcpChecksumWhenPayloadCutBySnaplen() {
        byte[] ip = tcp4(new byte[0], new byte[100]);
        ip[20 + 16] ^= 0x01;

        assertThat(decode(snapped(101, ip, 60))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(out.l4Length).isEqualTo(120);
        assertThat(out.l4CapturedLength).isEqualTo(40);
        assertThat(out.payloadLength).isEqualTo(100);
        assertThat(out.payloadCapturedLength).isEqualTo(20);
        assertThat(out.ipCapturedLength).isEqualTo(60);
    }

    @Test
    void shouldSetTransportWeirdWhenTcpDataOffsetBelowFive() {
        byte[] ip = tcp4(new byte[0], new byte[8]);
        ip[20 + 12] = 0x40; // data offset 4 words

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.transportWeird).isEqualTo("bad_TCP_header_len");
        assertThat(out.srcPort).isEqualTo(51000);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_PSH | Packet.TCP_ACK);
        assertThat(out.payloadLength).isZero();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldSetTransportWeirdWhenTcpOptionsBeyondSegment() {
        byte[] ip = tcp4(new byte[0], new byte[8]);
        ip[20 + 12] = (byte) 0xF0; // data offset 60 bytes, segment has 28

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.transportWeird).isEqualTo("truncated_header");
        assertThat(out.tcpHeaderLength).isEqualTo(60);
    }

    @Test
    void shouldSetTransportWeirdWhenTcpOptionsNotCaptured() {
        byte[] ip = tcp4(new byte[20], new byte[100]); // 40-byte TCP header

        assertThat(decode(snapped(101, ip, 20 + 30))).isEqualTo(IP);

        assertThat(out.transportWeird).isEqualTo("truncated_header");
    }

    @Test
    void shouldRaiseTruncatedHeaderWhenIpPayloadShorterThanTcpHeader() {
        byte[] ip = v4(6).build(new byte[12]);

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.weird()).isEqualTo(DecodeWeird.TCP_TRUNCATED_HEADER);
            assertThat(w.name()).isEqualTo("truncated_header");
            assertThat(w.weird().source()).isEqualTo("TCP");
            assertThat(w.flow()).isTrue();
        });
    }

    @Test
    void shouldRaiseInternallyTruncatedHeaderWhenTcpHeaderNotCaptured() {
        byte[] ip = tcp4(new byte[0], new byte[10]);

        assertThat(decode(snapped(101, ip, 30))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TCP_INTERNALLY_TRUNCATED_HEADER);
        assertThat(weirds.seen.getFirst().flow()).isTrue();
    }

    @Test
    void shouldDecodeRealTcpFrames() {
        assertThat(decode(raw(1, RealFrames.TCP_SYN))).isEqualTo(IP);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_SYN);
        assertThat(out.seq).isEqualTo(0xfe21323aL);
        assertThat(out.tcpHeaderLength).isEqualTo(44);
        assertThat(out.l4ChecksumOk).isTrue();

        assertThat(decode(raw(1, RealFrames.TCP_ACK))).isEqualTo(IP);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_ACK);
        assertThat(out.ack).isEqualTo(0xa5afce3fL);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).isEmpty();
    }

    // ---------------------------------------------------------------- UDP

    @Test
    void shouldMarkChecksumBadWhenRealDnsFramesCorrupt() {
        // Zeek: core.udp-corrupt, history Cc, both packets dropped before analysis
        assertThat(decode(raw(1, RealFrames.DNS_QUERY_BAD_UDP_CHECKSUM))).isEqualTo(IP);
        assertThat(out.l4ChecksumOk).isFalse();
        assertThat(out.srcPort).isEqualTo(34357);
        assertThat(out.dstPort).isEqualTo(53);

        assertThat(decode(raw(1, RealFrames.DNS_REPLY_BAD_UDP_CHECKSUM))).isEqualTo(IP);
        assertThat(out.l4ChecksumOk).isFalse();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldSkipChecksumWhenIpv4UdpChecksumZero() {
        byte[] ip = v4(17).build(udp(5000, 5001, new byte[20])); // checksum field left 0

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(out.udpLength).isEqualTo(28);
        assertThat(out.payloadLength).isEqualTo(20);
    }

    @Test
    void shouldFailChecksumWhenIpv6UdpChecksumZero() {
        byte[] ip = ipv6(17, "2001:db8::1", "2001:db8::2", udp(5000, 5001, new byte[20]));

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isFalse();
    }

    @Test
    void shouldSkipChecksumWhenIpv6VxlanChecksumZero() {
        byte[] vxlan = cat(hex("08000000 00006400"), new byte[40]); // flags I, VNI 100, inner frame bytes
        byte[] ip = ipv6(17, "2001:db8::1", "2001:db8::2", udp(40000, 4789, vxlan));

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldAcceptValidUdpChecksumWhenIpv6() {
        byte[] ip = withTransportChecksum(ipv6(17, "2001:db8::1", "2001:db8::2", udp(5000, 5001, new byte[7])), 40, 17);

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldNotVerifyUdpChecksumWhenFrameTrailerNotCaptured() {
        byte[] ip = v4(17).build(udp(5000, 5001, new byte[20]));
        ip[20 + 6] = 0x12; // bad non-zero checksum
        byte[] frame = cat(ethernet(0x0800, ip), new byte[4]); // plus FCS on the wire

        // the datagram is complete but the frame is not: Zeek requires len <= cap_len for UDP
        assertThat(decode(snapped(1, frame, frame.length - 4))).isEqualTo(IP);

        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldKeepUdpLengthFieldWhenItDisagreesWithIpLength() {
        byte[] ip = v4(17).build(cat(u16(1), u16(2), u16(100), u16(0), new byte[5])); // UDP length 100, 13 bytes

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.udpLength).isEqualTo(100);
        assertThat(out.l4Length).isEqualTo(13);
        assertThat(out.payloadLength).isEqualTo(5);
    }

    @Test
    void shouldRaiseTruncatedHeaderWhenIpPayloadShorterThanUdpHeader() {
        assertThat(decode(raw(101, v4(17).build(new byte[6])))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.weird()).isEqualTo(DecodeWeird.UDP_TRUNCATED_HEADER);
            assertThat(w.weird().source()).isEqualTo("UDP");
        });
    }

    @Test
    void shouldRaiseInternallyTruncatedHeaderWhenUdpHeaderNotCaptured() {
        byte[] ip = v4(17).build(udp(1, 2, new byte[10]));

        assertThat(decode(snapped(101, ip, 24))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.UDP_INTERNALLY_TRUNCATED_HEADER);
    }

    // ---------------------------------------------------------------- ICMP

    @Test
    void shouldFillTypeAndCodeWhenIcmpEcho() {
        byte[] ip = withTransportChecksum(v4(1).build(icmp(8, 0, hex("1234 0001"), new byte[32])), 20, 1);

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.ipProto).isEqualTo(1);
        assertThat(out.icmpType).isEqualTo(8);
        assertThat(out.icmpCode).isZero();
        assertThat(out.srcPort).isZero();
        assertThat(out.l4Length).isEqualTo(40);
        assertThat(out.payloadLength).isEqualTo(32);
        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldMarkChecksumBadWhenIcmpChecksumWrong() {
        byte[] ip = withTransportChecksum(v4(1).build(icmp(3, 3, new byte[4], new byte[28])), 20, 1);
        ip[20 + 2] ^= 0x40;

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.icmpType).isEqualTo(3);
        assertThat(out.icmpCode).isEqualTo(3);
        assertThat(out.l4ChecksumOk).isFalse();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldUsePseudoHeaderWhenIcmpv6() {
        byte[] ip = withTransportChecksum(
                ipv6(58, "fe80::20c:29ff:fe3c:4f8d", "ff02::1", icmp(128, 0, hex("0001 0002"), new byte[9])), 40, 58);

        assertThat(decode(raw(101, ip))).isEqualTo(IP);
        assertThat(out.icmpType).isEqualTo(128);
        assertThat(out.l4ChecksumOk).isTrue();

        ip[40 + 3] ^= 0x01;
        assertThat(decode(raw(101, ip))).isEqualTo(IP);
        assertThat(out.l4ChecksumOk).isFalse();
    }

    @Test
    void shouldRaiseTruncatedHeaderWhenIcmpShorterThanEightBytes() {
        assertThat(decode(raw(101, v4(1).build(hex("0800 0000"))))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.ICMP_TRUNCATED_HEADER);
        assertThat(weirds.seen.getFirst().weird().source()).isEqualTo("ICMP");
    }

    @Test
    void shouldRaiseInternallyTruncatedHeaderWhenIcmpNotCaptured() {
        byte[] ip = v4(1).build(icmp(8, 0, new byte[4], new byte[40]));

        assertThat(decode(snapped(101, ip, 25))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.ICMP_INTERNALLY_TRUNCATED_HEADER);
    }
}
