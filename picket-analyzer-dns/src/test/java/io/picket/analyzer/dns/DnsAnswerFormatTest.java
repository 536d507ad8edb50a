package io.picket.analyzer.dns;

import static io.picket.analyzer.dns.DnsAnalyzerTest.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The text main.zeek puts in {@code answers} for each RR type, and the TTLs beside it. */
class DnsAnswerFormatTest {
    private FakeContext ctx;

    /** A query for www.example.com and a reply with the given answer RRs (owner = the question). */
    private void exchange(int qtype, Object... typeAndRdata) {
        ctx = FakeContext.udp(53).at(10.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.query(42, "www.example.com", qtype));
        Msg reply = Msg.reply(42, 0, 1, typeAndRdata.length / 2).question("www.example.com", qtype, 1);
        for (int i = 0; i < typeAndRdata.length; i += 2) {
            reply.rrAt(12, (Integer) typeAndRdata[i], 3600 + i, (byte[]) typeAndRdata[i + 1]);
        }
        ctx.at(10.5);
        udp(a, false, reply);
        a.onConnectionDone();
    }

    private String answers() {
        return ctx.col(0, "answers");
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void shouldWriteDottedAddressWhenTypeIsA() {
        exchange(1, 1, new byte[] {(byte) 192, (byte) 168, 1, 106});
        assertThat(answers()).isEqualTo("192.168.1.106");
        assertThat(ctx.col(0, "TTLs")).isEqualTo("3600.000000");
    }

    @Test
    void shouldWriteCompressedIpv6WhenTypeIsAaaa() {
        exchange(28, 28, hex("2607 f8b0 400f 0801 0000 0000 0000 200e"), 28,
                hex("0000 0000 0000 0000 0000 ffff 0102 0304"));
        assertThat(answers()).isEqualTo("2607:f8b0:400f:801::200e,1.2.3.4");
        assertThat(ctx.col(0, "TTLs")).isEqualTo("3600.000000,3602.000000");
    }

    @Test
    void shouldWriteTargetNamesWhenTypeIsCnameNsPtrMxOrSrv() {
        byte[] cname = Msg.data().ascii("\u0004Mail").pointer(16).bytes(); // Mail + "example.com"
        exchange(5, 5, cname);
        assertThat(answers()).isEqualTo("mail.example.com");
        exchange(2, 2, Msg.data().name("ns1.example.net").bytes());
        assertThat(answers()).isEqualTo("ns1.example.net");
        exchange(12, 12, Msg.data().name("host.example").bytes());
        assertThat(answers()).isEqualTo("host.example");
        exchange(15, 15, Msg.data().u16(10).name("smtp1.google.com").bytes());
        assertThat(answers()).isEqualTo("smtp1.google.com");
        exchange(33, 33, Msg.data().u16(0).u16(0).u16(22).name("gemini.local").bytes());
        assertThat(answers()).isEqualTo("gemini.local");
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldWriteMnameWhenTypeIsSoa() {
        byte[] soa = Msg.data().name("ns1.weberdns.de").name("hostmaster.weberdns.de").u32(1).u32(2).u32(3)
                .u32(4).u32(5).bytes();
        exchange(6, 6, soa);
        assertThat(answers()).isEqualTo("ns1.weberdns.de");
    }

    @Test
    void shouldWriteEveryStringWithItsLengthWhenTypeIsTxt() {
        byte[] txt = Msg.data().u8(5).ascii("v=spf").u8(0).u8(3).ascii("a,b").bytes();
        exchange(16, 16, txt);
        assertThat(answers()).isEqualTo("TXT 5 v=spf TXT 0  TXT 3 a\\x2cb");
    }

    @Test
    void shouldWriteSpfPrefixWhenTypeIsSpf() {
        exchange(99, 99, Msg.data().u8(3).ascii("abc").bytes());
        assertThat(answers()).isEqualTo("SPF 3 abc");
    }

    @Test
    void shouldWriteAlgorithmWhenTypeIsDnskey() {
        exchange(48, 48, Msg.data().u16(0x0101).u8(3).u8(8).raw(new byte[8]).bytes());
        assertThat(answers()).isEqualTo("DNSKEY 8");
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldWriteCoveredTypeAndSignerWhenTypeIsRrsig() {
        byte[] rrsig = Msg.data().u16(48).u8(8).u8(2).u32(3600).u32(0).u32(0).u16(7).name("upenn.edu")
                .raw(new byte[16]).bytes();
        byte[] rootSigner = Msg.data().u16(6).u8(13).u8(0).u32(3600).u32(0).u32(0).u16(7).name("")
                .raw(new byte[4]).bytes();
        exchange(46, 46, rrsig, 46, rootSigner);
        assertThat(answers()).isEqualTo("RRSIG 48 upenn.edu,RRSIG 6 <Root>");
    }

    @Test
    void shouldWriteOwnerAndNextNameWhenTypeIsNsec() {
        exchange(47, 47, Msg.data().name("z.example.com").u8(0).u8(1).u8(0x40).bytes());
        assertThat(answers()).isEqualTo("NSEC www.example.com z.example.com");
    }

    @Test
    void shouldWriteTypeOnlyWhenTypeIsNsec3OrNsec3param() {
        exchange(50, 50, Msg.data().u8(1).u8(0).u16(10).u8(2).raw(new byte[2]).u8(4).raw(new byte[4]).u8(0).u8(1)
                .u8(0x40).bytes(), 51, Msg.data().u8(1).u8(0).u16(10).u8(0).bytes());
        assertThat(answers()).isEqualTo("NSEC3,NSEC3PARAM");
    }

    @Test
    void shouldWriteAlgorithmAndDigestTypeWhenTypeIsDs() {
        exchange(43, 43, Msg.data().u16(1234).u8(8).u8(2).raw(new byte[32]).bytes());
        assertThat(answers()).isEqualTo("DS 8 2");
    }

    @Test
    void shouldWriteHexFingerprintWhenTypeIsSshfp() {
        exchange(44, 44, Msg.data().u8(1).u8(1).raw(hex("00ABcdef")).bytes());
        assertThat(answers()).isEqualTo("SSHFP: 00abcdef");
    }

    @Test
    void shouldWriteSizeAndPrecisionsWhenTypeIsLoc() {
        exchange(29, 29, Msg.data().u8(0).u8(0x12).u8(0x16).u8(0x13).u32(1).u32(2).u32(3).bytes());
        assertThat(answers()).isEqualTo("LOC:  18 22 19");
    }

    @Test
    void shouldWriteFieldsWhenTypeIsNaptr() {
        byte[] naptr = Msg.data().u16(100).u16(10).u8(1).ascii("S").u8(7).ascii("SIP+D2U").u8(0)
                .name("_sip._udp.example.com").bytes();
        exchange(35, 35, naptr);
        assertThat(answers()).isEqualTo("NAPTR 100 10 S SIP+D2U _sip._udp.example.com");
    }

    @Test
    void shouldWriteUnknownTypeAndRaiseWeirdWhenTypeHasNoParser() {
        exchange(39, 39, Msg.data().name("other.example").bytes());
        assertThat(answers()).isEqualTo("<unknown type=39>");
        assertThat(ctx.weirds).containsExactly(new FakeContext.Weird("DNS_RR_unknown_type", "39"));
    }

    @Test
    void shouldSetRttButNoAnswerWhenTypeIsWks() {
        exchange(11, 11, new byte[] {1, 2, 3, 4, 6});
        // The WKS event fires with an empty reply; Zeek's WKS parser consumes no rdata.
        assertThat(ctx.col(0, "answers")).isEqualTo("-");
        assertThat(ctx.col(0, "rtt")).isEqualTo("0.500000");
        assertThat(ctx.col(0, "RA")).isEqualTo("T");
    }

    @Test
    void shouldLeaveAnswersUnsetWhenTypeHasNoHandler() {
        exchange(13, 13, Msg.data().u8(3).ascii("x86").u8(5).ascii("Linux").bytes());
        assertThat(ctx.col(0, "answers")).isEqualTo("-");
        assertThat(ctx.col(0, "rtt")).isEqualTo("-");
        assertThat(ctx.col(0, "RA")).isEqualTo("F");
    }

    @Test
    void shouldWriteBindSignalWhenTypeIs65534() {
        exchange(65534, 65534, new byte[] {8, 1, 2, 0, 1});
        assertThat(answers()).isEqualTo("BIND9 signing signal");
    }

    @Test
    void shouldWritePrerequisitesDeletionsAndAdditionsWhenMessageIsDynamicUpdate() {
        ctx = FakeContext.udp(53).at(1.0);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        // zone section: stratolab.org SOA IN; 1 prerequisite, 3 updates (as in Zeek's dynamic-update trace)
        Msg update = Msg.header(47952, 0x2800, 1, 1, 3, 0).question("stratolab.org", 6, 1)
                .name("nwin2.stratolab.org").u16(5).u16(254).u32(0).u16(0)
                .name("nwin2.stratolab.org").u16(28).u16(255).u32(0).u16(0)
                .name("nwin2.stratolab.org").u16(1).u16(255).u32(0).u16(0)
                .name("nwin2.stratolab.org").u16(1).u16(1).u32(1200).u16(4).raw(new byte[] {(byte) 192, (byte) 168, 1, 106});
        udp(a, true, update);
        byte[] reply = update.bytes();
        reply[2] = (byte) 0xa8; // QR, opcode 5
        reply[3] = 0x05; // REFUSED
        ctx.at(1.1);
        a.onDatagram(false, java.lang.foreign.MemorySegment.ofArray(reply), 0, reply.length);
        assertThat(ctx.logs).hasSize(1);
        assertThat(ctx.col(0, "query")).isEqualTo("nwin2.stratolab.org");
        assertThat(ctx.col(0, "qclass")).isEqualTo("-");
        assertThat(answers()).isEqualTo("pre: NoRRSet CNAME nwin2.stratolab.org,del: RRSet AAAA,del: RRSet A,"
                + "add: A nwin2.stratolab.org 192.168.1.106");
        assertThat(ctx.col(0, "TTLs")).isEqualTo("0.000000,0.000000,0.000000,1200.000000");
        assertThat(ctx.col(0, "opcode_name")).isEqualTo("dynamic-update");
        assertThat(ctx.col(0, "rcode_name")).isEqualTo("REFUSED");
    }

    @Test
    void shouldEscapeBinaryBytesWhenNamesCarryThem() {
        ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        udp(a, true, Msg.header(1, 0x0100, 1, 0, 0, 0).u8(3).raw(new byte[] {'a', 0, (byte) 0xff}).u8(0).u16(1)
                .u16(1));
        a.onConnectionDone();
        assertThat(ctx.col(0, "query")).isEqualTo("a\\x00\\xff");
    }
}
