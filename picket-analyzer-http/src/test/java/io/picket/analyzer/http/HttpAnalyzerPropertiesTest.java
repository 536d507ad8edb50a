package io.picket.analyzer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Robustness: arbitrary and mutated input never throws, and state stays bounded. */
class HttpAnalyzerPropertiesTest {

    /** One event fed to the analyzer: data, a gap or an end of stream, in one direction. */
    record Step(boolean isOrig, int kind, byte[] data) {
    }

    private static final String[] EXCHANGES = {
        "GET /index.html?q=%41 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n"
            + "|HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
        "POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 60\r\n\r\n"
            + "--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nabc\r\n--B--\r\n"
            + "|HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\nRange: bytes=0-4\r\n\r\nGET /b\r\n\r\n"
            + "|HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-4/10\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\n\u001f\u008b\u0008\u0000\u0000",
        "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
            + "|HTTP/1.1 101 Switching\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0001a",
        "CONNECT h:443 HTTP/1.0\r\n\r\n|HTTP/1.0 200 OK\r\n\r\n\u0016\u0003\u0001",
    };

    @Property(tries = 300)
    void shouldNeverThrowWhenFedArbitraryBytes(@ForAll("steps") List<Step> steps) {
        run(steps);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenRealExchangeIsMutated(@ForAll @IntRange(min = 0, max = 4) int which,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 10_000) Integer> positions,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 255) Integer> values,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        String[] parts = EXCHANGES[which].split("\\|", 2);
        byte[] client = mutate(parts[0].getBytes(StandardCharsets.ISO_8859_1), positions, values);
        byte[] server = mutate(parts[1].getBytes(StandardCharsets.ISO_8859_1), values, positions);
        FakeContext ctx = new FakeContext();
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        int ci = 0;
        int si = 0;
        while (ci < client.length || si < server.length) {
            if (ci < client.length) {
                int n = Math.min(chunk, client.length - ci);
                a.onStream(true, MemorySegment.ofArray(client), ci, n);
                ci += n;
            }
            if (si < server.length) {
                int n = Math.min(chunk, server.length - si);
                a.onStream(false, MemorySegment.ofArray(server), si, n);
                si += n;
            }
        }
        a.onEndOfStream(true);
        a.onEndOfStream(false);
        a.onConnectionDone();
        assertThat(ctx.logs.size()).isLessThanOrEqualTo(client.length + server.length + 2);
    }

    @Property(tries = 20)
    void shouldBoundStateWhenRequestsAreNeverAnswered(@ForAll @IntRange(min = 150, max = 400) int requests) {
        FakeContext ctx = new FakeContext();
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        byte[] req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < requests; i++) {
            a.onStream(true, MemorySegment.ofArray(req), 0, req.length);
            assertThat(a.pendingRecords()).isLessThanOrEqualTo(HttpAnalyzer.MAX_PENDING + 1);
        }
        assertThat(ctx.weirdNames()).contains("HTTP_excessive_pipelining");
        assertThat(a.unansweredRequests()).isLessThanOrEqualTo(HttpAnalyzer.MAX_UNANSWERED);
        a.onConnectionDone();
        assertThat(ctx.logs).hasSize(requests);
    }

    @Property(tries = 10)
    void shouldBoundLineBufferWhenLineNeverEnds(@ForAll @IntRange(min = 70_000, max = 400_000) int length) {
        FakeContext ctx = new FakeContext();
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        byte[] chunk = new byte[4096];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (int done = 0; done < length; done += chunk.length) {
            a.onStream(true, MemorySegment.ofArray(chunk), 0, chunk.length);
            a.onStream(false, MemorySegment.ofArray(chunk), 0, chunk.length);
        }
        assertThat(a.lineCapacity(true)).isLessThanOrEqualTo(ContentLine.MAX_STORED);
        assertThat(a.lineCapacity(false)).isLessThanOrEqualTo(ContentLine.MAX_STORED);
        a.onConnectionDone();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.of(EXCHANGES).map(e -> e.replace("|", "").getBytes(StandardCharsets.ISO_8859_1)),
                Arbitraries.strings().withChars("GETPOST HTP/1.0\r\n:%ch-").ofMaxLength(80)
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 9), data).as(Step::new);
        return step.list().ofMaxSize(30);
    }

    private static void run(List<Step> steps) {
        FakeContext ctx = new FakeContext();
        HttpAnalyzer a = new HttpAnalyzer(ctx);
        for (Step s : steps) {
            switch (s.kind()) {
                case 0 -> a.onGap(s.isOrig(), 1 + s.data().length);
                case 1 -> a.onEndOfStream(s.isOrig());
                default -> a.onStream(s.isOrig(), MemorySegment.ofArray(s.data()), 0, s.data().length);
            }
        }
        a.onConnectionDone();
    }

    private static byte[] mutate(byte[] in, List<Integer> positions, List<Integer> values) {
        byte[] out = in.clone();
        for (int i = 0; i < positions.size(); i++) {
            int v = i < values.size() ? values.get(i) : 0;
            out[positions.get(i) % out.length] = (byte) v;
        }
        if (!positions.isEmpty() && positions.get(0) % 3 == 0) {
            out = java.util.Arrays.copyOf(out, Math.max(1, out.length - positions.get(0) % 17));
        }
        return out;
    }
}
