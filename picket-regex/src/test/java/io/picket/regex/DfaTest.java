package io.picket.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DfaTest {

    private static Dfa dfa(String pattern, boolean dotMatchesNewline) throws Exception {
        return DfaBuilder.build(ZeekRegexParser.parse(pattern, false, dotMatchesNewline), 1000);
    }

    private static boolean prefix(Dfa dfa, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return dfa.matchesPrefix(b, b.length);
    }

    @Test
    void shouldAcceptAnyMatchingPrefixWhenMatchingAtTheStart() throws Exception {
        Dfa d = dfa("^GIF8[79]a", false);
        assertThat(prefix(d, "GIF89a and more")).isTrue();
        assertThat(prefix(d, "GIF8")).isFalse();
        assertThat(prefix(d, " GIF89a")).isFalse();
    }

    @Test
    void shouldMatchPatternsWithoutCaretAtOffsetZeroOnlyWhenMatchingAtTheStart() throws Exception {
        Dfa d = dfa("MZ", false);
        assertThat(prefix(d, "MZ\u0090")).isTrue();
        assertThat(prefix(d, "xMZ")).isFalse();
    }

    @Test
    void shouldMatchNewlineWithDotOnlyWhenAsked() throws Exception {
        assertThat(prefix(dfa("a.b", false), "a\nb")).isFalse();
        assertThat(prefix(dfa("a.b", true), "a\nb")).isTrue();
        assertThat(prefix(dfa("a.b", true), "axb")).isTrue();
    }

    @Test
    void shouldAcceptEverythingWhenThePatternMatchesTheEmptyString() throws Exception {
        assertThat(prefix(dfa("x*", false), "")).isTrue();
        assertThat(prefix(dfa("x*", false), "yyy")).isTrue();
    }

    @Test
    void shouldNeverMatchEndOfDataWhenMatchingAPrefix() throws Exception {
        assertThat(prefix(dfa("abc$", false), "abc")).isFalse();
    }

    @Test
    void shouldStopWhenOnlyABeginningOfDataCouldStillMatchWhenMatchingAPrefix() throws Exception {
        Dfa d = dfa("(.{2})(45)(.*)(^x)", true);
        assertThat(prefix(d, "ab45" + "x".repeat(100))).isFalse();
        assertThat(prefix(dfa("(.*)(P1)", true), "abcP1")).isTrue();
    }
}
