package io.picket.decode;

/**
 * 128-bit addresses as two big-endian longs ({@code hi}, {@code lo}), IPv4 stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), as in {@link Packet}: text conversion the way Zeek prints and parses
 * them.
 *
 * <p>Formatting follows Zeek's {@code IPAddr::AsString}: IPv4-mapped addresses print as a dotted
 * quad; everything else goes through Zeek's bundled {@code inet_ntop} (BIND/Vixie), i.e. lower-case
 * hex without leading zeros, the longest run of two or more zero groups (the first one on a tie)
 * compressed to {@code ::}, and a trailing dotted quad for the IPv4-compatible ({@code ::a.b.c.d})
 * and IPv4-translated ({@code ::ffff:0:a.b.c.d}) forms.
 *
 * <p>Stateless; usable from any thread. {@link #appendTo} does not allocate beyond the builder's growth.
 */
public final class Addresses {
    /** The {@code lo} word prefix of an IPv4-mapped address. */
    public static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Addresses() {
    }

    /** The {@code lo} word of the IPv4-mapped form of a 32-bit IPv4 address ({@code hi} is 0). */
    public static long ipv4Lo(int addr) {
        return V4_MAPPED_PREFIX | (addr & 0xFFFF_FFFFL);
    }

    /** True if the address is IPv4-mapped, i.e. an IPv4 address in Zeek's sense. */
    public static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** Zeek's text form of the address. */
    public static String format(long hi, long lo) {
        return appendTo(new StringBuilder(39), hi, lo).toString();
    }

    /** Appends Zeek's text form of the address to {@code sb} and returns {@code sb}. */
    public static StringBuilder appendTo(StringBuilder sb, long hi, long lo) {
        if (isIpv4(hi, lo)) {
            return appendDotted(sb, (int) lo);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (word(hi, lo, i) == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0
                    && (bestLen == 6
                            || (bestLen == 7 && word(hi, lo, 7) != 0x0001)
                            || (bestLen == 5 && word(hi, lo, 5) == 0xFFFF)
                            || (bestLen == 4 && word(hi, lo, 4) == 0xFFFF && word(hi, lo, 5) == 0))) {
                return appendDotted(sb, (int) lo);
            }
            appendHex(sb, word(hi, lo, i));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb;
    }

    private static int word(long hi, long lo, int i) {
        long w = i < 4 ? hi : lo;
        return (int) (w >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    private static StringBuilder appendDotted(StringBuilder sb, int a) {
        return sb.append((a >>> 24) & 0xFF).append('.').append((a >>> 16) & 0xFF).append('.')
                .append((a >>> 8) & 0xFF).append('.').append(a & 0xFF);
    }

    private static void appendHex(StringBuilder sb, int w) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (w >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 address (RFC 4291 text, with {@code ::} and an optional
     * trailing dotted quad) into {@code {hi, lo}}; IPv4 is returned IPv4-mapped.
     *
     * @throws IllegalArgumentException if the text is not an address (configuration error)
     */
    /** Network-order bytes of an address: 4 for IPv4(-mapped), 16 for IPv6. Allocates. */
    public static byte[] toBytes(long hi, long lo) {
        if (isIpv4(hi, lo)) {
            int a = (int) lo;
            return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    public static long[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (text.indexOf(':') < 0) {
            int v4 = parseDotted(text, 0, text.length());
            return new long[] {0L, ipv4Lo(v4)};
        }
        int[] words = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == len) {
                return new long[] {0L, 0L};
            }
        } else if (text.charAt(0) == ':') {
            throw bad(text);
        }
        while (i < len) {
            int end = i;
            while (end < len && text.charAt(end) != ':') {
                end++;
            }
            if (end == i) {
                throw bad(text);
            }
            if (end == len && text.indexOf('.', i) >= 0) {
                if (n > 6) {
                    throw bad(text);
                }
                int v4 = parseDotted(text, i, end);
                words[n++] = (v4 >>> 16) & 0xFFFF;
                words[n++] = v4 & 0xFFFF;
                i = end;
                break;
            }
            if (end - i > 4 || n >= 8) {
                throw bad(text);
            }
            int w = 0;
            for (int k = i; k < end; k++) {
                int d = Character.digit(text.charAt(k), 16);
                if (d < 0) {
                    throw bad(text);
                }
                w = (w << 4) | d;
            }
            words[n++] = w;
            if (end == len) {
                i = end;
                break;
            }
            // end points at ':'
            if (end + 1 < len && text.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    throw bad(text);
                }
                gap = n;
                i = end + 2;
            } else {
                if (end + 1 == len) {
                    throw bad(text);
                }
                i = end + 1;
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (n >= 8) {
                throw bad(text);
            }
            int tail = n - gap;
            System.arraycopy(words, 0, full, 0, gap);
            System.arraycopy(words, gap, full, 8 - tail, tail);
        } else {
            if (n != 8) {
                throw bad(text);
            }
            System.arraycopy(words, 0, full, 0, 8);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | full[k];
            lo = (lo << 16) | full[4 + k];
        }
        return new long[] {hi, lo};
    }

    private static int parseDotted(String text, int from, int to) {
        int value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int octet = 0;
            while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    throw bad(text);
                }
            }
            if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                throw bad(text);
            }
            value = (value << 8) | octet;
            parts++;
            if (parts < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    throw bad(text);
                }
                i++;
            }
        }
        if (i != to) {
            throw bad(text);
        }
        return value;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not an IP address: '" + text + "'");
    }
}
