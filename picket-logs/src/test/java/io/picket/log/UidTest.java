package io.picket.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class UidTest {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Test
    void shouldPrintLeastSignificantDigitFirstWhenFormatting() {
        // word0 = 1 << 32 (keeps 1 after >> 32), word1 = 62 = "10" in base 62, printed reversed
        assertThat(Uid.format('C', 1L << 32, 62)).isEqualTo("C101");
        assertThat(Uid.format('C', 0, 0)).isEqualTo("C00");
        assertThat(Uid.format('F', 61L << 32, 61)).isEqualTo("FZZ");
        // 62^2 + 2*62 + 3 -> digits 3,2,1 least significant first
        assertThat(Uid.format('C', -1L, 62 * 62 + 2 * 62 + 3)).isEqualTo("C" + reference(0xffffffffL) + "321");
    }

    @Test
    void shouldDropLow32BitsOfFirstWordWhenFormatting() {
        assertThat(Uid.format('C', 0xffffffffL, 5)).isEqualTo("C05");
    }

    @Property
    void shouldMatchUnsignedBase62WhenAnyWords(@ForAll long w0, @ForAll long w1) {
        String uid = Uid.format('C', w0, w1);
        assertThat(uid).isEqualTo("C" + reference(w0 >>> 32) + reference(w1));
        assertThat(uid.length()).isBetween(3, 18);
        assertThat(uid.substring(1).chars().allMatch(c -> DIGITS.indexOf(c) >= 0)).isTrue();
    }

    @Test
    void shouldRepeatSequenceWhenSameSeed() {
        Uid.Generator a = Uid.generator(42);
        Uid.Generator b = Uid.generator(42);
        List<String> sa = IntStream.range(0, 100).mapToObj(i -> a.connection()).toList();
        List<String> sb = IntStream.range(0, 100).mapToObj(i -> b.connection()).toList();
        assertThat(sa).isEqualTo(sb);
        assertThat(Uid.generator(43).connection()).isNotEqualTo(sa.get(0));
    }

    @Test
    void shouldGiveTheSameIdsWhenReservedAndFormattedLater() {
        Uid.Generator a = Uid.generator(7);
        Uid.Generator b = Uid.generator(7);
        long z = 7;
        for (int i = 0; i < 1000; i++) {
            // reference: SplitMix64, two words per id
            long w0 = splitMix(z += 0x9E3779B97F4A7C15L);
            long w1 = splitMix(z += 0x9E3779B97F4A7C15L);
            String expected = Uid.format('C', w0, w1);
            assertThat(a.connection()).isEqualTo(expected);
            assertThat(Uid.fromState('C', b.reserve())).isEqualTo(expected);
        }
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void shouldLookLikeZeekIdsWhenGenerated() {
        Uid.Generator g = Uid.generator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String c = g.connection();
            assertThat(c).matches("C[0-9a-zA-Z]{2,17}");
            seen.add(c);
        }
        assertThat(seen).hasSize(10_000);
        assertThat(g.file()).startsWith("F");
        assertThat(g.next('X')).startsWith("X");
    }

    private static String reference(long unsignedValue) {
        BigInteger v = new BigInteger(Long.toUnsignedString(unsignedValue));
        BigInteger base = BigInteger.valueOf(62);
        StringBuilder b = new StringBuilder();
        do {
            BigInteger[] qr = v.divideAndRemainder(base);
            b.append(DIGITS.charAt(qr[1].intValue()));
            v = qr[0];
        } while (v.signum() != 0);
        return b.toString();
    }
}
