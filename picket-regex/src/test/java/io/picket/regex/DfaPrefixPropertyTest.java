package io.picket.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Dfa#matchesPrefix} answers as {@code java.util.regex} {@code lookingAt} does, also where
 * it does not walk the automaton byte by byte: counted wildcards ({@code .{369}}, {@code ....})
 * it jumps over, chains of every length around the jump threshold, and {@code .*} loops left
 * only by one or two bytes it searches for ({@code (.*)a}, {@code (.*)[ax]}, {@code (.*)(ab|yx)}),
 * before, between and after literals and classes, on inputs that end inside, at and past them.
 */
class DfaPrefixPropertyTest {

    private record Case(String pattern, String input) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 12).map(n -> "(.{" + n + "})")),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 6).map(n -> ".".repeat(n))),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().withChars("abxy").ofMinLength(1).ofMaxLength(3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("[ab]", "[^a]", "b*", "(ab)?", "(.*)", "x+", "(.*)[ax]", "(.*)(ab|yx)")));
        Arbitrary<String> pattern = piece.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
        Arbitrary<String> input = Arbitraries.strings().withChars("abxy\n\u0000\u00ff").ofMaxLength(40);
        return Combinators.combine(Arbitraries.of("", "^"), pattern, input).as((a, p, i) -> new Case(a + p, i));
    }

    @Property(tries = 2000)
    void shouldMatchAPrefixExactlyAsJavaRegexDoesWhenPatternsHaveCountedWildcards(@ForAll("cases") Case c)
            throws Exception {
        Dfa dfa;
        try {
            dfa = DfaBuilder.build(ZeekRegexParser.parse(c.pattern(), false, true), 10_000);
        } catch (DfaBuilder.TooLargeException e) {
            net.jqwik.api.Assume.that(false); // a .* before long counted wildcards: too many states
            return;
        }
        byte[] b = c.input().getBytes(StandardCharsets.ISO_8859_1);
        boolean expected = Pattern.compile(c.pattern().startsWith("^") ? c.pattern() : "^" + c.pattern(),
                Pattern.DOTALL).matcher(c.input()).lookingAt();
        assertThat(dfa.matchesPrefix(b, b.length)).as(c.toString()).isEqualTo(expected);
    }
}
