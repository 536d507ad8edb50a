package io.picket.analyzer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Request/reply pairing, unmatched messages and the UDP expire timer, as main.zeek does them. */
class DnsAnalyzerTest {
    private static final byte[] A_10_0_0_7 = {10, 0, 0, 7};

    static void udp(DnsAnalyzer a, boolean isOrig, Msg m) {
        byte[] b = m.bytes();
        a.onDatagram(isOrig, MemorySegment.ofArray(b), 0, b.length);
    }

    static Msg answerA(int id, String name) {
        // header, question at offset 12, one A answer whose owner points at the question name
        return Msg.reply(id, 0, 1, 1).question(name, 1, 1).rrAt(12, 1, 300, A_10_0_0_7);
    }

    @Test
    void shouldWriteOneRowWithRttWhenReplyMatchesQuery() {
        FakeContext ctx = FakeContext.udp(53).at(100.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(0x1234, "WWW.Example.com", 1));
        assertThat(ctx.logs).isEmpty();
        ctx.at(100.25);
        udp(a, false, answerA(0x1234, "www.example.com"));
        assertThat(ctx.rows()).containsExactly(String.join("\t", "100.000000", "CTest", "10.0.0.1", "40000",
                "10.0.0.53", "53", "udp", "4660", "0.250000", "www.example.com", "1", "C_INTERNET", "1", "A", "0",
                "NOERROR", "F", "F", "T", "T", "0", "10.0.0.7", "300.000000", "F", "0", "query"));
        assertThat(ctx.confirmations).isEqualTo(2);
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(1);
    }

    @Test
    void shouldWriteUnansweredQueryWhenConnectionIsDone() {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(7, "example.org", 28));
        a.onConnectionDone();
        assertThat(ctx.col(0, "rtt")).isEqualTo("-");
        assertThat(ctx.col(0, "rcode")).isEqualTo("-");
        assertThat(ctx.col(0, "rcode_name")).isEqualTo("-");
        assertThat(ctx.col(0, "qtype_name")).isEqualTo("AAAA");
        assertThat(ctx.col(0, "answers")).isEqualTo("-");
        assertThat(ctx.col(0, "opcode_name")).isEqualTo("query");
    }

    @Test
    void shouldFlipEndpointsAndLeaveRttUnsetWhenReplyIsSeenFirst() {
        FakeContext ctx = new FakeContext("CTest", "10.0.0.53", 53, "10.0.0.1", 53, "udp");
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, answerA(9, "a.example"));
        a.onConnectionDone();
        assertThat(ctx.rows()).hasSize(1);
        assertThat(ctx.col(0, "id.orig_h")).isEqualTo("10.0.0.1");
        assertThat(ctx.col(0, "id.resp_h")).isEqualTo("10.0.0.53");
        assertThat(ctx.col(0, "rtt")).isEqualTo("-");
        assertThat(ctx.col(0, "query")).isEqualTo("a.example");
        assertThat(ctx.col(0, "qclass")).isEqualTo("-");
        assertThat(ctx.col(0, "answers")).isEqualTo("10.0.0.7");
    }

    @Test
    void shouldPairLateQueryWithPendingReplyWhenReplyCameFirst() {
        FakeContext ctx = FakeContext.udp(53).at(5.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, false, answerA(3, "x.example"));
        ctx.at(6.0);
        udp(a, true, Msg.query(3, "X.example", 1));
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "ts")).isEqualTo("5.000000");
        assertThat(ctx.col(0, "rtt")).isEqualTo("-");
        assertThat(ctx.col(0, "qtype")).isEqualTo("1");
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(1);
    }

    @Test
    void shouldKeepRetransmittedQueryPendingWhenOnlyOneReplyArrives() {
        FakeContext ctx = FakeContext.udp(53).at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(40849, "t.example", 16));
        ctx.at(6.0);
        udp(a, true, Msg.query(40849, "t.example", 16));
        ctx.at(6.5);
        udp(a, false, answerA(40849, "t.example"));
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "ts")).isEqualTo("1.000000");
        assertThat(ctx.col(0, "rtt")).isEqualTo("5.500000");
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(2);
        assertThat(ctx.col(1, "ts")).isEqualTo("6.000000");
        assertThat(ctx.col(1, "rcode")).isEqualTo("-");
    }

    @Test
    void shouldMatchRepliesToQueriesByTransIdWhenInterleaved() {
        FakeContext ctx = FakeContext.udp(53).at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(1, "one.example", 1));
        ctx.at(2.0);
        udp(a, true, Msg.query(2, "two.example", 1));
        ctx.at(3.0);
        udp(a, true, Msg.query(1, "one-again.example", 1));
        ctx.at(4.0);
        udp(a, false, answerA(2, "two.example"));
        ctx.at(5.0);
        udp(a, false, answerA(1, "one.example"));
        ctx.at(6.0);
        udp(a, false, answerA(1, "one-again.example"));
        assertThat(ctx.logs).hasSize(3);
        assertThat(ctx.col(0, "query")).isEqualTo("two.example");
        assertThat(ctx.col(0, "rtt")).isEqualTo("2.000000");
        assertThat(ctx.col(1, "query")).isEqualTo("one.example");
        assertThat(ctx.col(1, "rtt")).isEqualTo("4.000000");
        assertThat(ctx.col(2, "query")).isEqualTo("one-again.example");
        assertThat(ctx.col(2, "rtt")).isEqualTo("3.000000");
    }

    @Test
    void shouldMarkRejectedWhenReplyCarriesNoRecords() {
        FakeContext ctx = FakeContext.udp(53).at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(5, "refused.example", 1));
        ctx.at(1.5);
        udp(a, false, Msg.reply(5, 5, 1, 0).question("refused.example", 1, 1));
        assertThat(ctx.col(0, "rcode_name")).isEqualTo("REFUSED");
        assertThat(ctx.col(0, "rejected")).isEqualTo("T");
        assertThat(ctx.col(0, "rtt")).isEqualTo("-");
        assertThat(ctx.col(0, "RA")).isEqualTo("F");
    }

    @Test
    void shouldMarkRejectedWhenErrorReplyHasNoQuestion() {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(6, "x.example", 1));
        udp(a, false, Msg.reply(6, 2, 0, 0));
        assertThat(ctx.col(0, "rcode_name")).isEqualTo("SERVFAIL");
        assertThat(ctx.col(0, "rejected")).isEqualTo("T");
    }

    @Test
    void shouldWriteEveryMessageAloneWhenResponderIsMulticast() {
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 5353, "224.0.0.251", 5353, "udp").at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx, true);
        udp(a, true, Msg.header(0, 0, 1, 0, 0, 0).question("printer.local", 1, 1));
        assertThat(ctx.logs).hasSize(1);
        ctx.at(2.0);
        udp(a, true, Msg.header(0, 0x8400, 0, 1, 0, 0).rr("printer.local", 1, 120, A_10_0_0_7));
        assertThat(ctx.logs).hasSize(2);
        assertThat(ctx.col(1, "rtt")).isEqualTo("-");
        assertThat(ctx.col(1, "AA")).isEqualTo("T");
        assertThat(ctx.col(1, "id.orig_h")).isEqualTo("10.0.0.9");
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(2);
    }

    @Test
    void shouldPairMulticastMessagesWhenZeek8SemanticsAreAsked() {
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 5353, "224.0.0.251", 5353, "udp").at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx, false);
        udp(a, true, Msg.header(0, 0, 1, 0, 0, 0).question("printer.local", 1, 1));
        ctx.at(2.5);
        udp(a, true, Msg.header(0, 0x8400, 0, 1, 0, 0).rr("printer.local", 1, 120, A_10_0_0_7));
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "rtt")).isEqualTo("1.500000");
        assertThat(ctx.col(0, "qtype_name")).isEqualTo("A");
    }

    @Test
    void shouldDecodeNetbiosNameWhenResponderPortIs137() {
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 137, "10.0.0.255", 137, "udp");
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        // NetBIOS name query, broadcast flag (0x0010) lands in Z; "WORKGROUP" + suffix 0x00
        udp(a, true, Msg.header(9321, 0x0110, 1, 0, 0, 0).question("FHEPFCELEHFCEPFFFACACACACACACAAA", 32, 1));
        a.onConnectionDone();
        assertThat(ctx.col(0, "query")).isEqualTo("WORKGROUP");
        assertThat(ctx.col(0, "qtype_name")).isEqualTo("NIMLOC");
        assertThat(ctx.col(0, "Z")).isEqualTo("1");
        assertThat(ctx.col(0, "opcode_name")).isEqualTo("netbios-query");
    }

    @Test
    void shouldNameNetbiosStatusQueryNbstatWhenQtypeIs33() {
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 40000, "10.0.0.8", 137, "udp");
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.header(1, 0, 1, 0, 0, 0).question("CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 33, 1));
        a.onConnectionDone();
        assertThat(ctx.col(0, "query")).isEqualTo("*");
        assertThat(ctx.col(0, "qtype_name")).isEqualTo("NBSTAT");
    }

    @Test
    void shouldRaiseWeirdAndWriteNothingWhenOpcodeIsUnknown() {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.header(1, 0x1000, 1, 0, 0, 0).question("x.example", 1, 1));
        a.onConnectionDone();
        assertThat(ctx.logs).isEmpty();
        assertThat(ctx.weirds).containsExactly(new FakeContext.Weird("DNS_unknown_opcode", "2"));
    }

    @Test
    void shouldTrackNotifyWhenOpcodeIsFour() {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.header(77, 0x2400, 1, 0, 0, 0).question("zone.example", 6, 1));
        udp(a, false, Msg.header(77, 0xa400, 1, 0, 0, 0).question("zone.example", 6, 1));
        assertThat(ctx.col(0, "opcode")).isEqualTo("4");
        assertThat(ctx.col(0, "opcode_name")).isEqualTo("notify");
        assertThat(ctx.col(0, "rejected")).isEqualTo("T");
    }

    @Test
    void shouldWriteAllPendingQueriesWhenMoreThanFiftyIdsAreUnmatched() {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        // the first query is the fast-path pending one; 51 more ids fill the table, the 52nd flushes it
        for (int id = 0; id <= 52; id++) {
            udp(a, true, Msg.query(id, "q" + id + ".example", 1));
        }
        assertThat(ctx.logs).hasSize(51);
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(53);
    }

    @Test
    void shouldRemoveIdleUdpConnectionWhenExpireTimerFires() {
        FakeContext ctx = FakeContext.udp(53).at(100.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        assertThat(ctx.timers).hasSize(1);
        assertThat(ctx.timers.get(0).time()).isEqualTo(110.0);
        udp(a, true, Msg.query(1, "x.example", 1));
        ctx.at(101.5);
        udp(a, true, Msg.query(2, "x.example", 1));
        ctx.now = 110.0;
        ctx.timers.remove(0).action().run();
        assertThat(ctx.removed).isFalse();
        assertThat(ctx.timers.get(0).time()).isEqualTo(120.0);
        ctx.now = 120.0;
        ctx.timers.remove(0).action().run();
        assertThat(ctx.removed).isTrue();
    }

    @Test
    void shouldScheduleNoTimerWhenTransportIsTcp() {
        FakeContext ctx = FakeContext.tcp();
        new DnsAnalyzer(ctx);
        assertThat(ctx.timers).isEmpty();
    }

    @Test
    void shouldDeclareZeeksPortsWhenAskedByTheEngine() {
        DnsAnalyzerProvider p = new DnsAnalyzerProvider();
        assertThat(p.name()).isEqualTo("dns");
        assertThat(p.udpPorts()).containsExactlyInAnyOrder(53, 137, 5353, 5355);
        assertThat(p.tcpPorts()).containsExactly(53);
        assertThat(p.newDetector()).isNull();
        assertThat(p.logs()).containsExactly(DnsLog.SCHEMA);
        assertThat(p.weirds()).contains("DNS_truncated_len_lt_hdr_len", "DNS_label_too_long").doesNotHaveDuplicates();
    }
    @Test
    void shouldPairMulticastMessagesWhenProviderHasNoOption() {
        DnsAnalyzerProvider p = new DnsAnalyzerProvider();
        assertThat(p.multicastStandalone()).isFalse();
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 5353, "224.0.0.251", 5353, "udp").at(1.0);
        io.picket.analyzer.spi.Analyzer a = p.newAnalyzer(ctx);
        byte[] query = Msg.header(0, 0, 1, 0, 0, 0).question("printer.local", 1, 1).bytes();
        a.onDatagram(true, MemorySegment.ofArray(query), 0, query.length);
        ctx.at(2.5);
        byte[] reply = Msg.header(0, 0x8400, 0, 1, 0, 0).rr("printer.local", 1, 120, A_10_0_0_7).bytes();
        a.onDatagram(true, MemorySegment.ofArray(reply), 0, reply.length);
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "rtt")).isEqualTo("1.500000");
    }

    @Test
    void shouldLogMulticastMessagesAloneWhenOptionIsStandalone() {
        DnsAnalyzerProvider p = (DnsAnalyzerProvider) new DnsAnalyzerProvider()
                .configure(java.util.Map.of("multicast", "standalone"));
        assertThat(p.multicastStandalone()).isTrue();
        assertThat(((DnsAnalyzerProvider) p.configure(java.util.Map.of("multicast", "paired"))).multicastStandalone())
                .isFalse();
        FakeContext ctx = new FakeContext("CTest", "10.0.0.9", 5353, "224.0.0.251", 5353, "udp").at(1.0);
        io.picket.analyzer.spi.Analyzer a = p.newAnalyzer(ctx);
        byte[] query = Msg.header(0, 0, 1, 0, 0, 0).question("printer.local", 1, 1).bytes();
        a.onDatagram(true, MemorySegment.ofArray(query), 0, query.length);
        assertThat(ctx.logs).hasSize(1);
    }

    @Test
    void shouldRejectOptionWhenKeyOrValueIsUnknown() {
        DnsAnalyzerProvider p = new DnsAnalyzerProvider();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.configure(java.util.Map.of("multicast", "9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dns.multicast=9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.configure(java.util.Map.of("zeek", "8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zeek");
    }
}
