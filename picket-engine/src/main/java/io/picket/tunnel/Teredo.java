package io.picket.tunnel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Teredo (IPv6 over UDP, RFC 4380) framing as Zeek's {@code TeredoEncapsulation} parses it:
 * optional authentication and origin-indication headers, then an IPv6 packet. Stateless; the
 * per-connection state (which directions were valid) lives on the connection.
 */
public final class Teredo {
    /** Zeek registers the Teredo analyzer for UDP port 3544. */
    public static final int PORT = 3544;

    /** Result codes of {@link #parse}. */
    public static final int OK = 0;
    public static final int BAD = -1;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Teredo() {
    }

    /**
     * Parses the Teredo headers of {@code data[off, off+len)}.
     *
     * @return the offset of the inner IPv6 header relative to {@code off}, or {@link #BAD}; the
     *         Zeek weird name of a failure is left in {@code weird[0]}
     */
    public static int parse(MemorySegment data, long off, int len, String[] weird) {
        int pos = 0;
        boolean origin = false;
        boolean auth = false;
        while (true) {
            int left = len - pos;
            if (left < 2) {
                weird[0] = "truncated_Teredo";
                return BAD;
            }
            int tag = data.get(U16, off + pos) & 0xFFFF;
            if (tag == 0) {
                if (left < 8) {
                    weird[0] = "truncated_Teredo_origin_indication";
                    return BAD;
                }
                if (origin) {
                    weird[0] = "Teredo_multiple_origin_indication";
                    return BAD;
                }
                origin = true;
                pos += 8;
            } else if (tag == 1) {
                if (origin || auth) {
                    weird[0] = "Teredo_auth_after_origin";
                    return BAD;
                }
                if (left < 4) {
                    weird[0] = "truncated_Teredo_authentication";
                    return BAD;
                }
                int idLen = data.get(ValueLayout.JAVA_BYTE, off + pos + 2) & 0xFF;
                int auLen = data.get(ValueLayout.JAVA_BYTE, off + pos + 3) & 0xFF;
                int total = 4 + idLen + auLen + 8 + 1;
                if (left < total) {
                    weird[0] = "truncated_Teredo_authentication";
                    return BAD;
                }
                auth = true;
                pos += total;
            } else if (((data.get(ValueLayout.JAVA_BYTE, off + pos) & 0xF0) >> 4) == 6) {
                if (left < 40) {
                    weird[0] = "truncated_IPv6_in_Teredo";
                    return BAD;
                }
                return pos;
            } else {
                weird[0] = "Teredo_bad_packet";
                return BAD;
            }
        }
    }

    /**
     * Zeek's Teredo DPD signature: an origin indication or authentication header, or an IPv6
     * header with a Teredo (2001:0000::/32) source or destination address.
     */
    public static boolean looksLikeTeredo(MemorySegment data, long off, int len) {
        if (len < 2) {
            return false;
        }
        int b0 = data.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
        int b1 = data.get(ValueLayout.JAVA_BYTE, off + 1) & 0xFF;
        if (b0 == 0 && (b1 == 0 || b1 == 1)) {
            return true;
        }
        if ((b0 & 0xF0) == 0x60 && len >= 40) {
            return isTeredoPrefix(data, off + 8) || isTeredoPrefix(data, off + 24);
        }
        return false;
    }

    private static boolean isTeredoPrefix(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_BYTE, at) == 0x20 && data.get(ValueLayout.JAVA_BYTE, at + 1) == 0x01
                && data.get(ValueLayout.JAVA_BYTE, at + 2) == 0 && data.get(ValueLayout.JAVA_BYTE, at + 3) == 0;
    }
}
