package io.picket.analyzer.websocket;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The {@code websocket.log} columns, as Zeek's {@code WebSocket::Info} in
 * {@code scripts/base/protocols/websocket/main.zeek} declares them. Immutable, shared.
 */
public final class WebSocketLog {

    /** Base schema of {@code websocket.log}. */
    public static final LogSchema SCHEMA = LogSchema.of("websocket",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("host", ZeekType.STRING),
            LogField.of("uri", ZeekType.STRING),
            LogField.of("user_agent", ZeekType.STRING),
            LogField.of("subprotocol", ZeekType.STRING),
            LogField.of("client_protocols", ZeekType.VECTOR_STRING),
            LogField.of("server_extensions", ZeekType.VECTOR_STRING),
            LogField.of("client_extensions", ZeekType.VECTOR_STRING));

    private WebSocketLog() {
    }
}
