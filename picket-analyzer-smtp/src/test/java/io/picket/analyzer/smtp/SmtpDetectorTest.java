package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpDetectorTest {

    private static int feed(Detector d, boolean isOrig, String s, long streamOffset) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return d.onData(isOrig, MemorySegment.ofArray(b), 0, b.length, streamOffset);
    }

    @Test
    void shouldMatchWhenServerGreetsAndClientSaysEhlo() {
        SmtpDetector d = new SmtpDetector();
        assertThat(feed(d, false, "220-mx ESMTP\r\n", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, true, "  ehlo me\r\n", 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldMatchWhenHeloFollowsAnotherLine() {
        SmtpDetector d = new SmtpDetector();
        assertThat(feed(d, true, "NOOP\r\nHELO x\r\n", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, " 220 hi\r\n", 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldNotMatchWhenServerDoesNotGreetWith220() {
        SmtpDetector d = new SmtpDetector();
        assertThat(feed(d, false, "HTTP/1.1 200 OK\r\n", 0)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldWaitWhenClientWordIsNotAtLineStart() {
        SmtpDetector d = new SmtpDetector();
        assertThat(feed(d, false, "220 x\r\n", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, true, "xEHLO\r\n", 0)).isEqualTo(Detector.NEED_MORE);
    }
}
