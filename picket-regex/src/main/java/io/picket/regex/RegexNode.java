package io.picket.regex;

import java.util.List;

/**
 * Abstract syntax of a Zeek (flex-style) regular expression over the byte alphabet plus Zeek's two
 * anchor symbols: {@link #BOL} (beginning of data) and {@link #EOL} (end of data). Immutable.
 */
public sealed interface RegexNode {
    /** Symbol of the beginning-of-data anchor {@code ^}. */
    int BOL = 256;
    /** Symbol of the end-of-data anchor {@code $}. */
    int EOL = 257;
    /** Number of symbols: 256 byte values and the two anchors. */
    int SYMBOLS = 258;

    /** One symbol out of a set (a byte, a class, {@code .}, or an anchor); bit i = symbol i. */
    record Symbols(long[] bits) implements RegexNode {
        public static Symbols of(int symbol) {
            long[] b = new long[5];
            b[symbol >>> 6] |= 1L << (symbol & 63);
            return new Symbols(b);
        }

        public boolean contains(int symbol) {
            return (bits[symbol >>> 6] & (1L << (symbol & 63))) != 0;
        }

        public int count() {
            int c = 0;
            for (long w : bits) {
                c += Long.bitCount(w);
            }
            return c;
        }
    }

    /** Concatenation. */
    record Concat(List<RegexNode> parts) implements RegexNode {
    }

    /** Alternation. */
    record Alt(List<RegexNode> options) implements RegexNode {
    }

    /** Repetition {@code min..max}; {@code max} is -1 for unbounded. */
    record Repeat(RegexNode body, int min, int max) implements RegexNode {
    }

    /** The empty string. */
    record Empty() implements RegexNode {
    }
}
