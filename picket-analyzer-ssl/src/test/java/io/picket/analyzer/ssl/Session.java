package io.picket.analyzer.ssl;

import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** One analyzer on a fake connection, fed byte arrays per direction. */
final class Session {
    final FakeContext ctx = new FakeContext();
    final SslAnalyzer analyzer;
    boolean partial;

    Session() {
        this(new SslAnalyzerProvider());
    }

    Session(SslAnalyzerProvider provider) {
        analyzer = new SslAnalyzer(ctx, provider, () -> partial);
    }

    Session client(byte[]... parts) {
        for (byte[] p : parts) {
            ctx.now += 0.001;
            analyzer.onStream(true, MemorySegment.ofArray(p), 0, p.length);
        }
        return this;
    }

    Session server(byte[]... parts) {
        for (byte[] p : parts) {
            ctx.now += 0.001;
            analyzer.onStream(false, MemorySegment.ofArray(p), 0, p.length);
        }
        return this;
    }

    Session done() {
        analyzer.onConnectionDone();
        return this;
    }

    /** The one ssl.log record (fails the test otherwise). */
    LogRecord ssl() {
        List<LogRecord> l = ctx.logs("ssl");
        if (l.size() != 1) {
            throw new AssertionError("expected one ssl.log record, got " + l);
        }
        return l.get(0);
    }

    Object field(String name) {
        return ssl().get(name);
    }
}
