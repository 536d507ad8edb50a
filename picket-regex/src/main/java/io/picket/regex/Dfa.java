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

    /** Per state for {@link #matchesPrefix}: 0 undecided, {@code ACCEPT}, or {@code HOPELESS}. */
    private final byte[] prefixStatus;

    private static final byte ACCEPT = 1;
    /** No accepting state is reachable from here by bytes alone (no BOL/EOL symbol follows). */
    private static final byte HOPELESS = 2;

    Dfa(byte[] classOf, int classes, int[] next, boolean[] accepting) {
        this.classOf = classOf;
        this.classes = classes;
        this.next = next;
        this.accepting = accepting;
        this.prefixStatus = prefixStatus(classOf, classes, next, accepting);
    }

    private static byte[] prefixStatus(byte[] classOf, int classes, int[] next, boolean[] accepting) {
        int n = accepting.length;
        boolean[] byteClass = new boolean[classes];
        for (int b = 0; b < 256; b++) {
            byteClass[classOf[b] & 0xFF] = true;
        }
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
     * or at {@link #DEAD} or a state from which bytes alone cannot reach acceptance. Allocates
     * nothing; safe from any thread.
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
        if (status[s] != 0) {
            return status[s] == ACCEPT;
        }
        for (int i = 0; i < len; i++) {
            s = next[s * classes + (classOf[b[i] & 0xFF] & 0xFF)];
            if (s == DEAD) {
                return false;
            }
            byte st = status[s];
            if (st != 0) {
                return st == ACCEPT;
            }
        }
        return false;
    }
}
