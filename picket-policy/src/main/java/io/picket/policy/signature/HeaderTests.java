package io.picket.policy.signature;

import java.util.List;

/**
 * Evaluation of header conditions on a {@link HeaderView}, as Zeek's {@code RuleHdrTest}: value
 * lists match if any value compares true (for {@code !=}: if no value is equal), values are masked
 * before comparison, addresses are compared after masking to each prefix length. A test reading
 * beyond the copied header fails. Stateless.
 */
final class HeaderTests {
    private HeaderTests() {
    }

    static boolean allMatch(List<SigModel.HeaderTest> tests, HeaderView h) {
        for (SigModel.HeaderTest t : tests) {
            if (!matches(t, h)) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(SigModel.HeaderTest t, HeaderView h) {
        switch (t.prot()) {
            case NEXT:
                return compare(t, h.nextProto & 0xFFFF_FFFFL);
            case IP:
                return !h.ipv6 && read(h.ip, t.offset(), t.size()) instanceof Long v && compare(t, v);
            case IP6:
                return h.ipv6 && read(h.ip, t.offset(), t.size()) instanceof Long v && compare(t, v);
            case ICMP, ICMP6, TCP, UDP:
                return read(h.transport, t.offset(), t.size()) instanceof Long v && compare(t, v);
            case IP_SRC:
                return compareAddr(t, h.srcHi, h.srcLo);
            case IP_DST:
                return compareAddr(t, h.dstHi, h.dstLo);
            default:
                return false;
        }
    }

    private static Long read(byte[] b, int offset, int size) {
        if (b == null || offset < 0 || offset + size > b.length) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    private static boolean compare(SigModel.HeaderTest t, long v) {
        if (t.comp() == SigModel.Comp.NE) {
            for (SigModel.Masked m : t.values()) {
                if ((v & m.mask()) == m.value()) {
                    return false;
                }
            }
            return true;
        }
        for (SigModel.Masked m : t.values()) {
            if (t.comp().test(v & m.mask(), m.value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean compareAddr(SigModel.HeaderTest t, long hi, long lo) {
        boolean ne = t.comp() == SigModel.Comp.NE;
        for (SigModel.Prefix p : t.prefixes()) {
            long mh = hi & p.maskHi();
            long ml = lo & p.maskLo();
            int c = mh != p.hi() ? Long.compareUnsigned(mh, p.hi()) : Long.compareUnsigned(ml, p.lo());
            if (ne) {
                if (c == 0) {
                    return false;
                }
                continue;
            }
            boolean ok = switch (t.comp()) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case GT -> c > 0;
                case LE -> c <= 0;
                case GE -> c >= 0;
                default -> false;
            };
            if (ok) {
                return true;
            }
        }
        return ne;
    }
}
