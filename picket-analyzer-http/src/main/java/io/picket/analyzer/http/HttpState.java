package io.picket.analyzer.http;

import io.picket.analyzer.spi.AnalyzerContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * Zeek's {@code c$http_state} ({@code HTTP::State}): the pending transactions and the request,
 * response and depth counters of one connection, shared by every HTTP analyzer instance of the
 * connection (an HTTP analyzer started inside SOCKS or on WebSocket payload continues the
 * connection's {@code trans_depth}). Kept in {@link AnalyzerContext#connectionState()}; owned
 * by the shard thread of the connection.
 */
final class HttpState {
    static final String KEY = "http_state";

    final TreeMap<Integer, HttpTransaction> pending = new TreeMap<>();
    int currentRequest;
    int currentResponse;
    long transDepth;
    /** The first analyzer instance of the connection that confirmed HTTP, or null. */
    Object confirmedBy;

    /** The connection's state, created on first use (a private one when the engine shares none). */
    static HttpState of(AnalyzerContext ctx) {
        Map<String, Object> shared = ctx.connectionState();
        if (shared == null) {
            return new HttpState();
        }
        Object s = shared.get(KEY);
        if (s instanceof HttpState h) {
            return h;
        }
        HttpState h = new HttpState();
        shared.put(KEY, h);
        return h;
    }
}
