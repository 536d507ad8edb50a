package io.picket.log.format;

/**
 * Zeek's string escaping over raw bytes, shared by the TSV and JSON formats.
 *
 * <p>Zeek ({@code util::escape_utf8}) decides per run of bytes: if every byte is printable
 * ASCII (plus, for JSON, the controls {@code \b \t \n \f \r}) or part of an acceptable UTF-8
 * character, the run is copied as is; otherwise every byte that is not printable ASCII is
 * written as {@code \xhh}, including the bytes of otherwise valid multi-byte characters in the
 * same run. Acceptable UTF-8 is well-formed UTF-8 whose code point is not a C1 control
 * (U+0080-U+009F), in the private use area U+E000-U+F8FF, or in U+FFF0-U+FFFF.
 */
final class ZeekEscapes {
    /** TSV: only 0x20-0x7e count as plain ASCII. */
    static final boolean TSV = false;
    /** JSON: 0x20-0x7e plus \b \t \n \f \r. */
    static final boolean JSON = true;

    private ZeekEscapes() {
    }

    static boolean plainAscii(int c, boolean json) {
        if (c >= 0x20 && c < 0x7f) {
            return true;
        }
        return json && (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r');
    }

    /** True when the run copies through unescaped. */
    static boolean clean(byte[] b, int from, int to, boolean json) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (plainAscii(c, json)) {
                i++;
                continue;
            }
            int n = acceptableCharLength(b, i, to);
            if (n <= 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /**
     * Length of the acceptable multi-byte UTF-8 character at {@code i}, or -1 for ASCII
     * controls, malformed or truncated sequences and excluded code points.
     */
    static int acceptableCharLength(byte[] b, int i, int to) {
        int c = b[i] & 0xff;
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        int cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0f;
            if (c == 0xe0) {
                lo = 0xa0;
            } else if (c == 0xed) {
                hi = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07;
            if (c == 0xf0) {
                lo = 0x90;
            } else if (c == 0xf4) {
                hi = 0x8f;
            }
        } else {
            return -1;
        }
        if (i + n > to) {
            return -1;
        }
        int c1 = b[i + 1] & 0xff;
        if (c1 < lo || c1 > hi) {
            return -1;
        }
        cp = (cp << 6) | (c1 & 0x3f);
        for (int j = 2; j < n; j++) {
            int cj = b[i + j] & 0xff;
            if (cj < 0x80 || cj > 0xbf) {
                return -1;
            }
            cp = (cp << 6) | (cj & 0x3f);
        }
        if (cp <= 0x9f || (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xfff0 && cp <= 0xffff)) {
            return -1;
        }
        return n;
    }
}
