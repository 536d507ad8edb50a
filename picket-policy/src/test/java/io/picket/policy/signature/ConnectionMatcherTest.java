package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.Limits;
import io.picket.policy.SourceFile;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Matching semantics of {@link ConnectionMatcher}, as Zeek's RuleMatcher. */
class ConnectionMatcherTest {
    private final List<String> matches = new ArrayList<>();
    private final MatchListener listener = new MatchListener() {
        @Override
        public void onMatch(String id, String msg, boolean isOrig, byte[] data, int off, int len) {
            matches.add(id + (isOrig ? ">" : "<") + new String(data, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onEnable(String id, String analyzer, boolean isOrig) {
            matches.add("enable " + analyzer);
        }
    };

    private static SignatureSet set(String text) throws Exception {
        return set(text, Limits.DEFAULT);
    }

    private static SignatureSet set(String text, Limits limits) throws Exception {
        return SignatureSet.compile(List.of(SourceFile.of("t.sig", text)), limits);
    }

    private ConnectionMatcher tcp(SignatureSet s) {
        return s.newConnectionMatcher(ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80), listener);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void stream(ConnectionMatcher m, boolean orig, String s) {
        byte[] d = b(s);
        m.onStream(orig, d, 0, d.length);
    }

    @Test
    void shouldMatchAcrossSegmentsWhenTcpStream() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*root/\n event \"r\" }"));
        stream(m, true, "GET /ro");
        stream(m, true, "ot HTTP");
        assertThat(matches).containsExactly("s>ot HTTP");
    }

    @Test
    void shouldAnchorAtStreamStartWhenNoDotStar() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /root/\n event \"r\" }"));
        stream(m, true, "xroot");
        stream(m, true, "root");
        assertThat(matches).isEmpty();
    }

    @Test
    void shouldFireOncePerConnectionWhenBothDirectionsMatch() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*x/\n event \"r\" }"));
        stream(m, true, "x");
        stream(m, false, "x");
        stream(m, true, "xx");
        assertThat(matches).containsExactly("s>x");
    }

    @Test
    void shouldMatchConditionsInDifferentChunksWhenTwoPatterns() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*AAA/\n payload /.*BBB/\n event \"r\" }"));
        stream(m, true, "AAA---");
        assertThat(matches).isEmpty();
        stream(m, true, "BBB");
        assertThat(matches).containsExactly("s>BBB");
    }

    @Test
    void shouldStopMatchingAfterDepthWhenPayloadIsLong() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*needle/\n event \"r\" }", Limits.DEFAULT.withPayloadDepth(8)));
        stream(m, true, "0123456789");
        stream(m, true, "needle");
        assertThat(matches).isEmpty();
    }

    @Test
    void shouldEvaluateRequiresReverseSignatureWhenOtherSideFires() throws Exception {
        ConnectionMatcher m = tcp(set("""
                signature client { payload /^GET/
                  tcp-state originator }
                signature server { payload /^HTTP\\/1/
                  tcp-state responder
                  requires-reverse-signature client
                  enable "http"
                  event "http" }
                """));
        stream(m, false, "HTTP/1.1 200 OK");
        assertThat(matches).isEmpty();
        stream(m, true, "GET / HTTP/1.1");
        assertThat(matches).containsExactly("enable http", "server<HTTP/1.1 200 OK");
    }

    @Test
    void shouldDecideNegatedRequirementOnlyAtFinish() throws Exception {
        ConnectionMatcher m = tcp(set("""
                signature a { payload /.*A/ }
                signature b { payload /.*B/
                  requires-signature ! a
                  event "no A" }
                """));
        stream(m, true, "B");
        assertThat(matches).isEmpty();
        m.finish();
        assertThat(matches).containsExactly("b>B");
    }

    @Test
    void shouldNotFireNegatedRequirementWhenRequiredMatched() throws Exception {
        ConnectionMatcher m = tcp(set("""
                signature a { payload /.*A/ }
                signature b { payload /.*B/
                  requires-signature ! a
                  event "no A" }
                """));
        stream(m, true, "BA");
        m.finish();
        assertThat(matches).isEmpty();
    }

    @Test
    void shouldApplyHeaderConditionsOfFirstPacketWhenPortsAndAddresses() throws Exception {
        SignatureSet s = set("""
                signature p80 { dst-port == 80
                  src-ip == 10.0.0.0/8
                  payload /.*x/
                  event "80" }
                signature p81 { dst-port == 81, 8000-8080
                  payload /.*x/
                  event "81" }
                signature notudp { ip-proto != udp
                  payload /.*x/
                  event "tcp" }
                """);
        ConnectionMatcher m = tcp(s);
        stream(m, true, "x");
        stream(m, false, "x");
        assertThat(matches).containsExactly("p80>x", "notudp>x");
    }

    @Test
    void shouldReadRawHeaderBytesWhenFirstPacketGiven() throws Exception {
        SignatureSet s = set("""
                signature syn { header tcp[13:1] & 2 != 0
                  header ip[9:1] == 6
                  event "syn" }
                """);
        byte[] pkt = new byte[40];
        pkt[0] = 0x45; // version 4, IHL 5
        pkt[9] = 6; // protocol TCP
        pkt[20 + 13] = 0x02; // TCP flags: SYN
        ConnectionMatcher m = tcp(s);
        m.onFirstPacket(true, 6, MemorySegment.ofArray(pkt), 0, 20, 40);
        m.onFirstPacket(false, 6, MemorySegment.ofArray(new byte[40]), 0, 20, 40);
        assertThat(matches).containsExactly("syn>");
    }

    @Test
    void shouldRequireEstablishedWhenTcpStateEstablished() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*x/\n tcp-state established\n event \"e\" }"));
        stream(m, true, "x");
        assertThat(matches).isEmpty();
        m.establishedBy(() -> true);
        stream(m, true, "yx");
        assertThat(matches).containsExactly("s>yx");
    }

    @Test
    void shouldCompareFirstChunkSizeWhenPayloadSize() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*x/\n payload-size < 5\n event \"e\" }"));
        stream(m, true, "abx");
        stream(m, true, "123456789x");
        assertThat(matches).containsExactly("s>abx");
    }

    @Test
    void shouldMatchCaseInsensitiveWhenSlashI() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /get [[:upper:]]+/i\n event \"e\" }"));
        stream(m, true, "GeT abc");
        assertThat(matches).containsExactly("s>GeT abc");
    }

    @Test
    void shouldMatchHttpHeaderAsNameColonValue() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { http-request-header /^Host: evil\\.com$/\n event \"e\" }"));
        m.onHttpHeader(true, b("Host"), b("good.com"));
        m.onHttpHeader(true, b("Host"), b("evil.com"));
        assertThat(matches).containsExactly("s>evil.com");
    }

    @Test
    void shouldMatchUriWhenHttpRequest() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { http-request /.*etc\\/(passwd|shadow)/\n event \"e\" }"));
        m.onHttpRequest("GET", b("/x/../etc/shadow"), "1.1");
        assertThat(matches).containsExactly("s>/x/../etc/shadow");
    }

    @Test
    void shouldMatchHttpHeaderGivenAsRangesOfOneLine() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { http-reply-header /^Server: evil$/\n event \"e\" }"));
        byte[] line = b("xxServer:   evilyy");
        m.onHttpHeader(false, line, 2, 8, 12, 16);
        assertThat(matches).containsExactly("s<evil");
    }

    @Test
    void shouldMatchUriGivenAsRange() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { http-request /^\\/admin$/\n event \"e\" }"));
        byte[] uri = b("[/admin]");
        m.onHttpRequest(uri, 1, 6);
        assertThat(matches).containsExactly("s>/admin");
    }

    @Test
    void shouldTellWhichPatternTypesTheSetUses() throws Exception {
        SignatureSet payload = set("signature s { payload /x/\n event \"e\" }");
        assertThat(payload.uses(PatternType.PAYLOAD)).isTrue();
        assertThat(payload.usesHttp()).isFalse();
        SignatureSet body = set("signature s { http-reply-body /x/\n event \"e\" }");
        assertThat(body.uses(PatternType.HTTP_REPLY_BODY)).isTrue();
        assertThat(body.uses(PatternType.PAYLOAD)).isFalse();
        assertThat(body.usesHttp()).isTrue();
        assertThat(SignatureSet.empty().usesHttp()).isFalse();
    }

    @Test
    void shouldMatchEachDatagramSeparatelyWhenUdp() throws Exception {
        SignatureSet s = set("signature s { payload /.*AB/\n event \"e\" }");
        ConnectionMatcher m = s.newConnectionMatcher(ConnectionFacts.of(17, "10.0.0.1", 1, "10.0.0.2", 2), listener);
        m.onDatagram(true, b("xA"), 0, 2);
        m.onDatagram(true, b("B"), 0, 1);
        assertThat(matches).isEmpty();
        m.onDatagram(true, b("AB"), 0, 2);
        assertThat(matches).containsExactly("s>AB");
    }

    @Test
    void shouldMatchEolAtFinishWhenDollar() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /^ab$/\n event \"e\" }"));
        stream(m, true, "ab");
        assertThat(matches).isEmpty();
        m.finish();
        assertThat(matches).containsExactly("s>");
    }

    @Test
    void shouldIgnoreInactiveSignature() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*x/\n active false\n event \"e\" }"));
        stream(m, true, "x");
        assertThat(matches).isEmpty();
    }

    @Test
    void shouldIgnoreInvalidArgumentsWithoutThrowing() throws Exception {
        ConnectionMatcher m = tcp(set("signature s { payload /.*x/\n event \"e\" }"));
        m.onStream(true, (byte[]) null, 0, 1);
        m.onStream(true, new byte[2], 1, 5);
        m.onStream(true, MemorySegment.ofArray(new byte[2]), -1, 1);
        m.onDatagram(true, new byte[1], -1, 1);
        assertThat(matches).isEmpty();
    }
}
