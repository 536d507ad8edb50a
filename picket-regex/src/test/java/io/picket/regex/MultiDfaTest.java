package io.picket.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The combined automaton against each pattern's own {@link Dfa}: every (pattern, position) accept
 * must be the same, over random pattern sets, inputs, chunkings, budgets (down to none, so the
 * NFA simulation runs) and threads.
 */
class MultiDfaTest {
    private static final String[] PATTERNS = {".*ab", "^ab", "a*b", ".*(a|bc)+c", ".*abc$", "b.*c", ".*a.*b.*c",
        "(ab)+", ".*cc", ".*", "c", ".*b{2}", "[ab]+c", ".*(a|aa)*b", ".*ca", "^a$", ".*(.*a){2}c", "ba", ".*bb?c",
        ".*a[^a]a", "", "$", "^", ".*(a+)+cc", "(^|b)a", ".*[^c]{3}$"};

    /** One accept: pattern index and position. */
    private record Hit(int pattern, long pos) implements Comparable<Hit> {
        @Override
        public int compareTo(Hit o) {
            return pattern != o.pattern ? Integer.compare(pattern, o.pattern) : Long.compare(pos, o.pos);
        }
    }

    /** Collects hits; spills on demand. */
    private static final class Collect implements MultiDfa.Sink {
        final TreeSet<Hit> hits = new TreeSet<>();
        final MultiDfa dfa;
        MultiDfa.Spill spill;

        Collect(MultiDfa dfa) {
            this.dfa = dfa;
        }

        @Override
        public void accept(int[] patterns, int count, long position) {
            for (int k = 0; k < count; k++) {
                hits.add(new Hit(patterns[k], position));
            }
        }

        @Override
        public MultiDfa.Spill spill() {
            if (spill == null) {
                spill = dfa.newSpill();
            }
            return spill;
        }
    }

    private static List<RegexNode> parse(List<String> patterns) throws Exception {
        List<RegexNode> out = new ArrayList<>();
        for (String p : patterns) {
            out.add(ZeekRegexParser.parse(p, false));
        }
        return out;
    }

    /** The oracle: each pattern's DFA over BOL, the bytes, EOL, as the signature matcher stepped them. */
    private static TreeSet<Hit> expected(List<String> patterns, byte[] input) throws Exception {
        TreeSet<Hit> hits = new TreeSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            Dfa d = DfaBuilder.build(ZeekRegexParser.parse(patterns.get(i), false), 100_000);
            int s = 0;
            if (d.accepting(s)) {
                hits.add(new Hit(i, 0));
            }
            long pos = 0;
            s = d.step(s, RegexNode.BOL);
            if (s != Dfa.DEAD && d.accepting(s)) {
                hits.add(new Hit(i, pos));
            }
            pos++;
            for (int k = 0; k < input.length && s != Dfa.DEAD; k++) {
                s = d.step(s, input[k] & 0xFF);
                if (s != Dfa.DEAD && d.accepting(s)) {
                    hits.add(new Hit(i, pos));
                }
                pos++;
            }
            if (s != Dfa.DEAD) {
                s = d.step(s, RegexNode.EOL);
                if (s != Dfa.DEAD && d.accepting(s)) {
                    hits.add(new Hit(i, pos));
                }
            }
        }
        return hits;
    }

    /** The combined automaton over the same symbols, the bytes cut into chunks at {@code cuts}. */
    private static TreeSet<Hit> actual(MultiDfa dfa, byte[] input, int[] cuts) {
        Collect c = new Collect(dfa);
        int s = MultiDfa.START;
        c.accept(dfa.accepts(s), dfa.accepts(s).length, 0);
        long pos = 0;
        int from = 0;
        boolean first = true;
        for (int k = 0; k <= cuts.length; k++) {
            int to = k < cuts.length ? Math.min(input.length, Math.max(from, cuts[k])) : input.length;
            boolean last = k == cuts.length;
            s = dfa.feed(s, input, from, to, first, last, pos, c);
            pos += (first ? 1 : 0) + (to - from);
            first = false;
            from = to;
        }
        return c.hits;
    }

    @Provide
    Arbitrary<List<String>> patternSets() {
        return Arbitraries.of(PATTERNS).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.integers().between(0, 3).map(x -> (byte) "abcx".charAt(x)).array(byte[].class)
                .ofMaxSize(24);
    }

    @Property(tries = 300)
    void shouldAcceptAsEachPatternAloneWhenPatternsAreCombined(@ForAll("patternSets") List<String> patterns,
            @ForAll("inputs") byte[] input, @ForAll @IntRange(min = 0, max = 30) int cut,
            @ForAll @IntRange(min = 0, max = 40) int budgetStates) throws Exception {
        // a budget of 0..40 states (often spent: the NFA simulation takes over), or none at all
        long max = budgetStates == 40 ? Long.MAX_VALUE : budgetStates;
        MultiDfa dfa = MultiDfa.of(parse(patterns), new MultiDfa.Budget(max, Long.MAX_VALUE));
        assertThat(actual(dfa, input, new int[] {cut, cut + 3})).isEqualTo(expected(patterns, input));
        // again over the states built by the first pass
        assertThat(actual(dfa, input, new int[] {cut / 2})).isEqualTo(expected(patterns, input));
    }

    @Test
    void shouldReportEveryPatternOfAStateWhenSeveralAcceptAtOnce() throws Exception {
        MultiDfa dfa = MultiDfa.of(parse(List.of(".*ab", ".*b", "x")), new MultiDfa.Budget(100, 1 << 20));
        Collect c = new Collect(dfa);
        byte[] in = "zab".getBytes(StandardCharsets.ISO_8859_1);
        int s = dfa.feed(MultiDfa.START, in, 0, in.length, true, false, 0, c);
        assertThat(s).isNotNegative();
        assertThat(c.hits).containsExactly(new Hit(0, 3), new Hit(1, 3));
        MultiDfa anchored = MultiDfa.of(parse(List.of("x", "ab")), new MultiDfa.Budget(100, 1 << 20));
        assertThat(anchored.feed(MultiDfa.START, "y".getBytes(StandardCharsets.ISO_8859_1), 0, 1, true, false, 0,
                new Collect(anchored))).isEqualTo(MultiDfa.DEAD);
    }

    @Test
    void shouldContinueInTheSpillAndCountWhenTheBudgetIsSpent() throws Exception {
        List<String> patterns = List.of(".*a.{6}b", ".*(a|aa)*c");
        MultiDfa.Budget budget = new MultiDfa.Budget(8, Long.MAX_VALUE);
        MultiDfa dfa = MultiDfa.of(parse(patterns), budget);
        byte[] in = "aabaaacbbbbbbabcxaaaaaaab".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(actual(dfa, in, new int[] {5, 11})).isEqualTo(expected(patterns, in));
        assertThat(dfa.states()).isLessThanOrEqualTo(8);
        assertThat(budget.refusals()).isPositive();
        assertThat(budget.spills()).isPositive();
    }

    @Test
    void shouldAgreeAcrossThreadsWhenStatesAreBuiltConcurrently() throws Exception {
        List<String> patterns = new ArrayList<>(List.of(PATTERNS));
        MultiDfa dfa = MultiDfa.of(parse(patterns), new MultiDfa.Budget(Long.MAX_VALUE, Long.MAX_VALUE));
        java.util.Random rnd = new java.util.Random(5);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) "abcx".charAt(rnd.nextInt(4));
            }
            inputs.add(b);
        }
        List<TreeSet<Hit>> expect = new ArrayList<>();
        for (byte[] b : inputs) {
            expect.add(expected(patterns, b));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < inputs.size(); i++) {
                        int k = (i + shift * 16) % inputs.size();
                        if (!actual(dfa, inputs.get(k), new int[] {k % 7}).equals(expect.get(k))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
