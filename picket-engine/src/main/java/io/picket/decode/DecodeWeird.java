package io.picket.decode;

/**
 * The anomalies {@link PacketDecoder} reports, each with Zeek's weird name and the packet analyzer
 * Zeek names as the weird's {@code source} (null where Zeek passes none: fragment reassembly and
 * IPv6 extension-header weirds).
 *
 * <p>Scope follows Zeek's {@code session::Manager::Weird}: a weird is a <em>flow</em> weird (Zeek's
 * {@code flow_weird}, addresses in {@link Packet#srcHi}... valid) exactly when
 * {@link Packet#ipVersion} is non-zero at the time of the callback, otherwise a <em>net</em> weird.
 * Zeek switches to flow weirds once the IP header has passed its size checks, so the same name
 * (e.g. {@code invalid_IP_header_size} after reassembly) may occur in either scope.
 *
 * <p>Immutable; shared by all threads.
 */
public enum DecodeWeird {
    // ---- link layer (Ethernet.cc, VLAN.cc, SNAP.cc, LLC.cc, Novell_802_3.cc, LinuxSLL*.cc, Null.cc, MPLS.cc, PPPoE.cc, VNTag.cc, ARP.cc)
    TRUNCATED_ETHERNET_FRAME("truncated_ethernet_frame", "Ethernet"),
    TRUNCATED_LINK_HEADER_CFP("truncated_link_header_cfp", "Ethernet"),
    UNDEFINED_ETHER_TYPE("undefined_ether_type", "Ethernet"),
    TRUNCATED_VLAN_HEADER("truncated_VLAN_header", "VLAN"),
    TRIPLE_TAGGED_VLAN_UNSUPPORTED("triple_tagged_vlan_unsupported", "VLAN"),
    UNDEFINED_VLAN_PROTOCOL("undefined_vlan_protocol", "VLAN"),
    TRUNCATED_SNAP_LLC_HEADER("truncated_snap_llc_header", "SNAP"),
    TRUNCATED_SNAP_HEADER("truncated_snap_header", "SNAP"),
    TRUNCATED_LLC_HEADER("truncated_llc_header", "LLC"),
    NOVELL_NO_SUITABLE_ANALYZER_FOUND("no_suitable_analyzer_found", "Novell_802_3"),
    TRUNCATED_LINUX_SLL_HEADER("truncated_Linux_SLL_header", "LinuxSLL"),
    TRUNCATED_LINUX_SLL2_HEADER("truncated_Linux_SLL2_header", "LinuxSLL2"),
    NULL_ANALYZER_FAILED("null_analyzer_failed", "Null"),
    MPLS_TRUNCATED_LINK_HEADER("truncated_link_header", "MPLS"),
    TRUNCATED_PPPOE_HEADER("truncated_pppoe_header", "PPPoE"),
    TRUNCATED_VNTAG_HEADER("truncated_vntag_header", "VNTag"),
    TRUNCATED_ARP("truncated_ARP", "ARP"),

    // ---- IP layer (packet_analysis/protocol/ip/IP.cc)
    TRUNCATED_IP("truncated_IP", "IP"),
    UNKNOWN_IP_VERSION("unknown_ip_version", "IP"),
    IP_HDR_LEN_ZERO("ip_hdr_len_zero", "IP"),
    TRUNCATED_IP_LEN("truncated_IP_len", "IP"),
    INVALID_IP_HEADER_SIZE("invalid_IP_header_size", "IP"),
    IP_INTERNALLY_TRUNCATED_HEADER("internally_truncated_header", "IP"),
    IPV4_MIN_HEADER_SIZE("IPv4_min_header_size", "IP"),
    BAD_IP_CHECKSUM("bad_IP_checksum", "IP"),
    INCOMPLETELY_CAPTURED_FRAGMENT("incompletely_captured_fragment", "IP"),
    IPV6_NO_NEXT("ipv6_no_next", "IP"),
    BAD_MH_CHECKSUM("bad_MH_checksum", "IP"),
    MOBILITY_PIGGYBACK("mobility_piggyback", "IP"),

    // ---- IPv6 extension header chain (IP.cc IPv6_Hdr_Chain)
    ROUTING0_HDR("routing0_hdr", null),
    ODD_ROUTING0_LEN("odd_routing0_len", null),
    BAD_ROUTING2_LEN("bad_routing2_len", null),
    UNKNOWN_ROUTING_TYPE("unknown_routing_type", null),
    MULTIPLE_ROUTING_HEADERS("multiple_routing_headers", null),
    BAD_IPV6_DEST_OPT_LEN("bad_ipv6_dest_opt_len", null),
    MULTIPLE_HOME_ADDR_OPTS("multiple_home_addr_opts", null),
    BAD_HOME_ADDR_LEN("bad_home_addr_len", null),

    // ---- fragment reassembly (Frag.cc)
    FRAGMENT_PROTOCOL_INCONSISTENCY("fragment_protocol_inconsistency", null),
    FRAGMENT_WITH_DF("fragment_with_DF", null),
    FRAGMENT_SIZE_INCONSISTENCY("fragment_size_inconsistency", null),
    EXCESSIVELY_SMALL_FRAGMENT("excessively_small_fragment", null),
    EXCESSIVELY_LARGE_FRAGMENT("excessively_large_fragment", null),
    FRAGMENT_INCONSISTENCY("fragment_inconsistency", null),
    FRAGMENT_OVERLAP("fragment_overlap", null),

    // ---- transport header presence (IPBasedAnalyzer::CheckHeaderTrunc)
    TCP_TRUNCATED_HEADER("truncated_header", "TCP"),
    TCP_INTERNALLY_TRUNCATED_HEADER("internally_truncated_header", "TCP"),
    UDP_TRUNCATED_HEADER("truncated_header", "UDP"),
    UDP_INTERNALLY_TRUNCATED_HEADER("internally_truncated_header", "UDP"),
    ICMP_TRUNCATED_HEADER("truncated_header", "ICMP"),
    ICMP_INTERNALLY_TRUNCATED_HEADER("internally_truncated_header", "ICMP");

    private static final DecodeWeird[] VALUES = values();

    private final String zeekName;
    private final String source;

    DecodeWeird(String zeekName, String source) {
        this.zeekName = zeekName;
        this.source = source;
    }

    /** Zeek's weird name, exactly as it appears in weird.log {@code name}. */
    public String zeekName() {
        return zeekName;
    }

    /** Zeek's weird {@code source} (packet analyzer name), or null where Zeek gives none. */
    public String source() {
        return source;
    }

    static DecodeWeird of(int ordinal) {
        return VALUES[ordinal];
    }

    static int count() {
        return VALUES.length;
    }
}
