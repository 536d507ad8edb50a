package io.picket.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.PolicyConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import io.picket.log.writer.FileLogSink;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API over real loopback sockets, against a run fed by a live-like source: file
 * watching is off, so only the API swaps bundles.
 */
class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NEVER = """
            signature attack-uri {
              ip-proto == tcp
              dst-port == 80
              payload /.*GET \\/nothing/
              event "attack request"
            }
            """;
    private static final String ATTACK = NEVER.replace("nothing", "attack");
    /** Line 4 (payload) has an unterminated regular expression. */
    private static final String BROKEN = "signature attack-uri {\n  ip-proto == tcp\n  dst-port == 80\n"
            + "  payload /unterminated\n}\n";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private QueueSource source;
    private Thread engine;
    private final AtomicReference<RunSummary> summary = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private ControlServer server;
    private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path policy;
    private Path logs;

    private void start() throws Exception {
        policy = tmp.resolve("policy");
        for (String t : List.of("a", "b")) {
            Files.createDirectories(policy.resolve(t + "/signatures"));
            Files.writeString(policy.resolve(t + "/signatures/attack.sig"), NEVER);
        }
        Path tenants = Files.writeString(tmp.resolve("tenants.yaml"), Traffic.TENANTS);
        logs = tmp.resolve("logs");
        PolicyConfig pc = new PolicyConfig(policy, List.of(), List.of()).withReload(false);
        EngineConfig cfg = EngineConfig.of(List.of(), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withUidSeed(3L).withWorkers(1).withPolicy(pc);
        server = ControlServer.start(ControlAddress.parse("0"), pc, messages::add);
        source = new QueueSource();
        engine = Thread.ofPlatform().name("test-run").start(() -> {
            try {
                summary.set(Engine.runSources(cfg, List.of(source), new FileLogSink(logs), ProgressListener.NONE));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitStatus(s -> s.get("state").asText().equals("running"));
    }

    @AfterEach
    void end() throws InterruptedException {
        if (source != null) {
            source.stop();
        }
        if (engine != null) {
            engine.join(10_000);
        }
        if (server != null) {
            server.close();
        }
    }

    private RunSummary finish() throws InterruptedException {
        source.stop();
        engine.join(10_000);
        assertThat(engine.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        return summary.get();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends one request line (no body) over a plain socket; returns the whole response. */
    private String raw(String requestLine) throws IOException {
        try (java.net.Socket sock = new java.net.Socket(server.address().getAddress(), server.address().getPort())) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write((requestLine + "\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private JsonNode awaitStatus(Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        JsonNode s;
        do {
            HttpResponse<String> r = send("GET", "/v1/status", null);
            assertThat(r.statusCode()).isEqualTo(200);
            s = json(r);
            if (until.test(s)) {
                return s;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("status never matched: " + s);
    }

    private static JsonNode tenant(JsonNode status, String id) {
        for (JsonNode t : status.get("tenants")) {
            if (t.get("tenant").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no tenant " + id + " in " + status);
    }

    /** Queues connections [from, to) of tenant a and waits until the run processed all their packets. */
    private void connectionsOfA(int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            Traffic.connection(source, 10, n);
        }
        long packets = (long) to * Traffic.FRAMES_PER_CONNECTION;
        awaitStatus(s -> tenant(s, "a").get("packets").asLong() == packets);
    }

    /** Client ports (20000 + connection number) of tenant a's signatures.log rows. */
    private List<Integer> signaturePorts() throws IOException {
        Path f = logs.resolve("a/signatures.log");
        if (!Files.exists(f)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(f);
        int col = -1;
        List<Integer> ports = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("#fields")) {
                col = Arrays.asList(l.split("\t")).indexOf("src_port") - 1;
            } else if (!l.startsWith("#")) {
                ports.add(Integer.parseInt(l.split("\t")[col]) - 20000);
            }
        }
        ports.sort(null);
        return ports;
    }

    @Test
    void shouldUseNewBundleForNewConnectionsWhenReloadedByApi() throws Exception {
        start();
        connectionsOfA(0, 3);
        Files.writeString(policy.resolve("a/signatures/attack.sig"), ATTACK);

        HttpResponse<String> r = send("POST", "/v1/tenants/a/policies/reload", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("result").asText()).isEqualTo("accepted");
        assertThat(body.get("tenants")).hasSize(1);
        JsonNode a = body.get("tenants").get(0);
        assertThat(a.get("tenant").asText()).isEqualTo("a");
        assertThat(a.get("status").asText()).isEqualTo("accepted");
        assertThat(a.get("generation").asLong()).isEqualTo(1);
        assertThat(a.get("digest").asText()).isEqualTo(BundleDigest.of(
                new PolicyConfig(policy, List.of(), List.of()), "a")).startsWith("sha256:");
        connectionsOfA(3, 6);

        JsonNode status = awaitStatus(s -> tenant(s, "a").get("connections").asLong() == 6);
        assertThat(status.get("state").asText()).isEqualTo("running");
        JsonNode sa = tenant(status, "a");
        assertThat(sa.get("packets").asLong()).isEqualTo(6L * Traffic.FRAMES_PER_CONNECTION);
        assertThat(sa.at("/policy/generation").asLong()).isEqualTo(1);
        assertThat(sa.at("/policy/digest").asText()).isEqualTo(a.get("digest").asText());
        assertThat(sa.at("/drops/undecodable_packets").asLong()).isZero();
        assertThat(tenant(status, "b").at("/policy/generation").asLong()).isZero();
        assertThat(tenant(status, "b").at("/policy/digest").asText()).startsWith("sha256:")
                .isNotEqualTo(a.get("digest").asText());

        RunSummary s = finish();
        assertThat(json(send("GET", "/v1/status", null)).get("state").asText()).isEqualTo("ended");
        HttpResponse<String> late = send("POST", "/v1/policies/reload", null);
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(json(late).get("error").asText()).startsWith("no run in progress");
        assertThat(signaturePorts()).containsExactly(3, 4, 5);
        assertThat(s.tenants().get(0).policyReloads).isEqualTo(1);
        assertThat(messages).anyMatch(m -> m.contains("POST /v1/tenants/a/policies/reload from 127.0.0.1: 200"));
    }

    @Test
    void shouldKeepRunningBundleAndAnswer422WhenReloadedBundleIsBroken() throws Exception {
        start();
        Files.writeString(policy.resolve("a/signatures/attack.sig"), ATTACK);
        assertThat(send("POST", "/v1/policies/reload", "{}").statusCode()).isEqualTo(200);
        connectionsOfA(0, 2);
        Files.writeString(policy.resolve("a/signatures/attack.sig"), BROKEN);

        HttpResponse<String> r = send("POST", "/v1/policies/reload", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode body = json(r);
        assertThat(body.get("result").asText()).isEqualTo("partially rejected");
        JsonNode a = body.get("tenants").get(0);
        assertThat(a.get("tenant").asText()).isEqualTo("a");
        assertThat(a.get("status").asText()).isEqualTo("rejected");
        assertThat(a.get("running_generation").asLong()).isEqualTo(1);
        assertThat(a.get("errors")).isNotEmpty();
        JsonNode e = a.get("errors").get(0);
        assertThat(e.get("file").asText()).isEqualTo("signatures/attack.sig");
        assertThat(e.get("line").asInt()).isEqualTo(4);
        assertThat(e.get("column").asInt()).isPositive();
        assertThat(e.get("reason").asText()).isNotBlank();
        assertThat(e.get("message").asText()).startsWith("signatures/attack.sig:4:");
        JsonNode b = body.get("tenants").get(1);
        assertThat(b.get("status").asText()).isEqualTo("accepted");
        assertThat(b.get("generation").asLong()).isEqualTo(2);
        connectionsOfA(2, 4);

        HttpResponse<String> one = send("POST", "/v1/tenants/a/policies/reload", null);
        assertThat(one.statusCode()).isEqualTo(422);
        assertThat(json(one).get("result").asText()).isEqualTo("rejected");
        JsonNode st = tenant(awaitStatus(x -> true), "a").get("policy");
        assertThat(st.get("generation").asLong()).isEqualTo(1);
        assertThat(st.get("rejected_reloads").asLong()).isEqualTo(2);
        finish();
        assertThat(signaturePorts()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shouldAnswerSpecificJsonErrorsWhenRequestIsWrong() throws Exception {
        start();

        HttpResponse<String> unknown = send("POST", "/v1/tenants/zz/policies/reload", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown tenant 'zz'; tenants of this run: a, b");

        HttpResponse<String> get = send("GET", "/v1/policies/reload", null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(get).get("error").asText()).isEqualTo("GET is not allowed on /v1/policies/reload; use POST");

        HttpResponse<String> put = send("PUT", "/v1/tenants/a/policies/reload", null);
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> post = send("POST", "/v1/status", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");

        HttpResponse<String> empty = send("POST", "/v1/tenants//policies/reload", null);
        assertThat(empty.statusCode()).isEqualTo(404);
        assertThat(json(empty).get("error").asText()).startsWith("malformed path /v1/tenants//policies/reload");

        String badEscape = raw("POST /v1/tenants/a%E2%82/policies/reload HTTP/1.1");
        assertThat(badEscape).startsWith("HTTP/1.1 404").contains("\"error\" : \"malformed path /v1/tenants/a%E2%82/");

        HttpResponse<String> other = send("GET", "/v1/nothing", null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other).get("error").asText()).startsWith("no such endpoint: /v1/nothing; endpoints: ");

        HttpResponse<String> body = send("POST", "/v1/policies/reload", "[1, 2]");
        assertThat(body.statusCode()).isEqualTo(400);
        assertThat(json(body).get("error").asText()).isEqualTo("request body must be empty or a JSON object");

        HttpResponse<String> notJson = send("POST", "/v1/policies/reload", "reload please");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("error").asText()).startsWith("request body is not JSON");

        HttpResponse<String> big = send("POST", "/v1/policies/reload", "{\"x\": \"" + "y".repeat(70_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);

        HttpResponse<String> encoded = send("POST", "/v1/tenants/%61/policies/reload", null);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(json(encoded).at("/tenants/0/tenant").asText()).isEqualTo("a");
        finish();
    }

    @Test
    void shouldSerializeReloadsWhenSeveralArriveAtOnce() throws Exception {
        start();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(server.url()
                    + (i % 2 == 0 ? "/v1/policies/reload" : "/v1/tenants/b/policies/reload")))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        List<Long> generationsOfB = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            for (JsonNode t : json(r).get("tenants")) {
                if (t.get("tenant").asText().equals("b")) {
                    generationsOfB.add(t.get("generation").asLong());
                }
            }
        }
        // each reload saw its own swap: no two report the same generation
        assertThat(generationsOfB).doesNotHaveDuplicates().hasSize(6);
        assertThat(tenant(awaitStatus(x -> true), "b").at("/policy/generation").asLong()).isEqualTo(6);
        finish();
    }

    @Test
    void shouldAnswer503AndStopListeningWhenNoRunIsInProgress() throws Exception {
        server = ControlServer.start(ControlAddress.parse("127.0.0.1:0"), PolicyConfig.NONE, m -> { });
        HttpResponse<String> status = send("GET", "/v1/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status).get("state").asText()).isEqualTo("starting");
        HttpResponse<String> reload = send("POST", "/v1/policies/reload", null);
        assertThat(reload.statusCode()).isEqualTo(503);
        assertThat(json(reload).get("error").asText()).startsWith("no run in progress");
        String url = server.url();

        server.close();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
}
