package io.picket.analyzer.websocket;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.log.LogSchema;
import java.util.List;

/**
 * The WebSocket analyzer's declaration: Zeek's {@code WebSocket} analyzer on TCP, with no ports
 * and no DPD signature: only the HTTP analyzer starts it, after an upgrade to {@code websocket}
 * ({@code HTTP::upgrade_analyzers}). Writes {@code websocket.log}. Stateless, shared.
 */
public final class WebSocketProvider implements AnalyzerProvider {
    /** The analyzer's name and conn.log service. */
    public static final String NAME = "websocket";

    private static final List<String> WEIRDS = List.of(
            "websocket_frame_not_consumed",          // websocket-protocol.pac
            "websocket_control_frame_size_exceeded", // websocket-protocol.pac
            "websocket_multiple_key_headers",        // main.zeek
            "websocket_multiple_protocol_headers",   // main.zeek
            "websocket_multiple_accept_headers",     // main.zeek
            "websocket_established_unexpected",      // main.zeek
            "websocket_missing_key_header",          // main.zeek
            "websocket_missing_accept_header",       // main.zeek
            "websocket_wrong_accept_header");        // main.zeek

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new WebSocketAnalyzer(context);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(WebSocketLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
