package io.picket.log.format;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * Zeek's ASCII (TSV) log format with its default settings, byte for byte: meta header
 * ({@code #separator \x09} ... {@code #types}), tab-separated rows, {@code #close} footer.
 *
 * <p>Values ({@link ZeekType} gives the Java types): unset {@code -}; empty string or container
 * {@code (empty)}; a string that is exactly {@code -} or {@code (empty)} gets its first byte
 * hex-escaped; time/interval with exactly 6 decimals; double as Zeek prints it (see
 * {@link ZeekNumbers}); bool {@code T}/{@code F}; port as a number; container elements joined
 * by {@code ,}. Escaping (Zeek with {@code LogAscii::enable_utf_8=T}): backslash as {@code \\},
 * tab as {@code \x09}, a comma inside a container element as {@code \x2c}, and in each run
 * between those, controls, DEL and invalid UTF-8 as {@code \xhh} (a run that needs any escape
 * has all its non-ASCII bytes escaped, as Zeek does). A row that would start with {@code #}
 * starts with {@code \x23}.
 *
 * <p>Owned by one writer thread (keeps scratch buffers).
 */
public final class TsvFormat implements LogFormat {
    private static final DateTimeFormatter META_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final byte[] UNSET = {'-'};
    private static final byte[] EMPTY = "(empty)".getBytes(StandardCharsets.US_ASCII);

    private final LogBuffer scratch = new LogBuffer(256);

    @Override
    public void header(LogSchema schema, ZonedDateTime openTime, LogBuffer out) {
        out.appendAscii("#separator \\x09\n");
        out.appendAscii("#set_separator\t,\n");
        out.appendAscii("#empty_field\t(empty)\n");
        out.appendAscii("#unset_field\t-\n");
        out.appendAscii("#path\t");
        appendMetaEscaped(out, schema.path());
        out.append('\n');
        out.appendAscii("#open\t").appendAscii(META_TIME.format(openTime)).append('\n');
        out.appendAscii("#fields");
        for (LogField f : schema.fields()) {
            out.append('\t').appendUtf8(f.name());
        }
        out.append('\n');
        out.appendAscii("#types");
        for (LogField f : schema.fields()) {
            out.append('\t').appendAscii(f.type().zeekName());
        }
        out.append('\n');
    }

    @Override
    public void row(LogRecord record, LogBuffer out) {
        int start = out.length();
        LogSchema schema = record.schema();
        int n = schema.size();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append('\t');
            }
            appendValue(out, schema.field(i).type(), record.get(i));
        }
        out.append('\n');
        if (out.byteAt(start) == '#') {
            out.escapeByteAt(start);
        }
    }

    @Override
    public void footer(ZonedDateTime closeTime, LogBuffer out) {
        out.appendAscii("#close\t").appendAscii(META_TIME.format(closeTime)).append('\n');
    }

    /** Appends one value of the given type as it appears in a TSV column. */
    public void appendValue(LogBuffer out, ZeekType type, Object value) {
        if (value == null) {
            out.append('-');
            return;
        }
        if (type.isContainer()) {
            appendContainer(out, type.elementType(), value);
        } else {
            appendScalar(out, type, value, false);
        }
    }

    private void appendContainer(LogBuffer out, ZeekType element, Object value) {
        if (value instanceof Collection<?> c) {
            if (c.isEmpty()) {
                out.append(EMPTY);
                return;
            }
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendElement(out, element, o);
            }
        } else if (value instanceof Object[] a) {
            if (a.length == 0) {
                out.append(EMPTY);
                return;
            }
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendElement(out, element, a[i]);
            }
        } else {
            appendElement(out, element, value);
        }
    }

    private void appendElement(LogBuffer out, ZeekType element, Object o) {
        if (o == null) {
            out.append('-');
        } else {
            appendScalar(out, element, o, true);
        }
    }

    private void appendScalar(LogBuffer out, ZeekType type, Object value, boolean inContainer) {
        switch (type) {
            case TIME, INTERVAL -> {
                if (value instanceof Number num) {
                    ZeekNumbers.appendFixed6(out, num.doubleValue());
                    return;
                }
            }
            case DOUBLE -> {
                if (value instanceof Number num) {
                    ZeekNumbers.appendTsvDouble(out, num.doubleValue());
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
                    out.append(b ? 'T' : 'F');
                    return;
                }
            }
            case ADDR, SUBNET -> {
                appendText(out, value, inContainer, false);
                return;
            }
            default -> {
                // STRING, ENUM
            }
        }
        appendText(out, value, inContainer, true);
    }

    private void appendText(LogBuffer out, Object value, boolean inContainer, boolean reserved) {
        byte[] b;
        int len;
        if (value instanceof byte[] raw) {
            b = raw;
            len = raw.length;
        } else {
            CharSequence s = value instanceof CharSequence cs ? cs : String.valueOf(value);
            if (plainAscii(s, inContainer, reserved)) {
                out.appendAscii(s);
                return;
            }
            scratch.clear().appendUtf8(s);
            b = scratch.array();
            len = scratch.length();
        }
        if (reserved) {
            if (len == 0) {
                out.append(EMPTY);
                return;
            }
            if (equals(b, len, UNSET) || equals(b, len, EMPTY)) {
                out.appendHexEscape(b[0]);
                appendEscaped(out, b, 1, len, inContainer);
                return;
            }
        }
        appendEscaped(out, b, 0, len, inContainer);
    }

    /** True when {@code s} needs no escaping and is not a reserved word. */
    private static boolean plainAscii(CharSequence s, boolean inContainer, boolean reserved) {
        int n = s.length();
        if (reserved && (n == 0 || (n == 1 && s.charAt(0) == '-') || (n == 7 && "(empty)".contentEquals(s)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '\\' || (inContainer && c == ',')) {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(byte[] b, int len, byte[] word) {
        if (len != word.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zeek's {@code ODesc::AddBytes} with escaping and UTF-8 enabled: escape sequences
     * (backslash, the tab separator, and in containers the comma) split the bytes into runs;
     * each run is escaped as a whole (see {@link ZeekEscapes}).
     */
    static void appendEscaped(LogBuffer out, byte[] b, int from, int to, boolean inContainer) {
        int runStart = from;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' || c == '\t' || (inContainer && c == ',')) {
                appendRun(out, b, runStart, i);
                if (c == '\\') {
                    out.append('\\').append('\\');
                } else {
                    out.appendHexEscape(c);
                }
                runStart = i + 1;
            }
        }
        appendRun(out, b, runStart, to);
    }

    private static void appendRun(LogBuffer out, byte[] b, int from, int to) {
        if (from >= to) {
            return;
        }
        if (ZeekEscapes.clean(b, from, to, ZeekEscapes.TSV)) {
            out.append(b, from, to - from);
            return;
        }
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (ZeekEscapes.plainAscii(c, ZeekEscapes.TSV)) {
                out.append(c);
            } else {
                out.appendHexEscape(c);
            }
        }
    }

    /** Zeek's {@code get_escaped_string(s, false)} for meta values: spaces and non-printables as hex. */
    private static void appendMetaEscaped(LogBuffer out, String s) {
        LogBuffer tmp = new LogBuffer(s.length() + 8).appendUtf8(s);
        byte[] b = tmp.array();
        for (int i = 0; i < tmp.length(); i++) {
            int c = b[i] & 0xff;
            if (c > 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.appendHexEscape(c);
            }
        }
    }
}
