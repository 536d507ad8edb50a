package io.picket.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picket.log.format.LogBuffer;
import io.picket.sink.spool.DeliveryException;
import io.picket.sink.spool.Envelope;
import io.picket.sink.spool.RejectedException;
import io.picket.sink.spool.Secret;
import io.picket.sink.spool.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLParameters;

/**
 * Posts batches with {@link HttpClient}: Elasticsearch/OpenSearch {@code _bulk}, Splunk HEC or
 * plain NDJSON. Delivery thread of the owning sink; {@link #close} may come from another thread
 * and aborts a request in flight.
 *
 * <p>Outcome of a request: 2xx is success (for {@code _bulk}, each item is checked: 429/5xx items
 * make the whole batch retry, which is idempotent thanks to the stable {@code _id}; other item
 * errors are rejected records, 409 under {@code create} means already there). 400, 413 and 422
 * refuse data: the batch is split in halves and retried until the refused records are isolated,
 * which are then counted as rejected. Every other status (401, 403, 404, 408, 429, 5xx, ...) and
 * every I/O error retries the batch after the sink's back-off, or after {@code Retry-After} when
 * the response has one. Secrets are read when a request is built and never appear in messages.
 */
public final class HttpTransport implements Transport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT);
    private static final int MAX_ERROR_TEXT = 200;

    private final String tenant;
    private final HttpSinkConfig config;
    private final HttpClient client;
    private final URI endpoint;
    private final String contentType;
    private final String hostField;
    private final LogBuffer body = new LogBuffer(1 << 16);
    private final Envelope view = new Envelope();
    private long requests;

    public HttpTransport(String tenant, HttpSinkConfig config, String localHostName) throws IOException {
        this.tenant = tenant;
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (config.tls() != null) {
            b.sslContext(config.tls().sslContext());
            SSLParameters p = new SSLParameters();
            p.setProtocols(config.tls().protocols().toArray(String[]::new));
            b.sslParameters(p);
        }
        this.client = b.build();
        this.endpoint = endpoint(config);
        this.contentType = switch (config.api()) {
            case ELASTICSEARCH, OPENSEARCH, NDJSON -> "application/x-ndjson";
            case SPLUNK_HEC -> "application/json";
        };
        this.hostField = config.host() != null ? config.host() : localHostName;
    }

    static URI endpoint(HttpSinkConfig c) {
        String u = c.url().toString();
        String path = c.url().getRawPath() == null ? "" : c.url().getRawPath();
        String suffix = switch (c.api()) {
            case ELASTICSEARCH, OPENSEARCH -> "/_bulk";
            case SPLUNK_HEC -> "/services/collector/event";
            case NDJSON -> "";
        };
        if (suffix.isEmpty() || path.endsWith(suffix)) {
            return c.url();
        }
        String query = c.url().getRawQuery();
        String base = query == null ? u : u.substring(0, u.indexOf('?'));
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + suffix + (query == null ? "" : "?" + query));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Requests sent so far (retries and split halves included). */
    public long requests() {
        return requests;
    }

    @Override
    public void deliver(List<byte[]> batch) throws IOException {
        int rejected = send(batch);
        if (rejected > 0) {
            throw new RejectedException(rejected, rejected + " of " + batch.size() + " records refused by " + endpoint);
        }
    }

    /** Sends the records; returns how many were refused for good. */
    private int send(List<byte[]> records) throws IOException {
        byte[] payload = body(records);
        HttpResponse<byte[]> resp = post(payload);
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
            return isBulk() ? bulkItems(resp.body(), records.size()) : 0;
        }
        if (status == 400 || status == 413 || status == 422) {
            if (records.size() == 1) {
                return 1;
            }
            int half = records.size() / 2;
            return send(new ArrayList<>(records.subList(0, half))) + send(new ArrayList<>(records.subList(half, records.size())));
        }
        throw new DeliveryException("HTTP " + status + " from " + endpoint + errorText(resp.body()),
                retryAfter(resp.headers().firstValue("Retry-After").orElse(null)), null);
    }

    private boolean isBulk() {
        return config.api() == HttpSinkConfig.Api.ELASTICSEARCH || config.api() == HttpSinkConfig.Api.OPENSEARCH;
    }

    private HttpResponse<byte[]> post(byte[] payload) throws IOException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(config.requestTimeout())
                .header("Content-Type", contentType).header("User-Agent", "picket");
        if (config.compression() == HttpSinkConfig.Compression.GZIP) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(payload.length / 4 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(payload);
            }
            payload = bos.toByteArray();
            rb.header("Content-Encoding", "gzip");
        }
        try {
            String auth = config.auth().header();
            if (auth != null) {
                rb.header("Authorization", auth);
            }
            for (Map.Entry<String, Object> h : config.headers().entrySet()) {
                rb.header(h.getKey(), h.getValue() instanceof Secret s ? s.reveal() : h.getValue().toString());
            }
        } catch (RuntimeException e) {
            // An unset variable or unreadable file: retry later, the message names only the source.
            throw new DeliveryException("credentials unavailable: " + e.getMessage());
        }
        HttpRequest req = rb.POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        requests++;
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Checks the items of a {@code _bulk} response; returns refused ones or throws to retry. */
    private int bulkItems(byte[] response, int count) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(response);
        } catch (IOException e) {
            throw new DeliveryException("unreadable _bulk response from " + endpoint);
        }
        if (root == null || !root.path("errors").asBoolean(false)) {
            return 0;
        }
        int retry = 0;
        int refused = 0;
        String firstError = null;
        boolean create = "create".equals(config.action());
        for (JsonNode item : root.path("items")) {
            JsonNode r = item.elements().hasNext() ? item.elements().next() : item;
            int status = r.path("status").asInt(200);
            if ((status >= 200 && status < 300) || (create && status == 409)) {
                continue;
            }
            if (status == 429 || status >= 500) {
                retry++;
            } else {
                refused++;
                if (firstError == null) {
                    firstError = r.path("error").path("type").asText("status " + status);
                }
            }
        }
        if (retry > 0) {
            throw new DeliveryException(retry + " of " + count + " _bulk items failed with 429/5xx at " + endpoint);
        }
        return refused;
    }

    private byte[] body(List<byte[]> records) {
        body.clear();
        for (byte[] rec : records) {
            view.wrap(rec);
            switch (config.api()) {
                case ELASTICSEARCH, OPENSEARCH -> bulkLine(view);
                case SPLUNK_HEC -> hecEvent(view);
                case NDJSON -> ndjsonLine(view);
            }
        }
        return body.toByteArray();
    }

    private void bulkLine(Envelope e) {
        body.appendAscii("{\"").appendAscii(config.action()).appendAscii("\":{\"_index\":");
        jsonString(indexName(e));
        body.appendAscii(",\"_id\":");
        jsonString(e.recordId());
        body.appendAscii("}}\n");
        appendObject(e);
        body.append('\n');
    }

    /** The document: the JSON line, or {@code {"message": "<tsv row>"}} for TSV. */
    private void appendObject(Envelope e) {
        if (e.isJson()) {
            body.append(e.array(), e.bodyOffset(), e.bodyLength());
        } else {
            body.appendAscii("{\"message\":");
            jsonBytes(e.array(), e.bodyOffset(), e.bodyLength());
            body.append('}');
        }
    }

    String indexName(Envelope e) {
        String idx = config.index().replace("{tenant}", tenant).replace("{path}", e.path());
        if (idx.contains("{date}")) {
            long micros = e.timestampMicros();
            LocalDate d = micros == Envelope.NO_TIME ? LocalDate.now(ZoneOffset.UTC)
                    : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)).atZone(ZoneOffset.UTC).toLocalDate();
            idx = idx.replace("{date}", DAY.format(d));
        }
        return idx.toLowerCase(Locale.ROOT);
    }

    private void hecEvent(Envelope e) {
        body.appendAscii("{");
        long micros = e.timestampMicros();
        if (micros != Envelope.NO_TIME) {
            body.appendAscii("\"time\":").appendLong(Math.floorDiv(micros, 1_000_000L)).append('.');
            String frac = Long.toString(1_000_000L + Math.floorMod(micros, 1_000_000L)).substring(1);
            body.appendAscii(frac).append(',');
        }
        body.appendAscii("\"host\":");
        jsonString(hostField);
        body.appendAscii(",\"source\":");
        jsonString(config.source());
        body.appendAscii(",\"sourcetype\":");
        jsonString(config.sourcetype().replace("{path}", e.path()).replace("{tenant}", tenant));
        if (config.hecIndex() != null) {
            body.appendAscii(",\"index\":");
            jsonString(config.hecIndex());
        }
        body.appendAscii(",\"fields\":{\"tenant\":");
        jsonString(tenant);
        body.appendAscii(",\"path\":");
        jsonString(e.path());
        body.appendAscii(",\"picket_id\":");
        jsonString(e.recordId());
        body.appendAscii("},\"event\":");
        if (e.isJson()) {
            body.append(e.array(), e.bodyOffset(), e.bodyLength());
        } else {
            jsonBytes(e.array(), e.bodyOffset(), e.bodyLength());
        }
        body.appendAscii("}\n");
    }

    private void ndjsonLine(Envelope e) {
        if (config.tagRecords() && e.isJson() && e.bodyLength() >= 2) {
            body.appendAscii("{\"_tenant\":");
            jsonString(tenant);
            body.appendAscii(",\"_path\":");
            jsonString(e.path());
            int inner = e.bodyLength() - 2; // between { and }
            if (inner > 0) {
                body.append(',').append(e.array(), e.bodyOffset() + 1, inner);
            }
            body.append('}');
        } else {
            appendObject(e);
        }
        body.append('\n');
    }

    private void jsonString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        jsonBytes(b, 0, b.length);
    }

    /** A JSON string of UTF-8 bytes (Zeek already escaped anything that is not valid UTF-8). */
    private void jsonBytes(byte[] b, int off, int len) {
        body.append('"');
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '"' -> body.append('\\').append('"');
                case '\\' -> body.append('\\').append('\\');
                case '\n' -> body.append('\\').append('n');
                case '\r' -> body.append('\\').append('r');
                case '\t' -> body.append('\\').append('t');
                default -> {
                    if (c < 0x20) {
                        body.appendAscii("\\u00").appendHexDigits(c);
                    } else {
                        body.append(c);
                    }
                }
            }
        }
        body.append('"');
    }

    private static String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, MAX_ERROR_TEXT), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return ": " + s.strip();
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(t)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
