package io.picket.analyzer.websocket;

import io.picket.analyzer.http.HttpProvider;
import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.testing.RecordingContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A test context with shared connection state, a recording child detection and named children. */
class WsContext extends RecordingContext {
    final Map<String, Object> state = new HashMap<>();
    /** What the child detection received, as "&gt;text" / "&lt;text" (ISO-8859-1). */
    final List<String> child = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    int childGaps;

    WsContext() {
        super("CWs", "192.168.0.3", 50798, "54.148.114.83", 80, "tcp");
    }

    @Override
    public Map<String, Object> connectionState() {
        return state;
    }

    @Override
    public Analyzer childDetection() {
        return new Analyzer() {
            @Override
            public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
                byte[] b = data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
                child.add((isOrig ? ">" : "<") + new String(b, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void onGap(boolean isOrig, long length) {
                childGaps++;
            }
        };
    }

    @Override
    public Analyzer startChild(String analyzerName) {
        started.add(analyzerName);
        return analyzerName.equals(WebSocketProvider.NAME) ? new WebSocketProvider().newAnalyzer(this)
                : new HttpProvider().newAnalyzer(this);
    }
}
