package io.picket.analyzer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SshDetectorTest {

    private final SshDetector detector = new SshDetector();
    private long origOffset;
    private long respOffset;

    private int feed(boolean isOrig, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        long off = isOrig ? origOffset : respOffset;
        if (isOrig) {
            origOffset += b.length;
        } else {
            respOffset += b.length;
        }
        return detector.onData(isOrig, MemorySegment.ofArray(b), 0, b.length, off);
    }

    @Test
    void shouldMatchWhenBothDirectionsStartWithSshDash() {
        assertThat(feed(false, "SSH-2.0-OpenSSH_9.3\r\n")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(true, "SSH-2.0-OpenSSH_9.6\r\n")).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldMatchCaseInsensitivelyWhenClientSpeaksFirst() {
        assertThat(feed(true, "sSh-2.0-x\r\n")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(false, "ssH-1.99-y\n")).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldMatchWhenPrefixArrivesOneByteAtATime() {
        assertThat(feed(true, "S")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(true, "S")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(false, "SSH-2.0-y\r\n")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(true, "H")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(true, "-2.0")).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldRuleOutWhenResponderStartsDifferently() {
        assertThat(feed(true, "SSH-2.0-x\r\n")).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(false, "220 smtp ready\r\n")).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldRuleOutWhenDashIsMissing() {
        assertThat(feed(true, "SSH_2.0")).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldRuleOutWhenStreamStartWasMissed() {
        byte[] b = "SSH-2.0-x".getBytes(StandardCharsets.US_ASCII);
        assertThat(detector.onData(true, MemorySegment.ofArray(b), 0, b.length, 100)).isEqualTo(Detector.NO_MATCH);
    }
}
