package io.picket.policy.signature;

/**
 * A deterministic automaton for one signature pattern, over bytes plus Zeek's BOL/EOL symbols,
 * built for the pattern prefixed with an optional BOL as Zeek does ({@code ^?(pattern)}). State 0
 * is the start state; {@link #DEAD} means no match is possible any more. Immutable; shared by all
 * shard threads.
 */
final class Dfa {
    /** The state after which nothing can match. */
    static final int DEAD = -1;

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

    int states() {
        return accepting.length;
    }

    /** The state after {@code symbol} (a byte 0..255, {@link RegexNode#BOL} or {@link RegexNode#EOL}). */
    int step(int state, int symbol) {
        return next[state * classes + (classOf[symbol] & 0xFF)];
    }

    boolean accepting(int state) {
        return accepting[state];
    }
}
