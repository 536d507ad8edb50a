package io.picket.analyzer;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.analyzer.spi.HttpContentObserver;
import io.picket.decode.Addresses;
import io.picket.flow.Connection;
import io.picket.flow.ConnectionObserver;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The analyzers and detectors of one connection (Zeek's analyzer tree with its PIA):
 * analyzers registered for the responder port start with the connection; the others wait for
 * their {@link Detector} to recognise the payload, then get the buffered beginning of the
 * connection replayed. A violation removes an analyzer; an exception removes it too and is
 * counted (the connection and other tenants carry on). An exception of the tenant policy drops
 * the policy from this connection the same way; a StackOverflowError counts as an exception.
 * Owned by the shard thread.
 */
final class ConnectionAnalyzers implements ConnectionObserver {

    private final AnalyzerHost host;
    private final Connection conn;
    private final boolean tcp;
    private final List<Slot> active = new ArrayList<>(2);
    private final List<Pending> pending = new ArrayList<>(2);

    // Replay buffer of the beginning of the connection (Zeek's PIA buffer).
    private byte[] buffer;
    private int bufferUsed;
    private int[] chunkLen;
    private boolean[] chunkOrig;
    private byte[] chunkKind;
    private int chunks;
    private boolean buffering = true;
    private long streamOrig;
    private long streamResp;

    private String origHost;
    private String respHost;

    private static final byte KIND_DATA = 0;
    private static final byte KIND_GAP = 1;

    private record Pending(AnalyzerProvider provider, Detector detector) {
    }

    private final class Slot implements AnalyzerContext {
        final AnalyzerProvider provider;
        Analyzer analyzer;
        boolean confirmed;
        boolean removed;
        /** Started by another analyzer with startChild: fed by its parent, not by the engine. */
        boolean child;

        Slot(AnalyzerProvider provider) {
            this.provider = provider;
        }

        @Override
        public String uid() {
            return conn.uid();
        }

        @Override
        public String origHost() {
            if (origHost == null) {
                origHost = Addresses.format(conn.origHi(), conn.origLo());
            }
            return origHost;
        }

        @Override
        public int origPort() {
            return conn.origPort();
        }

        @Override
        public String respHost() {
            if (respHost == null) {
                respHost = Addresses.format(conn.respHi(), conn.respLo());
            }
            return respHost;
        }

        @Override
        public int respPort() {
            return conn.respPort();
        }

        @Override
        public String transport() {
            return tcp ? "tcp" : "udp";
        }

        @Override
        public double networkTime() {
            return host.engine.networkTime();
        }

        @Override
        public double connectionStart() {
            return conn.startTime();
        }

        @Override
        public LogSchema schema(LogSchema base) {
            return host.engine.schema(base);
        }

        @Override
        public void setConnectionId(LogRecord r) {
            LogSchema s = r.schema();
            setIf(r, s, "uid", conn.uid());
            setIf(r, s, "id.orig_h", origHost());
            setIf(r, s, "id.orig_p", conn.origPort());
            setIf(r, s, "id.resp_h", respHost());
            setIf(r, s, "id.resp_p", conn.respPort());
            if (conn.vlanKeyed()) {
                setIf(r, s, "id.ctx.vlan", conn.ctxVlan() > 0 ? (long) conn.ctxVlan() : null);
                setIf(r, s, "id.ctx.inner_vlan", conn.ctxInnerVlan() > 0 ? (long) conn.ctxInnerVlan() : null);
            }
        }

        private void setIf(LogRecord r, LogSchema s, String name, Object v) {
            int i = s.indexOf(name);
            if (i >= 0) {
                r.set(i, v);
            }
        }

        @Override
        public void log(LogRecord record) {
            host.engine.log(conn, record);
        }

        @Override
        public void confirm() {
            if (!confirmed && !removed) {
                confirmed = true;
                conn.addService(provider.name());
            }
        }

        @Override
        public void violation(String reason) {
            if (removed) {
                return;
            }
            if (root.streamOrig + root.streamResp > AnalyzerHost.IGNORE_VIOLATIONS_AFTER) {
                // the connection's payload so far (dpd.zeek: c$orig$size + c$resp$size), nested or not
                return;
            }
            removed = true;
            // dpd.zeek removes the service by analyzer name, whichever instance confirmed it
            conn.removeService(provider.name());
        }

        @Override
        public void weird(String name, String addl) {
            host.engine.weird(conn, name, addl, provider.name().toUpperCase(java.util.Locale.ROOT));
        }

        @Override
        public void weird(String name, String addl, String source) {
            host.engine.weird(conn, name, addl, source);
        }

        @Override
        public String newFileId() {
            return host.engine.newFileId();
        }

        @Override
        public void seen(String indicator, String indicatorType, String where) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    policy.onSeen(indicator, indicatorType, where);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }

        @Override
        public void seen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
                String fileDesc) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    policy.onSeen(indicator, indicatorType, where, fuid, fileMimeType, fileDesc);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }

        @Override
        public boolean wantsSeen() {
            return policy != null && policy.wantsSeen();
        }

        @Override
        public HttpContentObserver httpContent() {
            return guardedContent();
        }

        @Override
        public void flipRoles() {
            conn.flipRoles();
            String h = origHost;
            origHost = respHost;
            respHost = h;
        }

        @Override
        public boolean partial() {
            return conn.tcp() != null && conn.tcp().isPartial();
        }

        @Override
        public double lastPacketTime() {
            return conn.lastTime();
        }

        @Override
        public void schedule(double time, Runnable action) {
            host.engine.schedule(conn, time, () -> {
                if (!removed) {
                    try {
                        action.run();
                    } catch (RuntimeException | StackOverflowError e) {
                        fail(this, contained(e));
                    }
                }
            });
        }

        @Override
        public void removeConnection() {
            host.engine.remove(conn);
        }

        @Override
        public Analyzer startChild(String name) {
            if (removed) {
                return null;
            }
            AnalyzerProvider p = host.registry().provider(name);
            if (p == null || (tcp ? !p.tcp() : !p.udp())
                    || (root.policy != null && !root.policy.allowsAnalyzer(p.name()))) {
                return null;
            }
            Slot c = new Slot(p);
            c.child = true;
            try {
                c.analyzer = p.newAnalyzer(c);
            } catch (RuntimeException e) {
                fail(c, e);
                return null;
            }
            active.add(c);
            return new ChildFeed(c);
        }

        @Override
        public Analyzer childDetection() {
            return removed ? null : new ChildDetection(new ConnectionAnalyzers(ConnectionAnalyzers.this));
        }

        @Override
        public void registerTunnel(String tunnelType) {
            host.registerTunnel(conn, tunnelType);
        }

        @Override
        public java.util.Map<String, Object> connectionState() {
            if (root.state == null) {
                root.state = new java.util.HashMap<>(4);
            }
            return root.state;
        }
    }

    /** What a parent analyzer holds of its child: delivery that never throws and stops once the child is removed. */
    private final class ChildFeed implements Analyzer {
        private final Slot slot;

        ChildFeed(Slot slot) {
            this.slot = slot;
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            if (!slot.removed) {
                try {
                    slot.analyzer.onStream(isOrig, data, offset, length);
                } catch (RuntimeException e) {
                    fail(slot, e);
                }
            }
        }

        @Override
        public void onGap(boolean isOrig, long length) {
            if (!slot.removed) {
                try {
                    slot.analyzer.onGap(isOrig, length);
                } catch (RuntimeException e) {
                    fail(slot, e);
                }
            }
        }

        @Override
        public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
            if (!slot.removed) {
                try {
                    slot.analyzer.onDatagram(isOrig, data, offset, length);
                } catch (RuntimeException e) {
                    fail(slot, e);
                }
            }
        }
    }

    /** Zeek's child PIA as an analyzer: forwards the decapsulated stream to a nested detection. */
    private static final class ChildDetection implements Analyzer {
        private final ConnectionAnalyzers inner;

        ChildDetection(ConnectionAnalyzers inner) {
            this.inner = inner;
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            inner.onStream(isOrig, data, offset, length);
        }

        @Override
        public void onGap(boolean isOrig, long length) {
            inner.onGap(isOrig, length);
        }

        @Override
        public void onEndOfStream(boolean isOrig) {
            inner.onEndOfStream(isOrig);
        }

        @Override
        public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
            inner.onDatagram(isOrig, data, offset, length);
        }

        @Override
        public void onConnectionDone() {
            inner.onRemove();
        }
    }

    /** The tenant policy; null when there is none or it threw on this connection. */
    private ConnectionPolicy policy;
    private GuardedContent content;
    /** The top-level analyzers of the connection (this one unless a child detection). */
    private final ConnectionAnalyzers root;
    /** Script-layer state shared by all analyzers of the connection (on the root only). */
    private java.util.Map<String, Object> state;

    ConnectionAnalyzers(AnalyzerHost host, Connection conn, boolean tcp, ConnectionPolicy policy) {
        this.host = host;
        this.conn = conn;
        this.tcp = tcp;
        this.policy = policy;
        this.root = this;
        int respPort = conn.respPort();
        List<AnalyzerProvider> providers = host.registry().providers();
        for (int i = 0; i < providers.size(); i++) {
            AnalyzerProvider p = providers.get(i);
            if (tcp ? !p.tcp() : !p.udp()) {
                continue;
            }
            if (policy != null && !policy.allowsAnalyzer(p.name())) {
                continue; // the connection's steering profile leaves this analyzer out
            }
            if (!host.engine.analyzerAdmitted(conn, i)) {
                continue; // quarantined for this tenant
            }
            if (host.registry().startsOnPort(i, tcp, respPort)) {
                start(p);
            } else {
                Detector d = p.newDetector();
                if (d != null) {
                    pending.add(new Pending(p, d));
                }
            }
        }
        if (pending.isEmpty()) {
            buffering = false;
        }
    }

    /** An ICMP connection: no analyzers (Zeek runs none over ICMP), only the tenant policy's signatures. */
    static ConnectionAnalyzers policyOnly(AnalyzerHost host, Connection conn, ConnectionPolicy policy) {
        return new ConnectionAnalyzers(host, conn, policy);
    }

    private ConnectionAnalyzers(AnalyzerHost host, Connection conn, ConnectionPolicy policy) {
        this.host = host;
        this.conn = conn;
        this.tcp = false;
        this.policy = policy;
        this.root = this;
        this.buffering = false;
    }

    /**
     * A nested detection for a stream decapsulated by an analyzer of {@code parent} (Zeek's child
     * PIA): detectors only, no port-based starts, no policy of its own; same connection.
     */
    private ConnectionAnalyzers(ConnectionAnalyzers parent) {
        this.host = parent.host;
        this.conn = parent.conn;
        this.tcp = parent.tcp;
        this.policy = null;
        this.root = parent.root;
        List<AnalyzerProvider> providers = host.registry().providers();
        for (int i = 0; i < providers.size(); i++) {
            AnalyzerProvider p = providers.get(i);
            if ((tcp ? p.tcp() : p.udp())
                    && (root.policy == null || root.policy.allowsAnalyzer(p.name()))
                    && host.engine.analyzerAdmitted(conn, i)) {
                Detector d = p.newDetector();
                if (d != null) {
                    pending.add(new Pending(p, d));
                }
            }
        }
        if (pending.isEmpty()) {
            buffering = false;
        }
    }

    private Slot start(AnalyzerProvider p) {
        Slot s = new Slot(p);
        try {
            s.analyzer = p.newAnalyzer(s);
        } catch (RuntimeException | StackOverflowError e) {
            fail(s, contained(e));
            return s;
        }
        active.add(s);
        return s;
    }

    private void fail(Slot s, RuntimeException e) {
        s.removed = true;
        host.engine.analyzerFailed(conn, s.provider.name(), e);
    }

    /**
     * What a component threw, as a RuntimeException: a StackOverflowError (deep recursion in one
     * connection's data) is contained like an exception, since the stack has unwound here.
     */
    private static RuntimeException contained(Throwable e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
    }

    /** The policy threw: dropped from this connection, the failure reported (contained). */
    private void policyFailed(RuntimeException e) {
        policy = null;
        host.engine.policyFailed(conn, e);
    }

    private boolean policyWants() {
        if (policy == null) {
            return false;
        }
        try {
            return policy.wantsPayload();
        } catch (RuntimeException | StackOverflowError e) {
            policyFailed(contained(e));
            return false;
        }
    }

    @Override
    public void onIcmp(boolean isOrig, MemorySegment data, long offset, int length) {
        if (policy != null) {
            policyPayload(isOrig, data, offset, length, ICMP);
        }
    }

    @Override
    public void onFirstPacket(boolean isOrig, io.picket.decode.Packet p) {
        if (policy == null || p.l4Segment == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            policy.onFirstPacket(isOrig, p.ipProto, p.l4Segment, p.l4Offset - p.ipHeaderLength, p.l4Offset,
                    p.l4Offset + p.l4CapturedLength);
        } catch (RuntimeException | StackOverflowError e) {
            policyFailed(contained(e));
        }
        host.engine.policyWork(conn, 0, System.nanoTime() - t0);
    }

    private static final int STREAM = 0;
    private static final int DATAGRAM = 1;
    private static final int ICMP = 2;

    /** Hands payload to the tenant policy: timed for the tenant, a failure contained. */
    private void policyPayload(boolean isOrig, MemorySegment data, long offset, int length, int kind) {
        long t0 = System.nanoTime();
        try {
            switch (kind) {
                case STREAM -> policy.onStream(isOrig, data, offset, length);
                case DATAGRAM -> policy.onDatagram(isOrig, data, offset, length);
                default -> policy.onIcmp(isOrig, data, offset, length);
            }
        } catch (RuntimeException | StackOverflowError e) {
            policyFailed(contained(e));
        }
        host.engine.policyWork(conn, length, System.nanoTime() - t0);
    }

    private HttpContentObserver guardedContent() {
        if (content == null) {
            if (policy == null) {
                return null;
            }
            HttpContentObserver o;
            try {
                o = policy.httpContent();
            } catch (RuntimeException | StackOverflowError e) {
                policyFailed(contained(e));
                return null;
            }
            if (o == null) {
                return null;
            }
            content = new GuardedContent(o);
        }
        return content;
    }

    /** The policy's HTTP content channel; an exception drops the policy, not the HTTP analyzer. */
    private final class GuardedContent implements HttpContentObserver {
        private final HttpContentObserver target;

        GuardedContent(HttpContentObserver target) {
            this.target = target;
        }

        @Override
        public void request(byte[] unescapedUri, int offset, int length) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    target.request(unescapedUri, offset, length);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }

        @Override
        public void header(boolean isOrig, byte[] line, int nameFrom, int nameTo, int valueFrom, int valueTo) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    target.header(isOrig, line, nameFrom, nameTo, valueFrom, valueTo);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }

        @Override
        public void body(boolean isOrig, byte[] data, int offset, int length, boolean first) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    target.body(isOrig, data, offset, length, first);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }

        @Override
        public void bodyEnd(boolean isOrig) {
            if (policy != null) {
                long t0 = System.nanoTime();
                try {
                    target.bodyEnd(isOrig);
                } catch (RuntimeException | StackOverflowError e) {
                    policyFailed(contained(e));
                }
                host.engine.policyWork(conn, 0, System.nanoTime() - t0);
            }
        }
    }

    @Override
    public boolean wantsPayload() {
        if (!pending.isEmpty() || policyWants()) {
            return true;
        }
        for (int i = 0; i < active.size(); i++) {
            if (!active.get(i).removed) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        long streamOffset = isOrig ? streamOrig : streamResp;
        if (isOrig) {
            streamOrig += length;
        } else {
            streamResp += length;
        }
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            if (!s.removed && !s.child) {
                try {
                    s.analyzer.onStream(isOrig, data, offset, length);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
            }
        }
        detect(isOrig, data, offset, length, streamOffset, KIND_DATA);
        if (policyWants()) {
            policyPayload(isOrig, data, offset, length, STREAM);
        }
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        if (isOrig) {
            streamOrig += length;
        } else {
            streamResp += length;
        }
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            if (!s.removed && !s.child) {
                try {
                    s.analyzer.onGap(isOrig, length);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
            }
        }
        if (buffering) {
            // Zeek's PIA does not match across a content gap: stop detecting.
            stopDetecting();
        }
    }

    @Override
    public void onEndOfStream(boolean isOrig) {
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            if (!s.removed) {
                try {
                    s.analyzer.onEndOfStream(isOrig);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
            }
        }
    }

    @Override
    public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            if (!s.removed && !s.child) {
                try {
                    s.analyzer.onDatagram(isOrig, data, offset, length);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
            }
        }
        detect(isOrig, data, offset, length, 0, KIND_DATA);
        if (policyWants()) {
            policyPayload(isOrig, data, offset, length, DATAGRAM);
        }
    }

    @Override
    public void onRemove() {
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            if (!s.removed) {
                try {
                    s.analyzer.onConnectionDone();
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
            }
        }
        if (policy != null) {
            try {
                policy.onRemove();
            } catch (RuntimeException | StackOverflowError e) {
                policyFailed(contained(e));
            }
        }
    }

    // ------------------------------------------------------------------ detection

    private void detect(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset, byte kind) {
        if (!buffering) {
            return;
        }
        int keep = Math.min(length, AnalyzerHost.DPD_BUFFER_SIZE - bufferUsed);
        remember(isOrig, data, offset, Math.max(keep, 0));
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            int verdict;
            try {
                verdict = p.detector().onData(isOrig, data, offset, length, streamOffset);
            } catch (RuntimeException | StackOverflowError e) {
                verdict = Detector.NO_MATCH;
            }
            if (verdict == Detector.MATCH) {
                pending.remove(i--);
                Slot s = start(p.provider());
                if (!s.removed) {
                    replayBefore(s);
                    try {
                        if (tcp) {
                            s.analyzer.onStream(isOrig, data, offset, length);
                        } else {
                            s.analyzer.onDatagram(isOrig, data, offset, length);
                        }
                    } catch (RuntimeException | StackOverflowError e) {
                        fail(s, contained(e));
                    }
                }
            } else if (verdict == Detector.NO_MATCH) {
                pending.remove(i--);
            }
        }
        if (pending.isEmpty() || bufferUsed >= AnalyzerHost.DPD_BUFFER_SIZE) {
            stopDetecting();
        }
    }

    private void stopDetecting() {
        buffering = false;
        pending.clear();
        buffer = null;
        chunkLen = null;
        chunkOrig = null;
        chunkKind = null;
    }

    private void remember(boolean isOrig, MemorySegment data, long offset, int length) {
        if (buffer == null) {
            chunkLen = new int[16];
            chunkOrig = new boolean[16];
            chunkKind = new byte[16];
        }
        if (buffer == null || bufferUsed + length > buffer.length) {
            // grown as the beginning comes in (many connections decide within a few bytes)
            int cap = Math.min(AnalyzerHost.DPD_BUFFER_SIZE,
                    Math.max(128, Integer.highestOneBit(Math.max(1, bufferUsed + length - 1)) << 1));
            buffer = buffer == null ? new byte[cap] : java.util.Arrays.copyOf(buffer, cap);
        }
        if (chunks == chunkLen.length) {
            chunkLen = java.util.Arrays.copyOf(chunkLen, chunks * 2);
            chunkOrig = java.util.Arrays.copyOf(chunkOrig, chunks * 2);
            chunkKind = java.util.Arrays.copyOf(chunkKind, chunks * 2);
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buffer, bufferUsed, length);
        chunkLen[chunks] = length;
        chunkOrig[chunks] = isOrig;
        chunkKind[chunks] = KIND_DATA;
        chunks++;
        bufferUsed += length;
    }

    /** Feeds a newly detected analyzer the buffered beginning, except the chunk being processed. */
    private void replayBefore(Slot s) {
        if (buffer == null) {
            return;
        }
        // Replayed from the shard thread's native buffer: analyzers see the packets' segment class.
        io.picket.flow.NativeScratch scratch = io.picket.flow.NativeScratch.current();
        MemorySegment seg = scratch.copyOf(buffer, 0, bufferUsed);
        try {
            int pos = 0;
            for (int c = 0; c < chunks - 1 && !s.removed; c++) {
                try {
                    if (tcp) {
                        s.analyzer.onStream(chunkOrig[c], seg, pos, chunkLen[c]);
                    } else {
                        s.analyzer.onDatagram(chunkOrig[c], seg, pos, chunkLen[c]);
                    }
                } catch (RuntimeException | StackOverflowError e) {
                    fail(s, contained(e));
                }
                pos += chunkLen[c];
            }
        } finally {
            scratch.release();
        }
    }
}
