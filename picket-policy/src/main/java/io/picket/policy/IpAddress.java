package io.picket.policy;

import io.picket.log.format.ZeekAddresses;

/**
 * 128-bit addresses as two big-endian longs ({@code hi}, {@code lo}), IPv4 stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}) as everywhere in Picket: parsing of the textual forms used in policy
 * files and Zeek's text form for logs (IPv4 as a dotted quad, IPv6 lower-case with the longest run
 * of two or more zero groups compressed, IPv4-compatible and IPv4-translated forms with a trailing
 * dotted quad). Stateless; any thread.
 */
public final class IpAddress {
    /** The {@code lo} word prefix of an IPv4-mapped address. */
    public static final long V4_MAPPED_PREFIX = ZeekAddresses.V4_MAPPED_PREFIX;

    private IpAddress() {
    }

    /** True if the address is IPv4-mapped, i.e. an IPv4 address in Zeek's sense. */
    public static boolean isIpv4(long hi, long lo) {
        return ZeekAddresses.isIpv4(hi, lo);
    }

    /** The {@code lo} word of the IPv4-mapped form of a 32-bit IPv4 address ({@code hi} is 0). */
    public static long ipv4Lo(int addr) {
        return ZeekAddresses.ipv4Lo(addr);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 address (RFC 4291 text forms, optional trailing dotted
     * quad) into {@code out[0]=hi, out[1]=lo}; returns false if the text is no address.
     */
    public static boolean parse(CharSequence s, long[] out) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        boolean colon = false;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == ':') {
                colon = true;
                break;
            }
        }
        if (!colon) {
            long v4 = parseV4(s, 0, n);
            if (v4 < 0) {
                return false;
            }
            out[0] = 0;
            out[1] = ipv4Lo((int) v4);
            return true;
        }
        return parseV6(s, out);
    }

    /** Parses a dotted quad in {@code s[from, to)} (no leading zeros); returns the address or -1. */
    public static long parseV4(CharSequence s, int from, int to) {
        long result = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int v = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || v > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1; // like inet_pton: no leading zeros (they read as octal elsewhere)
            }
            result = (result << 8) | v;
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? result : -1;
    }

    private static boolean parseV6(CharSequence s, long[] out) {
        int n = s.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            gap = 0;
            i = 2;
            if (i == n) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < n) {
            int start = i;
            int v = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 5) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                long v4 = parseV4(s, start, n);
                if (v4 < 0 || count > 6) {
                    return false;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            if (i == start || i - start > 4 || count >= 8) {
                return false;
            }
            groups[count++] = v;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return false;
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (count > 7) {
                return false;
            }
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        } else {
            if (count != 8) {
                return false;
            }
            full = groups;
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    /** Zeek's text form of the address ({@link ZeekAddresses#format}). */
    public static String format(long hi, long lo) {
        return ZeekAddresses.format(hi, lo);
    }

    /** Appends Zeek's text form of the address to {@code sb} and returns {@code sb}. */
    public static StringBuilder appendTo(StringBuilder sb, long hi, long lo) {
        return ZeekAddresses.appendTo(sb, hi, lo);
    }
}
