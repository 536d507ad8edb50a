package io.picket.analyzer.dns;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * Declares Zeek's DNS analyzer: service {@code dns}, UDP and TCP, the ports of
 * {@code DNS::ports} (53/udp, 53/tcp, 137/udp, 5353/udp, 5355/udp), no DPD signature (Zeek has
 * none for DNS: activation is by port only), dns.log and the weirds of {@code DNS.cc}.
 * Stateless; shared by all shard threads.
 *
 * <p>One run option, {@code dns.multicast}: {@code paired} (the default, Zeek 8.2: messages to a
 * multicast responder, mDNS and LLMNR, are paired by transaction id like unicast ones, so an mDNS
 * query takes the answers of a later reply with the same id 0) or {@code standalone} (Zeek 9,
 * zeek/zeek#5608: each such message is its own dns.log row, written at once).
 */
public final class DnsAnalyzerProvider implements AnalyzerProvider {
    /** Values of the {@code multicast} option. */
    static final String MULTICAST_PAIRED = "paired";
    static final String MULTICAST_STANDALONE = "standalone";

    private static final List<String> WEIRDS = List.of(
            "DNS_truncated_len_lt_hdr_len",
            "DNS_unknown_opcode",
            "DNS_Conn_count_too_large",
            "DNS_DU_invalid_zone_count",
            "DNS_DU_incorrect_zone_type",
            "DNS_truncated_quest_too_short",
            "DNS_truncated_ans_too_short",
            "DNS_truncated_RR_rdlength_lt_len",
            "DNS_dynamic_update_invalid_update",
            "DNS_dynamic_update_prereq_nonzero_ttl",
            "DNS_dynamic_update_invalid_prereq",
            "DNS_zero_rdlength",
            "DNS_RR_unknown_type",
            "DNS_RR_bad_length",
            "DNS_RR_length_mismatch",
            "DNS_max_compression_chain_depth_exceeded",
            "DNS_NAME_too_long",
            "dns_invalid_name",
            "DNS_label_forward_compress_offset",
            "DNS_label_len_gt_pkt",
            "DNS_label_too_long",
            "DNS_label_len_gt_name_len",
            "DNS_TXT_char_str_past_rdlen",
            "DNS_LOC_version_unrecognized",
            "dns_invalid_loc_length",
            "EDNS_truncated_option",
            "EDNS_ECS_invalid_option_len",
            "EDNS_ECS_invalid_addr_v4_prefix",
            "EDNS_ECS_invalid_addr_v4",
            "EDNS_ECS_invalid_addr_v6_prefix",
            "EDNS_ECS_invalid_addr_v6",
            "EDNS_TCP_Keepalive_In_UDP",
            "DNSSEC_RRSIG_NotRecommended_ZoneSignAlgo",
            "DNSSEC_RRSIG_Indirect_ZoneSignAlgo",
            "DNSSEC_RRSIG_PrivateDNS_ZoneSignAlgo",
            "DNSSEC_RRSIG_PrivateOID_ZoneSignAlgo",
            "DNSSEC_RRSIG_unknown_ZoneSignAlgo",
            "DNSSEC_DNSKEY_Invalid_Flag",
            "DNSSEC_DNSKEY_Revoked_KSK",
            "DNSSEC_DNSKEY_Invalid_Protocol",
            "DNSSEC_DNSKEY_NotRecommended_ZoneSignAlgo",
            "DNSSEC_DNSKEY_Indirect_ZoneSignAlgo",
            "DNSSEC_DNSKEY_PrivateDNS_ZoneSignAlgo",
            "DNSSEC_DNSKEY_PrivateOID_ZoneSignAlgo",
            "DNSSEC_DNSKEY_unknown_ZoneSignAlgo",
            "DNSSEC_NSEC_bitmapLen0",
            "DNSSEC_NSEC3_bitmapLen0",
            "DNSSEC_DS_ReservedDigestType",
            "DNSSEC_DS_unknown_DigestType",
            "DNS_SVCB_wrong_length",
            "DNS_SVCB_aliasmode_with_params",
            "DNS_SVCB_param_value_toobig",
            "DNS_SVCB_mandatory_length_invalid",
            "DNS_SVCB_alpn_length_invalid",
            "DNS_SVCB_nodefaultalpn_value",
            "DNS_SVCB_port_length_invalid",
            "DNS_SVCB_hint_length_invalid",
            "DNS_SVCB_key_reserved_or_invalid",
            DnsTransactions.WEIRD_ANSWERS_CAPPED);

    private final boolean multicastStandalone;

    /** The provider with Zeek 8.2's multicast pairing (found by the service loader). */
    public DnsAnalyzerProvider() {
        this(false);
    }

    private DnsAnalyzerProvider(boolean multicastStandalone) {
        this.multicastStandalone = multicastStandalone;
    }

    /** Whether messages to multicast responders are logged one row each (Zeek 9). */
    public boolean multicastStandalone() {
        return multicastStandalone;
    }

    /**
     * Run options: {@code multicast=paired} (Zeek 8.2, the default) or {@code multicast=standalone}
     * (Zeek 9).
     *
     * @throws IllegalArgumentException naming an unknown key or value
     */
    @Override
    public AnalyzerProvider configure(java.util.Map<String, String> options) {
        boolean standalone = multicastStandalone;
        for (java.util.Map.Entry<String, String> e : options.entrySet()) {
            if (!e.getKey().equals("multicast")) {
                throw new IllegalArgumentException("unknown dns option '" + e.getKey() + "' (known: multicast)");
            }
            standalone = switch (e.getValue()) {
                case MULTICAST_PAIRED -> false;
                case MULTICAST_STANDALONE -> true;
                default -> throw new IllegalArgumentException("dns.multicast=" + e.getValue()
                        + ": expected " + MULTICAST_PAIRED + " (Zeek 8.2) or " + MULTICAST_STANDALONE + " (Zeek 9)");
            };
        }
        return standalone == multicastStandalone ? this : new DnsAnalyzerProvider(standalone);
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public boolean udp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return Set.of(53);
    }

    @Override
    public Set<Integer> udpPorts() {
        return Set.of(53, 137, 5353, 5355);
    }

    /** Null: Zeek activates DNS by port only. */

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new DnsAnalyzer(context, multicastStandalone);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(DnsLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
