package io.picket.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser of Zeek's regular expression syntax (Zeek's {@code re-scan.l}/{@code re-parse.y}, which
 * follow flex): alternation {@code |}, concatenation, {@code * + ?}, {@code {n} {n,} {n,m}},
 * {@code .} (any byte but newline), bracket classes with ranges, negation and {@code [:name:]}
 * expressions, {@code "quoted"} literals, groups, {@code (?i:...)} and {@code /.../i}
 * case-insensitivity, {@code ^}/{@code $} anchors (Zeek's BOL/EOL symbols) and the escapes
 * {@code \a \b \f \n \r \t \v}, {@code \xHH}, {@code \ooo} and {@code \c} (any other character
 * literally). Names of script definitions ({@code {NAME}}) do not exist in tenant policies and are
 * rejected. Errors carry the 0-based offset into the pattern text. Not thread-safe; one per parse.
 */
public final class ZeekRegexParser {
    /** A syntax error at an offset of the pattern text. */
    public static final class RegexSyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        RegexSyntaxException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        /** The 0-based offset into the pattern text. */
        public int offset() {
            return offset;
        }
    }

    /** Limit on repetition counts, the same as RE2's. */
    public static final int MAX_REPEAT = 1000;

    private final String src;
    private int pos;
    private boolean caseInsensitive;
    private final boolean dotMatchesNewline;

    private ZeekRegexParser(String src, boolean caseInsensitive, boolean dotMatchesNewline) {
        this.src = src;
        this.caseInsensitive = caseInsensitive;
        this.dotMatchesNewline = dotMatchesNewline;
    }

    /** Parses a pattern (the text between the slashes); {@code /i} makes it case-insensitive. */
    public static RegexNode parse(String pattern, boolean caseInsensitive) throws RegexSyntaxException {
        return parse(pattern, caseInsensitive, false);
    }

    /**
     * Parses a pattern as {@link #parse(String, boolean)}; with {@code dotMatchesNewline} the
     * {@code .} stands for every byte, newline included (java.util.regex's DOTALL).
     */
    public static RegexNode parse(String pattern, boolean caseInsensitive, boolean dotMatchesNewline)
            throws RegexSyntaxException {
        ZeekRegexParser p = new ZeekRegexParser(pattern, caseInsensitive, dotMatchesNewline);
        RegexNode re = p.alternation();
        if (p.pos < p.src.length()) {
            char c = p.src.charAt(p.pos);
            throw new RegexSyntaxException(p.pos, c == ')' ? "unbalanced ')'" : "syntax error at '" + c + "'");
        }
        return re;
    }

    private RegexNode alternation() throws RegexSyntaxException {
        List<RegexNode> options = new ArrayList<>();
        options.add(series());
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            options.add(series());
        }
        return options.size() == 1 ? options.get(0) : new RegexNode.Alt(options);
    }

    private RegexNode series() throws RegexSyntaxException {
        List<RegexNode> parts = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '|' || c == ')') {
                break;
            }
            parts.add(postfix(atom()));
        }
        if (parts.isEmpty()) {
            return new RegexNode.Empty();
        }
        return parts.size() == 1 ? parts.get(0) : new RegexNode.Concat(parts);
    }

    private RegexNode postfix(RegexNode atom) throws RegexSyntaxException {
        RegexNode node = atom;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '*') {
                pos++;
                node = new RegexNode.Repeat(node, 0, -1);
            } else if (c == '+') {
                pos++;
                node = new RegexNode.Repeat(node, 1, -1);
            } else if (c == '?') {
                pos++;
                node = new RegexNode.Repeat(node, 0, 1);
            } else if (c == '{' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
                node = repetition(node);
            } else {
                break;
            }
        }
        return node;
    }

    private RegexNode repetition(RegexNode node) throws RegexSyntaxException {
        int start = pos;
        pos++;
        int min = number(start);
        int max;
        if (pos < src.length() && src.charAt(pos) == ',') {
            pos++;
            if (pos < src.length() && src.charAt(pos) == '}') {
                max = -1;
            } else {
                max = number(start);
            }
        } else {
            max = min;
        }
        if (pos >= src.length() || src.charAt(pos) != '}') {
            throw new RegexSyntaxException(pos, "bad character inside {}'s");
        }
        pos++;
        if (max >= 0 && min > max) {
            throw new RegexSyntaxException(start, "bad iteration values {" + min + "," + max + "}");
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT) {
            throw new RegexSyntaxException(start,
                    "repetition count above " + MAX_REPEAT + " cannot be expressed in RE2/J");
        }
        if (max == 0) {
            return new RegexNode.Empty();
        }
        return new RegexNode.Repeat(node, min, max);
    }

    private int number(int start) throws RegexSyntaxException {
        int from = pos;
        long v = 0;
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            v = Math.min(v * 10 + (src.charAt(pos) - '0'), Integer.MAX_VALUE);
            pos++;
        }
        if (pos == from) {
            throw new RegexSyntaxException(pos < src.length() ? pos : start, "bad character inside {}'s");
        }
        return (int) v;
    }

    private RegexNode atom() throws RegexSyntaxException {
        int start = pos;
        char c = src.charAt(pos);
        switch (c) {
            case '(' -> {
                if (src.regionMatches(true, pos, "(?i:", 0, 4)) {
                    pos += 4;
                    boolean saved = caseInsensitive;
                    caseInsensitive = true;
                    RegexNode inner = alternation();
                    caseInsensitive = saved;
                    expectClose(start);
                    return inner;
                }
                pos++;
                RegexNode inner = alternation();
                expectClose(start);
                return inner;
            }
            case '.' -> {
                pos++;
                long[] bits = new long[5];
                bits[0] = -1L;
                bits[1] = -1L;
                bits[2] = -1L;
                bits[3] = -1L;
                if (!dotMatchesNewline) {
                    bits[0] &= ~(1L << '\n');
                }
                return new RegexNode.Symbols(bits);
            }
            case '^' -> {
                pos++;
                return RegexNode.Symbols.of(RegexNode.BOL);
            }
            case '$' -> {
                pos++;
                return RegexNode.Symbols.of(RegexNode.EOL);
            }
            case '[' -> {
                return charClass();
            }
            case '"' -> {
                return quoted();
            }
            case '*', '+', '?' -> throw new RegexSyntaxException(pos, "'" + c + "' has nothing to repeat");
            case '{' -> {
                int close = src.indexOf('}', pos);
                if (close > pos + 1 && Character.isLetter(src.charAt(pos + 1))) {
                    throw new RegexSyntaxException(pos, "named definitions ({" + src.substring(pos + 1, close)
                            + "}) are script-level and not supported in tenant policies");
                }
                throw new RegexSyntaxException(pos, "'{' must be escaped as \\{ when it does not start a repetition");
            }
            case '}' -> throw new RegexSyntaxException(pos, "'}' must be escaped as \\}");
            case '\\' -> {
                return literal(escape());
            }
            default -> {
                pos++;
                return literal(c & 0xFF);
            }
        }
    }

    private void expectClose(int open) throws RegexSyntaxException {
        if (pos >= src.length() || src.charAt(pos) != ')') {
            throw new RegexSyntaxException(open, "unbalanced '('");
        }
        pos++;
    }

    private RegexNode literal(int b) {
        long[] bits = new long[5];
        set(bits, b);
        if (caseInsensitive) {
            addOtherCase(bits, b);
        }
        return new RegexNode.Symbols(bits);
    }

    private RegexNode quoted() throws RegexSyntaxException {
        int start = pos;
        pos++;
        List<RegexNode> parts = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) {
                throw new RegexSyntaxException(start, "missing quote");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                parts.add(literal(escape()));
            } else {
                pos++;
                parts.add(literal(c & 0xFF));
            }
        }
        if (parts.isEmpty()) {
            return new RegexNode.Empty();
        }
        return parts.size() == 1 ? parts.get(0) : new RegexNode.Concat(parts);
    }

    /** Reads an escape sequence at {@code pos} (a backslash) and returns the byte it stands for. */
    private int escape() throws RegexSyntaxException {
        int start = pos;
        pos++;
        if (pos >= src.length()) {
            throw new RegexSyntaxException(start, "pattern ends with a backslash");
        }
        char c = src.charAt(pos++);
        switch (c) {
            case 'a':
                return 7;
            case 'b':
                return 8;
            case 'f':
                return 12;
            case 'n':
                return 10;
            case 'r':
                return 13;
            case 't':
                return 9;
            case 'v':
                return 11;
            case 'x': {
                if (pos + 2 > src.length() || Character.digit(src.charAt(pos), 16) < 0
                        || Character.digit(src.charAt(pos + 1), 16) < 0) {
                    throw new RegexSyntaxException(start, "bad hex escape: \\x needs two hex digits");
                }
                int v = Character.digit(src.charAt(pos), 16) * 16 + Character.digit(src.charAt(pos + 1), 16);
                pos += 2;
                return v;
            }
            default:
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    int digits = 1;
                    while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7') {
                        if (digits == 3) {
                            throw new RegexSyntaxException(start,
                                    "octal escape with more than three digits (Zeek drops the extra digits)");
                        }
                        v = v * 8 + (src.charAt(pos++) - '0');
                        digits++;
                    }
                    if (v > 255) {
                        throw new RegexSyntaxException(start, "octal escape above \\377");
                    }
                    return v;
                }
                return c & 0xFF;
        }
    }

    private RegexNode charClass() throws RegexSyntaxException {
        int start = pos;
        pos++;
        long[] bits = new long[5];
        boolean negate = false;
        if (pos < src.length() && src.charAt(pos) == '^') {
            negate = true;
            pos++;
        }
        boolean first = true;
        while (true) {
            if (pos >= src.length()) {
                throw new RegexSyntaxException(start, "bad character class: missing ']'");
            }
            char c = src.charAt(pos);
            if (c == ']' && !first) {
                pos++;
                break;
            }
            if (c == '[' && pos + 1 < src.length() && src.charAt(pos + 1) == ':') {
                int end = src.indexOf(":]", pos + 2);
                if (end > 0 && src.substring(pos + 2, end).chars().allMatch(Character::isLetter)) {
                    classExpression(bits, src.substring(pos + 2, end), pos);
                    pos = end + 2;
                    first = false;
                    continue;
                }
            }
            int lo = classChar();
            if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                int dash = pos;
                pos++;
                if (src.charAt(pos) == '[' && pos + 1 < src.length() && src.charAt(pos + 1) == ':') {
                    throw new RegexSyntaxException(dash, "bad character class: range ends in a [:class:]");
                }
                int hi = classChar();
                if (caseInsensitive) {
                    lo = lower(lo);
                    hi = lower(hi);
                }
                if (lo > hi) {
                    throw new RegexSyntaxException(dash, "negative range in character class");
                }
                for (int i = lo; i <= hi; i++) {
                    set(bits, i);
                    if (caseInsensitive) {
                        addOtherCase(bits, i);
                    }
                }
            } else {
                set(bits, lo);
                if (caseInsensitive) {
                    addOtherCase(bits, lo);
                }
            }
            first = false;
        }
        if (negate) {
            for (int i = 0; i < 4; i++) {
                bits[i] = ~bits[i];
            }
            bits[4] = 0;
        }
        return new RegexNode.Symbols(bits);
    }

    private int classChar() throws RegexSyntaxException {
        char c = src.charAt(pos);
        if (c == '\\') {
            return escape();
        }
        pos++;
        return c & 0xFF;
    }

    private void classExpression(long[] bits, String name, int at) throws RegexSyntaxException {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        for (int c = 0; c < 128; c++) {
            boolean in = switch (n) {
                case "alnum" -> Character.isLetterOrDigit(c);
                case "alpha" -> isAlpha(c);
                case "blank" -> c == ' ' || c == '\t';
                case "cntrl" -> c < 32 || c == 127;
                case "digit" -> isDigit((char) c);
                case "graph" -> c > 32 && c < 127;
                case "print" -> c >= 32 && c < 127;
                case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
                case "space" -> c == ' ' || (c >= 9 && c <= 13);
                case "xdigit" -> Character.digit(c, 16) >= 0;
                case "lower" -> caseInsensitive ? isAlpha(c) : c >= 'a' && c <= 'z';
                case "upper" -> caseInsensitive ? isAlpha(c) : c >= 'A' && c <= 'Z';
                default -> throw new RegexSyntaxException(at, "bad character class expression [:" + name + ":]");
            };
            if (in) {
                set(bits, c);
            }
        }
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static void addOtherCase(long[] bits, int c) {
        if (c >= 'a' && c <= 'z') {
            set(bits, c - 32);
        } else if (c >= 'A' && c <= 'Z') {
            set(bits, c + 32);
        }
    }

    private static void set(long[] bits, int c) {
        bits[c >>> 6] |= 1L << (c & 63);
    }
}
