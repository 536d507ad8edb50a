package io.picket.log.format;

import static io.picket.log.format.ZeekTestLogs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class ZeekNumbersTest {
    private final ZeekNumbers numbers = new ZeekNumbers();

    @Test
    void shouldMatchRapidJsonWhenReferenceDoubles() {
        // reference: RapidJSON Writer::Double (Grisu2, as bundled with Zeek), resources/numbers/gen-reference.cpp
        int n = 0;
        for (byte[] line : lines("numbers/rapidjson-double.tsv")) {
            String[] kv = new String(line, StandardCharsets.US_ASCII).split("\t");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(kv[0], 16));
            assertThat(json(d)).as(kv[0]).isEqualTo(kv[1]);
            n++;
        }
        assertThat(n).isGreaterThan(2000);
    }

    @Test
    void shouldMatchPrintfWhenReferenceFixed6() {
        // reference: glibc "%.6f" (exact value, half-even), which std::to_chars(fixed, 6) equals
        for (byte[] line : lines("numbers/fixed6.tsv")) {
            String[] kv = new String(line, StandardCharsets.US_ASCII).split("\t");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(kv[0], 16));
            assertThat(fixed6(d)).as(kv[0]).isEqualTo(kv[1]);
        }
    }

    @Test
    void shouldPrintZeekJsonNumbersSeenInRealLogs() {
        assertThat(json(0.050691843032836914)).isEqualTo("0.050691843032836914");
        assertThat(json(1704067231.6079881)).isEqualTo("1704067231.6079881");
        assertThat(json(0.5351638793945313)).isEqualTo("0.5351638793945313");
        assertThat(json(0.000017881393432617188)).isEqualTo("0.000017881393432617188");
        assertThat(json(1021953600.0)).isEqualTo("1021953600.0");
        assertThat(json(1704067200.04)).isEqualTo("1704067200.04");
    }

    @Test
    void shouldUseRapidJsonLayoutWhenExtremeMagnitudes() {
        assertThat(json(0.0)).isEqualTo("0.0");
        assertThat(json(-0.0)).isEqualTo("-0.0");
        assertThat(json(1e-6)).isEqualTo("0.000001");
        assertThat(json(1e-7)).isEqualTo("1e-7");
        assertThat(json(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(json(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(json(1e21)).isEqualTo("1e21");
        assertThat(json(1.5e300)).isEqualTo("1.5e300");
        assertThat(json(-2.5)).isEqualTo("-2.5");
        assertThat(json(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(json(Double.POSITIVE_INFINITY)).isEqualTo("null");
        assertThat(json(Double.NaN)).isEqualTo("null");
    }

    @Test
    void shouldRoundExactBinaryValueWhenFixed6() {
        assertThat(fixed6(0.0390625)).isEqualTo("0.039062"); // exact tie, half-even
        assertThat(fixed6(0.0390635)).isEqualTo("0.039064"); // binary value slightly above the tie
        assertThat(fixed6(0.0000005)).isEqualTo("0.000000"); // binary value slightly below
        assertThat(fixed6(1.0000005)).isEqualTo("1.000001");
        assertThat(fixed6(1704067199.9999996)).isEqualTo("1704067200.000000");
        assertThat(fixed6(-0.0)).isEqualTo("-0.000000");
        assertThat(fixed6(-1e-9)).isEqualTo("-0.000000");
        assertThat(fixed6(1e300)).startsWith("1000000000000000052504760255204420248704468581108159154915854115111802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115467196834763571062500.000000".substring(0, 20));
        assertThat(fixed6(Double.NaN)).isEqualTo("nan");
        assertThat(fixed6(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void shouldStripZerosAndMarkIntegersWhenTsvDouble() {
        assertThat(tsvDouble(1.0)).isEqualTo("1.0");
        assertThat(tsvDouble(100.0)).isEqualTo("100.0");
        assertThat(tsvDouble(0.5)).isEqualTo("0.5");
        assertThat(tsvDouble(1.23456789)).isEqualTo("1.234568");
        assertThat(tsvDouble(-1.5)).isEqualTo("-1.5");
        assertThat(tsvDouble(0.0)).isEqualTo("0.0");
        assertThat(tsvDouble(-0.0)).isEqualTo("0.0");
        assertThat(tsvDouble(2.0000000001)).isEqualTo("2.0"); // within 1e-9 of an integer
        assertThat(tsvDouble(2.0000004)).isEqualTo("2"); // rounds to 2 but is not within 1e-9
        assertThat(tsvDouble(1e-7)).isEqualTo("0");
        assertThat(tsvDouble(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(tsvDouble(Double.NaN)).isEqualTo("nan");
        assertThat(tsvDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Property
    void shouldRoundTripWhenJsonDouble(@ForAll double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return;
        }
        String s = json(d);
        assertThat(Double.parseDouble(s)).isEqualTo(d);
        String digits = s.replaceFirst("e.*", "").replace("-", "").replace(".", "").replaceFirst("^0+", "");
        assertThat(digits.replaceFirst("0+$", "").length()).isLessThanOrEqualTo(17);
    }

    @Property
    void shouldEqualBigDecimalWhenFixed6(@ForAll @DoubleRange(min = -1e13, max = 1e13) double d) {
        String expected = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if (Double.doubleToRawLongBits(d) < 0 && !expected.startsWith("-")) {
            expected = "-" + expected;
        }
        assertThat(fixed6(d)).isEqualTo(expected);
    }

    private String json(double d) {
        LogBuffer b = new LogBuffer();
        numbers.appendJsonDouble(b, d);
        return b.toString();
    }

    private static String fixed6(double d) {
        LogBuffer b = new LogBuffer();
        ZeekNumbers.appendFixed6(b, d);
        return b.toString();
    }

    private static String tsvDouble(double d) {
        LogBuffer b = new LogBuffer();
        ZeekNumbers.appendTsvDouble(b, d);
        return b.toString();
    }
}
