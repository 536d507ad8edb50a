package io.picket.analyzer.websocket;

import io.picket.analyzer.spi.AnalyzerContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Zeek's {@code c$websocket} before the upgrade: what {@code websocket/main.zeek}'s
 * {@code http_header} handler gathers from the {@code Sec-WebSocket-*} headers of the handshake,
 * plus {@code c$http}'s host, uri and user agent copied at the upgrade. Filled by the HTTP
 * analyzer, read by {@link WebSocketAnalyzer} when it starts; kept in
 * {@link AnalyzerContext#connectionState()}. Owned by the shard thread of the connection.
 */
public final class WebSocketHandshake {
    static final String KEY = "websocket";
    /** RFC 6455's GUID appended to the key for the accept value ({@code WebSocket::HANDSHAKE_GUID}). */
    static final String HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** set_websocket ran (a Sec-WebSocket-* header was seen). */
    boolean present;
    double ts;
    byte[] host;
    byte[] uri;
    byte[] userAgent;
    byte[] subprotocol;
    List<byte[]> clientProtocols;
    List<byte[]> serverExtensions;
    List<byte[]> clientExtensions;
    byte[] clientKey;
    byte[] serverAccept;

    /** The connection's handshake state, created on first use (a fresh one without shared state). */
    public static WebSocketHandshake of(AnalyzerContext ctx) {
        Map<String, Object> shared = ctx.connectionState();
        if (shared == null) {
            return new WebSocketHandshake();
        }
        if (shared.get(KEY) instanceof WebSocketHandshake h) {
            return h;
        }
        WebSocketHandshake h = new WebSocketHandshake();
        shared.put(KEY, h);
        return h;
    }

    /** The {@code http_header} handler for a header whose upper-case name starts with SEC-WEBSOCKET-. */
    public void header(AnalyzerContext ctx, boolean isOrig, String upperName, byte[] value) {
        if (!upperName.startsWith("SEC-WEBSOCKET-")) {
            return;
        }
        if (!present) {
            present = true;
            ts = ctx.networkTime();
        }
        if (isOrig) {
            switch (upperName) {
                case "SEC-WEBSOCKET-PROTOCOL" -> clientProtocols = append(clientProtocols, value);
                case "SEC-WEBSOCKET-EXTENSIONS" -> clientExtensions = append(clientExtensions, value);
                case "SEC-WEBSOCKET-KEY" -> {
                    if (clientKey != null) {
                        ctx.weird("websocket_multiple_key_headers", null, WebSocketAnalyzer.WEIRD_SOURCE);
                    }
                    clientKey = value;
                }
                default -> {
                }
            }
        } else {
            switch (upperName) {
                case "SEC-WEBSOCKET-PROTOCOL" -> {
                    if (subprotocol != null) {
                        ctx.weird("websocket_multiple_protocol_headers", null, WebSocketAnalyzer.WEIRD_SOURCE);
                    }
                    subprotocol = value;
                }
                case "SEC-WEBSOCKET-EXTENSIONS" -> serverExtensions = append(serverExtensions, value);
                case "SEC-WEBSOCKET-ACCEPT" -> {
                    if (serverAccept != null) {
                        ctx.weird("websocket_multiple_accept_headers", null, WebSocketAnalyzer.WEIRD_SOURCE);
                    }
                    serverAccept = value;
                }
                default -> {
                }
            }
        }
    }

    /** The upgrade's c$http values (websocket_established copies them when set). */
    public void fromHttp(byte[] httpHost, byte[] httpUri, byte[] httpUserAgent) {
        this.host = httpHost;
        this.uri = httpUri;
        this.userAgent = httpUserAgent;
    }

    /** Zeek's {@code split_string} of the value on the pattern " *, *", appended to a vector. */
    private static List<byte[]> append(List<byte[]> list, byte[] value) {
        List<byte[]> out = list == null ? new ArrayList<>(2) : list;
        int from = 0;
        for (int i = 0; i <= value.length; i++) {
            if (i == value.length || value[i] == ',') {
                int a = from;
                int b = i;
                // the separator's spaces: " *, *" takes spaces before and after the comma
                if (i < value.length) {
                    while (b > a && value[b - 1] == ' ') {
                        b--;
                    }
                }
                if (from > 0) {
                    while (a < b && value[a] == ' ') {
                        a++;
                    }
                }
                out.add(java.util.Arrays.copyOfRange(value, a, b));
                from = i + 1;
            }
        }
        return out;
    }

    /** {@code encode_base64(sha1(key + HANDSHAKE_GUID))}. */
    static String expectedAccept(byte[] key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key);
            sha1.update(HANDSHAKE_GUID.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            return "";
        }
    }
}
