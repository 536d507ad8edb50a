package io.picket.analyzer.http;

/**
 * Zeek's MIME tokenizer helpers ({@code src/analyzer/protocol/mime/MIME.cc}) over byte ranges:
 * linear white space, comments, tokens, field names, quoted strings. Positions are absolute
 * indices into the array; a result of -1 means "not found". Stateless; any thread.
 */
final class Mime {
    private Mime() {
    }

    static boolean isLws(int c) {
        return c == 9 || c == 32;
    }

    /** C {@code isspace} in the "C" locale. */
    static boolean isSpace(int c) {
        return c == ' ' || (c >= 9 && c <= 13);
    }

    /** Length of a (nested) comment starting at {@code from}, 0 if none. */
    static int skipComments(byte[] d, int from, int to) {
        if (from >= to || d[from] != '(') {
            return 0;
        }
        int par = 0;
        for (int i = from; i < to; i++) {
            switch (d[i]) {
                case '(' -> par++;
                case ')' -> {
                    par--;
                    if (par == 0) {
                        return i + 1 - from;
                    }
                }
                case '\\' -> i++;
                default -> {
                }
            }
        }
        return to - from;
    }

    /** Index of the first byte after white space and comments (tspecials are not skipped). */
    static int skipLwsComments(byte[] d, int from, int to) {
        int i = from;
        while (i < to) {
            int c = d[i] & 0xff;
            if (isLws(c)) {
                i++;
            } else if (c == '(') {
                i += skipComments(d, i, to);
            } else {
                return i;
            }
        }
        return to;
    }

    static boolean isTspecial(int c, boolean boundary) {
        if (boundary) {
            return c == '"';
        }
        return c == '(' || c == ')' || c == '<' || c == '>' || c == '@' || c == ',' || c == ';'
                || c == ':' || c == '\\' || c == '"' || c == '/' || c == '[' || c == ']' || c == '?'
                || c == '=';
    }

    static boolean isTokenChar(int c, boolean boundary) {
        return c >= 33 && c <= 126 && !isTspecial(c, boundary);
    }

    static boolean isFieldNameChar(int c) {
        return c >= 33 && c <= 126 && c != ':';
    }

    /**
     * Finds a token ({@code MIME_get_token}): stores its bounds in {@code out[0..1]} and returns
     * the index after it, or -1.
     */
    static int token(byte[] d, int from, int to, boolean boundary, int[] out) {
        int i = boundary ? from : skipLwsComments(d, from, to);
        while (i < to) {
            if (isTokenChar(d[i] & 0xff, boundary)) {
                int j = i;
                while (j < to && isTokenChar(d[j] & 0xff, boundary)) {
                    j++;
                }
                out[0] = i;
                out[1] = j;
                return j;
            }
            int j = skipLwsComments(d, i, to) - i;
            i += j > 0 ? j : 1;
        }
        return -1;
    }

    /** {@code MIME_get_field_name}: like {@link #token} with field-name characters. */
    static int fieldName(byte[] d, int from, int to, int[] out) {
        int i = skipLwsComments(d, from, to);
        while (i < to) {
            if (isFieldNameChar(d[i] & 0xff)) {
                int j = i;
                while (j < to && isFieldNameChar(d[j] & 0xff)) {
                    j++;
                }
                out[0] = i;
                out[1] = j;
                return j;
            }
            int j = skipLwsComments(d, i, to) - i;
            i += j > 0 ? j : 1;
        }
        return -1;
    }

    /** {@code MIME_get_quoted_string}: contents bounds in out, returns index after the quote. */
    static int quotedString(byte[] d, int from, int to, int[] out) {
        int start = skipLwsComments(d, from, to);
        if (start >= to || d[start] != '"') {
            return -1;
        }
        for (int i = start + 1; i < to; i++) {
            if (d[i] == '"') {
                out[0] = start + 1;
                out[1] = i;
                return i + 1;
            }
            if (d[i] == '\\') {
                i++;
            }
        }
        return -1;
    }

    /** {@code MIME_decode_quoted_pairs}. */
    static byte[] decodeQuotedPairs(byte[] d, int from, int to) {
        byte[] out = new byte[to - from];
        int j = 0;
        for (int i = from; i < to; i++) {
            if (d[i] == '\\') {
                if (++i < to) {
                    out[j++] = d[i];
                }
            } else {
                out[j++] = d[i];
            }
        }
        return j == out.length ? out : java.util.Arrays.copyOf(out, j);
    }

    /** Case-insensitive ASCII equality of a byte range with a lower-case literal. */
    static boolean iequals(byte[] d, int from, int to, String lower) {
        if (from < 0 || to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = d[from + i] & 0xff;
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zeek's {@code util::atoi_n}: parses a prefix in the given base; returns false only when
     * the first character is not a digit. An empty range parses as 0.
     */
    static boolean atoi(byte[] d, int from, int to, int base, long[] result) {
        long n = 0;
        boolean neg = false;
        int i = from;
        if (i < to && d[i] == '-') {
            neg = true;
            i++;
        }
        int first = i;
        for (; i < to; i++) {
            int c = d[i] & 0xff;
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c < 'a' - 10 + base) {
                v = c - 'a' + 10;
            } else if (c >= 'A' && c < 'A' - 10 + base) {
                v = c - 'A' + 10;
            } else if (i > first) {
                break;
            } else {
                return false;
            }
            n = n * base + v;
        }
        result[0] = neg ? -n : n;
        return true;
    }

    static byte[] copy(byte[] d, int from, int to) {
        return java.util.Arrays.copyOfRange(d, from, to);
    }

    static byte[] upper(byte[] d, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = 0; i < out.length; i++) {
            int c = d[from + i] & 0xff;
            out[i] = (byte) (c >= 'a' && c <= 'z' ? c - 32 : c);
        }
        return out;
    }

    static boolean isXdigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Receives the weirds of {@link #unescapeUri}. */
    interface WeirdSink {
        void weird(String name, String addl);
    }

    /**
     * Zeek's {@code unescape_URI} ({@code HTTP.cc}): decodes %XX and %uXXXX escapes; weirds
     * {@code illegal_%_at_end_of_URI}, {@code partial_escape_at_end_of_URI},
     * {@code double_%_in_URI} and {@code unescaped_%_in_URI} go to {@code sink} when not null.
     */
    static byte[] unescapeUri(byte[] d, int from, int to, WeirdSink sink) {
        byte[] out = new byte[to - from + 1];
        int o = 0;
        int i = from;
        while (i < to) {
            if (d[i] == '%') {
                i++;
                if (i == to) {
                    out[o++] = '%';
                    if (sink != null) {
                        sink.weird("illegal_%_at_end_of_URI", null);
                    }
                    break;
                } else if (i + 1 == to) {
                    out[o++] = '%';
                    out[o++] = d[i];
                    if (sink != null) {
                        sink.weird("partial_escape_at_end_of_URI", null);
                    }
                    break;
                } else if (d[i] == '%') {
                    if (sink != null) {
                        sink.weird("double_%_in_URI", null);
                    }
                    i--;
                } else if (isXdigit(d[i] & 0xff) && isXdigit(d[i + 1] & 0xff)) {
                    out[o++] = (byte) ((hex(d[i] & 0xff) << 4) + hex(d[i + 1] & 0xff));
                    i++;
                } else if (to - i >= 5 && d[i] == 'u' && isXdigit(d[i + 1] & 0xff)
                        && isXdigit(d[i + 2] & 0xff) && isXdigit(d[i + 3] & 0xff)
                        && isXdigit(d[i + 4] & 0xff)) {
                    if (!(d[i + 1] == '0' && d[i + 2] == '0')) {
                        out[o++] = (byte) ((hex(d[i + 1] & 0xff) << 4) + hex(d[i + 2] & 0xff));
                    }
                    out[o++] = (byte) ((hex(d[i + 3] & 0xff) << 4) + hex(d[i + 4] & 0xff));
                    i += 4;
                } else {
                    if (sink != null) {
                        sink.weird("unescaped_%_in_URI", null);
                    }
                    out[o++] = '%';
                    out[o++] = d[i];
                }
            } else {
                out[o++] = d[i];
            }
            i++;
        }
        return java.util.Arrays.copyOf(out, o);
    }
}
