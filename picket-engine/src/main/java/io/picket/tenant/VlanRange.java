package io.picket.tenant;

/** An inclusive range of VLAN ids within 0..4095; a single id has {@code first == last}. */
public record VlanRange(int first, int last) {

    /** Highest 802.1Q VLAN id. */
    public static final int MAX_ID = 4095;

    /** Validates the bounds. */
    public VlanRange {
        if (first < 0 || last > MAX_ID || first > last) {
            throw new IllegalArgumentException("bad VLAN range " + first + "-" + last);
        }
    }

    /** True if {@code vid} lies in the range. */
    public boolean contains(int vid) {
        return vid >= first && vid <= last;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
