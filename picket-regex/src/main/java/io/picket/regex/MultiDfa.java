package io.picket.regex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One automaton for several patterns (Zeek's per-rule-group matcher, {@code RE.cc}/{@code DFA.cc}):
 * the union NFA of {@code ^?(p0|p1|...)}, whose accepting NFA states carry their pattern's index,
 * turned into a DFA lazily, one state at the first time a transition needs it. Each DFA state
 * knows the sorted set of patterns it accepts; a pattern accepts at a position exactly when its own
 * {@link Dfa} would. Symbol classes are shared by all patterns.
 *
 * <p>Shared by all shard threads of a run, without a lock on the hot path: transitions live in one
 * flat {@code int} array read with acquire semantics and written with release semantics, so a
 * reader either sees a finished state or "not built yet"; building a missing transition (closure,
 * lookup, new state) takes this object's monitor, and growing the arrays publishes a new table
 * through a volatile field (a reader holding the old table meets "not built yet" and retries on the
 * slow path). Shared rather than one per shard so that a tenant's states are built and counted
 * once, against one {@link Budget}; the slow path is taken a bounded number of times per state.
 *
 * <p>Memory is bounded by the {@link Budget} of the tenant: when it is spent, a transition to a
 * state not yet built is marked "uncached" for good ({@link Budget#refusals()}), and a connection
 * taking it continues in a {@link Spill}: a simulation of the NFA over the state's subset, linear
 * in the input (NFA size per byte) and exact, until its input restarts. Nothing is ever evicted, so
 * states of live connections stay valid; results never depend on what is cached. (Zeek can drop
 * its cache because connections hold reference-counted state objects; here a connection holds a
 * bare {@code int}, which a flush would invalidate.)
 *
 * <p>States are opaque non-negative {@code int}s ({@link #START} first), plus {@link #DEAD} and
 * {@link #SPILLED}.
 */
public final class MultiDfa {
    /** The state after which no pattern can accept any more. */
    public static final int DEAD = -1;
    /** The state of a connection that continues in its {@link Spill}. */
    public static final int SPILLED = -2;
    /** The start state (before any symbol, also before the beginning-of-data symbol). */
    public static final int START = 0;

    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int UNBUILT = 0;
    private static final int UNCACHED = 1;
    private static final int[] NONE = new int[0];
    /** Upper bound on {@code states * classes} so that encoded transitions fit an int. */
    private static final long MAX_CELLS = 1L << 29;

    /**
     * The state and memory budget of all {@link MultiDfa}s of one tenant, with counters. Thread-safe
     * (updated under the building automaton's monitor, read from anywhere).
     */
    public static final class Budget {
        private final long maxStates;
        private final long maxBytes;
        private final AtomicLong states = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicLong spills = new AtomicLong();

        /** At most {@code maxStates} built states and about {@code maxBytes} bytes of them. */
        public Budget(long maxStates, long maxBytes) {
            this.maxStates = maxStates;
            this.maxBytes = maxBytes;
        }

        boolean take(long stateBytes) {
            if (states.incrementAndGet() > maxStates) {
                states.decrementAndGet();
                return false;
            }
            if (bytes.addAndGet(stateBytes) > maxBytes) {
                bytes.addAndGet(-stateBytes);
                states.decrementAndGet();
                return false;
            }
            return true;
        }

        /** States built so far (start states included). */
        public long states() {
            return states.get();
        }

        /** Estimated bytes of the built states. */
        public long bytes() {
            return bytes.get();
        }

        /** Transitions left uncached because the budget was spent. */
        public long refusals() {
            return refusals.get();
        }

        /** Inputs that continued in a {@link Spill} (NFA simulation). */
        public long spills() {
            return spills.get();
        }
    }

    /**
     * What a feed reports to its caller, on the feeding thread: the patterns accepted at a
     * position, and the spill of the slot being fed when the budget is spent.
     */
    public interface Sink {
        /** Patterns {@code patterns[0..count)} accept at {@code position}; the array is not to be kept. */
        void accept(int[] patterns, int count, long position);

        /** The spill of the slot being fed, created with {@link MultiDfa#newSpill()} on first call. */
        Spill spill();
    }

    /**
     * The NFA state set of one connection's slot that left the cached DFA, sized by the largest set
     * it held. Owned by the thread of the connection; reused across inputs.
     */
    public static final class Spill {
        private int[] cur;
        private int count;
        private int[] accepted;

        private Spill() {
            this.cur = new int[16];
            this.accepted = new int[4];
        }

        /** Makes room for {@code n} states and {@code n} accepted patterns. */
        void ensure(int n) {
            if (cur.length < n) {
                cur = Arrays.copyOf(cur, Math.max(n, 2 * cur.length));
            }
            if (accepted.length < n) {
                accepted = Arrays.copyOf(accepted, Math.max(n, 2 * accepted.length));
            }
        }
    }

    /** Transitions and accept sets of the built states; replaced (grown) under the monitor. */
    private static final class Table {
        final int[] next;
        final int[][] accepts;

        Table(int[] next, int[][] accepts) {
            this.next = next;
            this.accepts = accepts;
        }
    }

    private final DfaBuilder.Nfa nfa;
    private final int[] classOf;
    private final int classes;
    /** A symbol of each class. */
    private final int[] repr;
    private final int patterns;
    private final Budget budget;
    private volatile Table table;

    // Guarded by this.
    private int[][] subsets = new int[16][];
    private int count;
    private final Map<Key, Integer> ids = new HashMap<>();
    private int[] stack;
    private boolean[] mark;
    private int[] moved;

    private MultiDfa(DfaBuilder.Nfa nfa, int patterns, Budget budget) {
        this.nfa = nfa;
        this.classOf = nfa.classOf();
        this.classes = nfa.classes();
        this.patterns = patterns;
        this.budget = budget;
        this.repr = new int[classes];
        Arrays.fill(repr, -1);
        for (int s = 0; s < RegexNode.SYMBOLS; s++) {
            if (repr[classOf[s]] < 0) {
                repr[classOf[s]] = s;
            }
        }
        int n = nfa.size();
        stack = new int[n];
        mark = new boolean[n];
        moved = new int[n];
        table = new Table(new int[16 * classes], new int[16][]);
        synchronized (this) {
            int[] first = closure(new int[] {nfa.start()}, 1);
            // the start state is always built, whatever the budget
            budget.states.incrementAndGet();
            budget.bytes.addAndGet(stateBytes(first.length));
            addState(first);
        }
    }

    /**
     * The automaton of {@code patterns} (pattern {@code i} reported as index {@code i}); its states
     * are built on demand within {@code budget}. Throws if the union NFA is too large.
     */
    public static MultiDfa of(List<RegexNode> patterns, Budget budget) throws DfaBuilder.TooLargeException {
        return of(patterns, budget, DfaBuilder.MAX_NFA_STATES);
    }

    /** {@link #of(List, Budget)} with a cap on the states of the union NFA. */
    public static MultiDfa of(List<RegexNode> patterns, Budget budget, int maxNfaStates)
            throws DfaBuilder.TooLargeException {
        return new MultiDfa(DfaBuilder.union(patterns, maxNfaStates), patterns.size(), budget);
    }

    /** Number of patterns. */
    public int patterns() {
        return patterns;
    }

    /** Number of symbol classes (the width of a state's transition row). */
    public int classes() {
        return classes;
    }

    /** States built so far. */
    public synchronized int states() {
        return count;
    }

    /** The budget this automaton builds against. */
    public Budget budget() {
        return budget;
    }

    /** A fresh, small spill for one connection slot (it grows with the state sets it holds). */
    public Spill newSpill() {
        return new Spill();
    }

    /** The sorted patterns accepted in {@code state} (a state returned by this automaton, not DEAD/SPILLED). */
    public int[] accepts(int state) {
        int[] a = table.accepts[state / classes];
        return a == null ? NONE : a;
    }

    /**
     * Feeds one input chunk from {@code state}: the beginning-of-data symbol if {@code bol}, the bytes
     * {@code data[from..to)}, the end-of-data symbol if {@code eol}; reports every accepting position
     * (the first symbol fed has {@code position}; each symbol but the end-of-data one advances it)
     * and returns the state after the chunk. Allocates nothing once the states it meets are built.
     * Called on the connection's shard thread; never throws on any input.
     */
    public int feed(int state, byte[] data, int from, int to, boolean bol, boolean eol, long position, Sink sink) {
        if (state == DEAD) {
            return DEAD;
        }
        if (state == SPILLED) {
            return spillFeed(sink.spill(), data, from, to, bol, eol, position, sink);
        }
        long pos = position;
        int s = state;
        Table tb = table;
        if (bol) {
            int e = (int) NEXT.getAcquire(tb.next, s + classOf[RegexNode.BOL]);
            if (e <= UNCACHED) {
                e = slow(s, classOf[RegexNode.BOL], e);
                tb = table;
                if (e == UNCACHED) {
                    return spillFrom(s, RegexNode.BOL, data, from, to, false, eol, pos, sink);
                }
                if (e == DEAD) {
                    return DEAD;
                }
            }
            s = (e - 2) >>> 1;
            if ((e & 1) != 0) {
                int[] a = tb.accepts[s / classes];
                sink.accept(a, a.length, pos);
            }
            pos++;
        }
        int[] next = tb.next;
        int[] cls = classOf;
        for (int i = from; i < to; i++) {
            int c = cls[data[i] & 0xFF];
            int e = (int) NEXT.getAcquire(next, s + c);
            if (e <= UNCACHED) {
                e = slow(s, c, e);
                tb = table;
                next = tb.next;
                if (e == UNCACHED) {
                    return spillFrom(s, data[i] & 0xFF, data, i + 1, to, false, eol, pos, sink);
                }
                if (e == DEAD) {
                    return DEAD;
                }
            }
            s = (e - 2) >>> 1;
            if ((e & 1) != 0) {
                int[] a = tb.accepts[s / classes];
                sink.accept(a, a.length, pos);
            }
            pos++;
        }
        if (eol) {
            int e = (int) NEXT.getAcquire(tb.next, s + classOf[RegexNode.EOL]);
            if (e <= UNCACHED) {
                e = slow(s, classOf[RegexNode.EOL], e);
                tb = table;
                if (e == UNCACHED) {
                    return spillFrom(s, RegexNode.EOL, data, to, to, false, false, pos, sink);
                }
                if (e == DEAD) {
                    return DEAD;
                }
            }
            s = (e - 2) >>> 1;
            if ((e & 1) != 0) {
                int[] a = tb.accepts[s / classes];
                sink.accept(a, a.length, pos);
            }
        }
        return s;
    }

    /** The state after one symbol (a byte, {@link RegexNode#BOL} or {@link RegexNode#EOL}); DEAD or SPILLED. */
    public int step(int state, int symbol) {
        if (state < 0) {
            return state == SPILLED ? SPILLED : DEAD;
        }
        int c = classOf[symbol];
        int e = (int) NEXT.getAcquire(table.next, state + c);
        if (e <= UNCACHED) {
            e = slow(state, c, e);
        }
        return e == DEAD ? DEAD : e == UNCACHED ? SPILLED : (e - 2) >>> 1;
    }

    // ------------------------------------------------------------------ slow path

    /** Builds (or finds) the transition of {@code row} on class {@code c}; returns its entry. */
    private int slow(int row, int c, int seen) {
        if (seen == DEAD || seen == UNCACHED) {
            return seen;
        }
        synchronized (this) {
            Table tb = table;
            int idx = row + c;
            int e = tb.next[idx];
            if (e != UNBUILT) {
                return e;
            }
            int[] subset = subsets[row / classes];
            int n = move(subset, subset.length, repr[c], moved);
            if (n == 0) {
                e = DEAD;
            } else {
                int[] cl = closure(moved, n);
                Integer id = ids.get(new Key(cl));
                if (id == null) {
                    if ((long) (count + 1) * classes > MAX_CELLS || !budget.take(stateBytes(cl.length))) {
                        budget.refusals.incrementAndGet();
                        e = UNCACHED;
                    } else {
                        id = addState(cl);
                        tb = table;
                    }
                }
                if (id != null) {
                    e = (((id * classes) << 1) | (tb.accepts[id] != null ? 1 : 0)) + 2;
                }
            }
            NEXT.setRelease(tb.next, idx, e);
            return e;
        }
    }

    private long stateBytes(int subsetLength) {
        // transition row, subset, accept set, map entry and key
        return 4L * classes + 4L * subsetLength + 96;
    }

    /** Adds a state for {@code subset}; returns its id. Holds the monitor. */
    private int addState(int[] subset) {
        int id = count;
        Table tb = table;
        if (id == tb.accepts.length) {
            int cap = id * 2;
            subsets = Arrays.copyOf(subsets, cap);
            tb = new Table(Arrays.copyOf(tb.next, cap * classes), Arrays.copyOf(tb.accepts, cap));
        }
        subsets[id] = subset;
        int[] acc = new int[subset.length];
        int na = 0;
        for (int st : subset) {
            int p = nfa.acceptOf()[st];
            if (p >= 0) {
                acc[na++] = p;
            }
        }
        if (na > 0) {
            acc = Arrays.copyOf(acc, na);
            Arrays.sort(acc);
            tb.accepts[id] = acc;
        }
        ids.put(new Key(subset), id);
        count++;
        if (tb != table) {
            table = tb;
        }
        return id;
    }

    /** Targets of the states of {@code set} whose symbol set holds {@code sym}, into {@code out}. */
    private int move(int[] set, int n, int sym, int[] out) {
        int[] setOf = nfa.setOf();
        int[] target = nfa.target();
        long[][] sets = nfa.sets();
        int found = 0;
        for (int k = 0; k < n; k++) {
            int st = set[k];
            int si = setOf[st];
            if (si >= 0 && (sets[si][sym >>> 6] & (1L << (sym & 63))) != 0) {
                out[found++] = target[st];
            }
        }
        return found;
    }

    /**
     * The epsilon closure of {@code seeds[0..n)}, keeping only the states that matter (a symbol edge
     * or an accept), sorted: equal sets behave equally. Holds the monitor (uses the shared scratch).
     */
    private int[] closure(int[] seeds, int n) {
        int found = closureInto(seeds, n, stack, mark, moved);
        int[] out = Arrays.copyOf(moved, found);
        Arrays.sort(out);
        return out;
    }

    /** The closure into {@code out} (which may be {@code seeds}' own array); returns its size. */
    private int closureInto(int[] seeds, int n, int[] stk, boolean[] mk, int[] out) {
        int[] eps1 = nfa.eps1();
        int[] eps2 = nfa.eps2();
        int[] setOf = nfa.setOf();
        int[] acceptOf = nfa.acceptOf();
        int sp = 0;
        for (int i = 0; i < n; i++) {
            int s = seeds[i];
            if (!mk[s]) {
                mk[s] = true;
                stk[sp++] = s;
            }
        }
        // stk holds every visited state: [0, top) expanded, [top, sp) pending
        int top = 0;
        while (top < sp) {
            int s = stk[top++];
            int e = eps1[s];
            if (e >= 0 && !mk[e]) {
                mk[e] = true;
                stk[sp++] = e;
            }
            e = eps2[s];
            if (e >= 0 && !mk[e]) {
                mk[e] = true;
                stk[sp++] = e;
            }
        }
        int found = 0;
        for (int i = 0; i < sp; i++) {
            int s = stk[i];
            mk[s] = false;
            if (setOf[s] >= 0 || acceptOf[s] >= 0) {
                out[found++] = s;
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ spill (NFA simulation)

    /** Scratch of the spill path, per thread. */
    private static final class Scratch {
        int[] stack = new int[0];
        boolean[] mark = new boolean[0];
        int[] moved = new int[0];
        int[] out = new int[0];

        void ensure(int n) {
            if (stack.length < n) {
                stack = new int[n];
                mark = new boolean[n];
                moved = new int[n];
                out = new int[n];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Leaves the DFA at {@code row} on {@code symbol}: loads its subset into the spill and goes on there. */
    private int spillFrom(int row, int symbol, byte[] data, int from, int to, boolean bol, boolean eol, long pos,
                          Sink sink) {
        Spill sp = sink.spill();
        budget.spills.incrementAndGet();
        synchronized (this) {
            int[] subset = subsets[row / classes];
            sp.ensure(subset.length);
            System.arraycopy(subset, 0, sp.cur, 0, subset.length);
            sp.count = subset.length;
        }
        Scratch sc = SCRATCH.get();
        sc.ensure(nfa.size());
        if (!spillStep(sp, sc, symbol, pos, sink)) {
            return DEAD;
        }
        return spillFeed(sp, data, from, to, bol, eol, symbol == RegexNode.EOL ? pos : pos + 1, sink);
    }

    private int spillFeed(Spill sp, byte[] data, int from, int to, boolean bol, boolean eol, long position,
                          Sink sink) {
        Scratch sc = SCRATCH.get();
        sc.ensure(nfa.size());
        long pos = position;
        if (bol) {
            if (!spillStep(sp, sc, RegexNode.BOL, pos, sink)) {
                return DEAD;
            }
            pos++;
        }
        for (int i = from; i < to; i++) {
            if (!spillStep(sp, sc, data[i] & 0xFF, pos, sink)) {
                return DEAD;
            }
            pos++;
        }
        if (eol && !spillStep(sp, sc, RegexNode.EOL, pos, sink)) {
            return DEAD;
        }
        return SPILLED;
    }

    /** One NFA step of the spill; reports accepts; false if the set became empty. */
    private boolean spillStep(Spill sp, Scratch sc, int symbol, long pos, Sink sink) {
        int n = move(sp.cur, sp.count, repr[classOf[symbol]], sc.moved);
        if (n == 0) {
            sp.count = 0;
            return false;
        }
        int found = closureInto(sc.moved, n, sc.stack, sc.mark, sc.out);
        sp.ensure(found);
        System.arraycopy(sc.out, 0, sp.cur, 0, found);
        sp.count = found;
        int[] acceptOf = nfa.acceptOf();
        int na = 0;
        for (int k = 0; k < sp.count; k++) {
            int p = acceptOf[sp.cur[k]];
            if (p >= 0) {
                sp.accepted[na++] = p;
            }
        }
        if (na > 0) {
            sink.accept(sp.accepted, na, pos);
        }
        return true;
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
