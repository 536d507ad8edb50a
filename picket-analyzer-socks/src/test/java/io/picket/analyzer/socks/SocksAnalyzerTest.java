package io.picket.analyzer.socks;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.testing.RecordingContext;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocksAnalyzerTest {

    /** A context that records child-detection input and tunnel registrations. */
    static final class Ctx extends RecordingContext {
        final List<String> child = new ArrayList<>();
        final List<String> tunnels = new ArrayList<>();
        boolean childDone;

        Ctx() {
            super("CSocks", "10.0.0.53", 53994, "60.190.189.215", 8124, "tcp");
        }

        @Override
        public Analyzer childDetection() {
            return new Analyzer() {
                @Override
                public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
                    byte[] b = data.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    child.add((isOrig ? ">" : "<") + new String(b, StandardCharsets.ISO_8859_1));
                }

                @Override
                public void onConnectionDone() {
                    childDone = true;
                }
            };
        }

        @Override
        public void registerTunnel(String tunnelType) {
            tunnels.add(tunnelType + "@" + now);
        }
    }

    private static void feed(SocksAnalyzer a, boolean isOrig, byte[] b) {
        a.onStream(isOrig, MemorySegment.ofArray(b), 0, b.length);
    }

    private static byte[] cat(Object... parts) {
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

    // v5 greeting: version 5, 1 method, method 0 (no authentication)
    static final byte[] V5_GREETING = {5, 1, 0};
    // v5 method selection: version 5, method 0
    static final byte[] V5_NOAUTH = {5, 0};
    // v5 request: version 5, CONNECT, reserved 0, type 3 (name), length 14, "www.osnews.com", port 80
    static final byte[] V5_REQUEST = cat(5, 1, 0, 3, 14, "www.osnews.com", 0, 80);
    // v5 reply: version 5, succeeded, reserved, type 1 (IPv4) 192.168.0.31, port 2688
    static final byte[] V5_REPLY = {5, 0, 0, 1, (byte) 192, (byte) 168, 0, 31, 0x0a, (byte) 0x80};

    @Test
    void shouldLogV5HandshakeAndHandStreamToDetectionWhenBothSidesDone() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        ctx.at(1.0);
        feed(a, true, V5_GREETING);
        feed(a, false, V5_NOAUTH);
        ctx.at(2.0);
        feed(a, true, V5_REQUEST);
        feed(a, false, V5_REPLY);
        feed(a, true, cat("GET / HTTP/1.1\r\n\r\n"));
        feed(a, false, cat("HTTP/1.1 200 OK\r\n\r\n"));
        a.onConnectionDone();

        assertThat(ctx.confirmations).isEqualTo(1);
        assertThat(ctx.tunnels).containsExactly("Tunnel::SOCKS@2.0");
        assertThat(ctx.child).containsExactly(">GET / HTTP/1.1\r\n\r\n", "<HTTP/1.1 200 OK\r\n\r\n");
        assertThat(ctx.childDone).isTrue();
        assertThat(ctx.rows("socks")).containsExactly("2.000000\tCSocks\t10.0.0.53\t53994\t60.190.189.215\t8124\t5"
                + "\t-\t-\tsucceeded\t-\twww.osnews.com\t80\t192.168.0.31\t-\t2688");
        assertThat(ctx.violations).isEmpty();
    }

    @Test
    void shouldLogUserAndLoginStatusWhenUserPassAuthentication() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, new byte[] {5, 1, 2});            // greeting: method 2 (user/password)
        feed(a, false, new byte[] {5, 2});              // method selection: 2
        feed(a, true, cat(1, 3, "bob", 6, "secret"));   // auth v1: ulen, user, plen, password
        feed(a, false, new byte[] {1, 0});              // auth reply v1: code 0
        feed(a, true, cat(5, 1, 0, 1, 1, 2, 3, 4, 0, 22)); // request: CONNECT 1.2.3.4:22
        feed(a, false, cat(5, 2, 0, 4, new byte[16], 0, 0)); // reply: not allowed, bound :: port 0
        a.onConnectionDone();

        assertThat(ctx.col(0, "user")).isEqualTo("bob");
        assertThat(ctx.col(0, "password")).isEqualTo("-");
        assertThat(ctx.col(0, "status")).isEqualTo("connection not allowed by ruleset");
        assertThat(ctx.col(0, "request.host")).isEqualTo("1.2.3.4");
        assertThat(ctx.col(0, "bound.host")).isEqualTo("::");
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldRaiseUnsupportedMethodWeirdWhenGssapiSubNegotiation() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, new byte[] {5, 1, 1});   // greeting: GSSAPI
        feed(a, false, new byte[] {5, 1});     // method selection: GSSAPI
        feed(a, true, new byte[] {1, 1, 0});   // GSSAPI token (not parsed)

        assertThat(ctx.weirdTexts()).containsExactly("socks5_unsupported_authentication_method:1");
    }

    @Test
    void shouldRaiseUnsupportedAuthenticationWeirdWhenUserPassVersionIsNotOne() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, new byte[] {5, 1, 2});
        feed(a, false, new byte[] {5, 2});
        feed(a, true, new byte[] {7, 0, 0});   // auth version 7

        assertThat(ctx.weirdTexts()).containsExactly("socks5_unsupported_authentication:method 2, version 7");
    }

    @Test
    void shouldLogV4aRequestWhenAddressIsBelow256() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        // v4 CONNECT, port 80, addr 0.0.0.1 (v4a), user "u\0", name "example.com\0"
        feed(a, true, cat(4, 1, 0, 80, 0, 0, 0, 1, "u", 0, "example.com", 0));
        // reply with a version byte 4 (Zeek reads one), zero, status 0x5a, port, addr
        feed(a, false, new byte[] {4, 0, 0x5a, 0, 80, 1, 2, 3, 4});
        a.onConnectionDone();

        assertThat(ctx.col(0, "version")).isEqualTo("4");
        assertThat(ctx.col(0, "request.host")).isEqualTo("0.0.0.1");
        assertThat(ctx.col(0, "request.name")).isEqualTo("example.com");
        assertThat(ctx.col(0, "status")).isEqualTo("succeeded");
        assertThat(ctx.col(0, "bound.host")).isEqualTo("1.2.3.4");
    }

    @Test
    void shouldViolateAndNotLogWhenVersionUnknown() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, cat("GET / HTTP/1.1\r\n"));
        a.onConnectionDone();

        assertThat(ctx.violations).containsExactly("unsupported/unknown SOCKS version 71");
        assertThat(ctx.logs).isEmpty();
    }

    @Test
    void shouldViolateAndSkipWhenReservedFieldSet() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, V5_GREETING);
        feed(a, false, V5_NOAUTH);
        feed(a, true, cat(5, 1, 9, 1, 1, 2, 3, 4, 0, 80)); // reserved 9
        feed(a, true, V5_REQUEST);

        assertThat(ctx.violations).containsExactly("invalid value in reserved field: 9");
        assertThat(ctx.tunnels).isEmpty();
    }

    @Test
    void shouldViolateWhenCommandUndefined() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, V5_GREETING);
        feed(a, false, V5_NOAUTH);
        feed(a, true, cat(5, 4, 0, 1, 1, 2, 3, 4, 0, 80)); // command 4

        assertThat(ctx.violations).containsExactly("undefined value in command field: 4");
    }

    @Test
    void shouldViolateWhenAddressTypeInvalid() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, V5_GREETING);
        feed(a, false, V5_NOAUTH);
        feed(a, true, V5_REQUEST);
        feed(a, false, new byte[] {5, 0, 0, 1, 1, 2, 3, 4, 0, 80, 0}); // fine
        assertThat(ctx.violations).isEmpty();

        Ctx ctx2 = new Ctx();
        SocksAnalyzer b = new SocksAnalyzer(ctx2);
        feed(b, true, V5_GREETING);
        feed(b, false, V5_NOAUTH);
        feed(b, true, cat(5, 1, 0, 2, 1, 2, 3, 4, 0, 80)); // type 2: runs out of bound as Zeek's err field
        assertThat(ctx2.violations).hasSize(1);
    }

    @Test
    void shouldViolateWhenChunkTooShort() {
        Ctx ctx = new Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, new byte[] {4, 1, 0});   // v4 request cut after the port's first byte

        assertThat(ctx.violations).singleElement().asString().startsWith("Binpac exception");
    }

    @Test
    void shouldIgnorePartialConnections() {
        Ctx ctx = new Ctx();
        ctx.partial = true;
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        feed(a, true, V5_GREETING);
        feed(a, false, V5_NOAUTH);

        assertThat(ctx.violations).isEmpty();
        assertThat(ctx.confirmations).isZero();
    }

    @Test
    void shouldFormatIpv6LikeInetNtop() {
        byte[] a = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        assertThat(SocksAnalyzer.ipv6(MemorySegment.ofArray(a), 0)).isEqualTo("2001:db8::1:0:0:1");
        byte[] m = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        assertThat(SocksAnalyzer.ipv6(MemorySegment.ofArray(m), 0)).isEqualTo("10.0.0.1");
    }
}
