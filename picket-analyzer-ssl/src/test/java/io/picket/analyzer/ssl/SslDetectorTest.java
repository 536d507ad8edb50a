package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SslDetectorTest {
    // handshake record, TLS 1.0 record version, length 0x00a9, ClientHello (1), length, version 3.3
    private static final byte[] CLIENT_HELLO = HexFormat.of().parseHex("16030100a9010000a50303");
    // handshake record, TLS 1.2, length, ServerHello (2), length, version 3.3
    private static final byte[] SERVER_HELLO = HexFormat.of().parseHex("16030300510200004d0303");
    // warning alert record (7 bytes) in front of a ServerHello with a TLS 1.3 draft version 7f17
    private static final byte[] ALERT_THEN_DRAFT_HELLO = HexFormat.of().parseHex("150303000201001603030051020000497f17");

    private static int feed(Detector d, boolean orig, byte[] b, long streamOffset) {
        return d.onData(orig, MemorySegment.ofArray(b), 0, b.length, streamOffset);
    }

    @Test
    void shouldMatchWhenTheOriginatorSendsAClientHello() {
        assertThat(feed(new SslDetector(false), true, CLIENT_HELLO, 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldMatchWhenTheResponderSendsAServerHelloEvenBehindAnAlert() {
        assertThat(feed(new SslDetector(false), false, SERVER_HELLO, 0)).isEqualTo(Detector.MATCH);
        assertThat(feed(new SslDetector(false), false, ALERT_THEN_DRAFT_HELLO, 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldNotMatchAClientHelloFromTheResponder() {
        SslDetector d = new SslDetector(false);
        assertThat(feed(d, false, CLIENT_HELLO, 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, true, "GET / HTTP/1.1\r\n".getBytes(), 0)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldWaitForMoreBytesWhenAHelloArrivesOneByteAtATime() {
        SslDetector d = new SslDetector(false);
        for (int i = 0; i < CLIENT_HELLO.length - 1; i++) {
            assertThat(feed(d, true, new byte[] {CLIENT_HELLO[i]}, i)).isEqualTo(Detector.NEED_MORE);
        }
        assertThat(feed(d, true, new byte[] {CLIENT_HELLO[CLIENT_HELLO.length - 1]}, CLIENT_HELLO.length - 1))
                .isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldNotMatchADirectionThatStartsMidStream() {
        SslDetector d = new SslDetector(false);
        assertThat(feed(d, true, CLIENT_HELLO, 100)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, "SSH-2.0-x\r\n".getBytes(), 0)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldMatchSslv2OnlyWhenEnabledAndBothSidesAgree() {
        byte[] v2Client = HexFormat.of().parseHex("802e0100020015000000100100800200800300800400800500800600400700c0");
        byte[] v2Server = HexFormat.of().parseHex("83be04000100020382000300100100800200800300800400800500800600400700c0");
        SslDetector off = new SslDetector(false);
        assertThat(feed(off, true, v2Client, 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(off, false, v2Server, 0)).isEqualTo(Detector.NO_MATCH);

        SslDetector d = new SslDetector(true);
        assertThat(feed(d, true, v2Client, 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, v2Server, 0)).isEqualTo(Detector.MATCH);
    }
}
