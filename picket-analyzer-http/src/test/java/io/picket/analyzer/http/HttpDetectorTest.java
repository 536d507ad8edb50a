package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDetectorTest {

    private static int feed(HttpDetector d, boolean isOrig, String s, long streamOffset) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return d.onData(isOrig, MemorySegment.ofArray(b), 0, b.length, streamOffset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n", "  \r\nPOST /x HTTP/1.0", "PROPFIND", "GETX", "RPC_IN_DATA /rpc"})
    void shouldMatchWhenOriginatorStartsWithMethod(String start) {
        assertThat(feed(new HttpDetector(), true, start, 0)).isEqualTo(Detector.MATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 200 OK\r\n", "http/0", "HtTp/2"})
    void shouldMatchWhenResponderStartsWithHttpVersion(String start) {
        assertThat(feed(new HttpDetector(), false, start, 0)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldWaitWhenPrefixIsIncomplete() {
        HttpDetector d = new HttpDetector();
        assertThat(feed(d, true, "  GE", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, true, "T /", 4)).isEqualTo(Detector.MATCH);
    }

    @Test
    void shouldGiveUpWhenBothDirectionsAreSomethingElse() {
        HttpDetector d = new HttpDetector();
        assertThat(feed(d, true, "SSH-2.0-x\r\n", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, "SSH-2.0-y\r\n", 0)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldNotMatchLowerCaseMethodsOrHttpOnOriginator() {
        HttpDetector d = new HttpDetector();
        assertThat(feed(d, true, "get / HTTP/1.1", 0)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, "HTTPS", 0)).isEqualTo(Detector.NO_MATCH);
    }

    @Test
    void shouldStopWhenStreamOffsetSkipsAhead() {
        HttpDetector d = new HttpDetector();
        assertThat(feed(d, true, "GET", 10)).isEqualTo(Detector.NEED_MORE);
        assertThat(feed(d, false, "HTTP/1.1", 5)).isEqualTo(Detector.NO_MATCH);
    }
}
