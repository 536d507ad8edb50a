package io.picket.sink.spool;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.format.JsonFormat;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.LogFormat;
import io.picket.log.format.TsvFormat;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Formats a {@link LogRecord} (JSON line or TSV row, as Zeek writes them) and wraps it in an
 * {@link Envelope}. Keeps scratch buffers, so an instance belongs to one thread (the sink keeps
 * one per calling shard thread).
 */
public final class EnvelopeEncoder {
    private final int format;
    private final LogFormat logFormat;
    private final LogBuffer line = new LogBuffer(1024);
    private final LogBuffer out = new LogBuffer(1024);
    private final Map<LogSchema, int[]> columns = new IdentityHashMap<>();

    public EnvelopeEncoder(SinkFormat format, JsonFormat.Timestamps timestamps) {
        this.format = format == SinkFormat.TSV ? Envelope.FORMAT_TSV : Envelope.FORMAT_JSON;
        this.logFormat = format == SinkFormat.TSV ? new TsvFormat() : new JsonFormat(timestamps);
    }

    /** A new envelope (spool id and sequence zero until {@link Envelope#stamp}). */
    public byte[] encode(LogRecord record) {
        LogSchema schema = record.schema();
        int[] cols = columns.computeIfAbsent(schema, s -> new int[] {s.indexOf("ts"), s.indexOf("uid")});
        line.clear();
        logFormat.row(record, line);
        int lineLen = line.length();
        if (lineLen > 0 && line.byteAt(lineLen - 1) == '\n') {
            lineLen--;
        }
        out.clear();
        out.append(Envelope.VERSION).append(format);
        for (int i = 0; i < 16; i++) {
            out.append(0);
        }
        long micros = Envelope.NO_TIME;
        if (cols[0] >= 0 && record.get(cols[0]) instanceof Number ts) {
            double t = ts.doubleValue();
            if (!Double.isNaN(t) && !Double.isInfinite(t)) {
                micros = Math.round(t * 1_000_000d);
            }
        }
        for (int i = 56; i >= 0; i -= 8) {
            out.append((int) (micros >>> i));
        }
        String path = schema.path();
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > 255) {
            throw new IllegalArgumentException("log path longer than 255 bytes: " + path);
        }
        out.append(p.length).append(p);
        Object uid = cols[1] >= 0 ? record.get(cols[1]) : null;
        if (uid instanceof String u && !u.isEmpty() && u.length() <= 255) {
            out.append(u.length()).appendUtf8(u);
        } else {
            out.append(0);
        }
        out.append(line.array(), 0, lineLen);
        return out.toByteArray();
    }
}
