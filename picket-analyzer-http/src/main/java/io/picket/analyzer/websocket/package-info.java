/**
 * The WebSocket analyzer (stage: protocol analysis), Zeek's {@code WebSocket} analyzer that the
 * HTTP analyzer attaches after a {@code 101 Switching Protocols} upgrade to {@code websocket}:
 * websocket.log from the handshake headers, frame parsing with bounded buffers, and the
 * text/binary payload handed to a child protocol detection. Lives in the HTTP module because
 * only HTTP starts it. Runs on the shard thread that owns the connection.
 */
package io.picket.analyzer.websocket;
