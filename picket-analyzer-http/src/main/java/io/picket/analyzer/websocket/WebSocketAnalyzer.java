package io.picket.analyzer.websocket;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Zeek's WebSocket analyzer ({@code src/analyzer/protocol/websocket}, binpac flavour) for one
 * upgraded connection. Starting it is Zeek's {@code websocket_established}: the handshake checks
 * (weirds {@code websocket_missing_key_header}, {@code websocket_missing_accept_header},
 * {@code websocket_wrong_accept_header}, {@code websocket_established_unexpected}) and the
 * websocket.log line at that network time; then, as {@code WebSocket::use_dpd} is on by default,
 * a child protocol detection receives the unmasked payload of text and binary messages.
 *
 * <p>Frames are parsed per direction with a 14-byte header buffer and a payload chunk buffer of
 * at most {@link #PAYLOAD_CHUNK_SIZE} bytes (Zeek's {@code WebSocket::payload_chunk_size}): a
 * chunk is forwarded when complete, as binpac's {@code &length} delivers it. A frame header
 * against the message's state (a continuation first, a new opcode inside a fragmented message)
 * is a violation, as Zeek's {@code &enforce}; after a content gap nothing more is parsed. The
 * first complete message confirms the analyzer. Owned by the shard thread of the connection;
 * never throws on input.
 */
public final class WebSocketAnalyzer implements Analyzer {
    /** weird.log source of the script-level weirds ({@code Reporter::conn_weird(..., "WebSocket")}). */
    static final String WEIRD_SOURCE = "WebSocket";
    /** Zeek's {@code WebSocket::payload_chunk_size}. */
    static final int PAYLOAD_CHUNK_SIZE = 8192;
    /** Zeek's {@code WebSocket::max_control_frame_size}. */
    static final int MAX_CONTROL_FRAME_SIZE = 125;

    static final int OPCODE_CONTINUATION = 0;
    static final int OPCODE_TEXT = 1;
    static final int OPCODE_BINARY = 2;
    static final int OPCODE_CLOSE = 8;
    static final int OPCODE_PING = 9;
    static final int OPCODE_PONG = 10;

    private final AnalyzerContext ctx;
    private final Flow orig = new Flow(true);
    private final Flow resp = new Flow(false);
    private Analyzer child;
    private boolean hadGap;
    private boolean failed;
    private boolean confirmed;

    public WebSocketAnalyzer(AnalyzerContext ctx) {
        this.ctx = ctx;
        established();
        child = ctx.childDetection();
    }

    /** Zeek's {@code websocket_established} handlers of {@code websocket/main.zeek}. */
    private void established() {
        WebSocketHandshake ws = WebSocketHandshake.of(ctx);
        if (!ws.present) {
            ctx.weird("websocket_established_unexpected", null, WEIRD_SOURCE);
            ws.present = true;
        }
        if (ws.clientKey == null) {
            ctx.weird("websocket_missing_key_header", null, WEIRD_SOURCE);
        }
        if (ws.serverAccept == null) {
            ctx.weird("websocket_missing_accept_header", null, WEIRD_SOURCE);
        }
        if (ws.clientKey != null && ws.serverAccept != null) {
            String expected = WebSocketHandshake.expectedAccept(ws.clientKey);
            String found = new String(ws.serverAccept, StandardCharsets.ISO_8859_1);
            if (!found.equals(expected)) {
                ctx.weird("websocket_wrong_accept_header", "expected=" + expected + ", found=" + found, WEIRD_SOURCE);
            }
        }
        LogRecord r = new LogRecord(ctx.schema(WebSocketLog.SCHEMA));
        ctx.setConnectionId(r);
        r.set("ts", ctx.networkTime());
        r.set("host", ws.host);
        r.set("uri", ws.uri);
        r.set("user_agent", ws.userAgent);
        r.set("subprotocol", ws.subprotocol);
        // copies: later handshake headers (an HTTP request inside the WebSocket) must not change
        // the record after it is handed to the log writer
        r.set("client_protocols", copy(ws.clientProtocols));
        r.set("server_extensions", copy(ws.serverExtensions));
        r.set("client_extensions", copy(ws.clientExtensions));
        ctx.log(r);
    }

    private static java.util.List<byte[]> copy(java.util.List<byte[]> list) {
        return list == null ? null : java.util.List.copyOf(list);
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (hadGap || failed || length <= 0) {
            return;
        }
        (isOrig ? orig : resp).deliver(data, offset, length);
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        hadGap = true;
        if (child != null) {
            child.onGap(isOrig, length);
        }
    }

    @Override
    public void onEndOfStream(boolean isOrig) {
        if (child != null) {
            child.onEndOfStream(isOrig);
        }
    }

    @Override
    public void onConnectionDone() {
        if (child != null) {
            Analyzer c = child;
            child = null;
            c.onConnectionDone();
        }
    }

    /** State sizes, for tests of the memory bounds: bytes held by both directions. */
    int bufferedBytes() {
        return orig.chunkUsed + orig.headerUsed + resp.chunkUsed + resp.headerUsed;
    }

    /** One direction's binpac flow ({@code WebSocket_Flow}). */
    private final class Flow {
        final boolean isOrig;
        final byte[] header = new byte[14];
        int headerUsed;
        /** Header length once its first two bytes are known, else 2. */
        int headerNeed = 2;
        boolean inPayload;
        boolean firstFrame = true;
        boolean fin;
        int effectiveOpcode = OPCODE_CONTINUATION;
        boolean hasMask;
        final byte[] mask = new byte[4];
        long maskIdx;
        long framePayloadLen;
        long frameEmitRemaining;
        byte[] chunk;
        /** {@link #chunk} as a segment for the child, made once with the buffer. */
        MemorySegment chunkSeg;
        int chunkNeed;
        int chunkUsed;

        Flow(boolean isOrig) {
            this.isOrig = isOrig;
        }

        void deliver(MemorySegment d, long off, int len) {
            int i = 0;
            while (i < len && !failed) {
                if (!inPayload) {
                    int n = Math.min(headerNeed - headerUsed, len - i);
                    MemorySegment.copy(d, ValueLayout.JAVA_BYTE, off + i, header, headerUsed, n);
                    headerUsed += n;
                    i += n;
                    if (headerUsed == 2) {
                        int len1 = header[1] & 0x7f;
                        headerNeed = 2 + ((header[1] & 0x80) != 0 ? 4 : 0) + (len1 < 126 ? 0 : len1 == 126 ? 2 : 8);
                    }
                    if (headerUsed == headerNeed) {
                        frameHeader();
                    }
                } else {
                    int n = Math.min(chunkNeed - chunkUsed, len - i);
                    MemorySegment.copy(d, ValueLayout.JAVA_BYTE, off + i, chunk, chunkUsed, n);
                    chunkUsed += n;
                    i += n;
                    if (chunkUsed == chunkNeed) {
                        payloadChunk();
                    }
                }
            }
        }

        /** WebSocket_FrameHeader with its &enforce and new_frame_payload. */
        private void frameHeader() {
            int b0 = header[0] & 0xff;
            int opcode = b0 & 0x0f;
            boolean ok = firstFrame ? opcode != 0 : opcode == 0;
            if (!ok) {
                failed = true;
                ctx.violation("binpac exception: &enforce violation : WebSocket_FrameHeader:first2");
                return;
            }
            fin = (b0 & 0x80) != 0;
            int len1 = header[1] & 0x7f;
            hasMask = (header[1] & 0x80) != 0;
            long payloadLen;
            int p = 2;
            if (len1 < 126) {
                payloadLen = len1;
            } else if (len1 == 126) {
                payloadLen = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
                p = 4;
            } else {
                payloadLen = 0;
                for (int k = 0; k < 8; k++) {
                    payloadLen = (payloadLen << 8) | (header[2 + k] & 0xffL);
                }
                p = 10;
            }
            if (framePayloadLen > 0) {
                ctx.weird("websocket_frame_not_consumed", null);
            }
            if (firstFrame) {
                effectiveOpcode = opcode;
            }
            framePayloadLen = payloadLen;
            frameEmitRemaining = payloadLen;
            if ((effectiveOpcode == OPCODE_CLOSE || effectiveOpcode == OPCODE_PING || effectiveOpcode == OPCODE_PONG)
                    && Long.compareUnsigned(frameEmitRemaining, MAX_CONTROL_FRAME_SIZE) > 0) {
                ctx.weird("websocket_control_frame_size_exceeded",
                        Long.toUnsignedString(framePayloadLen) + " > " + MAX_CONTROL_FRAME_SIZE);
                frameEmitRemaining = MAX_CONTROL_FRAME_SIZE;
            }
            maskIdx = 0;
            if (hasMask) {
                System.arraycopy(header, p, mask, 0, 4);
            }
            headerUsed = 0;
            headerNeed = 2;
            inPayload = true;
            startChunk();
        }

        /** next_chunk_len: the next chunk is the rest of the frame, at most the chunk size. */
        private void startChunk() {
            long len = framePayloadLen;
            if (Long.compareUnsigned(len, PAYLOAD_CHUNK_SIZE) > 0) {
                len = PAYLOAD_CHUNK_SIZE;
            }
            chunkNeed = (int) len;
            chunkUsed = 0;
            if (chunk == null && chunkNeed > 0) {
                chunk = new byte[PAYLOAD_CHUNK_SIZE];
                chunkSeg = MemorySegment.ofArray(chunk);
            }
            if (chunkNeed == 0) {
                payloadChunk();
            }
        }

        /** WebSocket_FramePayloadChunk: consumed_chunk_len, process_payload_chunk, then the frame's end. */
        private void payloadChunk() {
            int len = chunkNeed;
            framePayloadLen -= len;
            int emit = (int) Math.min(len, frameEmitRemaining);
            frameEmitRemaining -= emit;
            if (hasMask) {
                for (int k = 0; k < len; k++) {
                    chunk[k] ^= mask[(int) (maskIdx++ & 3)];
                }
            }
            if ((effectiveOpcode == OPCODE_TEXT || effectiveOpcode == OPCODE_BINARY) && len > 0 && child != null) {
                child.onStream(isOrig, chunkSeg, 0, len);
            }
            if (framePayloadLen != 0) {
                startChunk();
                return;
            }
            // the frame is complete
            inPayload = false;
            chunkUsed = 0;
            chunkNeed = 0;
            if (fin) {
                firstFrame = true;
                if (!confirmed) {
                    confirmed = true;
                    ctx.confirm(); // process_message
                }
            } else {
                firstFrame = false;
            }
        }
    }
}
