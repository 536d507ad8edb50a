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

    Dfa(byte[] classOf, int classes, int[] next, boolean[] accepting) {
        this.classOf = classOf;
        this.classes = classes;
        this.next = next;
        this.accepting = accepting;
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
     * or at {@link #DEAD}. Allocates nothing; safe from any thread.
     */
    public boolean matchesPrefix(byte[] b, int len) {
        int[] next = this.next;
        byte[] classOf = this.classOf;
        int classes = this.classes;
        int s = next[classOf[RegexNode.BOL] & 0xFF];
        if (s == DEAD) {
            return false;
        }
        if (accepting[s]) {
            return true;
        }
        for (int i = 0; i < len; i++) {
            s = next[s * classes + (classOf[b[i] & 0xFF] & 0xFF)];
            if (s == DEAD) {
                return false;
            }
            if (accepting[s]) {
                return true;
            }
        }
        return false;
    }
}
