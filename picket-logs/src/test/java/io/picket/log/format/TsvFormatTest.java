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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TsvFormatTest {
    private static final DateTimeFormatter META = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final TsvFormat format = new TsvFormat();
    private final LogBuffer out = new LogBuffer();

    @ParameterizedTest
    @ValueSource(strings = {"conn", "dns", "http", "weird", "x509", "files", "ssl", "ssh"})
    void shouldReproduceZeekTsvBytesWhenRecordsCarryZeekJsonDoubles(String log) {
        ZeekTestLogs.TsvLog t = tsv("zeek/" + log + ".tsv");
        List<byte[]> js = lines("zeek/" + log + ".json");
        assertThat(t.rows()).hasSameSizeAs(js).isNotEmpty();
        for (int i = 0; i < t.rows().size(); i++) {
            LogRecord r = record(t.schema(), t.rows().get(i), json(js.get(i)), false);
            out.clear();
            format.row(r, out);
            assertThat(out.toString()).isEqualTo(new String(t.rows().get(i), StandardCharsets.UTF_8) + "\n");
            assertThat(out.toByteArray()).isEqualTo(withNewline(t.rows().get(i)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conn", "dns", "http", "weird", "x509", "files", "ssl", "ssh",
        "analyzer", "kerberos", "ntp", "smb_mapping"})
    void shouldRoundTripZeekTsvWhenParsedFromItsOwnText(String log) {
        ZeekTestLogs.TsvLog t = tsv("zeek/" + log + ".tsv");
        for (byte[] row : t.rows()) {
            out.clear();
            format.row(record(t.schema(), row, null, false), out);
            assertThat(out.toByteArray()).isEqualTo(withNewline(row));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conn", "dns", "x509", "smb_mapping"})
    void shouldWriteZeekHeaderWhenFileOpens(String log) {
        ZeekTestLogs.TsvLog t = tsv("zeek/" + log + ".tsv");
        ZonedDateTime open = LocalDateTime.parse(t.open(), META).atZone(ZoneOffset.UTC);
        format.header(t.schema(), open, out);
        List<byte[]> expected = new ArrayList<>(t.meta());
        StringBuilder b = new StringBuilder();
        for (byte[] m : expected) {
            b.append(new String(m, StandardCharsets.UTF_8)).append('\n');
        }
        assertThat(out.toString()).isEqualTo(b.toString());
    }

    @Test
    void shouldWriteCloseLineWhenFooter() {
        format.footer(ZonedDateTime.of(2024, 1, 31, 12, 0, 5, 999_000_000, ZoneOffset.UTC), out);
        assertThat(out.toString()).isEqualTo("#close\t2024-01-31-12-00-05\n");
    }

    @Test
    void shouldEscapeSpacesInPathWhenHeader() {
        format.header(LogSchema.of("my log", LogField.of("a", ZeekType.COUNT)),
                ZonedDateTime.of(2024, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC), out);
        assertThat(out.toString()).contains("#path\tmy\\x20log\n").contains("#types\tcount\n");
    }

    // ---------------------------------------------------------------- strings

    @Test
    void shouldWriteEmptyFieldWhenStringIsEmpty() {
        assertThat(string("")).isEqualTo("(empty)");
        assertThat(string(new byte[0])).isEqualTo("(empty)");
    }

    @Test
    void shouldEscapeFirstByteWhenStringEqualsReservedWord() {
        assertThat(string("-")).isEqualTo("\\x2d");
        assertThat(string("(empty)")).isEqualTo("\\x28empty)");
        assertThat(string("--")).isEqualTo("--");
        assertThat(string("(empty")).isEqualTo("(empty");
    }

    @Test
    void shouldEscapeSeparatorAndBackslashWhenInString() {
        assertThat(string("a\tb")).isEqualTo("a\\x09b");
        assertThat(string("C:\\dir")).isEqualTo("C:\\\\dir");
        assertThat(string("a,b")).isEqualTo("a,b");
    }

    @Test
    void shouldEscapeControlsAndInvalidUtf8AsLowerCaseHex() {
        assertThat(string("line\nnext\r")).isEqualTo("line\\x0anext\\x0d");
        assertThat(string(bytes(0x00, 0x7f, 0x1b))).isEqualTo("\\x00\\x7f\\x1b");
        assertThat(string(bytes('a', 0xff, 'b', 0xc3))).isEqualTo("a\\xffb\\xc3");
    }

    @Test
    void shouldPassValidUtf8WhenRunIsClean() {
        assertThat(string("señor 🚀")).isEqualTo("señor 🚀");
        assertThat(string(bytes(0xe2, 0x82, 0xa1))).isEqualTo("₡");
    }

    @Test
    void shouldEscapeWholeRunWhenAnyByteNeedsEscaping() {
        // "ñ" (c3 b1) then NUL in the same run: Zeek escapes the valid character too
        assertThat(string(bytes(0xc3, 0xb1, 0x00))).isEqualTo("\\xc3\\xb1\\x00");
        // a backslash splits the runs: "ñ" stays, "\x00" is escaped on its own
        assertThat(string(bytes(0xc3, 0xb1, '\\', 0x00))).isEqualTo("ñ\\\\\\x00");
        // so does the tab separator
        assertThat(string(bytes(0xc3, 0xb1, '\t', 0x00))).isEqualTo("ñ\\x09\\x00");
    }

    @Test
    void shouldEscapeExcludedCodePointsWhenWellFormed() {
        // private use U+E2E0 (ee 8b a0), C1 control U+0080 (c2 80), special U+FFF9 (ef bf b9)
        assertThat(string(bytes(0xee, 0x8b, 0xa0))).isEqualTo("\\xee\\x8b\\xa0");
        assertThat(string(bytes(0xc2, 0x80))).isEqualTo("\\xc2\\x80");
        assertThat(string(bytes(0xef, 0xbf, 0xb9))).isEqualTo("\\xef\\xbf\\xb9");
        // overlong, surrogate, beyond U+10FFFF, truncated
        assertThat(string(bytes(0xc0, 0x81))).isEqualTo("\\xc0\\x81");
        assertThat(string(bytes(0xed, 0xa0, 0xa1))).isEqualTo("\\xed\\xa0\\xa1");
        assertThat(string(bytes(0xf4, 0x90, 0x8c, 0xbc))).isEqualTo("\\xf4\\x90\\x8c\\xbc");
        assertThat(string(bytes(0xf0, 0x9f, '!'))).isEqualTo("\\xf0\\x9f!");
    }

    @Test
    void shouldEscapeLoneSurrogateWhenJavaStringIsMalformed() {
        assertThat(string("a\uD800b")).isEqualTo("a\\xed\\xa0\\x80b");
    }

    @Test
    void shouldEscapeHashWhenRowStartsWithIt() {
        LogSchema s = LogSchema.of("t", LogField.of("a", ZeekType.STRING), LogField.of("b", ZeekType.STRING));
        format.row(new LogRecord(s).set(0, "#x").set(1, "#y"), out);
        assertThat(out.toString()).isEqualTo("\\x23x\t#y\n");
    }

    // ---------------------------------------------------------------- containers

    @Test
    void shouldEscapeCommaWhenInsideContainerElement() {
        assertThat(value(ZeekType.SET_STRING, List.of("a,b", "c"))).isEqualTo("a\\x2cb,c");
        assertThat(value(ZeekType.VECTOR_STRING, List.of("-", "", "(empty)"))).isEqualTo("\\x2d,(empty),\\x28empty)");
    }

    @Test
    void shouldWriteEmptyFieldWhenContainerIsEmpty() {
        assertThat(value(ZeekType.SET_STRING, List.of())).isEqualTo("(empty)");
        assertThat(value(ZeekType.VECTOR_COUNT, new Object[0])).isEqualTo("(empty)");
    }

    @Test
    void shouldWriteUnsetWhenContainerElementIsNull() {
        assertThat(value(ZeekType.VECTOR_INTERVAL, Arrays.asList(1.5, null, 0.0000004))).isEqualTo("1.500000,-,0.000000");
    }

    // ---------------------------------------------------------------- scalars

    @Test
    void shouldWriteScalarsAsZeekDoesWhenTyped() {
        assertThat(value(ZeekType.BOOL, true)).isEqualTo("T");
        assertThat(value(ZeekType.BOOL, false)).isEqualTo("F");
        assertThat(value(ZeekType.COUNT, -1L)).isEqualTo("18446744073709551615");
        assertThat(value(ZeekType.INT, -42L)).isEqualTo("-42");
        assertThat(value(ZeekType.PORT, 443)).isEqualTo("443");
        assertThat(value(ZeekType.TIME, 1300475167.0965352)).isEqualTo("1300475167.096535");
        assertThat(value(ZeekType.INTERVAL, 0.000435)).isEqualTo("0.000435");
        assertThat(value(ZeekType.INTERVAL, -2.5)).isEqualTo("-2.500000");
        assertThat(value(ZeekType.DOUBLE, 2.0)).isEqualTo("2.0");
        assertThat(value(ZeekType.DOUBLE, 0.25)).isEqualTo("0.25");
        assertThat(value(ZeekType.ADDR, "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(value(ZeekType.SUBNET, "10.0.0.0/8")).isEqualTo("10.0.0.0/8");
        assertThat(value(ZeekType.ENUM, "Notice::ACTION_LOG")).isEqualTo("Notice::ACTION_LOG");
        assertThat(value(ZeekType.STRING, null)).isEqualTo("-");
    }

    @Test
    void shouldWriteTextWhenValueHasUnexpectedType() {
        assertThat(value(ZeekType.COUNT, "7")).isEqualTo("7");
        assertThat(value(ZeekType.BOOL, "maybe")).isEqualTo("maybe");
    }

    @Property
    void shouldRoundTripThroughUnescapeWhenAnyBytes(@ForAll byte[] raw) {
        String s = string(raw);
        byte[] back = s.equals("(empty)") ? new byte[0] : ZeekTestLogs.unescape(s.getBytes(StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(raw);
        assertThat(s).doesNotContain("\t").doesNotContain("\n");
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

    private static byte[] withNewline(byte[] row) {
        byte[] r = Arrays.copyOf(row, row.length + 1);
        r[row.length] = '\n';
        return r;
    }
}
