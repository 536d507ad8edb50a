package io.picket.policy.signature;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.picket.regex.RegexNode;

/**
 * Translates a parsed Zeek pattern into RE2/J syntax over ISO-8859-1 text (one char per byte):
 * bytes become {@code \x{hh}}, classes become explicit byte ranges (no Unicode or case folding),
 * Zeek's BOL/EOL anchors become {@code \A}/{@code \z}, and the whole is anchored at the start the
 * way Zeek anchors signature patterns. {@link #compile} validates the result with RE2/J and is the
 * single-chunk reference semantics: {@code find()} on the whole data is true exactly when Zeek's
 * matcher accepts the pattern on that data delivered as one chunk with BOL and EOL. Stateless.
 */
final class Re2Translator {
    private Re2Translator() {
    }

    /** RE2/J syntax of {@code ^?(node)} as Zeek matches it (anchored at the start). */
    static String translate(RegexNode node) {
        StringBuilder sb = new StringBuilder("\\A(?:");
        append(sb, node);
        return sb.append(')').toString();
    }

    /** Compiles the translation with RE2/J; throws with RE2/J's reason if it cannot express it. */
    static Pattern compile(String re2) throws PatternSyntaxException {
        return Pattern.compile(re2, Pattern.DOTALL);
    }

    private static void append(StringBuilder sb, RegexNode node) {
        switch (node) {
            case RegexNode.Empty e -> sb.append("(?:)");
            case RegexNode.Symbols s -> appendSymbols(sb, s);
            case RegexNode.Concat c -> {
                sb.append("(?:");
                for (RegexNode p : c.parts()) {
                    append(sb, p);
                }
                sb.append(')');
            }
            case RegexNode.Alt a -> {
                sb.append("(?:");
                for (int i = 0; i < a.options().size(); i++) {
                    if (i > 0) {
                        sb.append('|');
                    }
                    append(sb, a.options().get(i));
                }
                sb.append(')');
            }
            case RegexNode.Repeat r -> {
                sb.append("(?:");
                append(sb, r.body());
                sb.append(')');
                if (r.min() == 0 && r.max() < 0) {
                    sb.append('*');
                } else if (r.min() == 1 && r.max() < 0) {
                    sb.append('+');
                } else if (r.min() == 0 && r.max() == 1) {
                    sb.append('?');
                } else if (r.max() < 0) {
                    sb.append('{').append(r.min()).append(",}");
                } else if (r.min() == r.max()) {
                    sb.append('{').append(r.min()).append('}');
                } else {
                    sb.append('{').append(r.min()).append(',').append(r.max()).append('}');
                }
            }
        }
    }

    private static void appendSymbols(StringBuilder sb, RegexNode.Symbols s) {
        boolean bol = s.contains(RegexNode.BOL);
        boolean eol = s.contains(RegexNode.EOL);
        int bytes = 0;
        for (int b = 0; b < 256; b++) {
            if (s.contains(b)) {
                bytes++;
            }
        }
        StringBuilder alt = new StringBuilder();
        int parts = 0;
        if (bol) {
            alt.append("\\A");
            parts++;
        }
        if (eol) {
            if (parts > 0) {
                alt.append('|');
            }
            alt.append("\\z");
            parts++;
        }
        if (bytes > 0) {
            if (parts > 0) {
                alt.append('|');
            }
            appendClass(alt, s);
            parts++;
        }
        if (parts == 0) {
            sb.append("[^\\x{00}-\\x{ff}]");
        } else if (parts == 1) {
            sb.append(alt);
        } else {
            sb.append("(?:").append(alt).append(')');
        }
    }

    private static void appendClass(StringBuilder sb, RegexNode.Symbols s) {
        sb.append('[');
        int b = 0;
        while (b < 256) {
            if (!s.contains(b)) {
                b++;
                continue;
            }
            int from = b;
            while (b + 1 < 256 && s.contains(b + 1)) {
                b++;
            }
            hex(sb, from);
            if (b > from) {
                sb.append('-');
                hex(sb, b);
            }
            b++;
        }
        sb.append(']');
    }

    private static void hex(StringBuilder sb, int b) {
        sb.append("\\x{").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16)).append('}');
    }
}
