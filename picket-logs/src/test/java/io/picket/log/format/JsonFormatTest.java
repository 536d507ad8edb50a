package io.picket.log.format;

import static io.picket.log.format.ZeekTestLogs.json;
import static io.picket.log.format.ZeekTestLogs.lines;
import static io.picket.log.format.ZeekTestLogs.record;
import static io.picket.log.format.ZeekTestLogs.tsv;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFormatTest {
    private static final LogSchema ONE_STRING = LogSchema.of("t", LogField.of("s", ZeekType.STRING));

    private final JsonFormat format = new JsonFormat();
    private final LogBuffer out = new LogBuffer();

    @ParameterizedTest
    @ValueSource(strings = {"conn", "dns", "http", "weird", "x509", "files", "ssl", "ssh"})
    void shouldReproduceZeekJsonBytesWhenRecordsBuiltFromZeekRows(String log) {
        ZeekTestLogs.TsvLog t = tsv("zeek/" + log + ".tsv");
        List<byte[]> js = lines("zeek/" + log + ".json");
        for (int i = 0; i < js.size(); i++) {
            LogRecord r = record(t.schema(), t.rows().get(i), json(js.get(i)), true);
            out.clear();
            format.row(r, out);
            assertThat(out.toString()).isEqualTo(new String(js.get(i), StandardCharsets.UTF_8) + "\n");
        }
    }

    @Test
    void shouldWriteIso8601WhenConfigured() {
        // conn.log row of the json-iso8601 run: "ts":"2024-01-01T00:00:00.061052Z"
        LogSchema s = LogSchema.of("conn", LogField.of("ts", ZeekType.TIME));
        new JsonFormat(JsonFormat.Timestamps.ISO8601).row(new LogRecord(s).set(0, 1704067200.061052), out);
        assertThat(out.toString()).isEqualTo("{\"ts\":\"2024-01-01T00:00:00.061052Z\"}\n");
    }

    @Test
    void shouldMatchZeekIsoFormattingWhenReferenceValues() {
        // reference: Zeek's gmtime/modf/"%06.0f" code compiled in C, see resources/numbers/gen-reference.cpp
        JsonFormat iso = new JsonFormat(JsonFormat.Timestamps.ISO8601);
        for (byte[] line : lines("numbers/iso8601.tsv")) {
            String[] kv = new String(line, StandardCharsets.US_ASCII).split("\t");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(kv[0], 16));
            LogBuffer b = new LogBuffer();
            iso.appendValue(b, ZeekType.TIME, d);
            assertThat(b.toString()).as(kv[0]).isEqualTo("\"" + kv[1] + "\"");
        }
    }

    @Test
    void shouldWriteMillisWhenConfigured() {
        LogBuffer b = new LogBuffer();
        new JsonFormat(JsonFormat.Timestamps.MILLIS).appendValue(b, ZeekType.TIME, 1704067200.061052);
        assertThat(b.toString()).isEqualTo("1704067200061");
    }

    @Test
    void shouldOmitUnsetFieldsUnlessIncluded() {
        LogSchema s = LogSchema.of("t", LogField.of("a", ZeekType.COUNT), LogField.of("b", ZeekType.STRING),
                LogField.of("c", ZeekType.BOOL));
        LogRecord r = new LogRecord(s).set(0, 1L).set(2, true);
        format.row(r, out);
        assertThat(out.toString()).isEqualTo("{\"a\":1,\"c\":true}\n");
        out.clear();
        new JsonFormat(JsonFormat.Timestamps.EPOCH, true).row(r, out);
        assertThat(out.toString()).isEqualTo("{\"a\":1,\"b\":null,\"c\":true}\n");
    }

    @Test
    void shouldWriteEmptyObjectWhenEverythingUnset() {
        format.row(new LogRecord(ONE_STRING), out);
        assertThat(out.toString()).isEqualTo("{}\n");
    }

    @Test
    void shouldWriteArraysWhenContainers() {
        assertThat(value(ZeekType.SET_STRING, List.of())).isEqualTo("[]");
        assertThat(value(ZeekType.VECTOR_STRING, List.of("a", "-", ""))).isEqualTo("[\"a\",\"-\",\"\"]");
        assertThat(value(ZeekType.VECTOR_INTERVAL, Arrays.asList(1.0, null, 0.25))).isEqualTo("[1.0,null,0.25]");
        assertThat(value(ZeekType.VECTOR_ADDR, List.of("10.0.0.1", "::1"))).isEqualTo("[\"10.0.0.1\",\"::1\"]");
        assertThat(value(ZeekType.SET_COUNT, new Object[] {1L, -1L})).isEqualTo("[1,18446744073709551615]");
    }

    @Test
    void shouldWriteScalarsAsZeekDoesWhenTyped() {
        assertThat(value(ZeekType.BOOL, false)).isEqualTo("false");
        assertThat(value(ZeekType.PORT, 53)).isEqualTo("53");
        assertThat(value(ZeekType.INT, -3L)).isEqualTo("-3");
        assertThat(value(ZeekType.INTERVAL, 0.06685185432434082)).isEqualTo("0.06685185432434082");
        assertThat(value(ZeekType.DOUBLE, Double.NaN)).isEqualTo("null");
        assertThat(value(ZeekType.TIME, 1591367999.430166)).isEqualTo("1591367999.430166");
        assertThat(value(ZeekType.TIME, 1591367999.0)).isEqualTo("1591367999.0");
        assertThat(value(ZeekType.ENUM, "tcp")).isEqualTo("\"tcp\"");
    }

    // Expected strings from Zeek's btest baseline
    // scripts.base.frameworks.logging.ascii-json-utf8/ssh.log.hex (default escape policy).

    @Test
    void shouldKeepPrintableControlsAsJsonEscapesWhenStringHasThem() {
        assertThat(string(bytes('\b', '\f', '\n', '\r', '\t', 0x00, 0x15))).isEqualTo("\"\\b\\f\\n\\r\\t\\\\x00\\\\x15\"");
        assertThat(string(bytes(0x07, 0x08))).isEqualTo("\"\\\\x07\\b\"");
        assertThat(string(bytes(0x0b, '\\', 'v', 0x0b))).isEqualTo("\"\\\\x0b\\\\v\\\\x0b\"");
    }

    @Test
    void shouldPassValidUtf8WhenStringIsClean() {
        assertThat(string(bytes(0xc3, 0xb1))).isEqualTo("\"ñ\"");
        assertThat(string(bytes(0xf0, 0x90, 0x8c, 0xbc))).isEqualTo("\"𐌼\"");
        assertThat(string("a rocket 🚀!")).isEqualTo("\"a rocket 🚀!\"");
    }

    @Test
    void shouldHexEscapeInvalidUtf8AsZeekDoes() {
        assertThat(string(bytes(0xc3, '('))).isEqualTo("\"\\\\xc3(\"");
        assertThat(string(bytes(0xe2, '(', 0xa1))).isEqualTo("\"\\\\xe2(\\\\xa1\"");
        assertThat(string(bytes(0xf0, 0x90, '(', 0xbc))).isEqualTo("\"\\\\xf0\\\\x90(\\\\xbc\"");
        assertThat(string(bytes(0xf0))).isEqualTo("\"\\\\xf0\"");
        assertThat(string(bytes(0xff))).isEqualTo("\"\\\\xff\"");
    }

    @Test
    void shouldEscapeValidCharactersTooWhenStringHasAnInvalidByte() {
        // "a rocket 🚀!\0 NUL\0" and a half rocket before a whole one
        byte[] rocketNul = "a rocket 🚀!\u0000 NUL\u0000".getBytes(StandardCharsets.UTF_8);
        assertThat(string(rocketNul)).isEqualTo("\"a rocket \\\\xf0\\\\x9f\\\\x9a\\\\x80!\\\\x00 NUL\\\\x00\"");
        byte[] half = concat("half-a-rocket rocket ".getBytes(StandardCharsets.UTF_8), bytes(0xf0, 0x9f),
                " and a rocket🚀!".getBytes(StandardCharsets.UTF_8));
        assertThat(string(half)).isEqualTo(
                "\"half-a-rocket rocket \\\\xf0\\\\x9f and a rocket\\\\xf0\\\\x9f\\\\x9a\\\\x80!\"");
    }

    @Test
    void shouldEscapeQuoteAndBackslashWhenJson() {
        assertThat(string("say \"hi\" \\o/")).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
        assertThat(string("\\\\x\\abc\\x.exe")).isEqualTo("\"\\\\\\\\x\\\\abc\\\\x.exe\"");
    }

    @Test
    void shouldEscapeKeyWhenNameHasQuote() {
        LogSchema s = LogSchema.of("t", LogField.of("a\"b", ZeekType.COUNT));
        format.row(new LogRecord(s).set(0, 1L), out);
        assertThat(out.toString()).isEqualTo("{\"a\\\"b\":1}\n");
    }

    @Test
    void shouldWriteNoMetaLinesWhenHeaderOrFooter() {
        format.header(ONE_STRING, ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), out);
        format.footer(ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), out);
        assertThat(out.length()).isZero();
    }

    private String string(Object v) {
        return value(ZeekType.STRING, v);
    }

    private String value(ZeekType type, Object v) {
        LogBuffer b = new LogBuffer();
        format.appendValue(b, type, v);
        return b.toString();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
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
}
