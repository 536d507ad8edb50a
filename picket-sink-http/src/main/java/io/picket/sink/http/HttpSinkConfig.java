package io.picket.sink.http;

import io.picket.sink.spool.Secret;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.TlsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP destination ({@code type: http}). See the module README for every option.
 *
 * @param options common sink options
 * @param api request format
 * @param url base URL ({@code /_bulk} or {@code /services/collector/event} is appended when missing)
 * @param index Elasticsearch index template ({@code {tenant}}, {@code {path}}, {@code {date}})
 * @param action Elasticsearch bulk action: {@code index} (with a stable {@code _id}) or
 *     {@code create} (data streams; 409 counts as already delivered)
 * @param sourcetype Splunk sourcetype template ({@code {path}})
 * @param hecIndex Splunk index, or null for the token's default
 * @param source Splunk source
 * @param host Splunk host field, or null for this host's name
 * @param tagRecords NDJSON: add {@code "_tenant"} and {@code "_path"} to every object
 * @param auth credentials sent with every request
 * @param headers extra headers; values are strings or {@link Secret}s
 * @param compression request body encoding
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time for one request and its response
 * @param tls TLS settings for https URLs (null for http)
 */
public record HttpSinkConfig(SinkOptions options, Api api, URI url, String index, String action, String sourcetype,
        String hecIndex, String source, String host, boolean tagRecords, Auth auth, Map<String, Object> headers,
        Compression compression, Duration connectTimeout, Duration requestTimeout, TlsOptions tls) implements SinkConfig {

    public static final String TYPE = "http";

    /** Request formats. */
    public enum Api {
        /** Elasticsearch {@code _bulk} NDJSON. */
        ELASTICSEARCH,
        /** OpenSearch {@code _bulk} NDJSON (same as Elasticsearch). */
        OPENSEARCH,
        /** Splunk HTTP Event Collector, {@code /services/collector/event}. */
        SPLUNK_HEC,
        /** One JSON object per line, POSTed to the URL as is. */
        NDJSON
    }

    /** Request body encoding. */
    public enum Compression { NONE, GZIP }

    /**
     * Credentials.
     *
     * @param kind scheme
     * @param username for basic
     * @param secret password (basic) or token (bearer, api_key, splunk)
     */
    public record Auth(Kind kind, String username, Secret secret) {
        /** Authorization schemes. */
        public enum Kind {
            /** No Authorization header. */
            NONE,
            /** {@code Basic base64(user:password)}. */
            BASIC,
            /** {@code Bearer <token>}. */
            BEARER,
            /** Elasticsearch {@code ApiKey <key>}. */
            API_KEY,
            /** Splunk HEC {@code Splunk <token>}. */
            SPLUNK
        }

        public static final Auth NONE = new Auth(Kind.NONE, null, null);

        /** The Authorization header value, or null; reads the secret. */
        String header() {
            return switch (kind) {
                case NONE -> null;
                case BASIC -> "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (username + ":" + secret.reveal()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                case BEARER -> "Bearer " + secret.reveal();
                case API_KEY -> "ApiKey " + secret.reveal();
                case SPLUNK -> "Splunk " + secret.reveal();
            };
        }
    }

    public HttpSinkConfig {
        Objects.requireNonNull(options);
        Objects.requireNonNull(api);
        Objects.requireNonNull(url);
        Objects.requireNonNull(auth);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(compression);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(requestTimeout);
    }

    /** Elasticsearch at {@code url}, index {@code picket-{tenant}-{path}}, no auth, defaults elsewhere. */
    public static HttpSinkConfig elasticsearch(SinkOptions options, URI url) {
        return new HttpSinkConfig(options, Api.ELASTICSEARCH, url, "picket-{tenant}-{path}", "index", null, null, null,
                null, false, Auth.NONE, Map.of(), Compression.NONE, Duration.ofSeconds(10), Duration.ofSeconds(30), null);
    }

    public HttpSinkConfig with(Api a, Auth au, Compression c, TlsOptions t) {
        return new HttpSinkConfig(options, a, url, index, action, a == Api.SPLUNK_HEC && sourcetype == null ? "zeek:{path}:json"
                : sourcetype, hecIndex, a == Api.SPLUNK_HEC && source == null ? "picket" : source, host,
                a == Api.NDJSON || tagRecords, au, headers, c, connectTimeout, requestTimeout, t);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
