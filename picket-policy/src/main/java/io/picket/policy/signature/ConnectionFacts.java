package io.picket.policy.signature;

import io.picket.policy.IpAddress;

/**
 * What a {@link ConnectionMatcher} needs to know about its connection: the IP protocol (6 TCP,
 * 17 UDP, 1 ICMP, 58 ICMPv6) and the originator and responder addresses (128-bit, IPv4-mapped)
 * and ports. Immutable.
 */
public record ConnectionFacts(int ipProto, long origHi, long origLo, int origPort, long respHi, long respLo,
                              int respPort) {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMP6 = 58;

    /** Facts from text addresses (dotted quad or IPv6); a convenience for tests and tools. */
    public static ConnectionFacts of(int ipProto, String origAddr, int origPort, String respAddr, int respPort) {
        long[] o = new long[2];
        long[] r = new long[2];
        if (!IpAddress.parse(origAddr, o) || !IpAddress.parse(respAddr, r)) {
            throw new IllegalArgumentException("bad address");
        }
        return new ConnectionFacts(ipProto, o[0], o[1], origPort, r[0], r[1], respPort);
    }

    public boolean ipv6() {
        return !IpAddress.isIpv4(origHi, origLo);
    }
}
