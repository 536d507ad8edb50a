package io.picket.regex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link RegexNode} into a {@link Dfa}: Thompson NFA, symbol equivalence classes, subset
 * construction with a hard cap on the number of DFA states (so a hostile pattern fails at compile
 * time instead of exhausting memory), then Moore minimization. Not thread-safe; one per pattern.
 */
public final class DfaBuilder {
    /** Thrown when the automaton would exceed its state budget. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** Upper bound on NFA states, whatever the DFA limit. */
    public static final int MAX_NFA_STATES = 200_000;

    // NFA: per state either an epsilon pair (e1, e2; -1 unused) or a symbol set index with target.
    private int[] eps1 = new int[64];
    private int[] eps2 = new int[64];
    private int[] setOf = new int[64];
    private int[] target = new int[64];
    private int size;
    private final List<long[]> sets = new ArrayList<>();
    private final int maxNfaStates;

    private DfaBuilder() {
        this(MAX_NFA_STATES);
    }

    private DfaBuilder(int maxNfaStates) {
        this.maxNfaStates = maxNfaStates;
    }

    /** Builds the DFA of {@code ^?(node)}; throws if it needs more than {@code maxStates} states. */
    public static Dfa build(RegexNode node, int maxStates) throws TooLargeException {
        DfaBuilder b = new DfaBuilder();
        int start = b.newState();
        int afterBol = b.newState();
        b.symbolEdge(start, RegexNode.Symbols.of(RegexNode.BOL).bits(), afterBol);
        b.epsilon(start, afterBol);
        int[] frag = b.fragment(node);
        b.epsilon(afterBol, frag[0]);
        int accept = frag[1];
        return b.determinize(start, accept, maxStates);
    }

    /**
     * The union NFA of {@code ^?(p0|p1|...)} where reaching the end of pattern {@code i} accepts
     * {@code i}: the input of {@link MultiDfa}. Throws if it needs more than {@code maxNfaStates}.
     */
    static Nfa union(List<RegexNode> patterns, int maxNfaStates) throws TooLargeException {
        DfaBuilder b = new DfaBuilder(maxNfaStates);
        int start = b.newState();
        int afterBol = b.newState();
        b.symbolEdge(start, RegexNode.Symbols.of(RegexNode.BOL).bits(), afterBol);
        b.epsilon(start, afterBol);
        int[] ends = new int[patterns.size()];
        int split = afterBol;
        for (int i = 0; i < patterns.size(); i++) {
            int[] frag = b.fragment(patterns.get(i));
            ends[i] = frag[1];
            if (i == patterns.size() - 1) {
                b.epsilon(split, frag[0]);
            } else {
                int nextSplit = b.newState();
                b.epsilon(split, frag[0]);
                b.epsilon(split, nextSplit);
                split = nextSplit;
            }
        }
        int[] acceptOf = new int[b.size];
        java.util.Arrays.fill(acceptOf, -1);
        for (int i = 0; i < ends.length; i++) {
            acceptOf[ends[i]] = i;
        }
        int[] classOf = new int[RegexNode.SYMBOLS];
        int classes = b.symbolClasses(classOf);
        return new Nfa(Arrays.copyOf(b.eps1, b.size), Arrays.copyOf(b.eps2, b.size), Arrays.copyOf(b.setOf, b.size),
                Arrays.copyOf(b.target, b.size), b.sets.toArray(new long[0][]), acceptOf, start, classOf, classes);
    }

    /**
     * A Thompson NFA: per state up to two epsilon targets ({@code -1} unused) or one symbol-set edge
     * ({@code setOf} index into {@code sets}, to {@code target}); {@code acceptOf} the pattern a state
     * accepts or -1; symbol classes shared by all patterns. Immutable after construction.
     */
    record Nfa(int[] eps1, int[] eps2, int[] setOf, int[] target, long[][] sets, int[] acceptOf, int start,
               int[] classOf, int classes) {
        int size() {
            return eps1.length;
        }
    }

    private int newState() throws TooLargeException {
        if (size == maxNfaStates) {
            throw new TooLargeException("pattern expands to more than " + maxNfaStates + " automaton states");
        }
        if (size == eps1.length) {
            int n = size * 2;
            eps1 = Arrays.copyOf(eps1, n);
            eps2 = Arrays.copyOf(eps2, n);
            setOf = Arrays.copyOf(setOf, n);
            target = Arrays.copyOf(target, n);
        }
        eps1[size] = -1;
        eps2[size] = -1;
        setOf[size] = -1;
        target[size] = -1;
        return size++;
    }

    private void epsilon(int from, int to) {
        if (eps1[from] < 0) {
            eps1[from] = to;
        } else if (eps2[from] < 0) {
            eps2[from] = to;
        } else {
            throw new IllegalStateException("more than two epsilon edges");
        }
    }

    private void symbolEdge(int from, long[] bits, int to) {
        setOf[from] = sets.size();
        sets.add(bits);
        target[from] = to;
    }

    /** Builds a fragment; returns {start, end} where end has no outgoing edges yet. */
    private int[] fragment(RegexNode node) throws TooLargeException {
        switch (node) {
            case RegexNode.Empty e -> {
                int s = newState();
                return new int[] {s, s};
            }
            case RegexNode.Symbols s -> {
                int a = newState();
                int z = newState();
                symbolEdge(a, s.bits(), z);
                return new int[] {a, z};
            }
            case RegexNode.Concat c -> {
                int[] first = fragment(c.parts().get(0));
                int end = first[1];
                for (int i = 1; i < c.parts().size(); i++) {
                    int[] f = fragment(c.parts().get(i));
                    epsilon(end, f[0]);
                    end = f[1];
                }
                return new int[] {first[0], end};
            }
            case RegexNode.Alt a -> {
                // chain of binary splits
                int end = newState();
                int start = -1;
                int prevSplit = -1;
                List<RegexNode> opts = a.options();
                for (int i = 0; i < opts.size(); i++) {
                    int[] f = fragment(opts.get(i));
                    epsilon(f[1], end);
                    if (i < opts.size() - 1) {
                        int split = newState();
                        epsilon(split, f[0]);
                        if (prevSplit >= 0) {
                            epsilon(prevSplit, split);
                        } else {
                            start = split;
                        }
                        prevSplit = split;
                    } else {
                        if (prevSplit >= 0) {
                            epsilon(prevSplit, f[0]);
                        } else {
                            start = f[0];
                        }
                    }
                }
                return new int[] {start, end};
            }
            case RegexNode.Repeat r -> {
                return repeat(r.body(), r.min(), r.max());
            }
        }
    }

    private int[] repeat(RegexNode body, int min, int max) throws TooLargeException {
        int start = newState();
        int end = start;
        for (int i = 0; i < min; i++) {
            int[] f = fragment(body);
            epsilon(end, f[0]);
            end = f[1];
        }
        if (max < 0) {
            // end -> loop: split into body or out
            int[] f = fragment(body);
            int split = newState();
            int out = newState();
            epsilon(end, split);
            epsilon(split, f[0]);
            epsilon(split, out);
            epsilon(f[1], split);
            return new int[] {start, out};
        }
        int out = newState();
        for (int i = min; i < max; i++) {
            int[] f = fragment(body);
            int split = newState();
            epsilon(end, split);
            epsilon(split, f[0]);
            epsilon(split, out);
            end = f[1];
        }
        epsilon(end, out);
        return new int[] {start, out};
    }

    private Dfa determinize(int start, int accept, int maxStates) throws TooLargeException {
        // Equivalence classes of symbols: symbols with identical membership in all sets.
        byte[] classOf = new byte[RegexNode.SYMBOLS];
        int classes = symbolClasses(classOf);
        int[] repr = new int[classes];
        Arrays.fill(repr, -1);
        for (int s = 0; s < RegexNode.SYMBOLS; s++) {
            int c = classOf[s] & 0xFF;
            if (repr[c] < 0) {
                repr[c] = s;
            }
        }
        Map<Key, Integer> ids = new HashMap<>();
        List<int[]> subsets = new ArrayList<>();
        int[] stack = new int[size];
        boolean[] mark = new boolean[size];
        int[] first = closure(new int[] {start}, 1, stack, mark);
        ids.put(new Key(first), 0);
        subsets.add(first);
        int[] trans = new int[Math.max(16, classes * 16)];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(0);
        int[] moved = new int[size];
        while (!work.isEmpty()) {
            int d = work.poll();
            int[] subset = subsets.get(d);
            for (int c = 0; c < classes; c++) {
                int sym = repr[c];
                int n = 0;
                for (int st : subset) {
                    int si = setOf[st];
                    if (si >= 0) {
                        long[] bits = sets.get(si);
                        if ((bits[sym >>> 6] & (1L << (sym & 63))) != 0) {
                            moved[n++] = target[st];
                        }
                    }
                }
                int to = Dfa.DEAD;
                if (n > 0) {
                    int[] cl = closure(moved, n, stack, mark);
                    Key k = new Key(cl);
                    Integer id = ids.get(k);
                    if (id == null) {
                        if (subsets.size() >= maxStates) {
                            throw new TooLargeException("pattern needs more than " + maxStates + " DFA states");
                        }
                        id = subsets.size();
                        ids.put(k, id);
                        subsets.add(cl);
                        work.add(id);
                    }
                    to = id;
                }
                int idx = d * classes + c;
                if (idx >= trans.length) {
                    trans = Arrays.copyOf(trans, Math.max(trans.length * 2, idx + 1));
                }
                trans[idx] = to;
            }
        }
        int n = subsets.size();
        boolean[] acc = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (int st : subsets.get(i)) {
                if (st == accept) {
                    acc[i] = true;
                    break;
                }
            }
        }
        return minimize(classOf, classes, Arrays.copyOf(trans, n * classes), acc);
    }

    private int symbolClasses(byte[] classOf) {
        int[] wide = new int[RegexNode.SYMBOLS];
        int n = symbolClasses(wide);
        for (int s = 0; s < wide.length; s++) {
            classOf[s] = (byte) wide[s];
        }
        return n;
    }

    private int symbolClasses(int[] classOf) {
        // Refine: signature of each symbol = membership vector; map distinct vectors to ids.
        Map<Key, Integer> byVector = new HashMap<>();
        int words = (sets.size() + 31) / 32;
        for (int s = 0; s < RegexNode.SYMBOLS; s++) {
            int[] vec = new int[words];
            for (int i = 0; i < sets.size(); i++) {
                long[] bits = sets.get(i);
                if ((bits[s >>> 6] & (1L << (s & 63))) != 0) {
                    vec[i >>> 5] |= 1 << (i & 31);
                }
            }
            Key k = new Key(vec);
            Integer id = byVector.get(k);
            if (id == null) {
                id = byVector.size();
                byVector.put(k, id);
            }
            classOf[s] = id;
        }
        return byVector.size();
    }

    private int[] closure(int[] seeds, int count, int[] stack, boolean[] mark) {
        int sp = 0;
        int found = 0;
        int[] out = new int[16];
        for (int i = 0; i < count; i++) {
            int s = seeds[i];
            if (!mark[s]) {
                mark[s] = true;
                stack[sp++] = s;
            }
        }
        while (sp > 0) {
            int s = stack[--sp];
            if (found == out.length) {
                out = Arrays.copyOf(out, found * 2);
            }
            out[found++] = s;
            int e = eps1[s];
            if (e >= 0 && !mark[e]) {
                mark[e] = true;
                stack[sp++] = e;
            }
            e = eps2[s];
            if (e >= 0 && !mark[e]) {
                mark[e] = true;
                stack[sp++] = e;
            }
        }
        int[] result = Arrays.copyOf(out, found);
        for (int s : result) {
            mark[s] = false;
        }
        Arrays.sort(result);
        return result;
    }

    /** Moore partition refinement; the dead state stays implicit (-1). */
    private static Dfa minimize(byte[] classOf, int classes, int[] trans, boolean[] acc) {
        int n = acc.length;
        int[] block = new int[n];
        for (int i = 0; i < n; i++) {
            block[i] = acc[i] ? 1 : 0;
        }
        int blocks = -1;
        while (true) {
            Map<Key, Integer> sig = new HashMap<>();
            int[] nb = new int[n];
            // keep start state's block first so that state 0 stays the start
            for (int i = 0; i < n; i++) {
                int[] v = new int[classes + 1];
                v[0] = block[i];
                for (int c = 0; c < classes; c++) {
                    int t = trans[i * classes + c];
                    v[c + 1] = t < 0 ? -1 : block[t];
                }
                Key k = new Key(v);
                Integer id = sig.get(k);
                if (id == null) {
                    id = sig.size();
                    sig.put(k, id);
                }
                nb[i] = id;
            }
            int count = sig.size();
            block = nb;
            if (count == blocks) {
                break;
            }
            blocks = count;
        }
        int[] next = new int[blocks * classes];
        boolean[] accepting = new boolean[blocks];
        for (int i = 0; i < n; i++) {
            int b = block[i];
            accepting[b] = acc[i];
            for (int c = 0; c < classes; c++) {
                int t = trans[i * classes + c];
                next[b * classes + c] = t < 0 ? Dfa.DEAD : block[t];
            }
        }
        return new Dfa(classOf, classes, next, accepting);
    }

    private record Key(int[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
