package io.picket.tenant;

/**
 * An IP prefix over the 128-bit address space used by {@link io.picket.decode.Packet}: the
 * network as two big-endian longs plus a length 0..128. IPv4 prefixes are stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d/96+len}), as Zeek stores IPv4 subnets, so one prefix matches the
 * IPv4 addresses of a packet directly.
 *
 * <p>Immutable. Parsing is for configuration time and throws {@link IllegalArgumentException}
 * naming the problem; {@link #contains} allocates nothing.
 */
public record IpPrefix(long hi, long lo, int length) {

    /** The high 32 bits of the low word of an IPv4-mapped address ({@code ::ffff:0:0/96}). */
    static final long V4_MAPPED_LO = 0x0000_FFFF_0000_0000L;

    /** Validates the length and that no host bits are set. */
    public IpPrefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0..128");
        }
        if ((hi & ~hiMask(length)) != 0 || (lo & ~loMask(length)) != 0) {
            throw new IllegalArgumentException("host bits set below prefix length " + length);
        }
    }

    /** The IPv4 prefix {@code a.b.c.d/len}, stored IPv4-mapped. */
    public static IpPrefix ipv4(int address, int length) {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " out of range 0..32");
        }
        return new IpPrefix(0, V4_MAPPED_LO | (address & 0xFFFF_FFFFL), 96 + length);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or Zeek's bracketed {@code [2001:db8::]/32}.
     * The length is required and host bits must be zero (a typo such as {@code 10.1.0.0/8}
     * is reported, not silently masked).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (write e.g. 10.0.0.0/8)");
        }
        String address = text.substring(0, slash).strip();
        String lengthText = text.substring(slash + 1).strip();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        int length = parseDecimal(lengthText, 128);
        if (length < 0) {
            throw new IllegalArgumentException("'" + text + "': bad prefix length '" + lengthText + "'");
        }
        long hi;
        long lo;
        if (address.indexOf(':') < 0) {
            long v4 = parseIpv4(address);
            if (v4 < 0) {
                throw new IllegalArgumentException("'" + text + "': bad IPv4 address '" + address + "'");
            }
            if (length > 32) {
                throw new IllegalArgumentException("'" + text + "': IPv4 prefix length " + length + " exceeds 32");
            }
            hi = 0;
            lo = V4_MAPPED_LO | v4;
            length += 96;
        } else {
            long[] words = parseIpv6(address);
            if (words == null) {
                throw new IllegalArgumentException("'" + text + "': bad IPv6 address '" + address + "'");
            }
            hi = words[0];
            lo = words[1];
        }
        if ((hi & ~hiMask(length)) != 0 || (lo & ~loMask(length)) != 0) {
            IpPrefix network = new IpPrefix(hi & hiMask(length), lo & loMask(length), length);
            throw new IllegalArgumentException("'" + text + "' has host bits set (network is " + network + ")");
        }
        return new IpPrefix(hi, lo, length);
    }

    /** True if the address ({@code hi}, {@code lo}) lies in this prefix. Allocates nothing. */
    public boolean contains(long addrHi, long addrLo) {
        return (addrHi & hiMask(length)) == hi && (addrLo & loMask(length)) == lo;
    }

    /** True if this prefix lies inside {@code ::ffff:0:0/96}, i.e. is an IPv4 prefix. */
    public boolean isIpv4() {
        return length >= 96 && hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LO;
    }

    /** The 6to4 image {@code 2002:a.b.c.d::/16+len} of an IPv4 prefix (RFC 3056). */
    public IpPrefix sixToFourImage() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 prefix");
        }
        long v4 = lo & 0xFFFF_FFFFL;
        return new IpPrefix(0x2002_0000_0000_0000L | (v4 << 16), 0, 16 + (length - 96));
    }

    /** Mask of the high word for a prefix of {@code length} bits. */
    static long hiMask(int length) {
        if (length >= 64) {
            return -1L;
        }
        return length == 0 ? 0 : -1L << (64 - length);
    }

    /** Mask of the low word for a prefix of {@code length} bits. */
    static long loMask(int length) {
        if (length <= 64) {
            return 0;
        }
        return length == 128 ? -1L : -1L << (128 - length);
    }

    /** Zeek's notation without brackets: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(48);
        if (isIpv4()) {
            long v4 = lo & 0xFFFF_FFFFL;
            sb.append(v4 >>> 24).append('.').append((v4 >>> 16) & 0xFF).append('.')
                    .append((v4 >>> 8) & 0xFF).append('.').append(v4 & 0xFF)
                    .append('/').append(length - 96);
            return sb.toString();
        }
        appendIpv6(sb, hi, lo);
        return sb.append('/').append(length).toString();
    }

    /** Appends an IPv6 address in RFC 5952 form (longest run of two or more zero groups as ::). */
    static void appendIpv6(StringBuilder sb, long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }

    /** Decimal 0..max without sign or leading zeros (except "0"), or -1. */
    private static int parseDecimal(String s, int max) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /**
     * Dotted quad to 0..2^32-1, or -1 on error. Leading zeros are refused because some
     * tools read them as octal.
     */
    static long parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String part : parts) {
            int octet = parseDecimal(part, 255);
            if (octet < 0) {
                return -1;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /** IPv6 text (with optional :: and trailing dotted quad) to {hi, lo}; null on error. */
    static long[] parseIpv6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount = 0;
        if (dc < 0) {
            headCount = parseGroups(s, head, true);
            if (headCount != 8) {
                return null;
            }
        } else {
            String left = s.substring(0, dc);
            String right = s.substring(dc + 2);
            headCount = left.isEmpty() ? 0 : parseGroups(left, head, false);
            tailCount = right.isEmpty() ? 0 : parseGroups(right, tail, true);
            if (headCount < 0 || tailCount < 0 || headCount + tailCount > 7) {
                return null;
            }
        }
        int[] g = new int[8];
        System.arraycopy(head, 0, g, 0, headCount);
        System.arraycopy(tail, 0, g, 8 - tailCount, tailCount);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | g[i];
            lo = (lo << 16) | g[4 + i];
        }
        return new long[] {hi, lo};
    }

    /** Colon-separated hex groups (the last may be a dotted quad); count, or -1 on error. */
    private static int parseGroups(String s, int[] out, boolean allowV4Tail) {
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && allowV4Tail && p.indexOf('.') >= 0) {
                long v4 = parseIpv4(p);
                if (v4 < 0 || n + 2 > 8) {
                    return -1;
                }
                out[n++] = (int) (v4 >>> 16);
                out[n++] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n >= 8) {
                return -1;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            out[n++] = v;
        }
        return n;
    }
}
