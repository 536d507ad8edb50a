package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import org.junit.jupiter.api.Test;

class ContentLineTest {

    @Test
    void shouldKeepOnlyBoundedPrefixWhenHeaderLineIsHuge() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(300_000) + "\r\nUser-Agent: u\r\n\r\n")
                .done();

        LogRecord r = s.only();
        assertThat(HttpSession.text(r, "user_agent")).isEqualTo("u");
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldCountFullLengthWhenBodyLineExceedsStoredPrefix() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.0\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\n\r\n" + "z".repeat(200_000) + "\n")
                .serverEof();

        assertThat(s.only().get("response_body_len")).isEqualTo(200_002L);
        assertThat(HttpSession.text(s.only(), "resp_mime_types")).isEqualTo("text/plain");
    }

    @Test
    void shouldForceOutPartialLineWhenDeliverySizeEndsWithinSegment() {
        // Content-Length: 0 sets Zeek's delivery size to 0: a partial line left in the same
        // segment is forced out as a line with line_terminated_without_CRLF.
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No")
                .done();

        assertThat(s.ctx.weirdNames()).containsExactly("line_terminated_without_CRLF");
        assertThat(s.records()).extracting(r -> r.get("status_code")).containsExactly(200L, 204L);
    }
}
