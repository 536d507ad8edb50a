package io.picket.analyzer.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.http.HttpProvider;
import io.picket.analyzer.spi.Analyzer;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketAnalyzerTest {

    static byte[] b(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (p instanceof Integer i) {
                out.write(i);
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    static void feed(Analyzer a, boolean isOrig, byte[] data) {
        a.onStream(isOrig, MemorySegment.ofArray(data), 0, data.length);
    }

    /** A handshake whose key and accept agree (RFC 6455's example). */
    static WsContext handshaken() {
        WsContext ctx = new WsContext();
        ctx.at(1.0);
        WebSocketHandshake ws = WebSocketHandshake.of(ctx);
        ws.header(ctx, true, "SEC-WEBSOCKET-KEY", b("dGhlIHNhbXBsZSBub25jZQ=="));
        ws.header(ctx, true, "SEC-WEBSOCKET-PROTOCOL", b("chat, superchat"));
        ws.header(ctx, true, "SEC-WEBSOCKET-EXTENSIONS", b("permessage-deflate"));
        ws.header(ctx, false, "SEC-WEBSOCKET-ACCEPT", b("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        ws.header(ctx, false, "SEC-WEBSOCKET-PROTOCOL", b("chat"));
        ws.fromHttp(b("example.com"), b("/chat"), null);
        ctx.at(2.0);
        return ctx;
    }

    @Test
    void shouldLogHandshakeWhenEstablished() {
        WsContext ctx = handshaken();
        new WebSocketAnalyzer(ctx);

        assertThat(ctx.rows("websocket")).containsExactly("2.000000\tCWs\t192.168.0.3\t50798\t54.148.114.83\t80"
                + "\texample.com\t/chat\t-\tchat\tchat,superchat\t-\tpermessage-deflate");
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldKeepLoggedVectorsWhenHandshakeHeadersArriveLater() {
        WsContext ctx = handshaken();
        new WebSocketAnalyzer(ctx);
        // an HTTP request carried inside the WebSocket repeats Sec-WebSocket-* headers
        WebSocketHandshake.of(ctx).header(ctx, true, "SEC-WEBSOCKET-PROTOCOL", b("other"));

        assertThat(ctx.col(0, "client_protocols")).isEqualTo("chat,superchat");
    }

    @Test
    void shouldRaiseMissingHeaderWeirdsWhenEstablishedWithoutHandshake() {
        WsContext ctx = new WsContext();
        new WebSocketAnalyzer(ctx);

        assertThat(ctx.weirdNames()).containsExactly("websocket_established_unexpected",
                "websocket_missing_key_header", "websocket_missing_accept_header");
    }

    @Test
    void shouldRaiseWrongAcceptWeirdWhenAcceptDoesNotMatchKey() {
        WsContext ctx = new WsContext();
        WebSocketHandshake ws = WebSocketHandshake.of(ctx);
        ws.header(ctx, true, "SEC-WEBSOCKET-KEY", b("dGhlIHNhbXBsZSBub25jZQ=="));
        ws.header(ctx, false, "SEC-WEBSOCKET-ACCEPT", b("bogus"));
        new WebSocketAnalyzer(ctx);

        assertThat(ctx.weirdTexts()).containsExactly(
                "websocket_wrong_accept_header:expected=s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, found=bogus");
    }

    @Test
    void shouldRaiseMultipleHeaderWeirdsWhenHeadersRepeat() {
        WsContext ctx = new WsContext();
        WebSocketHandshake ws = WebSocketHandshake.of(ctx);
        ws.header(ctx, true, "SEC-WEBSOCKET-KEY", b("a"));
        ws.header(ctx, true, "SEC-WEBSOCKET-KEY", b("b"));
        ws.header(ctx, false, "SEC-WEBSOCKET-PROTOCOL", b("a"));
        ws.header(ctx, false, "SEC-WEBSOCKET-PROTOCOL", b("b"));
        ws.header(ctx, false, "SEC-WEBSOCKET-ACCEPT", b("a"));
        ws.header(ctx, false, "SEC-WEBSOCKET-ACCEPT", b("b"));

        assertThat(ctx.weirdNames()).containsExactly("websocket_multiple_key_headers",
                "websocket_multiple_protocol_headers", "websocket_multiple_accept_headers");
    }

    @Test
    void shouldForwardUnmaskedTextAndConfirmWhenMessageComplete() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        // FIN + text, masked, length 5, key 37 fa 21 3d, "Hello" masked (RFC 6455 5.7)
        feed(a, true, b(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
        // unmasked reply split over two segments: FIN + text, length 5, "Hel" / "lo"
        feed(a, false, b(0x81, 0x05, "Hel"));
        assertThat(ctx.confirmations).isEqualTo(1);
        feed(a, false, b("lo"));

        assertThat(ctx.child).containsExactly(">Hello", "<Hello");
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldConfirmOnlyAfterFinalFragmentWhenMessageFragmented() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        feed(a, false, b(0x01, 0x03, "Hel"));  // text, no FIN
        assertThat(ctx.confirmations).isZero();
        feed(a, false, b(0x80, 0x02, "lo"));   // continuation, FIN

        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.child).containsExactly("<Hel", "<lo");
    }

    @Test
    void shouldViolateWhenMessageStartsWithContinuation() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        feed(a, true, b(0x80, 0x00));          // continuation first

        assertThat(ctx.violations).hasSize(1);
        feed(a, true, b(0x81, 0x01, "x"));
        assertThat(ctx.child).isEmpty();
    }

    @Test
    void shouldViolateWhenNewOpcodeInsideFragmentedMessage() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        feed(a, true, b(0x01, 0x01, "a"));     // text, no FIN
        feed(a, true, b(0x81, 0x01, "b"));     // a new text frame where a continuation must come

        assertThat(ctx.violations).hasSize(1);
    }

    @Test
    void shouldRaiseControlFrameWeirdWhenPingExceeds125Bytes() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        // ping, FIN, 16-bit length 200
        feed(a, false, b(0x89, 126, 0, 200, new byte[200]));

        assertThat(ctx.weirdTexts()).containsExactly("websocket_control_frame_size_exceeded:200 > 125");
        assertThat(ctx.child).isEmpty();
    }

    @Test
    void shouldStopParsingAfterGap() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        a.onGap(true, 10);
        feed(a, true, b(0x81, 0x01, "x"));

        assertThat(ctx.child).isEmpty();
        assertThat(ctx.childGaps).isEqualTo(1);
    }

    @Test
    void shouldForwardHugeFrameInBoundedChunks() {
        WsContext ctx = handshaken();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        // binary, FIN, 64-bit length 20000
        feed(a, false, b(0x82, 127, 0, 0, 0, 0, 0, 0, 0x4e, 0x20));
        byte[] body = new byte[20000];
        for (int off = 0; off < body.length; off += 1000) {
            a.onStream(false, MemorySegment.ofArray(body), off, 1000);
            assertThat(a.bufferedBytes()).isLessThanOrEqualTo(WebSocketAnalyzer.PAYLOAD_CHUNK_SIZE);
        }

        assertThat(ctx.child).extracting(String::length).containsExactly(8193, 8193, 3617);
        assertThat(ctx.confirmations).isEqualTo(1);
    }

    @Test
    void shouldHandUpgradedStreamToWebSocketWhenHttpReplies101() {
        WsContext ctx = new WsContext();
        ctx.at(1.0);
        Analyzer http = new HttpProvider().newAnalyzer(ctx);
        feed(http, true, b("GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        ctx.at(2.0);
        // the 101 and a first server frame (FIN + text "hi") in one segment
        feed(http, false, b("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", 0x81, 0x02, "hi"));
        http.onConnectionDone();

        assertThat(ctx.started).containsExactly("websocket");
        assertThat(ctx.rows("websocket")).singleElement().asString()
                .startsWith("2.000000\tCWs\t192.168.0.3\t50798\t54.148.114.83\t80\texample.com\t/chat\t-\t-\t-\t-\t-");
        assertThat(ctx.child).containsExactly("<hi");
        assertThat(ctx.weirdNames()).containsExactly("protocol_data_with_HTTP_upgrade_reply");
        assertThat(ctx.rows("http")).hasSize(1);
    }

    @Test
    void shouldHandProxiedStreamToDetectionWhenConnectSucceeds() {
        WsContext ctx = new WsContext();
        Analyzer http = new HttpProvider().newAnalyzer(ctx);
        feed(http, true, b("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
        feed(http, false, b("HTTP/1.1 200 Connection established\r\n\r\n"));
        // a TLS record header and the start of a ClientHello through the proxy
        feed(http, true, b(0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03));
        http.onConnectionDone();

        assertThat(ctx.child).singleElement().asString().startsWith(">\u0016\u0003\u0001");
        assertThat(ctx.rows("http")).singleElement().asString().contains("\tCONNECT\t");
        assertThat(ctx.started).isEmpty();
    }

    @Test
    void shouldHandUpgradedStreamToDetectionWhenUpgradeIsNotWebSocket() {
        WsContext ctx = new WsContext();
        Analyzer http = new HttpProvider().newAnalyzer(ctx);
        feed(http, true, b("POST /attach HTTP/1.1\r\nHost: d\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n"));
        feed(http, false, b("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        feed(http, true, b("raw"));

        assertThat(ctx.started).isEmpty();
        assertThat(ctx.child).containsExactly(">raw");
        assertThat(ctx.rows("websocket")).isEmpty();
    }
}
