package io.picket.regex;

/**
 * A deterministic automaton for one signature pattern, over bytes plus Zeek's BOL/EOL symbols,
 * built for the pattern prefixed with an optional BOL as Zeek does ({@code ^?(pattern)}). State 0
 * is the start state; {@link #DEAD} means no match is possible any more. Immutable; shared by all
 * shard threads.
 */
public final class Dfa {
    /** The state after which nothing can match. */
    public static final int DEAD = -1;

    private final byte[] classOf;
    private final int classes;
    private final int[] next;
    private final boolean[] accepting;

    /**
     * Per state for {@link #matchesPrefix}: 0 undecided, {@code ACCEPT}, {@code HOPELESS}, or
     * {@code SKIP} (the first state of a chain that any bytes walk alike, see {@link #skipLength}).
     */
    private final byte[] prefixStatus;
    /**
     * Per {@code SKIP} state: how many bytes the chain takes, whatever they are (a counted
     * wildcard such as the {@code .{369}} of {@code (.{369})(MICROSOFT PIFEX\x00)}), and the
     * state after them in {@link #skipTarget}; null when no state starts such a chain.
     */
    private final int[] skipLength;
    private final int[] skipTarget;
    /**
     * Per {@code LOOP} state: the one or two bytes that leave it (low byte, next byte; the same
     * twice for one), every other byte keeping it; null when no state is such a loop.
     */
    private final int[] loopExits;

    private static final byte ACCEPT = 1;
    /** No accepting state is reachable from here by bytes alone (no BOL/EOL symbol follows). */
    private static final byte HOPELESS = 2;
    /** Undecided, and the next bytes lead through a fixed chain of states whatever they are. */
    private static final byte SKIP = 3;
    /** Undecided, and every byte but one or two keeps this state (see {@link #loopExits}). */
    private static final byte LOOP = 4;
    /** Shorter chains are walked byte by byte. */
    private static final int MIN_SKIP = 4;

    Dfa(byte[] classOf, int classes, int[] next, boolean[] accepting) {
        this.classOf = classOf;
        this.classes = classes;
        this.next = next;
        this.accepting = accepting;
        boolean[] byteClass = byteClasses(classOf, classes);
        this.prefixStatus = prefixStatus(byteClass, classes, next, accepting);
        // chains of undecided states in which every byte leads to the same next state
        int n = accepting.length;
        int[] only = new int[n]; // the one successor on every byte, or DEAD
        for (int s = 0; s < n; s++) {
            int t = DEAD - 1;
            for (int c = 0; c < classes && t != DEAD; c++) {
                if (byteClass[c]) {
                    int u = next[s * classes + c];
                    t = t == DEAD - 1 || t == u ? u : DEAD;
                }
            }
            only[s] = prefixStatus[s] == 0 && t >= 0 && t != s ? t : DEAD;
        }
        int[] length = null;
        int[] target = null;
        for (int s = 0; s < n; s++) {
            int k = 0;
            int t = s;
            while (only[t] != DEAD && k < n) {
                t = only[t];
                k++;
            }
            if (k >= MIN_SKIP) {
                if (length == null) {
                    length = new int[n];
                    target = new int[n];
                }
                length[s] = k;
                target[s] = t;
                prefixStatus[s] = SKIP;
            }
        }
        this.skipLength = length;
        this.skipTarget = target;
        // undecided states that stay put on every byte but one or two (the .* before a literal)
        int[] exits = null;
        for (int st = 0; st < n; st++) {
            if (prefixStatus[st] != 0) {
                continue;
            }
            int x0 = -1;
            int x1 = -1;
            boolean loop = true;
            for (int b = 0; b < 256 && loop; b++) {
                if (next[st * classes + (classOf[b] & 0xFF)] != st) {
                    if (x0 < 0) {
                        x0 = b;
                    } else if (x1 < 0) {
                        x1 = b;
                    } else {
                        loop = false;
                    }
                }
            }
            if (loop && x0 >= 0) {
                if (exits == null) {
                    exits = new int[n];
                }
                exits[st] = x0 | (x1 < 0 ? x0 : x1) << 8;
                prefixStatus[st] = LOOP;
            }
        }
        this.loopExits = exits;
    }

    /** Which symbol classes hold bytes (the others only BOL/EOL). */
    private static boolean[] byteClasses(byte[] classOf, int classes) {
        boolean[] byteClass = new boolean[classes];
        for (int b = 0; b < 256; b++) {
            byteClass[classOf[b] & 0xFF] = true;
        }
        return byteClass;
    }

    private static byte[] prefixStatus(boolean[] byteClass, int classes, int[] next, boolean[] accepting) {
        int n = accepting.length;
        // reverse byte edges as compressed rows, then a backward search from the accepting states
        int[] start = new int[n + 1];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < classes; c++) {
                int t = next[s * classes + c];
                if (byteClass[c] && t != DEAD) {
                    start[t + 1]++;
                }
            }
        }
        for (int s = 0; s < n; s++) {
            start[s + 1] += start[s];
        }
        int[] from = new int[start[n]];
        int[] fill = java.util.Arrays.copyOf(start, n);
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < classes; c++) {
                int t = next[s * classes + c];
                if (byteClass[c] && t != DEAD) {
                    from[fill[t]++] = s;
                }
            }
        }
        boolean[] live = accepting.clone();
        int[] stack = new int[n];
        int sp = 0;
        for (int s = 0; s < n; s++) {
            if (live[s]) {
                stack[sp++] = s;
            }
        }
        while (sp > 0) {
            int t = stack[--sp];
            for (int k = start[t]; k < start[t + 1]; k++) {
                int s = from[k];
                if (!live[s]) {
                    live[s] = true;
                    stack[sp++] = s;
                }
            }
        }
        byte[] status = new byte[n];
        for (int s = 0; s < n; s++) {
            status[s] = accepting[s] ? ACCEPT : live[s] ? 0 : HOPELESS;
        }
        return status;
    }

    public int states() {
        return accepting.length;
    }

    /** The state after {@code symbol} (a byte 0..255, {@link RegexNode#BOL} or {@link RegexNode#EOL}). */
    public int step(int state, int symbol) {
        return next[state * classes + (classOf[symbol] & 0xFF)];
    }

    public boolean accepting(int state) {
        return accepting[state];
    }

    /**
     * Whether some prefix of {@code b[0..len)}, read after the BOL symbol, is accepted (the
     * {@code lookingAt} of java.util.regex, without end-of-data): stops at the first accepting state
     * or at {@link #DEAD} or a state from which bytes alone cannot reach acceptance. Chains of
     * states that any bytes walk alike are jumped over, and a state that only one or two byte
     * values leave is left by a plain search for them (the {@code .*} of {@code (.*)(P1)...}):
     * the file-magic signatures with a leading {@code .*} read a 4 KiB buffer about eight times
     * faster than byte by byte. Allocates nothing; safe from any thread.
     */
    public boolean matchesPrefix(byte[] b, int len) {
        int[] next = this.next;
        byte[] classOf = this.classOf;
        byte[] status = this.prefixStatus;
        int classes = this.classes;
        int s = next[classOf[RegexNode.BOL] & 0xFF];
        if (s == DEAD) {
            return false;
        }
        int i = 0;
        while (true) {
            byte st = status[s];
            if (st == SKIP) {
                // the chain's states are undecided: input ending inside it matches nothing
                int k = skipLength[s];
                if (len - i < k) {
                    return false;
                }
                i += k;
                s = skipTarget[s];
                continue;
            }
            if (st == LOOP) {
                // find the next byte that leaves the state with a plain search
                int ex = loopExits[s];
                byte x0 = (byte) ex;
                byte x1 = (byte) (ex >>> 8);
                while (i < len && b[i] != x0 && b[i] != x1) {
                    i++;
                }
            } else if (st != 0) {
                return st == ACCEPT;
            }
            if (i >= len) {
                return false;
            }
            s = next[s * classes + (classOf[b[i++] & 0xFF] & 0xFF)];
            if (s == DEAD) {
                return false;
            }
        }
    }
}
