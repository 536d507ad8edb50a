package io.picket.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.bench.EndToEndThroughput;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records per second from the first write to the last document counted by a
 * {@code com.sun.net.httpserver} receiver on loopback, through
 * {@link io.picket.sink.spool.SpooledSink}; prints the figure next to the no-op baseline.
 * Asserts only that every record arrived.
 */
@Tag("benchmark")
class HttpThroughputTest {
    private static final int N = Integer.getInteger("picket.bench.records", 50_000);

    static {
        // The server writes the response headers and body separately; with Nagle on, the body waits
        // for the client's delayed ACK (~40 ms per request), which would be measured instead of the
        // sink. Read once per JVM when the first HttpServer starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @ParameterizedTest
    @EnumSource(value = HttpSinkConfig.Api.class, names = {"ELASTICSEARCH", "NDJSON"})
    void shouldDeliverEveryRecordWhenMeasuringThroughput(HttpSinkConfig.Api api) throws Exception {
        EndToEndThroughput.noop(N / 5, SinkTestSupport.tempDir("noop-warm"));
        EndToEndThroughput.Result base = EndToEndThroughput.noop(N, SinkTestSupport.tempDir("noop"));
        run(api, N / 5);
        EndToEndThroughput.Result r = run(api, N);
        System.out.println(EndToEndThroughput.line(r, base));
        assertThat(r.arrived()).isEqualTo(N);
        assertThat(r.dropped()).isZero();
    }

    private static EndToEndThroughput.Result run(HttpSinkConfig.Api api, int n) throws IOException {
        AtomicLong docs = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> handle(ex, api, docs));
        server.start();
        try {
            HttpSinkConfig c = HttpSinkConfig.elasticsearch(EndToEndThroughput.options("http", n),
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + (api == HttpSinkConfig.Api.NDJSON ? "/ingest" : "")))
                    .with(api, HttpSinkConfig.Auth.NONE, HttpSinkConfig.Compression.NONE, null);
            return EndToEndThroughput.run("HTTP " + (api == HttpSinkConfig.Api.NDJSON ? "NDJSON" : "Elasticsearch _bulk"), n,
                    c.options(), SinkTestSupport.tempDir("http"), new HttpSinkProvider().open(EndToEndThroughput.TENANT, c),
                    docs::get, Duration.ofSeconds(20));
        } finally {
            server.stop(0);
        }
    }

    /** Counts the documents of one request (NDJSON lines; for _bulk, action + document pairs) and answers 200. */
    private static void handle(HttpExchange ex, HttpSinkConfig.Api api, AtomicLong docs) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        int lines = 0;
        for (byte b : body) {
            if (b == '\n') {
                lines++;
            }
        }
        int count = api == HttpSinkConfig.Api.NDJSON ? lines : lines / 2;
        byte[] out;
        if (api == HttpSinkConfig.Api.NDJSON) {
            out = new byte[0];
        } else {
            // What Elasticsearch answers: one item per action, each with its status.
            StringBuilder sb = new StringBuilder(32 + count * 26).append("{\"took\":1,\"errors\":false,\"items\":[");
            for (int i = 0; i < count; i++) {
                sb.append(i == 0 ? "" : ",").append("{\"index\":{\"status\":201}}");
            }
            out = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
        docs.addAndGet(count); // counted once the answer is on its way: the request is complete
    }
}
