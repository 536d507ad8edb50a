package io.picket.bench;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.lang.foreign.MemorySegment;
import java.util.ServiceLoader;

/**
 * What the per-analyzer benchmarks share: the provider found by name with the service loader (as
 * the engine finds it), a minimal {@link AnalyzerContext} with no engine behind it, and a stream
 * cut into TCP-sized segments delivered one per operation.
 *
 * <p>The context counts what the analyzer reports and keeps nothing: records are counted and
 * dropped (the last one kept by reference), timers are ignored, the connection is never removed. Its connection id values are
 * boxed once, so setting them on a record allocates nothing. Not thread-safe: one per benchmark
 * thread.
 */
final class AnalyzerBench {

    /** Bytes of TCP payload per segment on the steady path (an Ethernet MSS with timestamps). */
    static final int SEGMENT = 1448;

    private AnalyzerBench() {
    }

    /** The provider named {@code name} on the class path, as configured by default. */
    static AnalyzerProvider provider(String name) {
        for (AnalyzerProvider p : ServiceLoader.load(AnalyzerProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalStateException("no analyzer provider named " + name);
    }

    /** The minimal context of one connection; network time moves only when a benchmark sets it. */
    static final class Context implements AnalyzerContext {
        private final String uid = "CBench0000000001";
        private final String origHost;
        private final String respHost;
        private final int origPort;
        private final int respPort;
        private final Integer origPortBox;
        private final Integer respPortBox;
        private final String transport;
        double now = 1_700_000_000.0;
        long records;
        long weirds;
        long violations;
        long confirmations;
        /** The last record written (kept by reference only). */
        LogRecord last;
        private int fileIds;

        Context(String origHost, int origPort, String respHost, int respPort, String transport) {
            this.origHost = origHost;
            this.origPort = origPort;
            this.respHost = respHost;
            this.respPort = respPort;
            this.origPortBox = origPort;
            this.respPortBox = respPort;
            this.transport = transport;
        }

        @Override
        public String uid() {
            return uid;
        }

        @Override
        public String origHost() {
            return origHost;
        }

        @Override
        public int origPort() {
            return origPort;
        }

        @Override
        public String respHost() {
            return respHost;
        }

        @Override
        public int respPort() {
            return respPort;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public double networkTime() {
            return now;
        }

        @Override
        public double connectionStart() {
            return 1_700_000_000.0;
        }

        @Override
        public LogSchema schema(LogSchema base) {
            return base;
        }

        @Override
        public void setConnectionId(LogRecord record) {
            record.set("uid", uid);
            record.set("id.orig_h", origHost);
            record.set("id.orig_p", origPortBox);
            record.set("id.resp_h", respHost);
            record.set("id.resp_p", respPortBox);
        }

        @Override
        public void log(LogRecord record) {
            records++;
            last = record;
        }

        @Override
        public void confirm() {
            confirmations++;
        }

        @Override
        public void violation(String reason) {
            violations++;
        }

        @Override
        public void weird(String name, String addl) {
            weirds++;
        }

        @Override
        public String newFileId() {
            return "FBench" + (fileIds++);
        }

        @Override
        public double lastPacketTime() {
            return now;
        }

        @Override
        public void schedule(double time, Runnable action) {
        }

        @Override
        public void removeConnection() {
        }
    }

    /**
     * One direction's steady stream: {@code bytes} delivered in {@link #SEGMENT}-byte slices, one
     * per {@link #next}, from the start again after the last slice (the content repeats, so it is
     * built to be valid across the wrap).
     */
    static final class Stream {
        private final MemorySegment bytes;
        private final int length;
        private int pos;

        Stream(byte[] content) {
            this.bytes = MemorySegment.ofArray(content);
            this.length = content.length;
        }

        /** Delivers the next slice to {@code a}; returns its length. */
        int next(Analyzer a, boolean isOrig) {
            int n = Math.min(SEGMENT, length - pos);
            a.onStream(isOrig, bytes, pos, n);
            pos += n;
            if (pos == length) {
                pos = 0;
            }
            return n;
        }
    }

    /** Delivers a whole message as one segment. */
    static void send(Analyzer a, boolean isOrig, byte[] data) {
        a.onStream(isOrig, MemorySegment.ofArray(data), 0, data.length);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Bytes that look random enough for ciphertext (a fixed LCG: the same every run). */
    static byte[] noise(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 1103515245 + 12345;
            b[i] = (byte) (x >>> 16);
        }
        return b;
    }
}
