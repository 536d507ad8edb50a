package io.picket.analyzer.ssh;

import java.net.InetAddress;

/**
 * Zeek's default {@code Site::is_local_addr}: membership in {@code Site::local_nets}, which by
 * default ({@code Site::private_address_space_is_local = T}, empty {@code local_nets}) is
 * {@code Site::private_address_space} of {@code scripts/base/utils/site.zeek}. Used for the
 * {@code direction} column of {@code ssh.log}.
 *
 * <p>Addresses are given in Zeek's text form; IPv4 (and IPv4-mapped IPv6) addresses match the
 * IPv4 prefixes. Stateless; safe on any thread. Never throws: an unparsable address is not local.
 */
final class SiteNets {

    /** IPv4 prefixes (network, length) of the private address space. */
    private static final int[][] V4 = {
            {ip4(0, 0, 0, 0), 8},
            {ip4(10, 0, 0, 0), 8},
            {ip4(100, 64, 0, 0), 10},
            {ip4(127, 0, 0, 0), 8},
            {ip4(169, 254, 0, 0), 16},
            {ip4(172, 16, 0, 0), 12},
            {ip4(192, 0, 0, 0), 24},
            {ip4(192, 0, 2, 0), 24},
            {ip4(192, 168, 0, 0), 16},
            {ip4(198, 18, 0, 0), 15},
            {ip4(198, 51, 100, 0), 24},
            {ip4(203, 0, 113, 0), 24},
            {ip4(224, 0, 0, 0), 24},
            {ip4(239, 0, 0, 0), 8},
            {ip4(240, 0, 0, 0), 4},
            {ip4(255, 255, 255, 255), 32},
    };

    /** IPv6 prefixes: (hi, lo) network words and length; the 6to4 images of the IPv4 ranges follow. */
    private static final long[][] V6 = buildV6();

    private SiteNets() {
    }

    /** True if the address (Zeek text form) lies in Zeek's default local networks. */
    static boolean isLocal(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        byte[] raw;
        try {
            raw = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length == 4) {
            int a = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
            for (int[] p : V4) {
                int mask = p[1] == 0 ? 0 : -1 << (32 - p[1]);
                if ((a & mask) == p[0]) {
                    return true;
                }
            }
            return false;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (raw[i] & 0xff);
            lo = (lo << 8) | (raw[8 + i] & 0xff);
        }
        for (long[] p : V6) {
            int len = (int) p[2];
            long hiMask = len >= 64 ? -1L : (len == 0 ? 0 : -1L << (64 - len));
            long loMask = len <= 64 ? 0 : (len == 128 ? -1L : -1L << (128 - len));
            if ((hi & hiMask) == p[0] && (lo & loMask) == p[1]) {
                return true;
            }
        }
        return false;
    }

    private static int ip4(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    private static long[][] buildV6() {
        long[][] fixed = {
                {0L, 0L, 128},                              // ::/128
                {0L, 1L, 128},                              // ::1/128
                {0x0064ff9b00010000L, 0L, 48},              // 64:ff9b:1::/48
                {0x0100000000000000L, 0L, 64},              // 100::/64
                {0x2001000000000000L, 0L, 23},              // 2001::/23
                {0x2001000200000000L, 0L, 48},              // 2001:2::/48
                {0x20010db800000000L, 0L, 32},              // 2001:db8::/32
                {0xfc00000000000000L, 0L, 7},               // fc00::/7
                {0xfe80000000000000L, 0L, 10},              // fe80::/10
                {0xfec0000000000000L, 0L, 10},              // fec0::/10
        };
        long[][] all = new long[fixed.length + V4.length][];
        System.arraycopy(fixed, 0, all, 0, fixed.length);
        for (int i = 0; i < V4.length; i++) {
            // 6to4 image: 2002: followed by the 32 IPv4 bits, length 16 + IPv4 length
            long hi = (0x2002L << 48) | ((V4[i][0] & 0xffffffffL) << 16);
            all[fixed.length + i] = new long[] {hi, 0L, 16 + V4[i][1]};
        }
        return all;
    }
}
