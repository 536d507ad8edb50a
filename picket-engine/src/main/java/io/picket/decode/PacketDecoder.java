package io.picket.decode;

import io.picket.capture.RawPacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Decodes a captured frame into a {@link Packet}: link layer, IPv4/IPv6 (with fragment
 * reassembly) and the TCP/UDP/ICMP headers, with the checks, outcomes and weird names of Zeek's
 * packet analysis ({@code src/packet_analysis/protocol/*}, {@code src/IP.cc}, {@code src/Frag.cc}).
 *
 * <p>One instance per shard thread; not thread-safe. The steady path (a complete, non-fragmented
 * packet) allocates nothing. Bad input never throws: it yields {@link #DROPPED} or {@link #NON_IP},
 * counts in {@link #counters()} and, where Zeek raises one, reports a weird through the
 * {@link WeirdListener} (scope and source: see {@link DecodeWeird}). All reads stay inside the
 * captured window {@code [raw.offset, raw.offset + raw.capturedLength)}.
 *
 * <h2>Layers</h2>
 * <table>
 * <caption>Link types and what follows them (as registered by Zeek's base scripts)</caption>
 * <tr><th>link type</th><th>handled as</th></tr>
 * <tr><td>1</td><td>Ethernet II (incl. Cisco FabricPath), 802.3 with SNAP (IP, ARP), LLC and Novell raw frames</td></tr>
 * <tr><td>113, 276</td><td>Linux cooked v1/v2: IPv4, IPv6, ARP</td></tr>
 * <tr><td>0</td><td>BSD null/loopback (address family 2, 24, 28, 30 read little-endian, as Zeek)</td></tr>
 * <tr><td>9, 10, 50, 105, 127, 239</td><td>not handled here: {@link #NON_IP}, counted as unsupported link type</td></tr>
 * <tr><td>any other (101, 12, 14, 228, 229 ...)</td><td>raw IP, version nibble decides (Zeek's root default analyzer)</td></tr>
 * </table>
 * Ethernet dispatches 0x0800/0x86DD to IP, 0x0806/0x8035 to ARP, 0x8100/0x88A8/0x9100 to VLAN,
 * 0x8847 to MPLS, 0x8864 to PPPoE and 0x8926 to VNTag. Inside a VLAN tag only 0x8100 nests again
 * (Zeek's VLAN dispatch table); the first tag fills {@link Packet#vlan}, later ones
 * {@link Packet#innerVlan}, and a third or later tag raises {@code triple_tagged_vlan_unsupported}
 * ({@code "inner VLAN tag overwritten"}). An out-of-band tag ({@link RawPacket#outOfBandVlanTci})
 * counts as the outermost tag. MPLS skips the label stack and decodes IP; PPPoE session frames
 * carry IP for PPP protocols 0x0021 and 0x0057. The IP layer ignores the EtherType and uses the
 * version nibble. PBB (0x88E7) and other EtherTypes are {@link #NON_IP}.
 *
 * <h2>IP</h2>
 * Zeek's order of checks: {@code truncated_IP}, {@code unknown_ip_version}, {@code ip_hdr_len_zero}
 * (under {@code -C} the captured length replaces a zero total length), {@code truncated_IP_len}
 * (wire length shorter than the IP total length), {@code invalid_IP_header_size},
 * {@code internally_truncated_header}, {@code IPv4_min_header_size}, {@code bad_IP_checksum}. The
 * IP total length (not the captured length) bounds the datagram, so Ethernet padding is ignored.
 * IPv6 extension headers (0, 43, 60, 44, 51, 135, 50) are walked as Zeek's header chain does: a
 * header not fully captured ends the chain silently; routing type 0/2 headers set the final
 * destination and destination-option home addresses the source (both used as the packet's
 * addresses). Packets ending in ESP or a mobility header are IPv6 analysed without a connection by
 * Zeek and return {@link #NON_IP} with the IP fields filled; next header 59 raises {@code ipv6_no_next}.
 * Fragments go to the reassembler (see {@link FragmentReassembler}); a fragment not fully captured
 * raises {@code incompletely_captured_fragment} and, unless it is the first one, is dropped, while
 * a first fragment is then decoded on its own as Zeek does.
 *
 * <h2>Transport</h2>
 * A transport header shorter than its minimum (TCP 20, UDP 8, ICMP 8 bytes) by the IP length
 * raises {@code truncated_header}, by the captured length {@code internally_truncated_header}; the
 * packet is dropped (Zeek builds no connection). Beyond that, Zeek creates the connection and then
 * rejects the packet inside the TCP analyzer: a data offset below 5 words or beyond the IP payload
 * or the captured bytes returns {@link #IP} with ports, flags, sequence numbers and window filled
 * from the fixed header and {@link Packet#transportWeird} set to {@code bad_TCP_header_len} or
 * {@code truncated_header}, which the connection stage raises on the connection before ignoring the
 * packet. Transport checksums are verified when enabled and the segment is completely captured
 * (UDP also requires an untruncated frame; an IPv4 UDP checksum of 0 and VXLAN on port 4789 with
 * checksum 0 are not checked); a bad one sets {@link Packet#l4ChecksumOk} to false without a
 * weird, as the connection stage raises {@code bad_TCP_checksum}/{@code bad_UDP_checksum}/{@code
 * bad_ICMP_checksum} and records history 'C'. When the IP payload length is 0 (segmentation
 * offload), UDP and ICMP use the captured length as Zeek does; TCP then gets {@code truncated_header}.
 * The UDP length field mismatch weird ({@code UDP_datagram_length_mismatch}) is left to the
 * connection stage, which has {@link Packet#udpLength} and {@link Packet#l4Length}.
 *
 * <p>After reassembly {@link Packet#l4Segment} points into the decoder's reassembly buffer and is
 * valid until the next {@link #decode} call.
 */
public final class PacketDecoder {
    /** {@code out} holds a complete IP packet ready for connection tracking. */
    public static final int IP = 0;
    /** A frame without IP (ARP, LLC, unknown EtherType, unsupported link type) or IP without a session. */
    public static final int NON_IP = 1;
    /** Malformed frame or bad IP checksum: a weird was raised, nothing to process. */
    public static final int DROPPED = 2;
    /** An IP fragment was stored; its datagram is not complete yet. */
    public static final int FRAGMENT = 3;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Zeek's {@code PacketAnalyzer::VXLAN::vxlan_ports} default. */
    static final int VXLAN_PORT = 4789;

    static final String BAD_TCP_HEADER_LEN = "bad_TCP_header_len";
    static final String TRUNCATED_HEADER = "truncated_header";
    static final String INNER_VLAN_OVERWRITTEN = "inner VLAN tag overwritten";

    private static final String[] DECIMAL = new String[256];

    static {
        for (int i = 0; i < DECIMAL.length; i++) {
            DECIMAL[i] = Integer.toString(i);
        }
    }

    // protocol numbers
    private static final int P_HOPOPTS = 0;
    private static final int P_ICMP = 1;
    private static final int P_TCP = 6;
    private static final int P_UDP = 17;
    private static final int P_IPV6 = 41;
    private static final int P_ROUTING = 43;
    private static final int P_FRAGMENT = 44;
    private static final int P_ESP = 50;
    private static final int P_AH = 51;
    private static final int P_ICMPV6 = 58;
    private static final int P_NONE = 59;
    private static final int P_DSTOPTS = 60;
    private static final int P_MOBILITY = 135;

    // link-layer decoding steps
    private static final int K_ETHERNET = 0;
    private static final int K_VLAN = 1;
    private static final int K_MPLS = 2;
    private static final int K_PPPOE = 3;
    private static final int K_VNTAG = 4;
    private static final int K_SNAP = 5;
    private static final int K_LLC = 6;
    private static final int K_NOVELL = 7;
    private static final int K_ARP = 8;
    private static final int K_IP = 9;
    private static final int K_UNKNOWN = 10;

    private final boolean verify;
    private final WeirdListener listener;
    private final DecoderCounters counters = new DecoderCounters();
    private final FragmentReassembler fragments;
    private double networkTime = Double.NEGATIVE_INFINITY;

    // ---- state of the current decode call
    private Packet out;
    private MemorySegment seg;
    private long base;
    private int cap;
    private int wire;

    // ---- result of the last IPv6 header chain walk
    private int chainLen;
    private int chainLastType;
    private long chainLastOff;
    private int chainNextProto;
    private boolean hasFinalDst;
    private long finalDstHi;
    private long finalDstLo;
    private boolean hasHomeAddr;
    private long homeHi;
    private long homeLo;
    private long hdrSrcHi;
    private long hdrSrcLo;
    private long hdrDstHi;
    private long hdrDstLo;

    public PacketDecoder(DecoderOptions opts, WeirdListener weirds) {
        this.verify = opts.verifyChecksums();
        this.listener = weirds == null ? WeirdListener.NONE : weirds;
        this.fragments = new FragmentReassembler(this, counters, opts);
    }

    /** Counters of this decoder (read by other threads for statistics, see {@link DecoderCounters}). */
    public DecoderCounters counters() {
        return counters;
    }

    /**
     * Decodes {@code raw} into {@code out} (cleared first).
     *
     * @return {@link #IP}, {@link #NON_IP}, {@link #DROPPED} or {@link #FRAGMENT}
     */
    public int decode(RawPacket raw, Packet out) {
        out.clear();
        this.out = out;
        out.time = raw.time();
        out.timeMicros = raw.timeMicros();
        out.interfaceName = raw.interfaceName;
        if (out.time > networkTime) {
            networkTime = out.time;
        }
        fragments.expire(networkTime);

        seg = raw.segment;
        base = raw.offset;
        cap = Math.max(0, raw.capturedLength);
        wire = raw.wireLength;
        if (seg == null) {
            seg = MemorySegment.NULL;
            base = 0;
            cap = 0;
        } else if (base < 0 || base > seg.byteSize()) {
            base = 0;
            cap = 0;
        } else if (cap > seg.byteSize() - base) {
            cap = (int) (seg.byteSize() - base);
        }
        if (raw.outOfBandVlanTci >= 0) {
            vlanTag(raw.outOfBandVlanTci);
        }

        int result = linkType(raw.linkType);
        switch (result) {
            case IP -> {
                counters.ip++;
                if (!out.l4ChecksumOk) {
                    counters.badTransportChecksum++;
                }
            }
            case NON_IP -> counters.nonIp++;
            case FRAGMENT -> counters.fragment++;
            default -> counters.dropped++;
        }
        this.out = null;
        return result;
    }

    // ------------------------------------------------------------------ link layer

    private int linkType(int linkType) {
        switch (linkType) {
            case 1:
                return link(K_ETHERNET, base, cap);
            case 113: // Linux cooked v1: 16-byte header, protocol at 14
                if (cap <= 16) {
                    return drop(DecodeWeird.TRUNCATED_LINUX_SLL_HEADER);
                }
                return link(cookedKind(u16(base + 14)), base + 16, cap - 16);
            case 276: // Linux cooked v2: 20-byte header, protocol at 0
                if (cap <= 20) {
                    return drop(DecodeWeird.TRUNCATED_LINUX_SLL2_HEADER);
                }
                return link(cookedKind(u16(base)), base + 20, cap - 20);
            case 0: { // BSD null: address family in the capturing host's order, read little-endian by Zeek
                if (cap <= 4) {
                    return drop(DecodeWeird.NULL_ANALYZER_FAILED);
                }
                int family = seg.get(U32_LE, base);
                if (family == 2 || family == 24 || family == 28 || family == 30) {
                    return ip(base + 4, cap - 4);
                }
                return NON_IP;
            }
            case 9, 10, 50, 105, 127, 239:
                counters.unsupportedLinkType++;
                return NON_IP;
            default:
                return ip(base, cap);
        }
    }

    /**
     * Walks the link-layer headers iteratively (tag stacks cannot recurse) until IP or a terminal
     * outcome is reached.
     */
    private int link(int kind, long off, int len) {
        while (true) {
            switch (kind) {
                case K_ETHERNET: {
                    if (len <= 16) {
                        return drop(DecodeWeird.TRUNCATED_ETHERNET_FRAME);
                    }
                    if (u8(off + 12) == 0x89 && u8(off + 13) == 0x03) { // Cisco FabricPath
                        if (16 + 14 >= len) {
                            return drop(DecodeWeird.TRUNCATED_LINK_HEADER_CFP);
                        }
                        off += 16;
                        len -= 16;
                    }
                    int type = u16(off + 12);
                    off += 14;
                    len -= 14;
                    if (type >= 1536) {
                        kind = ethernetKind(type);
                    } else if (type <= 1500) {
                        if (len < type) {
                            return drop(DecodeWeird.TRUNCATED_ETHERNET_FRAME);
                        }
                        kind = llcKind(off, len);
                    } else {
                        return drop(DecodeWeird.UNDEFINED_ETHER_TYPE);
                    }
                    break;
                }
                case K_VLAN: {
                    if (len <= 4) {
                        return drop(DecodeWeird.TRUNCATED_VLAN_HEADER);
                    }
                    vlanTag(u16(off));
                    int type = u16(off + 2);
                    off += 4;
                    len -= 4;
                    if (type >= 1536) {
                        kind = vlanKind(type);
                    } else if (type <= 1500) {
                        if (len < 2) {
                            return drop(DecodeWeird.TRUNCATED_VLAN_HEADER);
                        }
                        kind = llcKind(off, len);
                        if (len > type) {
                            len = type; // 802.3 length field trims trailing bytes
                        }
                    } else {
                        return drop(DecodeWeird.UNDEFINED_VLAN_PROTOCOL);
                    }
                    break;
                }
                case K_MPLS: {
                    boolean bottom;
                    do {
                        if (len <= 4) {
                            return drop(DecodeWeird.MPLS_TRUNCATED_LINK_HEADER);
                        }
                        bottom = (u8(off + 2) & 0x01) != 0;
                        off += 4;
                        len -= 4;
                    } while (!bottom);
                    kind = K_IP;
                    break;
                }
                case K_PPPOE: {
                    if (len <= 8) {
                        return drop(DecodeWeird.TRUNCATED_PPPOE_HEADER);
                    }
                    int ppp = u16(off + 6);
                    off += 8;
                    len -= 8;
                    kind = ppp == 0x0021 || ppp == 0x0057 ? K_IP : K_UNKNOWN;
                    break;
                }
                case K_VNTAG: {
                    if (len <= 6) {
                        return drop(DecodeWeird.TRUNCATED_VNTAG_HEADER);
                    }
                    int type = u16(off + 4);
                    off += 6;
                    len -= 6;
                    kind = type == 0x8100 || type == 0x88A8 || type == 0x9100 ? K_VLAN : K_UNKNOWN;
                    break;
                }
                case K_SNAP: {
                    if (len < 3) {
                        return drop(DecodeWeird.TRUNCATED_SNAP_LLC_HEADER);
                    }
                    int llc = (u8(off + 2) & 0x03) != 0x03 ? 4 : 3;
                    if (len < llc + 5) {
                        return drop(DecodeWeird.TRUNCATED_SNAP_HEADER);
                    }
                    int oui = (u8(off + llc) << 16) | u16(off + llc + 1);
                    int type = u16(off + llc + 3);
                    off += llc + 5;
                    len -= llc + 5;
                    if (oui != 0) {
                        return NON_IP;
                    }
                    kind = cookedKind(type);
                    break;
                }
                case K_LLC: {
                    if (len < 3) {
                        return drop(DecodeWeird.TRUNCATED_LLC_HEADER);
                    }
                    int llc = (u8(off + 2) & 0x03) != 0x03 ? 4 : 3;
                    if (len < llc) {
                        return drop(DecodeWeird.TRUNCATED_LLC_HEADER);
                    }
                    return NON_IP; // no analyzer registered for any DSAP
                }
                case K_NOVELL:
                    return drop(DecodeWeird.NOVELL_NO_SUITABLE_ANALYZER_FOUND);
                case K_ARP: {
                    if (len < 8) {
                        return drop(DecodeWeird.TRUNCATED_ARP);
                    }
                    int min = 8 + 2 * u8(off + 4) + 2 * u8(off + 5);
                    if (min > len) {
                        return drop(DecodeWeird.TRUNCATED_ARP);
                    }
                    return NON_IP;
                }
                case K_IP:
                    return ip(off, len);
                default:
                    return NON_IP;
            }
        }
    }

    private static int ethernetKind(int type) {
        return switch (type) {
            case 0x0800, 0x86DD -> K_IP;
            case 0x0806, 0x8035 -> K_ARP;
            case 0x8100, 0x88A8, 0x9100 -> K_VLAN;
            case 0x8847 -> K_MPLS;
            case 0x8864 -> K_PPPOE;
            case 0x8926 -> K_VNTAG;
            default -> K_UNKNOWN;
        };
    }

    private static int vlanKind(int type) {
        return switch (type) {
            case 0x0800, 0x86DD -> K_IP;
            case 0x0806, 0x8035 -> K_ARP;
            case 0x8100 -> K_VLAN;
            case 0x8847 -> K_MPLS;
            case 0x8864 -> K_PPPOE;
            default -> K_UNKNOWN;
        };
    }

    /** Dispatch of Linux cooked captures and SNAP: IP and ARP only. */
    private static int cookedKind(int type) {
        return switch (type) {
            case 0x0800, 0x86DD -> K_IP;
            case 0x0806, 0x8035 -> K_ARP;
            default -> K_UNKNOWN;
        };
    }

    /** 802.3 frame body: SNAP (AA AA), Novell raw (FF FF) or LLC; Zeek reads both bytes unchecked. */
    private int llcKind(long off, int len) {
        if (len < 2) {
            return K_LLC;
        }
        int b0 = u8(off);
        int b1 = u8(off + 1);
        if (b0 == 0xAA && b1 == 0xAA) {
            return K_SNAP;
        }
        if (b0 == 0xFF && b1 == 0xFF) {
            return K_NOVELL;
        }
        return K_LLC;
    }

    private void vlanTag(int tci) {
        int id = tci & 0x0FFF;
        if (out.vlanTags == 0) {
            out.vlan = id;
        } else {
            if (out.vlanTags >= 2) {
                weird(DecodeWeird.TRIPLE_TAGGED_VLAN_UNSUPPORTED, INNER_VLAN_OVERWRITTEN);
            }
            out.innerVlan = id;
        }
        out.vlanTags++;
    }

    // ------------------------------------------------------------------ IP

    private int ip(long off, int len) {
        if (len < 20) {
            return drop(DecodeWeird.TRUNCATED_IP);
        }
        int hdrSize = (int) (off - base);
        int version = u8(off) >>> 4;
        int hdrLen;
        int lenField;
        if (version == 4) {
            hdrLen = (u8(off) & 0x0F) * 4;
            lenField = u16(off + 2);
        } else if (version == 6) {
            if (len < 40) {
                return drop(DecodeWeird.TRUNCATED_IP);
            }
            walkChain(seg, off, len, false, 0);
            hdrLen = chainLen;
            lenField = u16(off + 4) + 40;
        } else {
            return drop(DecodeWeird.UNKNOWN_IP_VERSION);
        }
        int totalLen = lenField;
        if (totalLen == 0) {
            weird(DecodeWeird.IP_HDR_LEN_ZERO);
            if (verify) {
                return DROPPED;
            }
            totalLen = cap - hdrSize;
        }
        if ((long) wire < (long) totalLen + hdrSize) {
            return drop(DecodeWeird.TRUNCATED_IP_LEN);
        }
        if (hdrLen > totalLen) {
            return drop(DecodeWeird.INVALID_IP_HEADER_SIZE);
        }
        if (hdrLen > len) {
            return drop(DecodeWeird.IP_INTERNALLY_TRUNCATED_HEADER);
        }
        if (version == 4 && hdrLen < 20) {
            return drop(DecodeWeird.IPV4_MIN_HEADER_SIZE);
        }

        // Zeek stores the IP header in the packet here: later weirds are flow weirds.
        int proto = version == 4 ? u8(off + 9) : chainNextProto;
        setIpFields(seg, off, version, hdrLen, lenField, Math.min(len, totalLen), proto);

        if (verify && version == 4 && fold(sum(seg, off, hdrLen, 0)) != 0xFFFF) {
            return drop(DecodeWeird.BAD_IP_CHECKSUM);
        }

        MemorySegment s = seg;
        boolean fragment;
        int fragOffset;
        if (version == 4) {
            int frag = u16(off + 6);
            fragment = (frag & 0x3FFF) != 0;
            fragOffset = (frag & 0x1FFF) * 8;
        } else {
            fragment = chainLastType == P_FRAGMENT;
            fragOffset = fragment ? u16(chainLastOff + 2) & 0xFFF8 : 0;
        }
        if (fragment) {
            if (len < totalLen) {
                weird(DecodeWeird.INCOMPLETELY_CAPTURED_FRAGMENT);
                if (fragOffset != 0) {
                    return DROPPED;
                }
                // a first fragment is analysed on its own (header-only traces)
            } else {
                boolean mf;
                boolean df;
                long id;
                if (version == 4) {
                    int frag = u16(off + 6);
                    mf = (frag & 0x2000) != 0;
                    df = (frag & 0x4000) != 0;
                    id = u16(off + 4);
                } else {
                    mf = (u16(chainLastOff + 2) & 0x0001) != 0;
                    df = false;
                    id = seg.get(U32, chainLastOff + 4) & 0xFFFF_FFFFL;
                }
                int n = fragments.add(out.time, version, seg, off, hdrLen, totalLen, fragOffset, mf, df, id, proto, out);
                if (n < 0) {
                    return FRAGMENT;
                }
                s = fragments.outSegment();
                off = 0;
                if (version == 4) {
                    hdrLen = (u8(s, 0) & 0x0F) * 4;
                    lenField = u16(s, 2);
                    proto = u8(s, 9);
                } else {
                    walkChain(s, 0, n, true, fragments.lastNextProto());
                    hdrLen = chainLen;
                    lenField = u16(s, 4) + 40;
                    proto = chainNextProto;
                }
                totalLen = lenField;
                len = totalLen;
                out.reassembled = true;
                setIpFields(s, 0, version, hdrLen, lenField, totalLen, proto);
                if (hdrLen > totalLen) {
                    return drop(DecodeWeird.INVALID_IP_HEADER_SIZE);
                }
            }
        }

        if (version == 6) {
            if (chainLastType == P_ESP) {
                counters.ipWithoutSession++;
                return NON_IP;
            }
            if (chainLastType == P_MOBILITY) {
                if (verify && mobilityChecksum(s) != 0xFFFF) {
                    return drop(DecodeWeird.BAD_MH_CHECKSUM);
                }
                if (chainNextProto != P_NONE) {
                    weird(DecodeWeird.MOBILITY_PIGGYBACK);
                }
                counters.ipWithoutSession++;
                return NON_IP;
            }
        }

        if (proto == P_NONE) {
            return drop(DecodeWeird.IPV6_NO_NEXT);
        }
        int remaining = len - hdrLen;
        // IP_Hdr::PayloadLen(): by the header's length field (0 if an IPv4 total length is 0)
        int claimed = version == 4 ? (lenField == 0 ? 0 : lenField - hdrLen) : lenField - hdrLen;
        return transport(s, off + hdrLen, remaining, claimed, proto, version);
    }

    private void setIpFields(MemorySegment s, long off, int version, int hdrLen, int lenField, int captured, int proto) {
        Packet p = out;
        p.ipVersion = version;
        if (version == 4) {
            p.srcHi = 0;
            p.srcLo = Addresses.ipv4Lo(s.get(U32, off + 12));
            p.dstHi = 0;
            p.dstLo = Addresses.ipv4Lo(s.get(U32, off + 16));
            p.ttl = u8(s, off + 8);
        } else {
            p.srcHi = hasHomeAddr ? homeHi : hdrSrcHi;
            p.srcLo = hasHomeAddr ? homeLo : hdrSrcLo;
            p.dstHi = hasFinalDst ? finalDstHi : hdrDstHi;
            p.dstLo = hasFinalDst ? finalDstLo : hdrDstLo;
            p.ttl = u8(s, off + 7);
        }
        p.ipHeaderLength = hdrLen;
        p.ipTotalLength = lenField;
        p.ipCapturedLength = captured;
        p.ipProto = proto;
    }

    // ------------------------------------------------------------------ IPv6 header chain

    /**
     * IPv6_Hdr_Chain::Init: walks the header chain within {@code avail} bytes. With {@code setNext}
     * (reassembled datagram) a Next Header naming the removed fragment header is rewritten to
     * {@code next}, in the buffer too, as Zeek does.
     */
    private void walkChain(MemorySegment s, long off, int avail, boolean setNext, int next) {
        chainLen = 0;
        chainLastType = P_NONE;
        chainLastOff = off;
        chainNextProto = P_NONE;
        hasFinalDst = false;
        hasHomeAddr = false;
        hdrSrcHi = s.get(U64, off + 8);
        hdrSrcLo = s.get(U64, off + 16);
        hdrDstHi = s.get(U64, off + 24);
        hdrDstLo = s.get(U64, off + 32);
        int nextType = P_IPV6;
        long p = off;
        int total = avail;
        int current;
        do {
            if (total < 2) {
                return;
            }
            current = nextType;
            int following;
            int curLen;
            switch (current) {
                case P_IPV6 -> {
                    following = u8(s, p + 6);
                    curLen = 40;
                }
                case P_HOPOPTS, P_DSTOPTS, P_ROUTING, P_MOBILITY -> {
                    following = u8(s, p);
                    curLen = 8 + 8 * u8(s, p + 1);
                }
                case P_FRAGMENT -> {
                    following = u8(s, p);
                    curLen = 8;
                }
                case P_AH -> {
                    following = u8(s, p);
                    curLen = 8 + 4 * u8(s, p + 1);
                }
                default -> { // ESP: encrypted payload follows 8 bytes
                    following = P_NONE;
                    curLen = 8;
                }
            }
            if (curLen > total) {
                return; // truncated header: not part of the chain
            }
            if (setNext && following == P_FRAGMENT) {
                following = next;
                s.set(ValueLayout.JAVA_BYTE, current == P_IPV6 ? p + 6 : p, (byte) next);
            }
            chainLastType = current;
            chainLastOff = p;
            chainNextProto = following;
            if (current == P_ROUTING) {
                routingHeader(s, p, curLen);
            } else if (current == P_DSTOPTS) {
                destinationOptions(s, p, curLen);
            }
            p += curLen;
            chainLen += curLen;
            total -= curLen;
            nextType = following;
        } while (current != P_FRAGMENT && current != P_ESP && current != P_MOBILITY && isExtension(nextType));
    }

    private static boolean isExtension(int type) {
        return switch (type) {
            case P_HOPOPTS, P_ROUTING, P_DSTOPTS, P_FRAGMENT, P_AH, P_ESP, P_MOBILITY -> true;
            default -> false;
        };
    }

    private void routingHeader(MemorySegment s, long r, int len) {
        if (hasFinalDst) {
            chainWeird(DecodeWeird.MULTIPLE_ROUTING_HEADERS, null);
            return;
        }
        int rlen = u8(s, r + 1);
        int type = u8(s, r + 2);
        int segLeft = u8(s, r + 3);
        long addr = r + len - 16;
        switch (type) {
            case 0 -> {
                if (segLeft > 0 && rlen >= 2) {
                    if (rlen % 2 == 0) {
                        setFinalDst(s, addr);
                    } else {
                        chainWeird(DecodeWeird.ODD_ROUTING0_LEN, null);
                    }
                }
                chainWeird(DecodeWeird.ROUTING0_HDR, null);
            }
            case 2 -> {
                if (segLeft > 0) {
                    if (rlen == 2) {
                        setFinalDst(s, addr);
                    } else {
                        chainWeird(DecodeWeird.BAD_ROUTING2_LEN, null);
                    }
                }
            }
            default -> chainWeird(DecodeWeird.UNKNOWN_ROUTING_TYPE, DECIMAL[type]);
        }
    }

    private void setFinalDst(MemorySegment s, long addr) {
        hasFinalDst = true;
        finalDstHi = s.get(U64, addr);
        finalDstLo = s.get(U64, addr + 8);
    }

    private void destinationOptions(MemorySegment s, long d, int len) {
        long p = d + 2;
        int rem = len - 2;
        while (rem > 0) {
            int type = u8(s, p);
            if (type == 0) { // Pad1
                p++;
                rem--;
                continue;
            }
            if (rem < 2 || rem < 2 + u8(s, p + 1)) {
                chainWeird(DecodeWeird.BAD_IPV6_DEST_OPT_LEN, null);
                return;
            }
            int optLen = u8(s, p + 1);
            if (type == 201) { // Home Address (RFC 6275)
                if (optLen == 16) {
                    if (hasHomeAddr) {
                        chainWeird(DecodeWeird.MULTIPLE_HOME_ADDR_OPTS, null);
                    } else {
                        hasHomeAddr = true;
                        homeHi = s.get(U64, p + 2);
                        homeLo = s.get(U64, p + 10);
                    }
                } else {
                    chainWeird(DecodeWeird.BAD_HOME_ADDR_LEN, null);
                }
            }
            p += 2 + optLen;
            rem -= 2 + optLen;
        }
    }

    /** Header-chain weirds are flow weirds with the chain's addresses as known at that point. */
    private void chainWeird(DecodeWeird w, String addl) {
        Packet p = out;
        int saved = p.ipVersion;
        p.ipVersion = 6;
        p.srcHi = hasHomeAddr ? homeHi : hdrSrcHi;
        p.srcLo = hasHomeAddr ? homeLo : hdrSrcLo;
        p.dstHi = hasFinalDst ? finalDstHi : hdrDstHi;
        p.dstLo = hasFinalDst ? finalDstLo : hdrDstLo;
        weird(w, addl);
        p.ipVersion = saved;
    }

    private int mobilityChecksum(MemorySegment s) {
        long mh = chainLastOff;
        int mhLen = (8 + 8 * u8(s, mh + 1)) & 0xFF; // Zeek keeps this length in a uint8_t
        long sum = addressSum(out.srcHi, out.srcLo) + addressSum(out.dstHi, out.dstLo) + P_MOBILITY + mhLen;
        return fold(sum(s, mh, mhLen & ~1, sum));
    }

    // ------------------------------------------------------------------ transport

    private int transport(MemorySegment s, long l4, int remaining, int claimed, int proto, int version) {
        Packet p = out;
        p.l4Segment = s;
        p.l4Offset = l4;
        switch (proto) {
            case P_TCP: {
                if (!headerPresent(20, claimed, remaining, DecodeWeird.TCP_TRUNCATED_HEADER,
                        DecodeWeird.TCP_INTERNALLY_TRUNCATED_HEADER)) {
                    return DROPPED;
                }
                p.srcPort = u16(s, l4);
                p.dstPort = u16(s, l4 + 2);
                p.seq = s.get(U32, l4 + 4) & 0xFFFF_FFFFL;
                p.ack = s.get(U32, l4 + 8) & 0xFFFF_FFFFL;
                int hl = (u8(s, l4 + 12) >>> 4) * 4;
                p.tcpFlags = u8(s, l4 + 13);
                p.window = u16(s, l4 + 14);
                p.tcpHeaderLength = hl;
                p.l4Length = claimed;
                p.l4CapturedLength = Math.min(claimed, remaining);
                if (hl < 20) {
                    p.transportWeird = BAD_TCP_HEADER_LEN;
                } else if (hl > claimed || hl > remaining) {
                    p.transportWeird = TRUNCATED_HEADER;
                } else {
                    p.payloadOffset = l4 + hl;
                    p.payloadLength = claimed - hl;
                    p.payloadCapturedLength = p.l4CapturedLength - hl;
                    if (verify && remaining >= claimed) {
                        long sum = pseudoHeaderSum(version, P_TCP, claimed);
                        p.l4ChecksumOk = fold(sum(s, l4, claimed, sum)) == 0xFFFF;
                    }
                }
                return IP;
            }
            case P_UDP: {
                if (!headerPresent(8, claimed, remaining, DecodeWeird.UDP_TRUNCATED_HEADER,
                        DecodeWeird.UDP_INTERNALLY_TRUNCATED_HEADER)) {
                    return DROPPED;
                }
                int len = claimed == 0 ? remaining : claimed;
                p.srcPort = u16(s, l4);
                p.dstPort = u16(s, l4 + 2);
                p.udpLength = u16(s, l4 + 4);
                p.l4Length = len;
                p.l4CapturedLength = Math.min(len, remaining);
                p.payloadOffset = l4 + 8;
                p.payloadLength = len - 8;
                p.payloadCapturedLength = p.l4CapturedLength - 8;
                if (verify && remaining >= len && (p.reassembled || wire <= cap)) {
                    int checksum = u16(s, l4 + 6);
                    boolean validate = true;
                    if (len > 8 + 8 + 14 && (u8(s, l4 + 8) & 0x08) == 0x08 && p.dstPort == VXLAN_PORT) {
                        // VXLAN sends checksum 0; a non-zero one is validated (Tunnel::validate_vxlan_checksums)
                        validate = checksum != 0;
                    }
                    if (validate && !(version == 4 && checksum == 0)) {
                        long sum = pseudoHeaderSum(version, P_UDP, len);
                        p.l4ChecksumOk = fold(sum(s, l4, len, sum)) == 0xFFFF;
                    }
                }
                return IP;
            }
            case P_ICMP:
            case P_ICMPV6: {
                if (!headerPresent(8, claimed, remaining, DecodeWeird.ICMP_TRUNCATED_HEADER,
                        DecodeWeird.ICMP_INTERNALLY_TRUNCATED_HEADER)) {
                    return DROPPED;
                }
                int len = claimed == 0 ? remaining : claimed;
                p.icmpType = u8(s, l4);
                p.icmpCode = u8(s, l4 + 1);
                p.l4Length = len;
                p.l4CapturedLength = Math.min(len, remaining);
                p.payloadOffset = l4 + 8;
                p.payloadLength = len - 8;
                p.payloadCapturedLength = p.l4CapturedLength - 8;
                if (verify && remaining >= len) {
                    long sum = proto == P_ICMP ? 0 : pseudoHeaderSum(version, P_ICMPV6, len);
                    p.l4ChecksumOk = fold(sum(s, l4, len, sum)) == 0xFFFF;
                }
                return IP;
            }
            default: {
                int len = claimed == 0 ? remaining : claimed;
                p.l4Length = len;
                p.l4CapturedLength = Math.min(len, remaining);
                p.payloadOffset = l4;
                p.payloadLength = len;
                p.payloadCapturedLength = p.l4CapturedLength;
                return IP;
            }
        }
    }

    /** IPBasedAnalyzer::CheckHeaderTrunc. */
    private boolean headerPresent(int min, int claimed, int remaining, DecodeWeird truncated, DecodeWeird internally) {
        if (claimed != 0 && claimed < min) {
            weird(truncated);
            return false;
        }
        if (remaining < min) {
            weird(internally);
            return false;
        }
        return true;
    }

    /** Pseudo-header over the packet's (final) addresses, as Zeek's ip4/ip6_in_cksum. */
    private long pseudoHeaderSum(int version, int proto, int len) {
        Packet p = out;
        long sum = proto + (len & 0xFFFF_FFFFL);
        if (version == 4) {
            return sum + ((p.srcLo >>> 16) & 0xFFFF) + (p.srcLo & 0xFFFF) + ((p.dstLo >>> 16) & 0xFFFF) + (p.dstLo & 0xFFFF);
        }
        return sum + addressSum(p.srcHi, p.srcLo) + addressSum(p.dstHi, p.dstLo);
    }

    private static long addressSum(long hi, long lo) {
        return (hi >>> 48) + ((hi >>> 32) & 0xFFFF) + ((hi >>> 16) & 0xFFFF) + (hi & 0xFFFF)
                + (lo >>> 48) + ((lo >>> 32) & 0xFFFF) + ((lo >>> 16) & 0xFFFF) + (lo & 0xFFFF);
    }

    // ------------------------------------------------------------------ helpers

    /** Ones'-complement sum of {@code len} bytes (odd byte padded with zero), added to {@code sum}, unfolded. */
    static long sum(MemorySegment s, long off, int len, long sum) {
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            sum += s.get(U32, off + i) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= len) {
            sum += Short.toUnsignedInt(s.get(U16, off + i));
            i += 2;
        }
        if (i < len) {
            sum += (long) Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + i)) << 8;
        }
        return sum;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    void weird(DecodeWeird w) {
        weird(w, null);
    }

    private void weird(DecodeWeird w, String addl) {
        counters.weirds[w.ordinal()]++;
        listener.onDecodeWeird(w, addl, out);
    }

    private int drop(DecodeWeird w) {
        weird(w, null);
        return DROPPED;
    }

    private int u8(long off) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off));
    }

    private int u16(long off) {
        return Short.toUnsignedInt(seg.get(U16, off));
    }

    private static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off));
    }

    private static int u16(MemorySegment s, long off) {
        return Short.toUnsignedInt(s.get(U16, off));
    }
}
