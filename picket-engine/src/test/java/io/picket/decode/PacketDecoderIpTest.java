package io.picket.decode;

import io.picket.capture.RawPacket;
import org.junit.jupiter.api.Test;

import static io.picket.decode.Frames.addr;
import static io.picket.decode.Frames.cat;
import static io.picket.decode.Frames.ethernet;
import static io.picket.decode.Frames.ext;
import static io.picket.decode.Frames.hex;
import static io.picket.decode.Frames.ipv6;
import static io.picket.decode.Frames.raw;
import static io.picket.decode.Frames.snapped;
import static io.picket.decode.Frames.tcp;
import static io.picket.decode.Frames.udp;
import static io.picket.decode.Frames.v4;
import static io.picket.decode.Frames.withTransportChecksum;
import static io.picket.decode.PacketDecoder.DROPPED;
import static io.picket.decode.PacketDecoder.IP;
import static io.picket.decode.PacketDecoder.NON_IP;
import static org.assertj.core.api.Assertions.assertThat;

class PacketDecoderIpTest {
    private final RecordingWeirds weirds = new RecordingWeirds();
    private PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults(), weirds);
    private final Packet out = new Packet();

    private int decode(RawPacket raw) {
        return decoder.decode(raw, out);
    }

    private void ignoreChecksums() {
        decoder = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(false), weirds);
    }

    private static byte[] udpPayload() {
        return udp(1234, 53, "hello".getBytes());
    }

    // ---------------------------------------------------------------- IPv4

    @Test
    void shouldSkipOptionsWhenIpv4HeaderLonger() {
        byte[] ip = v4(17).options(hex("07 07 04 00000000 01")) // record route (7 bytes), NOP
                .build(udpPayload());
        withTransportChecksum(ip, 28, 17);

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(IP);

        assertThat(out.ipHeaderLength).isEqualTo(28);
        assertThat(out.ipTotalLength).isEqualTo(28 + 13);
        assertThat(out.l4Offset).isEqualTo(14 + 28);
        assertThat(out.srcPort).isEqualTo(1234);
        assertThat(out.ttl).isEqualTo(64);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldRaiseTruncatedIpWhenFewerThanTwentyBytes() {
        byte[] ip = java.util.Arrays.copyOf(v4(17).build(udpPayload()), 19);

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.TRUNCATED_IP);
        assertThat(weirds.seen.getFirst().flow()).isFalse();
    }

    @Test
    void shouldRaiseTruncatedIpWhenIpv6ShorterThanFortyBytes() {
        byte[] ip = java.util.Arrays.copyOf(ipv6(17, "::1", "::2", udpPayload()), 39);

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("truncated_IP");
    }

    @Test
    void shouldDropWithIpHdrLenZeroWhenTotalLengthZeroAndVerifying() {
        byte[] ip = v4(17).totalLength(0).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("ip_hdr_len_zero");
    }

    @Test
    void shouldUseCapturedLengthWhenTotalLengthZeroAndChecksumsIgnored() {
        ignoreChecksums();
        byte[] ip = v4(17).totalLength(0).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(IP);

        assertThat(weirds.names()).containsExactly("ip_hdr_len_zero");
        assertThat(out.ipTotalLength).isZero();            // the header's value, as ConnSize counts it
        assertThat(out.ipCapturedLength).isEqualTo(33);
        assertThat(out.l4Length).isEqualTo(13);            // UDP falls back to the captured length
        assertThat(out.payloadLength).isEqualTo(5);
    }

    @Test
    void shouldFlagTcpTruncatedHeaderWhenTotalLengthZeroAndChecksumsIgnored() {
        ignoreChecksums();
        byte[] ip = v4(6).totalLength(0).build(tcp(1, 2, 3, 4, Packet.TCP_ACK, new byte[0], new byte[0]));

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(IP);

        assertThat(out.transportWeird).isEqualTo("truncated_header");
        assertThat(out.srcPort).isEqualTo(1);
    }

    @Test
    void shouldRaiseTruncatedIpLenWhenWireShorterThanTotalLength() {
        byte[] ip = v4(17).totalLength(200).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("truncated_IP_len");
    }

    @Test
    void shouldRaiseInvalidIpHeaderSizeWhenHeaderLongerThanTotalLength() {
        byte[] ip = v4(17).options(new byte[40]).totalLength(40).build(udpPayload()); // IHL 15, total 40

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.INVALID_IP_HEADER_SIZE);
    }

    @Test
    void shouldRaiseInternallyTruncatedHeaderWhenOptionsNotCaptured() {
        byte[] frame = ethernet(0x0800, v4(17).options(new byte[40]).build(udpPayload())); // 60-byte header

        assertThat(decode(snapped(1, frame, 14 + 40))).isEqualTo(DROPPED);

        assertThat(weirds.weirds()).containsExactly(DecodeWeird.IP_INTERNALLY_TRUNCATED_HEADER);
        assertThat(weirds.seen.getFirst().weird().source()).isEqualTo("IP");
    }

    @Test
    void shouldRaiseIpv4MinHeaderSizeWhenIhlBelowFive() {
        byte[] ip = v4(17).ihl(4).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("IPv4_min_header_size");
    }

    @Test
    void shouldRaiseFlowWeirdWhenBadIpChecksum() {
        byte[] ip = v4(17).checksum(0xBEEF).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("bad_IP_checksum");
            assertThat(w.flow()).isTrue();
            assertThat(w.src()).isEqualTo("10.0.0.1");
            assertThat(w.dst()).isEqualTo("10.0.0.2");
        });
    }

    @Test
    void shouldAcceptBadIpChecksumWhenChecksumsIgnored() {
        ignoreChecksums();
        byte[] ip = v4(17).checksum(0xBEEF).build(udpPayload());

        assertThat(decode(raw(1, ethernet(0x0800, ip)))).isEqualTo(IP);

        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldRaiseIpv6NoNextWhenIpv4ProtocolIs59() {
        byte[] ip = v4(59).build(new byte[8]);

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("ipv6_no_next");
            assertThat(w.flow()).isTrue();
        });
    }

    @Test
    void shouldDeliverUnknownTransportWhenIpv4ProtocolUnhandled() {
        byte[] ip = v4(47).build(new byte[24]); // GRE, left to the caller

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.ipProto).isEqualTo(47);
        assertThat(out.l4Length).isEqualTo(24);
        assertThat(out.payloadLength).isEqualTo(24);
        assertThat(out.srcPort).isZero();
    }

    // ---------------------------------------------------------------- IPv6

    @Test
    void shouldWalkExtensionHeadersWhenHopByHopAndDestinationOptions() {
        byte[] l4 = udpPayload();
        byte[] ip = ipv6(0, "2001:db8::1", "2001:db8::2", cat(
                ext(60, hex("01 04 00000000")),          // hop-by-hop: next dst-opts, PadN(4)
                ext(17, hex("01 04 00000000")),          // destination options: next UDP, PadN(4)
                l4));
        withTransportChecksum(ip, 56, 17);

        assertThat(decode(raw(1, ethernet(0x86DD, ip)))).isEqualTo(IP);

        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(out.ipProto).isEqualTo(17);
        assertThat(out.ipHeaderLength).isEqualTo(56);
        assertThat(out.ipTotalLength).isEqualTo(56 + 13);
        assertThat(out.ttl).isEqualTo(64);
        assertThat(out.l4Offset).isEqualTo(14 + 56);
        assertThat(out.l4Length).isEqualTo(13);
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:db8::1");
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldSkipAuthenticationHeaderWhenAhPresent() {
        byte[] l4 = tcp(40000, 443, 1, 0, Packet.TCP_SYN, new byte[0], new byte[0]);
        byte[] ip = ipv6(51, "2001:db8::1", "2001:db8::2", cat(
                hex("06 04 0000 00000100 00000001"),      // AH: next TCP, len 4 (24 bytes), reserved, SPI, seq
                new byte[12],                            // ICV
                l4));
        withTransportChecksum(ip, 64, 6);

        assertThat(decode(raw(1, ethernet(0x86DD, ip)))).isEqualTo(IP);

        assertThat(out.ipProto).isEqualTo(6);
        assertThat(out.ipHeaderLength).isEqualTo(64);
        assertThat(out.tcpFlags).isEqualTo(Packet.TCP_SYN);
        assertThat(out.l4ChecksumOk).isTrue();
    }

    @Test
    void shouldUseFinalDestinationWhenRoutingType0() {
        byte[] l4 = udpPayload();
        // checksum over the final destination, as the sender computes it
        byte[] forChecksum = ipv6(17, "2001:db8::1", "2001:db8::99", l4);
        withTransportChecksum(forChecksum, 40, 17);
        byte[] udpWithChecksum = java.util.Arrays.copyOfRange(forChecksum, 40, forChecksum.length);
        byte[] ip = ipv6(43, "2001:db8::1", "2001:db8::2", cat(
                hex("11 02 00 01 00000000"),             // routing: next UDP, len 2, type 0, segments left 1, reserved
                addr("2001:db8::99"),                    // address[1]
                udpWithChecksum));

        assertThat(decode(raw(1, ethernet(0x86DD, ip)))).isEqualTo(IP);

        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("2001:db8::99");
        assertThat(out.l4ChecksumOk).isTrue();
        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("routing0_hdr");
            assertThat(w.flow()).isTrue();
            assertThat(w.src()).isEqualTo("2001:db8::1");
            assertThat(w.dst()).isEqualTo("2001:db8::99");
            assertThat(w.weird().source()).isNull();
        });
    }

    @Test
    void shouldRaiseOddRouting0LenWhenLengthOdd() {
        byte[] ip = ipv6(43, "2001:db8::1", "2001:db8::2", cat(
                hex("3b 03 00 01 00000000"),             // next none, len 3 (32 bytes), type 0, segleft 1
                new byte[24]));

        decode(raw(101, ip));

        assertThat(weirds.names()).containsExactly("odd_routing0_len", "routing0_hdr", "ipv6_no_next");
    }

    @Test
    void shouldRaiseUnknownRoutingTypeWithTypeAsAddl() {
        byte[] ip = ipv6(43, "2001:db8::1", "2001:db8::2", cat(
                hex("11 02 04 01 00000000"),             // routing type 4 (segment routing)
                new byte[16],
                udpPayload()));
        withTransportChecksum(ip, 64, 17);

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("unknown_routing_type");
            assertThat(w.addl()).isEqualTo("4");
        });
        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("2001:db8::2");
    }

    @Test
    void shouldRaiseMultipleRoutingHeadersWhenSecondAfterFinalDestination() {
        byte[] ip = ipv6(43, "2001:db8::1", "2001:db8::2", cat(
                hex("2b 02 00 01 00000000"), addr("2001:db8::99"), // type 0 -> final destination, next routing
                hex("3b 02 00 01 00000000"), addr("2001:db8::98")));

        decode(raw(101, ip));

        assertThat(weirds.names()).containsExactly("routing0_hdr", "multiple_routing_headers", "ipv6_no_next");
        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("2001:db8::99");
    }

    @Test
    void shouldUseHomeAddressAsSourceWhenDestinationOptionPresent() {
        byte[] ip = ipv6(60, "2001:db8::1", "2001:db8::2", cat(
                hex("3b 02 00 00"),                      // dst-opts: next none, len 2 (24 bytes), Pad1, Pad1
                hex("c9 10"), addr("2001:db8:ffff::7"),  // Home Address option (201), length 16
                hex("00 00")));                          // Pad1, Pad1

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED); // next header none

        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:db8:ffff::7");
        assertThat(weirds.names()).containsExactly("ipv6_no_next");
    }

    @Test
    void shouldRaiseBadDestOptLenWhenOptionOverruns() {
        byte[] ip = ipv6(60, "2001:db8::1", "2001:db8::2", hex("3b 00 01 09 00000000")); // PadN claims 9 bytes

        decode(raw(101, ip));

        assertThat(weirds.names()).containsExactly("bad_ipv6_dest_opt_len", "ipv6_no_next");
    }

    @Test
    void shouldRaiseBadHomeAddrLenWhenOptionNotSixteenBytes() {
        byte[] ip = ipv6(60, "2001:db8::1", "2001:db8::2", hex("3b 00 c9 04 00000000"));

        decode(raw(101, ip));

        assertThat(weirds.names()).containsExactly("bad_home_addr_len", "ipv6_no_next");
    }

    @Test
    void shouldEndChainSilentlyWhenExtensionHeaderNotCaptured() {
        byte[] ip = ipv6(0, "2001:db8::1", "2001:db8::2", cat(hex("11 0a 0000 00000000"), new byte[8]));
        // hop-by-hop claims 88 bytes, 16 present: the chain holds only the fixed header

        assertThat(decode(raw(101, ip))).isEqualTo(IP);

        assertThat(out.ipHeaderLength).isEqualTo(40);
        assertThat(out.ipProto).isZero();
        assertThat(weirds.seen).isEmpty();
    }

    @Test
    void shouldReturnNonIpWhenIpv6Esp() {
        byte[] ip = ipv6(50, "2001:db8::1", "2001:db8::2", cat(hex("00000100 00000001"), new byte[32]));

        assertThat(decode(raw(101, ip))).isEqualTo(NON_IP);

        assertThat(out.ipVersion).isEqualTo(6);
        assertThat(decoder.counters().ipWithoutSession()).isEqualTo(1);
        assertThat(weirds.seen).isEmpty();
    }

    /** Mobility header (binding refresh request): payload proto, length 1 (16 bytes), type 0, reserved, checksum, body. */
    private static byte[] mobility(int payloadProto, boolean goodChecksum) {
        byte[] mh = cat(new byte[] {(byte) payloadProto, 1, 0, 0}, hex("0000"), new byte[10]);
        byte[] ip = ipv6(135, "2001:db8::1", "2001:db8::2", mh);
        if (goodChecksum) {
            long sum = Frames.checksum(ip, 8, 32, 0) + 135 + mh.length;
            int c = ~Frames.checksum(mh, 0, mh.length, sum) & 0xFFFF;
            ip[40 + 4] = (byte) (c >>> 8);
            ip[40 + 5] = (byte) c;
        } else {
            ip[40 + 4] = 0x12;
        }
        return ip;
    }

    @Test
    void shouldReturnNonIpWhenMobilityHeaderValid() {
        assertThat(decode(raw(101, mobility(59, true)))).isEqualTo(NON_IP);

        assertThat(weirds.seen).isEmpty();
        assertThat(decoder.counters().ipWithoutSession()).isEqualTo(1);
    }

    @Test
    void shouldRaiseBadMhChecksumWhenMobilityChecksumWrong() {
        assertThat(decode(raw(101, mobility(59, false)))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("bad_MH_checksum");
    }

    @Test
    void shouldRaiseMobilityPiggybackWhenPayloadFollows() {
        assertThat(decode(raw(101, mobility(6, true)))).isEqualTo(NON_IP);

        assertThat(weirds.names()).containsExactly("mobility_piggyback");
    }

    @Test
    void shouldRaiseIpv6NoNextWhenNextHeader59() {
        assertThat(decode(raw(101, ipv6(59, "fe80::1", "ff02::1", new byte[0])))).isEqualTo(DROPPED);

        assertThat(weirds.seen).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("ipv6_no_next");
            assertThat(w.flow()).isTrue();
            assertThat(w.src()).isEqualTo("fe80::1");
            assertThat(w.weird().source()).isEqualTo("IP");
        });
    }

    @Test
    void shouldRaiseInvalidIpHeaderSizeWhenIpv6ChainExceedsPayloadLength() {
        byte[] ip = ipv6(0, "2001:db8::1", "2001:db8::2", cat(ext(17, hex("01 04 00000000")), udpPayload()), 4);

        assertThat(decode(raw(101, ip))).isEqualTo(DROPPED);

        assertThat(weirds.names()).containsExactly("invalid_IP_header_size");
    }

    @Test
    void shouldDecodeRealIpv6DnsQuery() {
        assertThat(decode(raw(1, RealFrames.IPV6_DNS_QUERY))).isEqualTo(IP);

        assertThat(Addresses.format(out.srcHi, out.srcLo)).isEqualTo("2001:470:1f11:81f:d138:5f55:6d4:1fe2");
        assertThat(Addresses.format(out.dstHi, out.dstLo)).isEqualTo("2607:f740:b::f93");
        assertThat(out.srcPort).isEqualTo(51850);
        assertThat(out.dstPort).isEqualTo(53);
        assertThat(out.ipTotalLength).isEqualTo(40 + 81);
        assertThat(out.l4ChecksumOk).isTrue();
    }
}
