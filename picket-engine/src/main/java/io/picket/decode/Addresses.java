package io.picket.decode;

import io.picket.log.format.ZeekAddresses;
import io.picket.policy.IpAddress;

/**
 * 128-bit addresses as two big-endian longs ({@code hi}, {@code lo}), IPv4 stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), as in {@link Packet}: text conversion the way Zeek prints and parses
 * them.
 *
 * <p>One implementation for the whole product: formatting is {@link ZeekAddresses}', parsing
 * {@link IpAddress}'s (as inet_pton: no leading zeros in a dotted quad). Formatting follows Zeek's {@code IPAddr::AsString}: IPv4-mapped addresses print as a dotted
 * quad; everything else goes through Zeek's bundled {@code inet_ntop} (BIND/Vixie), i.e. lower-case
 * hex without leading zeros, the longest run of two or more zero groups (the first one on a tie)
 * compressed to {@code ::}, and a trailing dotted quad for the IPv4-compatible ({@code ::a.b.c.d})
 * and IPv4-translated ({@code ::ffff:0:a.b.c.d}) forms.
 *
 * <p>Stateless; usable from any thread. {@link #appendTo} does not allocate beyond the builder's growth.
 */
public final class Addresses {
    /** The {@code lo} word prefix of an IPv4-mapped address. */
    public static final long V4_MAPPED_PREFIX = ZeekAddresses.V4_MAPPED_PREFIX;

    private Addresses() {
    }

    /** The {@code lo} word of the IPv4-mapped form of a 32-bit IPv4 address ({@code hi} is 0). */
    public static long ipv4Lo(int addr) {
        return ZeekAddresses.ipv4Lo(addr);
    }

    /** True if the address is IPv4-mapped, i.e. an IPv4 address in Zeek's sense. */
    public static boolean isIpv4(long hi, long lo) {
        return ZeekAddresses.isIpv4(hi, lo);
    }

    /** Zeek's text form of the address. */
    public static String format(long hi, long lo) {
        return ZeekAddresses.format(hi, lo);
    }

    /** Appends Zeek's text form of the address to {@code sb} and returns {@code sb}. */
    public static StringBuilder appendTo(StringBuilder sb, long hi, long lo) {
        return ZeekAddresses.appendTo(sb, hi, lo);
    }

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

    /**
     * Parses an IPv4 dotted quad or an IPv6 address (RFC 4291 text, with {@code ::} and an optional
     * trailing dotted quad) into {@code {hi, lo}}; IPv4 is returned IPv4-mapped.
     *
     * @throws IllegalArgumentException if the text is not an address (configuration error)
     */
    public static long[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        long[] out = new long[2];
        if (!IpAddress.parse(text, out)) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + text);
        }
        return out;
    }
}
