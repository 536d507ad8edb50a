package io.picket.analyzer.http;

import static io.picket.analyzer.http.HttpSession.bytes;
import static io.picket.analyzer.http.HttpSession.concat;
import static io.picket.analyzer.http.HttpSession.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class HttpAnalyzerTest {

    private static final String HTML = "<html><head><title>t</title></head><body>hello</body></html>";

    @Test
    void shouldLogRequestAndReplyFieldsWhenReplyCompletes() {
        HttpSession s = new HttpSession().at(10.0)
                .client("GET /a%20b?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: UA/1\r\n"
                        + "Referer: http://r/\r\nOrigin: http://o\r\n\r\n")
                .at(11.0)
                .server("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + HTML.length() + "\r\n\r\n" + HTML);

        LogRecord r = s.only();
        assertThat(r.get("ts")).isEqualTo(10.0);
        assertThat(r.get("uid")).isEqualTo("CtestUid0000000001");
        assertThat(r.get("trans_depth")).isEqualTo(1L);
        assertThat(text(r, "method")).isEqualTo("GET");
        assertThat(text(r, "host")).isEqualTo("example.com");
        assertThat(text(r, "uri")).isEqualTo("/a b?x=1");
        assertThat(text(r, "referrer")).isEqualTo("http://r/");
        assertThat(text(r, "user_agent")).isEqualTo("UA/1");
        assertThat(text(r, "origin")).isEqualTo("http://o");
        assertThat(r.get("version")).isEqualTo("1.1");
        assertThat(r.get("request_body_len")).isEqualTo(0L);
        assertThat(r.get("response_body_len")).isEqualTo((long) HTML.length());
        assertThat(r.get("status_code")).isEqualTo(200L);
        assertThat(text(r, "status_msg")).isEqualTo("OK");
        assertThat(r.get("info_code")).isNull();
        assertThat(text(r, "tags")).isEmpty();
        assertThat(r.get("orig_fuids")).isNull();
        assertThat(text(r, "resp_fuids")).isEqualTo("FTest0");
        assertThat(text(r, "resp_mime_types")).isEqualTo("text/html");
        assertThat(s.ctx.confirmations).isEqualTo(1);
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldMatchRepliesInOrderWhenRequestsArePipelined() {
        HttpSession s = new HttpSession()
                .client("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nbb"
                        + "HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nccc");

        assertThat(s.records()).extracting(r -> r.get("trans_depth")).containsExactly(1L, 2L, 3L);
        assertThat(s.records()).extracting(r -> text(r, "uri")).containsExactly("/1", "/2", "/3");
        assertThat(s.records()).extracting(r -> r.get("status_code")).containsExactly(200L, 404L, 500L);
        assertThat(s.records()).extracting(r -> r.get("response_body_len")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldKeepInformationalReplyWhenExpectContinueIsUsed() {
        HttpSession s = new HttpSession()
                .client("POST /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 12\r\n\r\n")
                .server("HTTP/1.1 100 Continue\r\n\r\n")
                .client("hello world!")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        LogRecord r = s.only();
        assertThat(r.get("status_code")).isEqualTo(200L);
        assertThat(r.get("info_code")).isEqualTo(100L);
        assertThat(text(r, "info_msg")).isEqualTo("Continue");
        assertThat(r.get("request_body_len")).isEqualTo(12L);
        assertThat(text(r, "orig_fuids")).isEqualTo("FTest0");
        assertThat(text(r, "orig_mime_types")).isEqualTo("text/plain");
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldCountDecodedBytesWhenBodyIsChunked() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n")
                .server("6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");

        LogRecord r = s.only();
        assertThat(r.get("response_body_len")).isEqualTo(11L);
        assertThat(text(r, "resp_mime_types")).isEqualTo("text/plain");
    }

    @Test
    void shouldReportBadChunkSizeWhenSizeIsNotHex() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n");

        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("HTTP_bad_chunk_size", "zz"));
        assertThat(s.only().get("response_body_len")).isEqualTo(0L);
    }

    @Test
    void shouldCountDecompressedBytesWhenContentEncodingIsGzip() {
        byte[] plain = bytes("plain text that compresses well ".repeat(40));
        byte[] gz = HttpSession.gzip(plain);
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server(concat(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n\r\n"), gz));

        LogRecord r = s.only();
        assertThat(r.get("response_body_len")).isEqualTo((long) plain.length);
        assertThat(text(r, "resp_mime_types")).isEqualTo("text/plain");
    }

    @Test
    void shouldInflateRawDeflateWhenServerOmitsZlibHeader() {
        byte[] plain = bytes(HTML.repeat(20));
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[plain.length + 64];
        int n = d.deflate(buf);
        d.end();
        byte[] raw = java.util.Arrays.copyOf(buf, n);
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server(concat(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: " + n + "\r\n\r\n"), raw));

        assertThat(s.only().get("response_body_len")).isEqualTo((long) plain.length);
        assertThat(text(s.only(), "resp_mime_types")).isEqualTo("text/html");
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldReadBodyUntilCloseWhenServerSaysConnectionClose() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.0\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\nConnection: close\r\n\r\n" + "x".repeat(100))
                .server("y".repeat(50));
        assertThat(s.records()).isEmpty();

        s.serverEof();

        assertThat(s.only().get("response_body_len")).isEqualTo(150L);
    }

    @Test
    void shouldAddTwoPerLineWhenBodyIsReadLineByLine() {
        // HTTP/1.0 reply without length and without "Connection: close": Zeek reads the body as
        // lines and counts each line plus 2 for its terminator, also for a bare LF or the
        // unterminated last line flushed at the end of the stream.
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.0\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nline1\nline2\r\ntail")
                .serverEof();

        assertThat(s.only().get("response_body_len")).isEqualTo(20L);
    }

    @Test
    void shouldNotReadBodyWhenMethodIsHead() {
        HttpSession s = new HttpSession()
                .client("HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(s.records()).hasSize(2);
        assertThat(s.records().get(0).get("response_body_len")).isEqualTo(0L);
        assertThat(s.records().get(0).get("resp_fuids")).isNull();
        assertThat(s.records().get(1).get("response_body_len")).isEqualTo(3L);
    }

    @Test
    void shouldNotReadBodyWhenStatusIsNotModified() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");

        assertThat(s.only().get("response_body_len")).isEqualTo(0L);
        assertThat(text(s.only(), "status_msg")).isEqualTo("Not Modified");
    }

    @Test
    void shouldTakeRawReplyUntilCloseWhenRequestIsHttp09() {
        String raw = "HTTP/1.0 400 Bad Request\r\nContent-Length: 5\r\n\r\nerror";
        HttpSession s = new HttpSession()
                .client("GET /x\r\n\r\n")
                .server(raw)
                .serverEof();

        LogRecord r = s.only();
        assertThat(r.get("version")).isEqualTo("0.9");
        assertThat(r.get("status_code")).isEqualTo(0L);
        assertThat(text(r, "status_msg")).isEqualTo("<empty>");
        assertThat(r.get("response_body_len")).isEqualTo((long) raw.length());
        assertThat(text(r, "resp_mime_types")).isEqualTo("text/plain");
    }

    @Test
    void shouldReportInvalid09MethodWhenHttp09RequestIsNotGet() {
        HttpSession s = new HttpSession().client("POST /x\r\n");

        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("invalid_http_09_request_method", "POST"));
    }

    @Test
    void shouldReportUnknownMethodWithMethodAsAddl() {
        HttpSession s = new HttpSession().client("FOO / HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("unknown_HTTP_method", "FOO"));
    }

    @Test
    void shouldReportMissingUriWhenRequestLineHasOnlyVersion() {
        HttpSession s = new HttpSession()
                .client("GET HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");

        assertThat(s.ctx.weirdNames()).containsExactly("missing_HTTP_uri");
        assertThat(text(s.only(), "uri")).isEmpty();
        assertThat(text(s.only(), "method")).isEqualTo("GET");
    }

    @Test
    void shouldDecodeEscapesAndReportBadOnesWhenUriHasPercentSigns() {
        HttpSession s = new HttpSession()
                .client("GET /%41%zz%u0042%%43%4 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertThat(text(s.only(), "uri")).isEqualTo("/A%zzBC%4");
        assertThat(s.ctx.weirdNames()).containsExactly("unescaped_%_in_URI", "double_%_in_URI",
                "partial_escape_at_end_of_URI");
    }

    @Test
    void shouldLogReplyWithoutRequestWhenRequestLineIsBad() {
        // Zeek removes the unconfirmed analyzer; its responder DPD signature attaches a new one
        // that sees the buffered beginning again and the reply.
        HttpSession s = new HttpSession()
                .client("GET\r\nHost: h\r\n\r\n")
                .at(2.0)
                .server("HTTP/1.0 400 Bad Request\r\nContent-Length: 4\r\n\r\nnope");

        LogRecord r = s.only();
        assertThat(r.get("method")).isNull();
        assertThat(r.get("ts")).isEqualTo(2.0);
        assertThat(r.get("status_code")).isEqualTo(400L);
        assertThat(r.get("response_body_len")).isEqualTo(4L);
        assertThat(s.ctx.weirdNames()).containsExactly("bad_HTTP_request");
        assertThat(s.ctx.violations).isEmpty();
        assertThat(s.ctx.confirmations).isZero();
    }

    @Test
    void shouldReportWithVersionWhenBadRequestLineEndsInVersion() {
        HttpSession s = new HttpSession().client("\u0001x / HTTP/1.1\r\n\r\n");

        assertThat(s.ctx.weirdNames()).containsExactly("bad_HTTP_request_with_version");
    }

    @Test
    void shouldFlushAndReportViolationWhenConfirmedAnalyzerSeesGarbage() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n\u0001\u0002\r\n");

        assertThat(s.ctx.violations).containsExactly("not a http request line");
        assertThat(s.only().get("status_code")).isNull();
        s.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").done();
        assertThat(s.records()).hasSize(1);
    }

    @Test
    void shouldIgnoreViolationWhenMoreThan10KiBWereSeen() {
        HttpSession s = new HttpSession()
                .client("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11000\r\n\r\n" + "a".repeat(11000))
                .client("\u0001\u0002\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertThat(s.ctx.violations).containsExactly("not a http request line");
        assertThat(s.only().get("status_code")).isEqualTo(200L);
        assertThat(s.only().get("request_body_len")).isEqualTo(11000L);
    }

    @Test
    void shouldLogEveryPartWhenRequestIsMultipartUpload() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello world text\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"f2\"; filename=\"b%20c.png\"\r\n\r\n"
                + "\u0089PNG\r\n\u001a\nrest of image\r\n--XyZ--\r\n";
        HttpSession s = new HttpSession()
                .client("POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        LogRecord r = s.only();
        assertThat(r.get("request_body_len")).isEqualTo((long) body.length());
        assertThat(text(r, "orig_fuids")).isEqualTo("FTest0,FTest1");
        assertThat(text(r, "orig_filenames")).isEqualTo("a.txt,b c.png");
        assertThat(text(r, "orig_mime_types")).isEqualTo("text/plain,image/png");
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldKeepAtMost15FileIdsWhenMessageHasMoreParts() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            body.append("--B\r\n\r\npart number ").append(i).append("\r\n");
        }
        body.append("--B--\r\n");
        HttpSession s = new HttpSession()
                .client("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/mixed; boundary=B\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                .server("HTTP/1.1 204 No Content\r\n\r\n");

        assertThat((java.util.List<?>) s.only().get("orig_fuids")).hasSize(15);
        assertThat((java.util.List<?>) s.only().get("orig_mime_types")).hasSize(15);
    }

    @Test
    void shouldLogUserWhenBasicAuthorizationIsSent() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dXNlcjpwYXNz\r\n"
                        + "X-Forwarded-For: 1.2.3.4\r\nVia: 1.1 proxy\r\n\r\n")
                .server("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");

        assertThat(text(s.only(), "username")).isEqualTo("user");
        assertThat(s.only().get("password")).isNull();
        assertThat(text(s.only(), "proxied")).isEqualTo("X-FORWARDED-FOR -> 1.2.3.4,VIA -> 1.1 proxy");
    }

    @Test
    void shouldMarkProblemWhenBasicCredentialsHaveNoColon() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dXNlcg==\r\n\r\n")
                .done();

        assertThat(text(s.only(), "username")).isEqualTo("<problem-decoding> (Basic dXNlcg==)");
    }

    @Test
    void shouldLogUnansweredRequestWhenConnectionEnds() {
        HttpSession s = new HttpSession().at(5.0).client("GET /late HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(s.records()).isEmpty();

        s.done();

        assertThat(s.only().get("ts")).isEqualTo(5.0);
        assertThat(s.only().get("status_code")).isNull();
        assertThat(s.only().get("version")).isNull();
    }

    @Test
    void shouldStopParsingAndLogAtEndWhenConnectionUpgrades() {
        HttpSession s = new HttpSession()
                .client("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0005hello")
                .client("\u0081\u0085garbage\r\n\r\n");
        assertThat(s.records()).isEmpty();

        s.done();

        LogRecord r = s.only();
        assertThat(r.get("status_code")).isEqualTo(101L);
        assertThat(r.get("info_code")).isEqualTo(101L);
        assertThat(text(r, "info_msg")).isEqualTo("Switching Protocols");
        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("protocol_data_with_HTTP_upgrade_reply", "7"));
    }

    @Test
    void shouldStopParsingWhenConnectIsAccepted() {
        HttpSession s = new HttpSession()
                .client("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0001")
                .client("\u0016\u0003\u0001\u0002\u0000\r\n\r\n")
                .done();

        assertThat(text(s.only(), "method")).isEqualTo("CONNECT");
        assertThat(s.only().get("status_code")).isEqualTo(200L);
        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("protocol_data_with_HTTP_CONNECT_reply", "3"));
    }

    @Test
    void shouldCountGapInsideBodyWhenContentLengthIsKnown() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "a".repeat(30));
        s.analyzer.onGap(false, 40);
        s.server("b".repeat(30));

        assertThat(s.only().get("response_body_len")).isEqualTo(100L);
    }

    @Test
    void shouldInterruptReplyWhenGapHitsHeaders() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-");
        s.analyzer.onGap(false, 40);
        s.server("Length: 5\r\n\r\nhello");

        assertThat(s.only().get("status_code")).isEqualTo(200L);
        assertThat(s.only().get("response_body_len")).isEqualTo(0L);
    }

    @Test
    void shouldShareFileAndSkipSniffingWhenRangeRepliesArePartial() {
        HttpSession s = new HttpSession()
                .client("GET /big HTTP/1.1\r\nHost: h\r\nRange: bytes=0-9\r\n\r\n")
                .server("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\nContent-Length: 10\r\n\r\n0123456789")
                .client("GET /big HTTP/1.1\r\nHost: h\r\nRange: bytes=10-19\r\n\r\n")
                .server("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-19/100\r\nContent-Length: 10\r\n\r\nabcdefghij");

        assertThat(s.records()).hasSize(2);
        assertThat(text(s.records().get(0), "resp_fuids")).isEqualTo("FTest0");
        assertThat(s.records().get(0).get("resp_mime_types")).isNull();
        assertThat(s.records().get(1).get("resp_fuids")).isNull();
        assertThat(s.records().get(1).get("response_body_len")).isEqualTo(10L);
    }

    @Test
    void shouldReportSingleCrOnceWhenLinesEndWithBareCr() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\rHost: h\r\r")
                .server("HTTP/1.1 200 OK\rContent-Length: 0\r\r");

        assertThat(s.only().get("status_code")).isEqualTo(200L);
        assertThat(s.ctx.weirdNames()).containsExactly("line_terminated_with_single_CR");
    }

    @Test
    void shouldGiveSameRecordWhenStreamArrivesByteByByte() {
        String req = "GET /split HTTP/1.1\r\nHost: h\r\nUser-Agent: u\r\n\r\n";
        String rep = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
        HttpSession s = new HttpSession();
        for (byte b : bytes(req)) {
            s.client(new byte[] {b});
        }
        for (byte b : bytes(rep)) {
            s.server(new byte[] {b});
        }

        assertThat(text(s.only(), "uri")).isEqualTo("/split");
        assertThat(text(s.only(), "user_agent")).isEqualTo("u");
        assertThat(s.only().get("response_body_len")).isEqualTo(4L);
        assertThat(s.ctx.weirds).isEmpty();
    }

    @Test
    void shouldReportResponseBeforeRequestWhenServerSpeaksFirst() {
        HttpSession s = new HttpSession()
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .done();

        assertThat(s.records()).extracting(r -> r.get("trans_depth")).containsExactly(1L, 2L);
        assertThat(s.ctx.weirdNames()).containsExactly("HTTP_response_before_request");
    }

    @Test
    void shouldFoldContinuationLinesWhenHeaderIsContinued() {
        HttpSession s = new HttpSession()
                .client("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: first\r\n second\r\n\r\n")
                .done();

        assertThat(text(s.only(), "user_agent")).isEqualTo("first second");
        assertThat(s.ctx.weirds).containsExactly(new FakeContext.Weird("HTTP_obsolete_line_folding", "User-Agent"));
    }

    @Test
    void shouldReportLeadingZerosAndBadLengthWhenContentLengthIsOdd() {
        HttpSession s = new HttpSession()
                .client("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 05\r\n\r\nhello")
                .client("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: x1\r\n\r\n")
                .done();

        assertThat(s.ctx.weirds).containsExactly(
                new FakeContext.Weird("HTTP_content_length_leading_zeros", "05"),
                new FakeContext.Weird("HTTP_bad_content_length", "x1"));
        assertThat(s.records()).extracting(r -> r.get("request_body_len")).containsExactly(5L, 0L);
    }

    @Test
    void shouldIgnoreStreamWhenConnectionWasPickedUpMidStream() {
        HttpSession s = new HttpSession();
        s.ctx.partial = true;
        s.client("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 304 Not Modified\r\n\r\n")
                .done();

        assertThat(s.records()).isEmpty();
        assertThat(s.ctx.confirmations).isZero();
    }

    @Test
    void shouldNotConfirmOrLogWhenDataIsNotHttp() {
        HttpSession s = new HttpSession()
                .client("\u0016\u0003\u0001\u0000\u0005hello")
                .server("\u0016\u0003\u0001\u0000\u0005world")
                .done();

        assertThat(s.records()).isEmpty();
        assertThat(s.ctx.confirmations).isZero();
    }
}
