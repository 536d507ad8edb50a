package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** policy/frameworks/intel/seen/http-headers.zeek and http-url.zeek: what the analyzer reports as seen. */
class HttpIntelSeenTest {

    /** Records sightings as "indicator|type|where". */
    private static final class SeenContext extends io.picket.analyzer.testing.RecordingContext {
        final List<String> seen = new ArrayList<>();
        boolean wants = true;

        SeenContext(int respPort) {
            super("CtestUid0000000001", "10.0.0.1", 40000, "10.0.0.2", respPort, "tcp");
            now = 1_000_000_000.0;
            start = 0;
        }

        @Override
        public void seen(String indicator, String indicatorType, String where) {
            seen.add(indicator + "|" + indicatorType + "|" + where);
        }

        @Override
        public void seen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
                String fileDesc) {
            seen.add(indicator + "|" + indicatorType + "|" + where + "|" + (fuid == null ? "-" : "F") + "|"
                    + fileMimeType + "|" + fileDesc);
        }

        @Override
        public boolean wantsSeen() {
            return wants;
        }
    }

    private static List<String> requests(SeenContext ctx, String client) {
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        byte[] b = client.getBytes(StandardCharsets.ISO_8859_1);
        a.onStream(true, MemorySegment.ofArray(b), 0, b.length);
        return ctx.seen;
    }

    @Test
    void shouldReportHostAddressUrlAndAgentWhenRequestCompletes() {
        SeenContext ctx = new SeenContext(8080);
        assertThat(requests(ctx, "GET /a?b=c HTTP/1.1\r\nHost: 192.0.2.7:8080\r\nUser-Agent: Foo/1.0\r\n"
                + "X-Forwarded-For: 198.51.100.9\r\nReferer: https://x.example/p\r\n\r\n")).containsExactly(
                "192.0.2.7|Intel::ADDR|HTTP::IN_HOST_HEADER",
                "Foo/1.0|Intel::SOFTWARE|HTTP::IN_USER_AGENT_HEADER",
                "198.51.100.9|Intel::ADDR|HTTP::IN_X_FORWARDED_FOR_HEADER",
                "x.example/p|Intel::URL|HTTP::IN_REFERRER_HEADER",
                // build_url: c$http$host is the whole Host value, the port appended as it is not 80
                "192.0.2.7:8080:8080/a?b=c|Intel::URL|HTTP::IN_URL");
    }

    @Test
    void shouldTakeTheResponderAddressWhenRequestHasNoHost() {
        SeenContext ctx = new SeenContext(80);
        assertThat(requests(ctx, "GET /x HTTP/1.0\r\nX-Forwarded-For: 198.51.100.9, 10.1.1.1\r\n\r\n"))
                .containsExactly("10.0.0.2/x|Intel::URL|HTTP::IN_URL");
    }

    @Test
    void shouldKeepAbsoluteUrisAndDomainsWhenProxied() {
        SeenContext ctx = new SeenContext(3128);
        assertThat(requests(ctx, "GET http://a.example/z HTTP/1.1\r\nHost: a.example\r\n\r\n")).containsExactly(
                "a.example|Intel::DOMAIN|HTTP::IN_HOST_HEADER",
                "http://a.example/z|Intel::URL|HTTP::IN_URL");
    }

    @Test
    void shouldReportNothingWhenTheTenantHasNoIntel() {
        SeenContext ctx = new SeenContext(80);
        ctx.wants = false;
        assertThat(requests(ctx, "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: U\r\n\r\n")).isEmpty();
    }

    @Test
    void shouldValidateAddressesAsInetPtonWhenCheckingIps() {
        assertThat(HttpAnalyzer.validIp("1.2.3.4")).isTrue();
        assertThat(HttpAnalyzer.validIp("255.255.255.255")).isTrue();
        assertThat(HttpAnalyzer.validIp("256.1.1.1")).isFalse();
        assertThat(HttpAnalyzer.validIp("01.2.3.4")).isFalse();
        assertThat(HttpAnalyzer.validIp("1.2.3")).isFalse();
        assertThat(HttpAnalyzer.validIp("1.2.3.4.")).isFalse();
        assertThat(HttpAnalyzer.validIp("2001:db8::1")).isTrue();
        assertThat(HttpAnalyzer.validIp("[2001:db8::1]")).isFalse();
        assertThat(HttpAnalyzer.validIp("a.example")).isFalse();
        assertThat(HttpAnalyzer.stripPort("h.example:8080")).isEqualTo("h.example");
        assertThat(HttpAnalyzer.stripPort("[::1]:80")).isEqualTo("[::1]");
        assertThat(HttpAnalyzer.stripPort("h.example:")).isEqualTo("h.example:");
    }

    @Test
    void shouldReportTheFileNameWithItsFileWhenAnEntityHasContentDisposition() {
        SeenContext ctx = new SeenContext(8080);
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        byte[] req = "GET /dl HTTP/1.1\r\nHost: files.example\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] resp = ("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"evil.exe\"\r\n"
                + "Content-Length: 4\r\n\r\nMZ\0\0").getBytes(StandardCharsets.ISO_8859_1);
        a.onStream(true, MemorySegment.ofArray(req), 0, req.length);
        a.onStream(false, MemorySegment.ofArray(resp), 0, resp.length);
        assertThat(ctx.seen).contains(
                "evil.exe|Intel::FILE_NAME|Files::IN_NAME|F|null|http://files.example:8080/dl");
    }
}
