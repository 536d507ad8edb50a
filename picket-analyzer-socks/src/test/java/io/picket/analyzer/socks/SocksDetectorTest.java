package io.picket.analyzer.socks;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class SocksDetectorTest {

    private static int feed(SocksDetector d, boolean isOrig, long streamOffset, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return d.onData(isOrig, MemorySegment.ofArray(b), 0, b.length, streamOffset);
    }

    private static int feed(SocksDetector d, boolean isOrig, long streamOffset, byte[] b) {
        return d.onData(isOrig, MemorySegment.ofArray(b), 0, b.length, streamOffset);
    }

    @Test
    void shouldMatchWhenV5GreetingAndNoAuthSelection() {
        SocksDetector d = new SocksDetector();
        assertThat(feed(d, true, 0, 5, 1, 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, 0, 5, 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldMatchWhenV4RequestAndReply() {
        SocksDetector d = new SocksDetector();
        // v4 CONNECT port 80 addr 1.2.3.4 user "" (NUL)
        assertThat(feed(d, true, 0, 4, 1, 0, 80, 1, 2, 3, 4, 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, 0, 0, 0x5a, 0, 80, 1, 2, 3, 4)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldNotMatchWhenServerChoosesUserPassInOneByte() {
        SocksDetector d = new SocksDetector();
        feed(d, true, 0, 5, 1, 2);
        // ^\x05(\x00|\x01[\x00\x01\x02]): "05 02" does not match
        assertThat(feed(d, false, 0, 5, 2)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldNotMatchWhenHttp() {
        SocksDetector d = new SocksDetector();
        assertThat(feed(d, true, 0, "GET / HTTP/1.1\r\n".getBytes())).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldNotMatchV4WhenNewlineBeforeNul() {
        SocksDetector d = new SocksDetector();
        feed(d, true, 0, 4, 1, 0x1f, 0x90, 1, 2, '\n', 4, 0); // port 8080: no NUL before the newline
        assertThat(feed(d, false, 0, 0, 0x5a)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldMatchWhenV5GreetingSplitOverSegments() {
        SocksDetector d = new SocksDetector();
        feed(d, true, 0, 5);
        feed(d, true, 1, 2, 0, 2);
        assertThat(feed(d, false, 0, 5, 1, 1)).isEqualTo(Detector.MATCH);
    }
}
