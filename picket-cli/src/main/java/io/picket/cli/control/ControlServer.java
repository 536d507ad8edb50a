package io.picket.cli.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.picket.engine.Engine;
import io.picket.engine.PolicyConfig;
import io.picket.engine.PolicyReload;
import io.picket.engine.RunSummary;
import io.picket.engine.TenantStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP control endpoint of {@code picket run --control}: JSON in and out over the JDK's
 * {@code com.sun.net.httpserver}, served by a few daemon threads ({@code picket-control-N}),
 * never a shard thread.
 *
 * <ul>
 * <li>{@code POST /v1/policies/reload}: reloads every tenant's bundle;
 * {@code POST /v1/tenants/{id}/policies/reload}: one tenant. 200 when every bundle was
 * swapped in, 422 when one was rejected (the running bundle stays), with each error's file,
 * line, column and reason; 404 for an unknown tenant. Reloads are serialized: one waits for the
 * one in progress.</li>
 * <li>{@code GET /v1/status}: run state and per-tenant live counters.</li>
 * </ul>
 *
 * Every other request gets a JSON {@code {"error": "..."}} with 400, 404, 405 (and {@code Allow}),
 * 413 or 503; a failure inside a handler becomes a 500, never an exception on the engine. The
 * run's engine is reached through {@link Engine#reloadPolicies()} and {@link Engine#liveStatus()},
 * so the server may start before the run and is closed after it ({@link #close()}).
 */
public final class ControlServer implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** {@code file:line:col: reason} as PolicyError prints it; the first such prefix wins. */
    private static final Pattern LOCATED = Pattern.compile("(?s)^(.+?):(\\d+):(\\d+): (.*)$");
    private static final Pattern FILE_ONLY = Pattern.compile("(?s)^(.+?): (.*)$");

    private final HttpServer server;
    private final ExecutorService executor;
    private final PolicyConfig policy;
    private final Consumer<String> log;
    private final ReentrantLock reloads = new ReentrantLock(true);
    /** Digest of each tenant's sources with the bundle generation it belongs to (guarded by this). */
    private final Map<String, Digest> digests = new HashMap<>();
    /** Digest of the run-wide files alone: generation 0 of a tenant without a folder (guarded by this). */
    private String folderless;
    private final long started = System.nanoTime();
    private volatile boolean sawRun;
    private volatile boolean closed;

    private record Digest(long generation, String value) {
    }

    private record Reply(int status, JsonNode body, String allow) {
        static Reply error(int status, String message) {
            return new Reply(status, JSON.createObjectNode().put("error", message), null);
        }
    }

    private ControlServer(HttpServer server, ExecutorService executor, PolicyConfig policy, Consumer<String> log) {
        this.server = server;
        this.executor = executor;
        this.policy = policy;
        this.log = log;
    }

    /**
     * Binds {@code address} and starts serving; the digests of the bundle sources on disk are
     * taken now, as the run's generation 0. Throws IOException when the address cannot be bound.
     */
    public static ControlServer start(ControlAddress address, PolicyConfig policy, Consumer<String> log)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address.socketAddress(), 16);
        } catch (IOException e) {
            throw new IOException("--control " + address.host() + ":" + address.port() + ": cannot listen: "
                    + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4,
                r -> Thread.ofPlatform().daemon().name("picket-control-" + n.getAndIncrement()).unstarted(r));
        ControlServer c = new ControlServer(server, executor, policy, log);
        c.initialDigests();
        server.setExecutor(executor);
        server.createContext("/", c::handle);
        server.start();
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            log.accept("control API: warning: " + c.url() + " is reachable from other hosts and has no "
                    + "authentication; anyone who can connect can reload policies");
        }
        return c;
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:7700}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Stops accepting requests, lets the ones in progress finish (up to a second) and ends the
     * server's threads. Idempotent; called by the run's thread when the run ends.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The digests of generation 0: every tenant folder's, and the run-wide files' alone. */
    private synchronized void initialDigests() {
        folderless = BundleDigest.of(policy, null);
        if (policy.policyDir() == null || !java.nio.file.Files.isDirectory(policy.policyDir())) {
            return;
        }
        try (var s = java.nio.file.Files.list(policy.policyDir())) {
            for (var d : s.filter(java.nio.file.Files::isDirectory).toList()) {
                String id = d.getFileName().toString();
                digests.put(id, new Digest(0, BundleDigest.of(policy, id)));
            }
        } catch (IOException | RuntimeException e) {
            // those tenants' digests stay unknown (null)
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            Reply reply;
            try {
                reply = route(ex);
            } catch (RuntimeException e) {
                reply = Reply.error(500, "internal error: " + e);
            }
            send(ex, reply);
            // reloads and refused requests are worth a line; a monitor polling status is not
            if (!ex.getRequestMethod().equals("GET") || reply.status() >= 400) {
                log.accept("control: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " from "
                        + ex.getRemoteAddress().getAddress().getHostAddress() + ": " + reply.status());
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing reaches the engine
        }
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        byte[] body;
        try {
            body = (JSON.writeValueAsString(r.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            body = "{\"error\": \"cannot write the response\"}\n".getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (r.allow() != null) {
            ex.getResponseHeaders().set("Allow", r.allow());
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        ex.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static final String ENDPOINTS =
            "GET /v1/status, POST /v1/policies/reload, POST /v1/tenants/{id}/policies/reload";

    private Reply route(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (raw == null || !raw.startsWith("/")) {
            return Reply.error(404, "malformed path; endpoints: " + ENDPOINTS);
        }
        String[] seg = raw.substring(1).split("/", -1);
        if (seg.length == 2 && seg[0].equals("v1") && seg[1].equals("status")) {
            if (!method.equals("GET")) {
                return notAllowed(method, raw, "GET");
            }
            return status();
        }
        if (seg.length == 3 && seg[0].equals("v1") && seg[1].equals("policies") && seg[2].equals("reload")) {
            if (!method.equals("POST")) {
                return notAllowed(method, raw, "POST");
            }
            Reply bad = checkBody(ex);
            return bad != null ? bad : reload(null);
        }
        if (seg.length == 5 && seg[0].equals("v1") && seg[1].equals("tenants") && seg[3].equals("policies")
                && seg[4].equals("reload")) {
            String tenant = decode(seg[2]);
            if (tenant == null || tenant.isEmpty()) {
                return Reply.error(404, "malformed path " + raw + ": expected /v1/tenants/{id}/policies/reload "
                        + "with a non-empty, well-encoded tenant id");
            }
            if (!method.equals("POST")) {
                return notAllowed(method, raw, "POST");
            }
            Reply bad = checkBody(ex);
            return bad != null ? bad : reload(tenant);
        }
        for (String s : seg) {
            if (s.isEmpty()) {
                return Reply.error(404, "malformed path " + raw + " (empty segment); endpoints: " + ENDPOINTS);
            }
        }
        return Reply.error(404, "no such endpoint: " + raw + "; endpoints: " + ENDPOINTS);
    }

    private static Reply notAllowed(String method, String path, String allow) {
        return new Reply(405, JSON.createObjectNode().put("error", method + " is not allowed on " + path
                + "; use " + allow), allow);
    }

    /** A reload takes no parameters: the body must be empty or a JSON object (ignored). */
    private static Reply checkBody(HttpExchange ex) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = ex.getRequestBody()) {
            byte[] chunk = new byte[8192];
            int r;
            while ((r = in.read(chunk)) > 0) {
                buf.write(chunk, 0, r);
                if (buf.size() > MAX_BODY) {
                    return Reply.error(413, "request body over " + MAX_BODY + " bytes");
                }
            }
        }
        String body = buf.toString(StandardCharsets.UTF_8).strip();
        if (body.isEmpty()) {
            return null;
        }
        try {
            if (JSON.readTree(body).isObject()) {
                return null;
            }
        } catch (JsonProcessingException e) {
            return Reply.error(400, "request body is not JSON: " + e.getOriginalMessage());
        }
        return Reply.error(400, "request body must be empty or a JSON object");
    }

    /** Percent-decodes one path segment as UTF-8; null when malformed. */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private Reply reload(String tenant) {
        reloads.lock();
        try {
            RunSummary before = current();
            if (before == null) {
                return Reply.error(503, "no run in progress (starting or ended): nothing to reload");
            }
            List<String> ids = new ArrayList<>();
            for (TenantStats t : before.tenants()) {
                ids.add(t.tenant);
            }
            if (tenant != null && !ids.contains(tenant)) {
                return Reply.error(404, "unknown tenant '" + tenant + "'; tenants of this run: "
                        + String.join(", ", ids));
            }
            // the sources as they are now: what the reload below reads (unless they change meanwhile)
            Map<String, String> pre = new HashMap<>();
            for (String id : tenant == null ? ids : List.of(tenant)) {
                pre.put(id, BundleDigest.of(policy, id));
            }
            List<PolicyReload> results = tenant == null ? Engine.reloadPolicies() : Engine.reloadPolicies(tenant);
            if (results.isEmpty()) {
                return Reply.error(503, "the run ended before the reload: nothing reloaded");
            }
            Map<String, TenantStats> after = byTenant(current());
            ObjectNode body = JSON.createObjectNode();
            ArrayNode out = JSON.createArrayNode();
            int accepted = 0;
            for (PolicyReload r : results) {
                ObjectNode t = out.addObject();
                t.put("tenant", r.tenant());
                t.put("status", r.swapped() ? "accepted" : "rejected");
                TenantStats s = after.get(r.tenant());
                Long generation = s == null ? null : s.policyReloads;
                if (r.swapped()) {
                    accepted++;
                    if (generation != null) {
                        synchronized (this) {
                            digests.put(r.tenant(), new Digest(generation, pre.get(r.tenant())));
                        }
                    }
                    putGeneration(t, "generation", generation);
                    t.put("digest", pre.get(r.tenant()));
                } else {
                    putGeneration(t, "running_generation", generation);
                    t.put("running_digest", digest(r.tenant(), generation));
                    ArrayNode errors = t.putArray("errors");
                    for (String e : r.errors()) {
                        errors.add(error(r.tenant(), e));
                    }
                }
                t.put("seconds", Math.round(r.seconds() * 1e6) / 1e6);
            }
            body.put("result", accepted == results.size() ? "accepted"
                    : accepted == 0 ? "rejected" : "partially rejected");
            body.set("tenants", out);
            return new Reply(accepted == results.size() ? 200 : 422, body, null);
        } finally {
            reloads.unlock();
        }
    }

    private static void putGeneration(ObjectNode t, String name, Long generation) {
        if (generation == null) {
            t.putNull(name);
        } else {
            t.put(name, generation);
        }
    }

    /** One reload error split into file, line, column and reason (null parts when absent). */
    static ObjectNode error(String tenant, String text) {
        ObjectNode e = JSON.createObjectNode();
        Matcher m = LOCATED.matcher(text);
        if (m.matches()) {
            e.put("file", m.group(1));
            e.put("line", Integer.parseInt(m.group(2)));
            e.put("column", Integer.parseInt(m.group(3)));
            e.put("reason", m.group(4));
        } else {
            Matcher f = FILE_ONLY.matcher(text);
            boolean file = f.matches() && !f.group(1).equals(tenant);
            if (file) {
                e.put("file", f.group(1));
            } else {
                e.putNull("file");
            }
            e.putNull("line");
            e.putNull("column");
            e.put("reason", file ? f.group(2) : text);
        }
        e.put("message", text);
        return e;
    }

    /**
     * The digest of the bundle {@code tenant} runs at {@code generation}: the one taken at the start
     * (the run-wide files alone for a tenant without a folder then) or by an API reload; null when
     * the file watcher swapped the bundle since (the server did not see what it read).
     */
    private synchronized String digest(String tenant, Long generation) {
        if (generation == null) {
            return null;
        }
        Digest d = digests.get(tenant);
        if (d == null) {
            return generation == 0 ? folderless : null;
        }
        return d.generation() == generation ? d.value() : null;
    }

    private RunSummary current() {
        List<RunSummary> runs = Engine.liveStatus();
        if (runs.isEmpty()) {
            return null;
        }
        sawRun = true;
        return runs.getFirst();
    }

    private static Map<String, TenantStats> byTenant(RunSummary s) {
        Map<String, TenantStats> m = new HashMap<>();
        if (s != null) {
            for (TenantStats t : s.tenants()) {
                m.put(t.tenant, t);
            }
        }
        return m;
    }

    private Reply status() {
        RunSummary s = current();
        ObjectNode body = JSON.createObjectNode();
        body.put("state", s != null ? "running" : sawRun ? "ended" : "starting");
        body.put("control_uptime_seconds", Math.round((System.nanoTime() - started) / 1e6) / 1e3);
        if (s == null) {
            body.putArray("tenants");
            return new Reply(200, body, null);
        }
        body.put("run_seconds", Math.round(s.wallSeconds() * 1e3) / 1e3);
        body.put("packets", s.packets());
        body.put("bytes", s.bytes());
        body.put("unassigned_packets", s.unassignedPackets());
        body.put("unassigned_bytes", s.unassignedBytes());
        ArrayNode tenants = body.putArray("tenants");
        for (TenantStats t : s.tenants()) {
            ObjectNode o = tenants.addObject();
            o.put("tenant", t.tenant);
            o.put("packets", t.packets);
            o.put("bytes", t.bytes);
            o.put("ip_packets", t.ipPackets);
            o.put("non_ip_packets", t.nonIpPackets);
            o.put("connections", t.connections);
            o.put("weirds", t.weirds);
            Long lines = s.logLines().get(t.tenant);
            o.put("log_records", lines == null ? 0 : lines);
            ObjectNode drops = o.putObject("drops");
            drops.put("undecodable_packets", t.droppedPackets);
            drops.put("flow_quota_packets", t.flowQuotaDrops);
            drops.put("reassembly_quota_segments", t.reassemblyQuotaDrops);
            drops.put("reassembly_quota_bytes", t.reassemblyQuotaBytes);
            drops.put("queue_full_frames", t.queueFullDrops);
            drops.put("queue_quota_frames", t.queueQuotaDrops);
            drops.put("log_filter_records", t.filters.dropped());
            o.put("log_filter_errors", t.filters.errors());
            ObjectNode dfa = o.putObject("signature_dfa");
            dfa.put("states", t.signatureDfaStates);
            dfa.put("budget_refusals", t.signatureDfaRefusals);
            dfa.put("uncached_inputs", t.signatureDfaSpills);
            ObjectNode failures = o.putObject("failures");
            failures.put("analyzer", t.analyzerFailures);
            failures.put("policy", t.policyFailures);
            failures.put("notice", t.noticeErrors);
            o.put("quarantines", t.quarantines);
            o.put("restarts", t.restarts);
            ObjectNode p = o.putObject("policy");
            p.put("generation", t.policyReloads);
            p.put("digest", digest(t.tenant, t.policyReloads));
            p.put("reloads", t.policyReloads);
            p.put("rejected_reloads", t.policyReloadsRejected);
        }
        return new Reply(200, body, null);
    }
}
