package io.picket.log.format;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helpers over real Zeek 8.2.2 log rows copied into test resources: a TSV reader (with
 * Zeek's unescaping), a small JSON reader, and builders of {@link LogRecord}s from a row.
 */
final class ZeekTestLogs {
    private ZeekTestLogs() {
    }

    static byte[] resource(String name) {
        try (InputStream in = ZeekTestLogs.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of a resource as raw bytes, without the newline. */
    static List<byte[]> lines(String name) {
        byte[] all = resource(name);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            out.add(Arrays.copyOfRange(all, start, all.length));
        }
        return out;
    }

    /** A TSV log resource: meta lines, schema, rows. */
    record TsvLog(List<byte[]> meta, LogSchema schema, List<byte[]> rows) {
        String open() {
            for (byte[] m : meta) {
                String s = new String(m, StandardCharsets.US_ASCII);
                if (s.startsWith("#open\t")) {
                    return s.substring(6);
                }
            }
            throw new IllegalStateException("no #open");
        }
    }

    static TsvLog tsv(String name) {
        List<byte[]> meta = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        String path = null;
        String[] fields = null;
        String[] types = null;
        for (byte[] line : lines(name)) {
            if (line.length > 0 && line[0] == '#') {
                meta.add(line);
                String s = new String(line, StandardCharsets.UTF_8);
                if (s.startsWith("#path\t")) {
                    path = s.substring(6);
                } else if (s.startsWith("#fields\t")) {
                    fields = s.substring(8).split("\t");
                } else if (s.startsWith("#types\t")) {
                    types = s.substring(7).split("\t");
                }
            } else {
                rows.add(line);
            }
        }
        List<LogField> cols = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            cols.add(LogField.of(fields[i], type(types[i])));
        }
        return new TsvLog(meta, new LogSchema(path, cols), rows);
    }

    static ZeekType type(String zeekName) {
        for (ZeekType t : ZeekType.values()) {
            if (t.zeekName().equals(zeekName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type " + zeekName);
    }

    /** Splits a byte row at tabs. */
    static List<byte[]> columns(byte[] row, byte sep) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= row.length; i++) {
            if (i == row.length || row[i] == sep) {
                out.add(Arrays.copyOfRange(row, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Reverses Zeek's TSV escaping: {@code \\} and {@code \xhh}. */
    static byte[] unescape(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '\\' && i + 1 < s.length && s[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else if (s[i] == '\\' && i + 3 < s.length && s[i + 1] == 'x') {
                out.write(Integer.parseInt(new String(s, i + 2, 2, StandardCharsets.US_ASCII), 16));
                i += 3;
            } else {
                out.write(s[i]);
            }
        }
        return out.toByteArray();
    }

    static boolean is(byte[] b, String s) {
        return Arrays.equals(b, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Strings as String when printable ASCII, else the raw bytes (both paths get exercised). */
    static Object text(byte[] raw) {
        for (byte c : raw) {
            if (c < 0x20 || c >= 0x7f) {
                return raw;
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /**
     * Builds a record from a TSV row; when {@code json} is given, doubles come from it (Zeek's
     * JSON keeps full precision), and with {@code jsonStrings} also strings that JSON carries
     * unambiguously (no backslash), so run-specific ids match the JSON line.
     */
    static LogRecord record(LogSchema schema, byte[] row, Map<String, Object> json, boolean jsonStrings) {
        List<byte[]> cols = columns(row, (byte) '\t');
        LogRecord r = new LogRecord(schema);
        for (int i = 0; i < schema.size(); i++) {
            LogField f = schema.field(i);
            byte[] text = cols.get(i);
            Object j = json == null ? null : json.get(f.name());
            if (is(text, "-")) {
                continue;
            }
            if (f.type().isContainer()) {
                List<Object> elems = new ArrayList<>();
                if (!is(text, "(empty)")) {
                    List<byte[]> parts = columns(text, (byte) ',');
                    @SuppressWarnings("unchecked")
                    List<Object> jl = j instanceof List<?> l ? (List<Object>) l : null;
                    for (int k = 0; k < parts.size(); k++) {
                        Object je = jl == null ? null : jl.get(k);
                        elems.add(scalar(f.type().elementType(), parts.get(k), je, jsonStrings));
                    }
                }
                r.set(i, elems);
            } else {
                r.set(i, scalar(f.type(), text, j, jsonStrings));
            }
        }
        return r;
    }

    private static Object scalar(ZeekType type, byte[] text, Object json, boolean jsonStrings) {
        String s = new String(text, StandardCharsets.UTF_8);
        return switch (type) {
            case TIME, INTERVAL, DOUBLE -> Double.parseDouble(json instanceof JsonNumber n ? n.text() : s);
            case COUNT -> Long.parseUnsignedLong(s);
            case INT, PORT -> Long.parseLong(s);
            case BOOL -> s.equals("T");
            case ADDR, SUBNET -> s;
            default -> {
                if (jsonStrings && json instanceof String js && js.indexOf('\\') < 0) {
                    yield js;
                }
                yield is(text, "(empty)") ? "" : text(unescape(text));
            }
        };
    }

    /** A JSON number kept as its text. */
    record JsonNumber(String text) {
    }

    /** Parses one JSON object line; numbers stay text, strings are decoded. */
    static Map<String, Object> json(byte[] line) {
        return new JsonReader(new String(line, StandardCharsets.UTF_8)).object();
    }

    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                String k = string();
                expect(':');
                m.put(k, value());
                char c = s.charAt(i++);
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("bad json at " + i + ": " + s);
                }
            }
        }

        Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                if (peek() == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    char d = s.charAt(i++);
                    if (d == ']') {
                        return l;
                    }
                }
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return new JsonNumber(s.substring(start, i));
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private char peek() {
            return s.charAt(i);
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + ": " + s);
            }
        }
    }
}
