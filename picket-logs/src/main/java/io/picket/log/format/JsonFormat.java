package io.picket.log.format;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;

/**
 * Zeek's JSON log lines ({@code LogAscii::use_json=T}), byte for byte: one object per line,
 * keys in column order, unset columns left out (or {@code null} with
 * {@code includeUnsetFields}), no header or footer.
 *
 * <p>Values: time per {@link Timestamps}; interval and double as the numbers Zeek's JSON
 * writer prints (RapidJSON Grisu2: {@code 0.050691843032836914}, {@code 1591367999.0},
 * {@code 0.00001811981201171875}, {@code 1e-7}), NaN and infinities as {@code null};
 * count/int/port as integers; bool {@code true}/{@code false}; string/enum escaped with
 * Zeek's default policy (controls other than {@code \b \t \n \f \r}, DEL and invalid UTF-8
 * become the text {@code \xhh}, so {@code "\\xhh"} in JSON; see {@link ZeekEscapes}), then
 * ordinary JSON escaping; addr/subnet as plain strings; sets and vectors as arrays.
 *
 * <p>Owned by one writer thread (keeps scratch buffers).
 */
public final class JsonFormat implements LogFormat {
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** How {@code time} values are written ({@code LogAscii::json_timestamps}). */
    public enum Timestamps {
        /** Seconds since the epoch as a JSON number ({@code JSON::TS_EPOCH}, Zeek's default). */
        EPOCH,
        /** {@code "2020-06-05T14:39:59.305988Z"}, UTC ({@code JSON::TS_ISO8601}). */
        ISO8601,
        /** Integer milliseconds since the epoch, truncated ({@code JSON::TS_MILLIS}). */
        MILLIS,
        /** As MILLIS, written as unsigned 64-bit ({@code JSON::TS_MILLIS_UNSIGNED}). */
        MILLIS_UNSIGNED
    }

    private final Timestamps timestamps;
    private final boolean includeUnsetFields;
    private final ZeekNumbers numbers = new ZeekNumbers();
    private final LogBuffer scratch = new LogBuffer(256);

    /** Zeek's defaults: epoch timestamps, unset fields left out. */
    public JsonFormat() {
        this(Timestamps.EPOCH, false);
    }

    public JsonFormat(Timestamps timestamps) {
        this(timestamps, false);
    }

    public JsonFormat(Timestamps timestamps, boolean includeUnsetFields) {
        this.timestamps = timestamps;
        this.includeUnsetFields = includeUnsetFields;
    }

    public Timestamps timestamps() {
        return timestamps;
    }

    @Override
    public void header(LogSchema schema, ZonedDateTime openTime, LogBuffer out) {
        // JSON logs carry no meta lines.
    }

    @Override
    public void row(LogRecord record, LogBuffer out) {
        LogSchema schema = record.schema();
        out.append('{');
        boolean first = true;
        for (int i = 0; i < schema.size(); i++) {
            Object v = record.get(i);
            if (v == null && !includeUnsetFields) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            appendPlainString(out, schema.field(i).name());
            out.append(':');
            appendValue(out, schema.field(i).type(), v);
        }
        out.append('}').append('\n');
    }

    @Override
    public void footer(ZonedDateTime closeTime, LogBuffer out) {
        // JSON logs carry no meta lines.
    }

    /** Appends one value of the given type as Zeek's JSON writer does ({@code null} when unset). */
    public void appendValue(LogBuffer out, ZeekType type, Object value) {
        if (value == null) {
            out.appendAscii("null");
            return;
        }
        if (!type.isContainer()) {
            appendScalar(out, type, value);
            return;
        }
        ZeekType element = type.elementType();
        out.append('[');
        if (value instanceof Collection<?> c) {
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendValue(out, element, o);
            }
        } else if (value instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendValue(out, element, a[i]);
            }
        } else {
            appendValue(out, element, value);
        }
        out.append(']');
    }

    private void appendScalar(LogBuffer out, ZeekType type, Object value) {
        switch (type) {
            case TIME -> {
                if (value instanceof Number num) {
                    appendTime(out, num.doubleValue());
                    return;
                }
            }
            case INTERVAL, DOUBLE -> {
                if (value instanceof Number num) {
                    numbers.appendJsonDouble(out, num.doubleValue());
                    return;
                }
            }
            case COUNT -> {
                if (value instanceof Number num) {
                    out.appendUnsignedLong(num.longValue());
                    return;
                }
            }
            case INT, PORT -> {
                if (value instanceof Number num) {
                    out.appendLong(num.longValue());
                    return;
                }
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    out.appendAscii(b ? "true" : "false");
                    return;
                }
            }
            case ADDR, SUBNET -> {
                appendPlainString(out, value instanceof CharSequence cs ? cs : String.valueOf(value));
                return;
            }
            default -> {
                // STRING, ENUM
            }
        }
        appendZeekString(out, value);
    }

    private void appendTime(LogBuffer out, double t) {
        switch (timestamps) {
            case EPOCH -> numbers.appendJsonDouble(out, t);
            case MILLIS -> out.appendLong((long) (t * 1000));
            case MILLIS_UNSIGNED -> out.appendUnsignedLong((long) (t * 1000));
            case ISO8601 -> appendIso8601(out, t);
        }
    }

    /**
     * Zeek's ISO 8601 form: {@code gmtime(floor(t))} as {@code %Y-%m-%dT%H:%M:%S}, then the
     * fraction {@code t - trunc(t)} (plus one when negative) times 10^6 rounded half-even and
     * zero-padded to 6 digits (7 when it rounds up to 1000000, as Zeek prints it), then {@code Z}.
     */
    private static void appendIso8601(LogBuffer out, double t) {
        out.append('"');
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            out.appendAscii("2000-01-01T00:00:00.000000");
            out.append('"');
            return;
        }
        long seconds = (long) Math.floor(t);
        LocalDateTime dt = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        appendPadded(out, dt.getYear(), 4);
        out.append('-');
        appendPadded(out, dt.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, dt.getDayOfMonth(), 2);
        out.append('T');
        appendPadded(out, dt.getHour(), 2);
        out.append(':');
        appendPadded(out, dt.getMinute(), 2);
        out.append(':');
        appendPadded(out, dt.getSecond(), 2);
        out.append('.');
        double frac = t - (t < 0 ? Math.ceil(t) : Math.floor(t));
        if (frac < 0) {
            frac += 1;
        }
        long micros = (long) Math.rint(Math.abs(frac) * 1_000_000);
        appendPadded(out, micros, 6);
        out.append('Z').append('"');
    }

    private static void appendPadded(LogBuffer out, long v, int width) {
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            out.append('0');
        }
        out.appendLong(v);
    }

    /** A string with Zeek's escape_utf8 step, then JSON escaping. */
    private void appendZeekString(LogBuffer out, Object value) {
        byte[] b;
        int len;
        if (value instanceof byte[] raw) {
            b = raw;
            len = raw.length;
        } else {
            CharSequence s = value instanceof CharSequence cs ? cs : String.valueOf(value);
            if (plainJson(s)) {
                out.append('"').appendAscii(s).append('"');
                return;
            }
            scratch.clear().appendUtf8(s);
            b = scratch.array();
            len = scratch.length();
        }
        out.append('"');
        boolean clean = ZeekEscapes.clean(b, 0, len, ZeekEscapes.JSON);
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (clean || ZeekEscapes.plainAscii(c, ZeekEscapes.JSON)) {
                appendJsonByte(out, c);
            } else {
                out.append('\\').append('\\').append('x').appendHexDigits(c);
            }
        }
        out.append('"');
    }

    /** A string with JSON escaping only (keys, addresses). */
    private static void appendPlainString(LogBuffer out, CharSequence s) {
        if (plainJson(s)) {
            out.append('"').appendAscii(s).append('"');
            return;
        }
        LogBuffer tmp = new LogBuffer(s.length() + 8).appendUtf8(s);
        out.append('"');
        for (int i = 0; i < tmp.length(); i++) {
            appendJsonByte(out, tmp.array()[i] & 0xff);
        }
        out.append('"');
    }

    private static boolean plainJson(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** RapidJSON's string escaping of one byte. */
    private static void appendJsonByte(LogBuffer out, int c) {
        switch (c) {
            case '"' -> out.append('\\').append('"');
            case '\\' -> out.append('\\').append('\\');
            case '\b' -> out.append('\\').append('b');
            case '\t' -> out.append('\\').append('t');
            case '\n' -> out.append('\\').append('n');
            case '\f' -> out.append('\\').append('f');
            case '\r' -> out.append('\\').append('r');
            default -> {
                if (c < 0x20) {
                    out.append('\\').append('u').append('0').append('0');
                    out.append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
                } else {
                    out.append(c);
                }
            }
        }
    }
}
