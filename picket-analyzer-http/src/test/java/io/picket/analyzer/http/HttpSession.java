package io.picket.analyzer.http;

import io.picket.log.LogRecord;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Test driver: one analyzer with a fake context, fed with strings or bytes per direction. */
final class HttpSession {
    final FakeContext ctx = new FakeContext();
    final HttpAnalyzer analyzer = new HttpAnalyzer(ctx);

    HttpSession at(double time) {
        ctx.now = time;
        return this;
    }

    HttpSession client(String s) {
        return client(bytes(s));
    }

    HttpSession server(String s) {
        return server(bytes(s));
    }

    HttpSession client(byte[] b) {
        analyzer.onStream(true, MemorySegment.ofArray(b), 0, b.length);
        return this;
    }

    HttpSession server(byte[] b) {
        analyzer.onStream(false, MemorySegment.ofArray(b), 0, b.length);
        return this;
    }

    HttpSession clientEof() {
        analyzer.onEndOfStream(true);
        return this;
    }

    HttpSession serverEof() {
        analyzer.onEndOfStream(false);
        return this;
    }

    HttpSession done() {
        analyzer.onConnectionDone();
        return this;
    }

    List<LogRecord> records() {
        return ctx.logs;
    }

    LogRecord only() {
        if (ctx.logs.size() != 1) {
            throw new AssertionError("expected one record, got " + ctx.logs);
        }
        return ctx.logs.get(0);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A log value as text (byte[] decoded as ISO-8859-1, lists joined by ','). */
    static String text(LogRecord r, String column) {
        Object v = r.get(column);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof java.util.Collection<?> c) {
            StringBuilder sb = new StringBuilder();
            for (Object o : c) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o));
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }
}
