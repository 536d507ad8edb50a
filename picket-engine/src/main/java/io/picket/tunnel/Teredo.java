package io.picket.tunnel;

import io.picket.decode.Packet;
import io.picket.flow.Connection;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Teredo (IPv6 over UDP, RFC 4380) framing as Zeek's {@code TeredoEncapsulation} parses it:
 * optional authentication and origin-indication headers, then an IPv6 packet; found by port
 * 3544 or Zeek's DPD rule. Stateless; the per-connection state (detection, which directions
 * were valid) lives on the connection. Runs on the shard thread.
 */
public final class Teredo {
    /** Zeek registers the Teredo analyzer for UDP port 3544. */
    public static final int PORT = 3544;

    /** Result codes of {@link #parse}. */
    public static final int OK = 0;
    public static final int BAD = -1;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** {@link Connection#tunnelState} values. */
    static final byte UNKNOWN = 0;
    static final byte ACTIVE = 1;
    static final byte NONE = 2;

    /** Zeek's DPD buffer: payload bytes looked at before giving up on detection. */
    private static final int DETECTION_BYTES = 1024;

    private Teredo() {
    }

    /** Keeps Teredo off {@code c} (a steering profile without the analyzer). */
    public static void disable(Connection c) {
        c.tunnelState = NONE;
    }

    /** One checksum-valid datagram of {@code c} (Zeek's Teredo analyzer). */
    static void onDatagram(Tunnels t, Connection c, boolean isOrig, Packet p) {
        if (c.tunnelState == NONE) {
            return;
        }
        int len = Math.min(Math.min(p.l4Length, p.udpLength) - 8, p.payloadCapturedLength);
        if (len <= 0) {
            return;
        }
        MemorySegment s = p.l4Segment;
        long off = p.payloadOffset;
        if (c.tunnelState == UNKNOWN) {
            if (c.respPort() == PORT || looksLikeTeredo(s, off, len)) {
                c.tunnelState = ACTIVE;
            } else {
                c.tunnelBytesSeen += len;
                if (c.tunnelBytesSeen > DETECTION_BYTES) {
                    c.tunnelState = NONE;
                }
                return;
            }
        }
        int ipAt = parse(s, off, len, t.teredoWeird);
        if (ipAt < 0) {
            stop(c);
            return;
        }
        long ip = off + ipAt;
        int avail = len - ipAt;
        int payloadLen = s.get(U16, ip + 4) & 0xFFFF;
        int next = s.get(ValueLayout.JAVA_BYTE, ip + 6) & 0xFF;
        int total = 40 + payloadLen;
        boolean bubble = next == 59 && payloadLen == 0;
        if (total > avail) {
            stop(c);
            return;
        }
        if (total < avail) {
            if (bubble) {
                t.host.connWeird(c, "Teredo_bubble_with_payload", null, "TEREDO");
            } else {
                stop(c);
                return;
            }
        }
        if (isOrig) {
            c.tunnelValidOrig = true;
        } else {
            c.tunnelValidResp = true;
        }
        if (c.tunnelValidOrig && c.tunnelValidResp) {
            c.addService("teredo");
        }
        if (bubble) {
            return;
        }
        if (t.depth >= Tunnels.MAX_DEPTH) {
            t.weird("exceeded_tunnel_max_depth", null, "TEREDO", p);
            return;
        }
        c.tunnelType = Tunnels.TYPE_TEREDO;
        t.decapsulate(c, s, ip, total, total, Tunnels.LINK_RAW);
    }

    private static void stop(Connection c) {
        c.tunnelState = NONE;
        c.removeService("teredo");
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
