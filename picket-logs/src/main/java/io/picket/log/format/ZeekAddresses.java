package io.picket.log.format;

/**
 * Zeek's text form of IP addresses ({@code IPAddr::AsString}), for every place that writes one
 * (log fields, x509 SAN addresses, policy messages). Addresses are 128 bits as two big-endian
 * longs ({@code hi}, {@code lo}) with IPv4 stored IPv4-mapped ({@code ::ffff:a.b.c.d}).
 *
 * <p>IPv4-mapped addresses print as a dotted quad; everything else as Zeek's bundled
 * {@code inet_ntop} (BIND/Vixie) prints it: lower-case hex without leading zeros, the longest run
 * of two or more zero groups (the first one on a tie) compressed to {@code ::}, and a trailing
 * dotted quad for the IPv4-compatible ({@code ::a.b.c.d}) and IPv4-translated
 * ({@code ::ffff:0:a.b.c.d}) forms.
 *
 * <p>Stateless; any thread. {@link #appendTo} does not allocate beyond the builder's growth.
 */
public final class ZeekAddresses {
    /** The {@code lo} word prefix of an IPv4-mapped address. */
    public static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ZeekAddresses() {
    }

    /** True if the address is IPv4-mapped, i.e. an IPv4 address in Zeek's sense. */
    public static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** The {@code lo} word of the IPv4-mapped form of a 32-bit IPv4 address ({@code hi} is 0). */
    public static long ipv4Lo(int addr) {
        return V4_MAPPED_PREFIX | (addr & 0xFFFF_FFFFL);
    }

    /** Zeek's text form of a 4-byte (IPv4) or 16-byte (IPv6) network-order address. */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return format(0, ipv4Lo(((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff)));
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + a.length);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (a[i] & 0xff);
            lo = (lo << 8) | (a[8 + i] & 0xff);
        }
        return format(hi, lo);
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
            // IPv4-compatible, -mapped and -translated forms end in a dotted quad (Zeek's inet_ntop)
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

    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    private static StringBuilder appendDotted(StringBuilder sb, int v) {
        return sb.append((v >>> 24) & 0xFF).append('.').append((v >>> 16) & 0xFF).append('.')
                .append((v >>> 8) & 0xFF).append('.').append(v & 0xFF);
    }
}
