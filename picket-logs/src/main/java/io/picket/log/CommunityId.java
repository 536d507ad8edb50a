package io.picket.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hashes ({@code 1:} + base64 of SHA-1), as Zeek's
 * {@code community_id_v1()} logs them in {@code conn.log}'s {@code community_id}.
 *
 * <p>Hash input: seed (2 bytes), source address, destination address, protocol, a zero pad
 * byte, then for TCP, UDP, ICMP and ICMPv6 the source and destination port (2 bytes each, big
 * endian); other protocols hash no ports (Zeek has no ports for them, SCTP included). The
 * endpoints are put in canonical order unless the flow is one-way ICMP: Zeek swaps them unless
 * source address &lt; destination address (bytewise), or the addresses are equal and the
 * source port &lt; destination port, where Zeek compares the ports as stored in network byte
 * order on a little-endian host (that is, byte-swapped), which this class reproduces.
 *
 * <p>ICMP/ICMPv6: the source port is the type and the destination port the code. Request and
 * reply types (echo, timestamp, information, router, address mask; ICMPv6 echo, MLD, router
 * and neighbor discovery, node information 139/140, home agent address discovery 144/145) use
 * the counterpart type instead of the code; all other types are one-way and keep the code.
 *
 * <p>Not thread-safe (holds a {@link MessageDigest}); one instance per thread.
 */
public final class CommunityId {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final int seed;
    private final MessageDigest sha1;
    private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];

    /** Seed 0, Zeek's default ({@code CommunityID::seed}). */
    public CommunityId() {
        this(0);
    }

    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("seed must be 0..65535: " + seed);
        }
        this.seed = seed;
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /**
     * The community id of a flow as seen from its originator.
     *
     * @param proto IP protocol number
     * @param src source address, 4 or 16 bytes
     * @param dst destination address, same length as {@code src}
     * @param srcPort source port, or ICMP type
     * @param dstPort destination port, or ICMP code (or Zeek's counterpart type)
     */
    public String compute(int proto, byte[] src, byte[] dst, int srcPort, int dstPort) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16)) {
            throw new IllegalArgumentException("addresses must both be 4 or 16 bytes");
        }
        boolean ports = proto == TCP || proto == UDP || proto == ICMP || proto == ICMPV6;
        boolean oneWay = false;
        if (proto == ICMP || proto == ICMPV6) {
            int counterpart = proto == ICMP ? icmp4Counterpart(srcPort) : icmp6Counterpart(srcPort);
            if (counterpart < 0) {
                oneWay = true;
            } else {
                dstPort = counterpart;
            }
        }
        srcPort &= 0xffff;
        dstPort &= 0xffff;
        byte[] a = src;
        byte[] b = dst;
        if (!oneWay && !canonicalLess(src, srcPort, dst, dstPort)) {
            a = dst;
            b = src;
            int t = srcPort;
            srcPort = dstPort;
            dstPort = t;
        }
        int n = 0;
        input[n++] = (byte) (seed >> 8);
        input[n++] = (byte) seed;
        System.arraycopy(a, 0, input, n, a.length);
        n += a.length;
        System.arraycopy(b, 0, input, n, b.length);
        n += b.length;
        input[n++] = (byte) proto;
        input[n++] = 0;
        if (ports) {
            input[n++] = (byte) (srcPort >> 8);
            input[n++] = (byte) srcPort;
            input[n++] = (byte) (dstPort >> 8);
            input[n++] = (byte) dstPort;
        }
        sha1.update(input, 0, n);
        return "1:" + BASE64.encodeToString(sha1.digest());
    }

    /** Zeek's {@code addr_port_canon_lt} with ports in network byte order read little-endian. */
    private static boolean canonicalLess(byte[] a1, int p1, byte[] a2, int p2) {
        int c = java.util.Arrays.compareUnsigned(a1, a2);
        if (c != 0) {
            return c < 0;
        }
        return swap16(p1) < swap16(p2);
    }

    private static int swap16(int p) {
        return ((p & 0xff) << 8) | (p >>> 8);
    }

    /** Counterpart of a two-way ICMPv4 type, or -1 for one-way types ({@code ICMP4_counterpart}). */
    static int icmp4Counterpart(int type) {
        return switch (type) {
            case 8 -> 0; // echo -> echo reply
            case 0 -> 8;
            case 13 -> 14; // timestamp
            case 14 -> 13;
            case 15 -> 16; // information
            case 16 -> 15;
            case 10 -> 9; // router solicitation -> advertisement
            case 9 -> 10;
            case 17 -> 18; // address mask
            case 18 -> 17;
            default -> -1;
        };
    }

    /** Counterpart of a two-way ICMPv6 type, or -1 for one-way types ({@code ICMP6_counterpart}). */
    static int icmp6Counterpart(int type) {
        return switch (type) {
            case 128 -> 129; // echo
            case 129 -> 128;
            case 133 -> 134; // router solicitation -> advertisement
            case 134 -> 133;
            case 135 -> 136; // neighbor solicitation -> advertisement
            case 136 -> 135;
            case 130 -> 131; // MLD query -> report
            case 131 -> 130;
            case 139 -> 140; // node information query -> response
            case 140 -> 139;
            case 144 -> 145; // home agent address discovery
            case 145 -> 144;
            default -> -1;
        };
    }
}
