package io.picket.sink.http;

import io.picket.sink.spool.ConfigReader;
import io.picket.sink.spool.Secret;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkFormat;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.SinkProvider;
import io.picket.sink.spool.TlsOptions;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code type: http}: options and transport for Elasticsearch/OpenSearch, Splunk HEC and NDJSON. */
public final class HttpSinkProvider implements SinkProvider {
    /** Literal parts of an index template (Elasticsearch rules, lower case). */
    private static final Pattern INDEX_LITERAL = Pattern.compile("[a-z0-9._+-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "content-type", "content-length",
            "content-encoding", "host", "connection", "expect", "upgrade", "te", "trailer", "transfer-encoding");

    @Override
    public String type() {
        return HttpSinkConfig.TYPE;
    }

    @Override
    public SinkConfig parse(SinkOptions common, ConfigReader r) {
        HttpSinkConfig.Api api = r.choice("api", HttpSinkConfig.Api.class, null);
        if (api == null && !r.has("api")) {
            r.problem("api", "required (elasticsearch, opensearch, splunk_hec or ndjson)");
        }
        URI url = url(r);
        boolean bulk = api == HttpSinkConfig.Api.ELASTICSEARCH || api == HttpSinkConfig.Api.OPENSEARCH;
        boolean hec = api == HttpSinkConfig.Api.SPLUNK_HEC;
        if (common != null && common.format() == SinkFormat.TSV && api == HttpSinkConfig.Api.NDJSON) {
            r.problem("format", "api ndjson needs format: json");
        }
        String index = null;
        String action = null;
        if (bulk) {
            index = r.string("index", "picket-{tenant}-{path}");
            checkIndex(r, index);
            action = r.string("action", "index");
            if (!action.equals("index") && !action.equals("create")) {
                r.problem("action", "expected index or create, got " + action);
            }
        }
        String sourcetype = null;
        String hecIndex = null;
        String source = null;
        String host = null;
        if (hec) {
            boolean tsv = common != null && common.format() == SinkFormat.TSV;
            sourcetype = r.string("sourcetype", tsv ? "zeek:{path}" : "zeek:{path}:json");
            hecIndex = r.string("hec_index", null);
            source = r.string("source", "picket");
            host = r.string("host", null);
        }
        boolean tag = api == HttpSinkConfig.Api.NDJSON && r.bool("tag_records", true);
        HttpSinkConfig.Auth auth = auth(r.child("auth"), hec);
        Map<String, Object> headers = r.stringOrSecretMap("headers");
        for (String h : headers.keySet()) {
            if (RESERVED_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
                r.problem("headers." + h, "set by the sink; use auth for credentials");
            }
        }
        HttpSinkConfig.Compression compression = r.choice("compression", HttpSinkConfig.Compression.class,
                HttpSinkConfig.Compression.NONE);
        Duration connect = r.duration("connect_timeout", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMinutes(5));
        Duration request = r.duration("request_timeout", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMinutes(30));
        TlsOptions tls = null;
        boolean https = url != null && "https".equals(url.getScheme());
        if (r.has("tls")) {
            if (!https) {
                r.problem("tls", "only with an https url");
            }
            tls = TlsOptions.parse(r.child("tls"));
            if (!tls.verifyHostname()) {
                r.problem("tls.verify_hostname", "cannot be turned off for the HTTP client; issue a certificate naming the host");
            }
            if (tls.truststore() == null && tls.caFile() == null && tls.keystore() == null) {
                tls = null;
            }
        }
        if (https && tls == null) {
            tls = TlsOptions.defaults();
        }
        if (common == null || api == null || url == null || auth == null) {
            return null;
        }
        return new HttpSinkConfig(common, api, url, index, action, sourcetype, hecIndex, source, host, tag, auth, headers,
                compression, connect, request, tls);
    }

    private static URI url(ConfigReader r) {
        String s = r.requiredString("url");
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                r.problem("url", "must be an http or https URL, got " + s);
                return null;
            }
            if (u.getHost() == null) {
                r.problem("url", "has no host: " + s);
                return null;
            }
            if (u.getRawUserInfo() != null) {
                r.problem("url", "must not carry credentials; use auth");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            r.problem("url", "not a URL: " + e.getReason());
            return null;
        }
    }

    private static void checkIndex(ConfigReader r, String index) {
        var m = PLACEHOLDER.matcher(index);
        while (m.find()) {
            String p = m.group();
            if (!p.equals("{tenant}") && !p.equals("{path}") && !p.equals("{date}")) {
                r.problem("index", "unknown placeholder " + p + " (known: {tenant}, {path}, {date})");
            }
        }
        String literal = PLACEHOLDER.matcher(index).replaceAll("");
        if (index.isEmpty() || !INDEX_LITERAL.matcher(literal).matches() || index.startsWith("-") || index.startsWith("_")
                || index.startsWith("+")) {
            r.problem("index", "must be lower case letters, digits, . _ - + and placeholders, not starting with - _ +");
        }
    }

    private static HttpSinkConfig.Auth auth(ConfigReader a, boolean hec) {
        HttpSinkConfig.Auth.Kind kind = a.choice("type", HttpSinkConfig.Auth.Kind.class,
                hec ? HttpSinkConfig.Auth.Kind.SPLUNK : HttpSinkConfig.Auth.Kind.NONE);
        String user = null;
        Secret secret = null;
        switch (kind) {
            case NONE -> {
            }
            case BASIC -> {
                user = a.requiredString("username");
                secret = a.secret("password");
                if (secret == null && !a.has("password")) {
                    a.problem("password", "required for basic auth");
                }
            }
            default -> {
                secret = a.secret("token");
                if (secret == null && !a.has("token")) {
                    a.problem("token", "required for " + kind.name().toLowerCase(Locale.ROOT) + " auth");
                }
            }
        }
        if (hec && kind != HttpSinkConfig.Auth.Kind.SPLUNK) {
            a.problem("type", "splunk_hec needs auth type splunk with a token");
        }
        a.finish();
        if (kind != HttpSinkConfig.Auth.Kind.NONE && secret == null) {
            return null;
        }
        return new HttpSinkConfig.Auth(kind, user, secret);
    }

    @Override
    public Transport open(String tenant, SinkConfig config) throws IOException {
        String local;
        try {
            local = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            local = "picket";
        }
        return new HttpTransport(tenant, (HttpSinkConfig) config, local);
    }
}
