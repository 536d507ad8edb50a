package io.picket.policy.signature;

import io.picket.policy.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tokenizer of Zeek's signature language ({@code src/rule-scan.l}): comments ({@code #} to end of
 * line), meta lines ({@code .name value}), keywords, comparison operators, integers (decimal and
 * {@code 0x} hex), IPv4 addresses and CIDRs, bracketed IPv6 addresses and prefixes, strings and
 * {@code /pattern/} (with {@code /i}). Positions are 1-based line and column. Single use.
 */
final class SigLexer {
    enum Kind {
        KEYWORD, PROT, BOOL, STATE, IPOPT, PATTERN_TYPE, IDENT, INT, IP4, IP6, STRING, PATTERN, COMP, PUNCT, EOF
    }

    /** One token; {@code text} is the keyword/identifier/string/pattern text, numbers in {@code value}. */
    record Token(Kind kind, String text, long value, long mask, long hi, long lo, int prefixLen, boolean flag,
                 int line, int column) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }

        boolean isPunct(char c) {
            return kind == Kind.PUNCT && text.charAt(0) == c;
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of file";
                case STRING -> "string \"" + text + "\"";
                case PATTERN -> "pattern /" + text + "/";
                case INT -> "number " + value;
                default -> "'" + text + "'";
            };
        }
    }

    private static final Map<String, Kind> WORDS = Map.ofEntries(
            Map.entry("disable", Kind.KEYWORD), Map.entry("dst-ip", Kind.KEYWORD),
            Map.entry("dst-port", Kind.KEYWORD), Map.entry("enable", Kind.KEYWORD),
            Map.entry("eval", Kind.KEYWORD), Map.entry("event", Kind.KEYWORD),
            Map.entry("file-mime", Kind.KEYWORD), Map.entry("header", Kind.KEYWORD),
            Map.entry("ip-options", Kind.KEYWORD), Map.entry("ip-proto", Kind.KEYWORD),
            Map.entry("payload-size", Kind.KEYWORD), Map.entry("requires-signature", Kind.KEYWORD),
            Map.entry("requires-reverse-signature", Kind.KEYWORD), Map.entry("signature", Kind.KEYWORD),
            Map.entry("same-ip", Kind.KEYWORD), Map.entry("src-ip", Kind.KEYWORD),
            Map.entry("src-port", Kind.KEYWORD), Map.entry("tcp-state", Kind.KEYWORD),
            Map.entry("udp-state", Kind.KEYWORD), Map.entry("active", Kind.KEYWORD),
            Map.entry("ip", Kind.PROT), Map.entry("ip6", Kind.PROT), Map.entry("icmp", Kind.PROT),
            Map.entry("icmp6", Kind.PROT), Map.entry("tcp", Kind.PROT), Map.entry("udp", Kind.PROT),
            Map.entry("true", Kind.BOOL), Map.entry("false", Kind.BOOL),
            Map.entry("established", Kind.STATE), Map.entry("originator", Kind.STATE),
            Map.entry("responder", Kind.STATE), Map.entry("stateless", Kind.STATE),
            Map.entry("lsrr", Kind.IPOPT), Map.entry("lsrre", Kind.IPOPT), Map.entry("rr", Kind.IPOPT),
            Map.entry("ssrr", Kind.IPOPT),
            Map.entry("file-magic", Kind.PATTERN_TYPE), Map.entry("payload", Kind.PATTERN_TYPE),
            Map.entry("http-request", Kind.PATTERN_TYPE), Map.entry("http-request-body", Kind.PATTERN_TYPE),
            Map.entry("http-reply-body", Kind.PATTERN_TYPE), Map.entry("http-body", Kind.PATTERN_TYPE),
            Map.entry("http-request-header", Kind.PATTERN_TYPE),
            Map.entry("http-reply-header", Kind.PATTERN_TYPE), Map.entry("http", Kind.PATTERN_TYPE),
            Map.entry("ftp", Kind.PATTERN_TYPE), Map.entry("finger", Kind.PATTERN_TYPE));

    private final String src;
    private final String file;
    private final List<io.picket.policy.PolicyError> errors;
    private int pos;
    private int line = 1;
    private int lineStart;

    SigLexer(String file, String src, List<io.picket.policy.PolicyError> errors) {
        this.file = file;
        this.src = src;
        this.errors = errors;
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = next();
            if (t != null) {
                out.add(t);
            }
        } while (t == null || t.kind() != Kind.EOF);
        return out;
    }

    private int col() {
        return pos - lineStart + 1;
    }

    private void error(int l, int c, String msg) {
        errors.add(new io.picket.policy.PolicyError(file, l, c, msg));
    }

    private Token tok(Kind k, String text, int l, int c) {
        return new Token(k, text, 0, 0, 0, 0, 0, false, l, c);
    }

    /** The next token, or null after skipping an unrecognized character (already reported). */
    private Token next() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '.' && isMetaLine()) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        int l = line;
        int c0 = col();
        if (pos >= src.length()) {
            return tok(Kind.EOF, "", l, c0);
        }
        char c = src.charAt(pos);
        if (c == '[') {
            Token ip6 = ipv6(l, c0);
            if (ip6 != null) {
                return ip6;
            }
        }
        if (c == '!' && pos + 1 < src.length() && src.charAt(pos + 1) == '=') {
            pos += 2;
            return tok(Kind.COMP, "!=", l, c0);
        }
        if ("!][{}&:,-".indexOf(c) >= 0) {
            pos++;
            return tok(Kind.PUNCT, String.valueOf(c), l, c0);
        }
        if (c == '<' || c == '>' || c == '=' || c == '!') {
            String two = pos + 1 < src.length() ? src.substring(pos, pos + 2) : "";
            if (two.equals("<=") || two.equals(">=") || two.equals("==") || two.equals("!=")) {
                pos += 2;
                return tok(Kind.COMP, two, l, c0);
            }
            pos++;
            return tok(Kind.COMP, String.valueOf(c), l, c0);
        }
        if (c == '"') {
            return string(l, c0);
        }
        if (c == '/') {
            return pattern(l, c0);
        }
        if (c >= '0' && c <= '9') {
            return number(l, c0);
        }
        if (Character.isLetter(c) && c < 128 || c == '_') {
            return word(l, c0);
        }
        pos++;
        error(l, c0, "unrecognized character in input: '" + printable(c) + "'");
        return null;
    }

    private static String printable(char c) {
        return c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    private boolean isMetaLine() {
        int i = pos + 1;
        int start = i;
        while (i < src.length() && " \t\n".indexOf(src.charAt(i)) < 0) {
            i++;
        }
        if (i == start || i >= src.length() || src.charAt(i) == '\n') {
            return false;
        }
        while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i++;
        }
        return i < src.length() && src.charAt(i) != '\n';
    }

    private Token string(int l, int c0) {
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != '"' && src.charAt(i) != '\n') {
            if (src.charAt(i) == '\\' && i + 1 < src.length() && src.charAt(i + 1) == '"') {
                i += 2;
            } else {
                i++;
            }
        }
        if (i >= src.length() || src.charAt(i) != '"') {
            error(l, c0, "unterminated string");
            String text = src.substring(pos + 1, i);
            pos = i;
            return tok(Kind.STRING, text, l, c0);
        }
        String text = src.substring(pos + 1, i);
        pos = i + 1;
        return tok(Kind.STRING, text, l, c0);
    }

    private Token pattern(int l, int c0) {
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != '/' && src.charAt(i) != '\n') {
            if (src.charAt(i) == '\\' && i + 1 < src.length() && src.charAt(i + 1) != '\n') {
                i += 2;
            } else {
                i++;
            }
        }
        if (i >= src.length() || src.charAt(i) != '/') {
            error(l, c0, "unterminated pattern (a pattern must end with '/' on the same line)");
            String text = src.substring(pos + 1, Math.min(i, src.length()));
            pos = i;
            return new Token(Kind.PATTERN, text, 0, 0, 0, 0, 0, false, l, c0);
        }
        String text = src.substring(pos + 1, i);
        pos = i + 1;
        boolean ci = false;
        if (pos < src.length() && src.charAt(pos) == 'i') {
            ci = true;
            pos++;
        }
        return new Token(Kind.PATTERN, text, 0, 0, 0, 0, 0, ci, l, c0);
    }

    private Token number(int l, int c0) {
        int start = pos;
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
            int i = pos + 2;
            while (i < src.length() && Character.digit(src.charAt(i), 16) >= 0) {
                i++;
            }
            if (i > pos + 2) {
                String hex = src.substring(pos + 2, i);
                pos = i;
                long v = hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
                if (v < 0) {
                    error(l, c0, "number 0x" + hex + " does not fit 32 bits");
                    v = 0;
                }
                return new Token(Kind.INT, "0x" + hex, v, 0, 0, 0, 0, false, l, c0);
            }
        }
        int i = pos;
        while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.')) {
            i++;
        }
        String text = src.substring(pos, i);
        if (text.indexOf('.') >= 0) {
            long v4 = IpAddress.parseV4(text, 0, text.length());
            if (v4 < 0) {
                pos = i;
                error(l, c0, "invalid IPv4 address '" + text + "'");
                return new Token(Kind.IP4, text, 0, 0xFFFF_FFFFL, 0, 0, 32, false, l, c0);
            }
            pos = i;
            // optional "/len"
            int j = pos;
            while (j < src.length() && (src.charAt(j) == ' ' || src.charAt(j) == '\t')) {
                j++;
            }
            if (j < src.length() && src.charAt(j) == '/') {
                int k = j + 1;
                while (k < src.length() && (src.charAt(k) == ' ' || src.charAt(k) == '\t')) {
                    k++;
                }
                int d = k;
                while (d < src.length() && Character.isDigit(src.charAt(d))) {
                    d++;
                }
                if (d > k) {
                    int len = d - k > 3 ? 999 : Integer.parseInt(src.substring(k, d));
                    pos = d;
                    if (len > 32) {
                        error(l, c0, "invalid IPv4 prefix length /" + len);
                        len = 32;
                    }
                    long mask = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
                    return new Token(Kind.IP4, src.substring(start, d), v4 & mask, mask, 0, 0, len, false, l, c0);
                }
            }
            return new Token(Kind.IP4, text, v4, 0xFFFF_FFFFL, 0, 0, 32, false, l, c0);
        }
        pos = i;
        long v = text.length() > 10 ? Long.MAX_VALUE : Long.parseLong(text);
        if (v > 0xFFFF_FFFFL) {
            error(l, c0, "number " + text + " does not fit 32 bits");
            v = 0;
        }
        return new Token(Kind.INT, text, v, 0, 0, 0, 0, false, l, c0);
    }

    private Token word(int l, int c0) {
        int i = pos;
        while (true) {
            while (i < src.length() && isIdChar(src.charAt(i))) {
                i++;
            }
            if (i + 2 < src.length() && src.charAt(i) == ':' && src.charAt(i + 1) == ':'
                    && (Character.isLetter(src.charAt(i + 2)) || src.charAt(i + 2) == '_')) {
                i += 2;
                continue;
            }
            break;
        }
        String w = src.substring(pos, i);
        pos = i;
        Kind k = WORDS.getOrDefault(w, Kind.IDENT);
        return tok(k, w, l, c0);
    }

    private static boolean isIdChar(char c) {
        return (c < 128 && Character.isLetterOrDigit(c)) || c == '_' || c == '-';
    }

    private Token ipv6(int l, int c0) {
        int close = src.indexOf(']', pos);
        int nl = src.indexOf('\n', pos);
        if (close < 0 || (nl >= 0 && nl < close)) {
            return null;
        }
        String inner = src.substring(pos + 1, close);
        if ((!inner.contains("::") && inner.chars().filter(ch -> ch == ':').count() != 7) || !inner.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':'
                || ch == '.' || ch == 'x')) {
            return null;
        }
        String addr = inner.startsWith("0x") ? inner.substring(2) : inner;
        long[] hl = new long[2];
        if (!IpAddress.parse(addr, hl)) {
            pos = close + 1;
            error(l, c0, "invalid IPv6 address '[" + inner + "]'");
            return new Token(Kind.IP6, inner, 0, 0, 0, 0, 128, false, l, c0);
        }
        pos = close + 1;
        int len = 128;
        int j = pos;
        while (j < src.length() && (src.charAt(j) == ' ' || src.charAt(j) == '\t')) {
            j++;
        }
        if (j < src.length() && src.charAt(j) == '/') {
            int k = j + 1;
            while (k < src.length() && (src.charAt(k) == ' ' || src.charAt(k) == '\t')) {
                k++;
            }
            int d = k;
            while (d < src.length() && Character.isDigit(src.charAt(d))) {
                d++;
            }
            if (d > k) {
                len = d - k > 3 ? 999 : Integer.parseInt(src.substring(k, d));
                pos = d;
                if (len > 128) {
                    error(l, c0, "invalid IPv6 prefix length /" + len);
                    len = 128;
                }
            }
        }
        return new Token(Kind.IP6, inner, 0, 0, hl[0], hl[1], len, false, l, c0);
    }
}
