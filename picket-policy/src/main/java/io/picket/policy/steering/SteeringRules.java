package io.picket.policy.steering;

import java.util.List;

/**
 * Ordered steering rules compiled into flat arrays for a first-match lookup: per rule a 256-bit
 * protocol set, a slice of address prefixes (value and mask as two 64-bit words each, IPv4
 * stored IPv4-mapped) for each side, a slice of port ranges for each side, the both-directions
 * flag and the profile. {@link #match} walks the rules in order and allocates nothing. Immutable;
 * any thread (the shard thread calls it once per new connection).
 */
public final class SteeringRules {
    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];

    private final int count;
    /** 4 words per rule: bit {@code p} set if IP protocol {@code p} matches. */
    private final long[] proto;
    /** Per rule: start/end (exclusive) into the prefix arrays, originator then responder. */
    private final int[] origNetFrom, origNetTo, respNetFrom, respNetTo;
    /** Prefixes: value hi/lo and mask hi/lo. */
    private final long[] netHi, netLo, maskHi, maskLo;
    /** Per rule: start/end (exclusive) into the port range arrays, originator then responder. */
    private final int[] origPortFrom, origPortTo, respPortFrom, respPortTo;
    /** Port ranges, inclusive. */
    private final int[] portLo, portHi;
    private final boolean[] both;
    private final byte[] profile;

    /** One parsed rule; {@code protoBits} null = any protocol; empty lists = any. */
    record Spec(int profile, long[] protoBits, List<long[]> origNets, List<long[]> respNets, List<int[]> origPorts,
                List<int[]> respPorts, boolean bothDirections) {
    }

    private SteeringRules(int count, long[] proto, int[] origNetFrom, int[] origNetTo, int[] respNetFrom,
                          int[] respNetTo, long[] netHi, long[] netLo, long[] maskHi, long[] maskLo,
                          int[] origPortFrom, int[] origPortTo, int[] respPortFrom, int[] respPortTo, int[] portLo,
                          int[] portHi, boolean[] both, byte[] profile) {
        this.count = count;
        this.proto = proto;
        this.origNetFrom = origNetFrom;
        this.origNetTo = origNetTo;
        this.respNetFrom = respNetFrom;
        this.respNetTo = respNetTo;
        this.netHi = netHi;
        this.netLo = netLo;
        this.maskHi = maskHi;
        this.maskLo = maskLo;
        this.origPortFrom = origPortFrom;
        this.origPortTo = origPortTo;
        this.respPortFrom = respPortFrom;
        this.respPortTo = respPortTo;
        this.portLo = portLo;
        this.portHi = portHi;
        this.both = both;
        this.profile = profile;
    }

    static SteeringRules compile(List<Spec> specs) {
        int n = specs.size();
        int nets = 0;
        int ports = 0;
        for (Spec s : specs) {
            nets += s.origNets().size() + s.respNets().size();
            ports += s.origPorts().size() + s.respPorts().size();
        }
        long[] proto = new long[4 * n];
        int[] onf = new int[n];
        int[] ont = new int[n];
        int[] rnf = new int[n];
        int[] rnt = new int[n];
        long[] nh = nets == 0 ? NO_LONGS : new long[nets];
        long[] nl = nets == 0 ? NO_LONGS : new long[nets];
        long[] mh = nets == 0 ? NO_LONGS : new long[nets];
        long[] ml = nets == 0 ? NO_LONGS : new long[nets];
        int[] opf = new int[n];
        int[] opt = new int[n];
        int[] rpf = new int[n];
        int[] rpt = new int[n];
        int[] pl = ports == 0 ? NO_INTS : new int[ports];
        int[] ph = ports == 0 ? NO_INTS : new int[ports];
        boolean[] both = new boolean[n];
        byte[] profile = new byte[n];
        int ni = 0;
        int pi = 0;
        for (int i = 0; i < n; i++) {
            Spec s = specs.get(i);
            for (int w = 0; w < 4; w++) {
                proto[4 * i + w] = s.protoBits() == null ? -1L : s.protoBits()[w];
            }
            onf[i] = ni;
            for (long[] p : s.origNets()) {
                nh[ni] = p[0];
                nl[ni] = p[1];
                mh[ni] = p[2];
                ml[ni++] = p[3];
            }
            ont[i] = ni;
            rnf[i] = ni;
            for (long[] p : s.respNets()) {
                nh[ni] = p[0];
                nl[ni] = p[1];
                mh[ni] = p[2];
                ml[ni++] = p[3];
            }
            rnt[i] = ni;
            opf[i] = pi;
            for (int[] r : s.origPorts()) {
                pl[pi] = r[0];
                ph[pi++] = r[1];
            }
            opt[i] = pi;
            rpf[i] = pi;
            for (int[] r : s.respPorts()) {
                pl[pi] = r[0];
                ph[pi++] = r[1];
            }
            rpt[i] = pi;
            both[i] = s.bothDirections();
            profile[i] = (byte) s.profile();
        }
        return new SteeringRules(n, proto, onf, ont, rnf, rnt, nh, nl, mh, ml, opf, opt, rpf, rpt, pl, ph, both,
                profile);
    }

    /** Number of rules. */
    public int size() {
        return count;
    }

    /** The profile index of rule {@code rule}. */
    public int profileOf(int rule) {
        return profile[rule];
    }

    /**
     * The index of the first rule matching the connection (originator and responder as the
     * connection has them; a both-directions rule also matches them swapped), or -1. No allocation.
     */
    public int match(int ipProto, long origHi, long origLo, int origPort, long respHi, long respLo, int respPort) {
        int p = ipProto & 0xFF;
        int word = p >>> 6;
        long bit = 1L << (p & 63);
        for (int i = 0; i < count; i++) {
            if ((proto[4 * i + word] & bit) == 0) {
                continue;
            }
            if (sides(i, origHi, origLo, origPort, respHi, respLo, respPort)
                    || (both[i] && sides(i, respHi, respLo, respPort, origHi, origLo, origPort))) {
                return i;
            }
        }
        return -1;
    }

    private boolean sides(int i, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return inNets(origNetFrom[i], origNetTo[i], aHi, aLo) && inNets(respNetFrom[i], respNetTo[i], bHi, bLo)
                && inPorts(origPortFrom[i], origPortTo[i], aPort) && inPorts(respPortFrom[i], respPortTo[i], bPort);
    }

    private boolean inNets(int from, int to, long hi, long lo) {
        if (from == to) {
            return true;
        }
        for (int k = from; k < to; k++) {
            if ((hi & maskHi[k]) == netHi[k] && (lo & maskLo[k]) == netLo[k]) {
                return true;
            }
        }
        return false;
    }

    private boolean inPorts(int from, int to, int port) {
        if (from == to) {
            return true;
        }
        for (int k = from; k < to; k++) {
            if (port >= portLo[k] && port <= portHi[k]) {
                return true;
            }
        }
        return false;
    }
}
