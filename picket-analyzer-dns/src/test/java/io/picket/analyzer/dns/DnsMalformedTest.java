package io.picket.analyzer.dns;

import static io.picket.analyzer.dns.DnsAnalyzerTest.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Malformed messages: Zeek's weirds, and what still reaches dns.log. */
class DnsMalformedTest {
    private final FakeContext ctx = FakeContext.udp(53);
    private final DnsAnalyzer a = new DnsAnalyzer(ctx);

    private void send(boolean isOrig, byte[] b) {
        a.onDatagram(isOrig, MemorySegment.ofArray(b), 0, b.length);
    }

    @Test
    void shouldRaiseWeirdWhenMessageIsShorterThanHeader() {
        send(true, new byte[11]);
        send(true, new byte[0]);
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_len_lt_hdr_len", "DNS_truncated_len_lt_hdr_len");
        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldRejectPointerWhenItPointsForward() {
        // question name = pointer to offset 12 (itself): not strictly backwards
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).pointer(12).u16(1).u16(1));
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_label_forward_compress_offset");
        assertThat(ctx.col(0, "query")).isEqualTo("-");
        assertThat(ctx.confirmations).isZero();
    }

    @Test
    void shouldStopFollowingPointersWhenChainIsDeeperThanTwenty() {
        // RR 1 (type NULL, skipped) carries 22 pointers, each to the one before, the first to
        // the question name; RR 2's owner points at the last of them.
        Msg m = Msg.reply(1, 0, 1, 2).question("a", 1, 1).pointer(12).u16(10).u16(1).u32(60).u16(44);
        int prev = 12;
        for (int i = 0; i < 22; i++) {
            int here = m.size();
            m.pointer(prev);
            prev = here;
        }
        m.pointer(prev).u16(1).u16(1).u32(60).u16(4).raw(new byte[] {1, 2, 3, 4});
        udp(a, true, Msg.query(1, "a", 1));
        udp(a, false, m);
        assertThat(ctx.weirdNames()).containsExactly("DNS_RR_unknown_type", "DNS_max_compression_chain_depth_exceeded");
        assertThat(ctx.col(0, "answers")).isEqualTo("<unknown type=10>,1.2.3.4");
    }

    @Test
    void shouldRaiseWeirdWhenLabelIsLongerThan63() {
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).u8(64).ascii("x".repeat(64)).u8(0).u16(1).u16(1));
        assertThat(ctx.weirdNames()).containsExactly("DNS_label_too_long");
    }

    @Test
    void shouldAcceptLongLabelWhenResponderPortIs137() {
        FakeContext nb = new FakeContext("CTest", "10.0.0.9", 137, "10.0.0.255", 137, "udp");
        DnsAnalyzer an = new DnsAnalyzer(nb);
        udp(an, true, Msg.header(1, 0x0110, 1, 0, 0, 0).u8(70).ascii("A".repeat(70)).u8(0).u16(32).u16(1));
        an.onConnectionDone();
        assertThat(nb.weirds).isEmpty();
        assertThat(nb.col(0, "query")).isEqualTo("a".repeat(70));
    }

    @Test
    void shouldRaiseWeirdWhenLabelRunsPastTheMessage() {
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).u8(20).ascii("short"));
        assertThat(ctx.weirdNames()).containsExactly("DNS_label_len_gt_pkt");
    }

    @Test
    void shouldRaiseWeirdWhenNameEndsWithoutRootLabel() {
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).u8(3).ascii("abc"));
        assertThat(ctx.weirdNames()).containsExactly("dns_invalid_name");
    }

    @Test
    void shouldRaiseWeirdsWhenNameExceedsBuffer() {
        Msg m = Msg.header(1, 0x0100, 1, 0, 0, 0);
        for (int i = 0; i < 9; i++) {
            m.u8(60).ascii("y".repeat(60));
        }
        udp(a, true, m.u8(0).u16(1).u16(1));
        assertThat(ctx.weirdNames()).containsExactly("DNS_label_len_gt_name_len");
    }

    @Test
    void shouldRaiseNameTooLongWeirdAndKeepNameWhenLongerThan254() {
        Msg m = Msg.header(1, 0x0100, 1, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            m.u8(60).ascii("y".repeat(60));
        }
        udp(a, true, m.u8(0).u16(1).u16(1));
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_NAME_too_long");
        assertThat(ctx.col(0, "query")).hasSize(5 * 61 - 1);
    }

    @Test
    void shouldRaiseWeirdWhenQuestionLacksTypeAndClass() {
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).name("x.example").u16(1));
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_quest_too_short");
    }

    @Test
    void shouldRaiseWeirdWhenRdlengthRunsPastTheMessage() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 1, 1).pointer(12).u16(1).u16(1).u32(5).u16(4)
                .raw(new byte[] {1, 2}));
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_RR_rdlength_lt_len");
        assertThat(ctx.confirmations).isZero();
        assertThat(ctx.col(0, "answers")).isEqualTo("-");
    }

    @Test
    void shouldRaiseWeirdWhenAnswerIsCutAfterItsName() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 1, 1).pointer(12).u16(1));
        assertThat(ctx.weirdNames()).containsExactly("DNS_truncated_ans_too_short");
    }

    @Test
    void shouldRaiseWeirdWhenRdlengthIsZeroBeforeMoreData() {
        udp(a, false, Msg.reply(1, 0, 1, 2).question("x.example", 1, 1).rrAt(12, 1, 5, new byte[0])
                .rrAt(12, 1, 5, new byte[] {1, 2, 3, 4}));
        assertThat(ctx.weirdNames()).containsExactly("DNS_zero_rdlength");
    }

    @Test
    void shouldRaiseWeirdWhenAddressLengthIsWrong() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 1, 1).rrAt(12, 1, 5, new byte[] {1, 2, 3}));
        assertThat(ctx.weirdNames()).containsExactly("DNS_RR_bad_length");
    }

    @Test
    void shouldRaiseWeirdAndKeepAnswerWhenNameRdataLengthDisagrees() {
        udp(a, true, Msg.query(1, "x.example", 5));
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 5, 1).rrAt(12, 5, 5,
                Msg.data().name("y.example").u8(0).bytes()));
        assertThat(ctx.weirdNames()).containsExactly("DNS_RR_length_mismatch");
        assertThat(ctx.col(0, "answers")).isEqualTo("y.example");
    }

    @Test
    void shouldKeepReadStringsAndRaiseWeirdWhenTxtStringOverrunsRdata() {
        udp(a, true, Msg.query(1, "x.example", 16));
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 16, 1).rrAt(12, 16, 5,
                Msg.data().u8(2).ascii("ok").u8(9).ascii("abc").bytes()));
        a.onConnectionDone();
        assertThat(ctx.weirdNames()).containsExactly("DNS_TXT_char_str_past_rdlen");
        assertThat(ctx.col(0, "answers")).isEqualTo("TXT 2 ok");
    }

    @Test
    void shouldViolateAndStopWhenQuestionCountExceeds25() {
        udp(a, true, Msg.header(1, 0x0100, 26, 0, 0, 0).question("x.example", 1, 1));
        a.onConnectionDone();
        assertThat(ctx.violations).containsExactly("DNS_Conn_count_too_large");
        assertThat(ctx.weirdNames()).containsExactly("DNS_Conn_count_too_large");
        assertThat(ctx.col(0, "query")).isEqualTo("-");
    }

    @Test
    void shouldRaiseWeirdWhenDynamicUpdateHasTwoZones() {
        udp(a, true, Msg.header(1, 0x2800, 2, 0, 0, 0).question("z.example", 6, 1).question("y.example", 6, 1));
        assertThat(ctx.weirds).containsExactly(new FakeContext.Weird("DNS_DU_invalid_zone_count", "2"));
    }

    @Test
    void shouldRaiseWeirdWhenDynamicUpdateZoneIsNotSoa() {
        udp(a, true, Msg.header(1, 0x2800, 1, 0, 0, 0).question("z.example", 1, 1));
        assertThat(ctx.weirdNames()).containsExactly("DNS_DU_incorrect_zone_type");
    }

    @Test
    void shouldRaiseWeirdWhenLocRdataIsNot16Bytes() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 29, 1).rrAt(12, 29, 5, new byte[15]));
        assertThat(ctx.weirdNames()).containsExactly("dns_invalid_loc_length");
    }

    @Test
    void shouldRaiseWeirdWhenEdnsOptionOverrunsRdata() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 1, 1).rrAt(12, 41, 0,
                Msg.data().u16(10).u16(9).raw(new byte[4]).bytes()));
        assertThat(ctx.weirdNames()).containsExactly("EDNS_truncated_option");
    }

    @Test
    void shouldRaiseDnssecWeirdsWhenKeyFlagsProtocolAndAlgorithmAreOdd() {
        udp(a, false, Msg.reply(1, 0, 1, 1).question("x.example", 48, 1).rrAt(12, 48, 5,
                Msg.data().u16(0x0181).u8(2).u8(253).raw(new byte[4]).bytes()));
        assertThat(ctx.weirds).containsExactly(new FakeContext.Weird("DNSSEC_DNSKEY_Revoked_KSK", "385"),
                new FakeContext.Weird("DNSSEC_DNSKEY_Invalid_Protocol", "2"),
                new FakeContext.Weird("DNSSEC_DNSKEY_PrivateDNS_ZoneSignAlgo", "253"));
    }
}
