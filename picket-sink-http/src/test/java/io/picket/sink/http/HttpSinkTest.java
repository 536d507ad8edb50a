package io.picket.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.picket.sink.spool.DropCause;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkConfigException;
import io.picket.sink.spool.SinkCounters;
import io.picket.sink.spool.SinkRegistry;
import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.SpooledSink;
import io.picket.sink.spool.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
            new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    /** One request as the server saw it. */
    record Request(String method, String path, String authorization, String contentType, String encoding, String body,
            long atNanos, int status) {
    }

    /** Status and extra header the server answers a request with. */
    record Reply(int status, String retryAfter, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private String start(Function<Integer, Reply> replies, boolean tls) throws Exception {
        AtomicInteger n = new AtomicInteger();
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls) {
            HttpsServer s = HttpsServer.create(at, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.get().serverContext()));
            server = s;
        } else {
            server = HttpServer.create(at, 0);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> handle(ex, replies.apply(n.getAndIncrement())));
        server.start();
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex, Reply reply) throws IOException {
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        byte[] raw;
        try (InputStream in = "gzip".equals(enc) ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), enc, body,
                System.nanoTime(), reply.status()));
        if (reply.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", reply.retryAfter());
        }
        String out = reply.body() != null ? reply.body() : bulkOk(body);
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    /** A {@code _bulk} answer with status 201 for every action line. */
    private static String bulkOk(String body) {
        StringBuilder b = new StringBuilder("{\"took\":1,\"errors\":false,\"items\":[");
        int items = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("{\"index\":") || line.startsWith("{\"create\":")) {
                b.append(items++ == 0 ? "" : ",").append("{\"index\":{\"status\":201}}");
            }
        }
        return b.append("]}").toString();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static SinkConfig parse(String yaml) throws IOException, SinkConfigException {
        return SinkRegistry.of(List.of(new HttpSinkProvider()), System::getenv).parseOne(YAML.readTree(yaml), "sinks[0]");
    }

    private static String common() {
        return "name: es\ntype: http\nbatch: {max_records: 200, linger: 5ms}\n"
                + "retry: {initial_backoff: 20ms, max_backoff: 100ms, max_retry_after: 5s}\nspool: {fsync: never}\n";
    }

    /** Documents of successful {@code _bulk} requests, in arrival order, with their action lines checked. */
    private List<Long> bulkSeqs(String index) throws IOException {
        List<Long> seqs = new ArrayList<>();
        for (Request r : requests) {
            if (r.status() != 200) {
                continue;
            }
            String[] lines = r.body().split("\n");
            for (int i = 0; i < lines.length; i += 2) {
                JsonNode action = JSON.readTree(lines[i]).get("index");
                assertThat(action.get("_index").asText()).isEqualTo(index);
                JsonNode doc = JSON.readTree(lines[i + 1]);
                assertThat(action.get("_id").asText()).endsWith("-" + doc.get("seq").asLong());
                seqs.add(doc.get("seq").asLong());
            }
        }
        return seqs;
    }

    @Test
    void shouldRetryThroughUnavailableAndRetryAfterThenDeliverAllWhenServerRecovers() throws Exception {
        // 503 three times, then 429 with Retry-After: 1, then 200 for good.
        String url = start(i -> i < 3 ? new Reply(503, null, "busy") : i == 3 ? new Reply(429, "1", "slow down")
                : new Reply(200, null, null), false);
        SinkConfig c = parse(common() + "api: elasticsearch\nurl: " + url + "\n"
                + "auth: {type: basic, username: elastic, password: {file: " + secretFile("pw", "hunter2") + "}}\n");
        int n = 5000;
        long start = System.nanoTime();
        SinkCounters counters;
        try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("http-es"),
                new HttpSinkProvider().open("acme", c))) {
            for (int i = 0; i < n; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("delivered", Duration.ofSeconds(15), () -> sink.counters().delivered() == n);
            counters = sink.counters();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        List<Long> seqs = bulkSeqs("picket-acme-conn");
        SinkTestSupport.OrderReport rep = SinkTestSupport.check(seqs);
        System.out.printf("http es: %d records, %d requests (%d failed), %d retries, %d received, %d duplicates, %d ms%n",
                n, requests.size(), requests.stream().filter(r -> r.status() != 200).count(), counters.retries(),
                seqs.size(), rep.duplicates(), ms);
        assertThat(rep.complete(n)).isTrue();
        assertThat(rep.duplicates()).isZero();
        assertThat(counters.retries()).isEqualTo(4);
        assertThat(counters.droppedTotal()).isZero();
        // Retry-After: 1 was honoured.
        assertThat(Duration.ofNanos(requests.get(4).atNanos() - requests.get(3).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        Request first = requests.getFirst();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/_bulk");
        assertThat(first.contentType()).isEqualTo("application/x-ndjson");
        assertThat(first.authorization()).isEqualTo("Basic ZWxhc3RpYzpodW50ZXIy");
        // The failed requests carried the same records, so the first good request starts at seq 0.
        assertThat(counters.lastError()).contains("HTTP 429").doesNotContain("hunter2");
    }

    @Test
    void shouldRetryFailedItemsAndRejectRefusedOnesWhenBulkReportsErrors() throws Exception {
        // First answer: item 0 refused (400 mapping error), item 1 429; second answer: item 0 refused again.
        String url = start(i -> new Reply(200, null, i == 0
                ? "{\"errors\":true,\"items\":[{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}},"
                        + "{\"index\":{\"status\":429}},{\"index\":{\"status\":201}}]}"
                : "{\"errors\":true,\"items\":[{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}},"
                        + "{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}"), false);
        SinkConfig c = parse(common().replace("linger: 5ms", "linger: 300ms") + "api: opensearch\nurl: " + url
                + "/\nindex: logs-{tenant}-{path}-{date}\n");
        try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("http-items"),
                new HttpSinkProvider().open("acme", c))) {
            for (int i = 0; i < 3; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("acknowledged", Duration.ofSeconds(5), () -> sink.counters().delivered() == 2);
            assertThat(sink.counters().dropped(DropCause.REJECTED)).isEqualTo(1);
            assertThat(sink.counters().retries()).isEqualTo(1);
            assertThat(sink.counters().lastError()).contains("1 of 3 records refused");
        }
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).body()).isEqualTo(requests.get(1).body()).contains("\"_index\":\"logs-acme-conn-2020.06.05\"");
    }

    @Test
    void shouldSendSplunkEventsWithTokenWhenApiIsHec() throws Exception {
        String url = start(i -> new Reply(200, null, "{\"text\":\"Success\",\"code\":0}"), false);
        Path token = secretFile("hec", "11111111-2222-3333-4444-555555555555\n");
        SinkConfig c = parse(common() + "api: splunk_hec\nurl: " + url + "\nhec_index: zeek\nhost: sensor1\n"
                + "auth: {token: {file: " + token + "}}\n");
        assertThat(c.toString()).doesNotContain("11111111");
        try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("http-hec"),
                new HttpSinkProvider().open("acme", c))) {
            sink.write("acme", SinkTestSupport.conn(1));
            sink.write("acme", SinkTestSupport.dns(2));
            SinkTestSupport.await("delivered", Duration.ofSeconds(5), () -> sink.counters().delivered() == 2);
        }
        Request r = requests.getFirst();
        assertThat(r.path()).isEqualTo("/services/collector/event");
        assertThat(r.authorization()).isEqualTo("Splunk 11111111-2222-3333-4444-555555555555");
        String[] events = r.body().split("\n");
        JsonNode e = JSON.readTree(events[0]);
        assertThat(events[0]).startsWith("{\"time\":1591367999.306988,\"host\":");
        assertThat(e.get("host").asText()).isEqualTo("sensor1");
        assertThat(e.get("source").asText()).isEqualTo("picket");
        assertThat(e.get("sourcetype").asText()).isEqualTo("zeek:conn:json");
        assertThat(e.get("index").asText()).isEqualTo("zeek");
        assertThat(e.get("fields").get("tenant").asText()).isEqualTo("acme");
        assertThat(e.get("event").get("uid").asText()).isEqualTo("C1");
        assertThat(JSON.readTree(events[1]).get("sourcetype").asText()).isEqualTo("zeek:dns:json");
    }

    @Test
    void shouldPostGzippedNdjsonOverTlsWithBearerTokenWhenApiIsNdjson() throws Exception {
        String url = start(i -> new Reply(i == 0 ? 502 : 204, null, ""), true);
        Path ca = TestCertificates.get().caPem;
        SinkConfig c = parse(common() + "api: ndjson\nurl: " + url + "/ingest?src=picket\ncompression: gzip\n"
                + "auth: {type: bearer, token: {file: " + secretFile("tok", "t0ken") + "}}\n"
                + "headers: {X-Tenant-Group: blue}\ntls: {ca_file: " + ca + "}\n");
        try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("http-nd"),
                new HttpSinkProvider().open("acme", c))) {
            for (int i = 0; i < 10; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("delivered", Duration.ofSeconds(10), () -> sink.counters().delivered() == 10);
            assertThat(sink.counters().lastError()).contains("HTTP 502").doesNotContain("t0ken");
        }
        Request ok = requests.get(requests.size() - 1);
        assertThat(ok.path()).isEqualTo("/ingest?src=picket");
        assertThat(ok.encoding()).isEqualTo("gzip");
        assertThat(ok.authorization()).isEqualTo("Bearer t0ken");
        List<Long> seqs = new ArrayList<>();
        for (Request r : requests) {
            if (r.status() == 204) {
                for (String line : r.body().split("\n")) {
                    JsonNode o = JSON.readTree(line);
                    assertThat(o.get("_tenant").asText()).isEqualTo("acme");
                    assertThat(o.get("_path").asText()).isEqualTo("conn");
                    seqs.add(o.get("seq").asLong());
                }
            }
        }
        assertThat(SinkTestSupport.check(seqs).complete(10)).isTrue();
    }

    @Test
    void shouldIsolateRefusedRecordBySplittingWhenServerAnswers400() throws Exception {
        // Any request containing seq 5 is refused with 400.
        String url = start(i -> null, false);
        server.removeContext("/");
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = body.contains("\"seq\":5,") ? 400 : 200;
            requests.add(new Request("POST", "/", null, null, null, body, System.nanoTime(), status));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        SinkConfig c = parse(common().replace("linger: 5ms", "linger: 200ms") + "api: ndjson\nurl: " + url + "\n");
        try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("http-400"),
                new HttpSinkProvider().open("acme", c))) {
            for (int i = 0; i < 16; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("done", Duration.ofSeconds(5), () -> sink.counters().delivered() == 15);
            assertThat(sink.counters().dropped(DropCause.REJECTED)).isEqualTo(1);
        }
        assertThat(requests.stream().filter(r -> r.status() == 200).mapToLong(r -> r.body().split("\n").length).sum()).isEqualTo(15);
        assertThat(requests).hasSizeLessThanOrEqualTo(1 + 2 * 4); // log2(16) levels of halves
    }

    @Test
    void shouldReportConfigProblemsWhenHttpOptionsAreWrong() {
        assertThatThrownBy(() -> parse("""
                name: x
                type: http
                api: splunk_hec
                url: https://user:pw@example.com
                auth: {type: basic, username: u, password: inline}
                headers: {Authorization: x}
                tls: {verify_hostname: false}
                """)).isInstanceOfSatisfying(SinkConfigException.class, e -> assertThat(e.problems()).containsExactly(
                "sinks[0].url: must not carry credentials; use auth",
                "sinks[0].auth.password: secrets are not written inline: use {file: PATH} or {env: NAME}",
                "sinks[0].auth.type: splunk_hec needs auth type splunk with a token",
                "sinks[0].headers.Authorization: set by the sink; use auth for credentials",
                "sinks[0].tls: only with an https url",
                "sinks[0].tls.verify_hostname: cannot be turned off for the HTTP client; issue a certificate naming the host"))
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> parse("{name: x, type: http, api: elasticsearch, url: 'http://h', index: 'Picket-{tenant}-{day}',"
                + " tag_records: true}"))
                .hasMessageContaining("sinks[0].index: unknown placeholder {day}")
                .hasMessageContaining("sinks[0].index: must be lower case")
                .hasMessageContaining("sinks[0].tag_records: unknown option");
    }

    private static Path secretFile(String name, String value) throws IOException {
        Path p = SinkTestSupport.tempDir("secret").resolve(name);
        Files.writeString(p, value);
        return p;
    }
}
