package io.picket.tunnel;

import io.picket.decode.Packet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * GRE (IP protocol 47) as Zeek's {@code GREAnalyzer} reads it: version 0 with IP, transparent
 * Ethernet bridging (0x6558) or ERSPAN types I-III (Ethernet after the ERSPAN header), Aruba
 * 802.11 (not decoded by Picket), and version 1 (PPTP) carrying IPv4/IPv6 in PPP. The inner
 * frame goes to {@link IpTunnels} as tunnel type {@code Tunnel::GRE}. Stateless; runs on the
 * shard thread; every malformed header is one of Zeek's weirds (source {@code GRE}).
 */
public final class Gre {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String SOURCE = "GRE";

    /** GRE protocol types. */
    public static final int TRANSPARENT_ETHERNET = 0x6558;
    public static final int ERSPAN_I_II = 0x88BE;
    public static final int ERSPAN_III = 0x22EB;
    public static final int PPP = 0x880B;

    private static final String[] VERSION_ADDL = {"version=0", "version=1", "version=2", "version=3",
            "version=4", "version=5", "version=6", "version=7"};

    private Gre() {
    }

    /** Zeek's {@code gre_header_len}: 4 bytes plus checksum, key, sequence and acknowledgement words. */
    public static int headerLength(int flags) {
        int len = 4;
        if ((flags & 0x8000) != 0) {
            len += 4;
        }
        if ((flags & 0x2000) != 0) {
            len += 4;
        }
        if ((flags & 0x1000) != 0) {
            len += 4;
        }
        if ((flags & 0x0080) != 0) {
            len += 4;
        }
        return len;
    }

    static void onPacket(Tunnels t, Packet p) {
        MemorySegment s = p.l4Segment;
        long off = p.payloadOffset;
        int len = Math.max(0, p.payloadCapturedLength);
        if (len < 4) {
            t.weird("truncated_GRE", null, SOURCE, p);
            return;
        }
        int flagsVer = s.get(U16, off) & 0xFFFF;
        int protoType = s.get(U16, off + 2) & 0xFFFF;
        int version = flagsVer & 0x7;
        int greLen = headerLength(flagsVer);
        int pptpLen = version == 1 ? 4 : 0;
        int ethLen = 0;
        int erspanLen = 0;
        int linkType = Tunnels.LINK_RAW;
        if (version != 0 && version != 1) {
            t.weird("unknown_gre_version", VERSION_ADDL[version], SOURCE, p);
            return;
        }
        if (version == 0) {
            if (protoType == TRANSPARENT_ETHERNET) {
                if (len <= greLen + 14) {
                    t.weird("truncated_GRE", null, SOURCE, p);
                    return;
                }
                ethLen = 14;
                linkType = Tunnels.LINK_ETHERNET;
            } else if (protoType == ERSPAN_I_II) {
                if (len <= greLen + 14) {
                    t.weird("truncated_GRE", null, SOURCE, p);
                    return;
                }
                ethLen = 14;
                linkType = Tunnels.LINK_ETHERNET;
                if ((flagsVer & 0x1000) != 0) { // sequence number present: ERSPAN type II
                    erspanLen = 8;
                    if (len < greLen + ethLen + erspanLen) {
                        t.weird("truncated_GRE", null, SOURCE, p);
                        return;
                    }
                }
            } else if (protoType == ERSPAN_III) {
                if (len <= greLen + 14 + 12) {
                    t.weird("truncated_GRE", null, SOURCE, p);
                    return;
                }
                erspanLen = 12;
                ethLen = 14;
                linkType = Tunnels.LINK_ETHERNET;
                boolean optional = (s.get(ValueLayout.JAVA_BYTE, off + greLen + erspanLen - 1) & 0x01) != 0;
                if (optional) {
                    if (len <= greLen + erspanLen + 8 + ethLen) {
                        t.weird("truncated_GRE", null, SOURCE, p);
                        return;
                    }
                    erspanLen += 8;
                }
            } else if (isAruba(protoType)) {
                if (len <= greLen) {
                    t.weird("truncated_GRE", null, SOURCE, p);
                    return;
                }
                linkType = Tunnels.LINK_IEEE802_11;
            }
        } else if (protoType != PPP) {
            t.weird("egre_protocol_type", "proto=" + protoType, SOURCE, p);
            return;
        }
        if ((flagsVer & 0x4000) != 0) {
            t.weird("gre_routing", null, SOURCE, p);
            return;
        }
        if ((flagsVer & 0x0078) != 0) {
            t.weird("unknown_gre_flags", null, SOURCE, p);
            return;
        }
        if (len < greLen + pptpLen + ethLen + erspanLen) {
            t.weird("truncated_GRE", null, SOURCE, p);
            return;
        }
        int innerProto = 0;
        if (version == 1) {
            int ppp = s.get(U16, off + greLen + 2) & 0xFFFF;
            if (ppp != 0x0021 && ppp != 0x0057) {
                t.weird("non_ip_packet_in_encap", null, SOURCE, p);
                return;
            }
            innerProto = ppp == 0x0021 ? 4 : 41;
        }
        int skip = greLen + pptpLen + erspanLen;
        t.ipTunnels.analyze(t, p, Tunnels.TYPE_GRE, version, linkType, innerProto, s, off + skip, len - skip);
    }

    /** Aruba GRE protocol types (802.11 frames). */
    static boolean isAruba(int type) {
        return ((type & 0x8200) == 0x8200 && (type & 0x0F) == 0)
                || ((type & 0x8300) == 0x8300 && (type & 0x0F) == 0 && type <= 0x8370)
                || type == 0x9000;
    }
}
