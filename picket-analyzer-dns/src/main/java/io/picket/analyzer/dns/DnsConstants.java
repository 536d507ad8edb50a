package io.picket.analyzer.dns;

/**
 * Zeek's DNS name tables ({@code scripts/base/protocols/dns/consts.zeek}): query types, classes,
 * response codes and opcodes, with the same defaults for unknown values. Stateless.
 */
final class DnsConstants {
    /** Opcodes that main.zeek tracks (query, notify, dynamic update). */
    static final int OP_QUERY = 0;
    static final int OP_NOTIFY = 4;
    static final int OP_DYNAMIC_UPDATE = 5;

    /** Resource record types the interpreter dispatches on ({@code DNS.h} RR_Type). */
    static final int TYPE_A = 1;
    static final int TYPE_NS = 2;
    static final int TYPE_CNAME = 5;
    static final int TYPE_SOA = 6;
    static final int TYPE_WKS = 11;
    static final int TYPE_PTR = 12;
    static final int TYPE_HINFO = 13;
    static final int TYPE_MX = 15;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_LOC = 29;
    static final int TYPE_NBS = 32;
    static final int TYPE_SRV = 33;
    static final int TYPE_NAPTR = 35;
    static final int TYPE_A6 = 38;
    static final int TYPE_EDNS = 41;
    static final int TYPE_DS = 43;
    static final int TYPE_SSHFP = 44;
    static final int TYPE_RRSIG = 46;
    static final int TYPE_NSEC = 47;
    static final int TYPE_DNSKEY = 48;
    static final int TYPE_NSEC3 = 50;
    static final int TYPE_NSEC3PARAM = 51;
    static final int TYPE_SVCB = 64;
    static final int TYPE_HTTPS = 65;
    static final int TYPE_SPF = 99;
    static final int TYPE_TKEY = 249;
    static final int TYPE_TSIG = 250;
    static final int TYPE_ANY = 255;
    static final int TYPE_CAA = 257;
    static final int TYPE_BINDS = 65534;

    static final int CLASS_NONE = 254;
    static final int CLASS_ANY = 255;

    /** Answer sections ({@code DNS_AnswerType}; main.zeek's DNS_ANS, DNS_PREREQUISITE, DNS_UPDATE). */
    static final int SECTION_ANSWER = 1;
    static final int SECTION_PREREQUISITES = 4;
    static final int SECTION_UPDATES = 5;

    private DnsConstants() {
    }

    /** {@code DNS::query_types} with its {@code query-%d} default. */
    static String queryType(int t) {
        String s = switch (t) {
            case 1 -> "A";
            case 2 -> "NS";
            case 3 -> "MD";
            case 4 -> "MF";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 7 -> "MB";
            case 8 -> "MG";
            case 9 -> "MR";
            case 10 -> "NULL";
            case 11 -> "WKS";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 14 -> "MINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 17 -> "RP";
            case 18 -> "AFSDB";
            case 19 -> "X25";
            case 20 -> "ISDN";
            case 21 -> "RT";
            case 22 -> "NSAP";
            case 23 -> "NSAP-PTR";
            case 24 -> "SIG";
            case 25 -> "KEY";
            case 26 -> "PX";
            case 27 -> "GPOS";
            case 28 -> "AAAA";
            case 29 -> "LOC";
            case 30 -> "NXT";
            case 31 -> "EID";
            case 32 -> "NIMLOC";
            case 33 -> "SRV";
            case 34 -> "ATMA";
            case 35 -> "NAPTR";
            case 36 -> "KX";
            case 37 -> "CERT";
            case 38 -> "A6";
            case 39 -> "DNAME";
            case 40 -> "SINK";
            case 41 -> "OPT";
            case 42 -> "APL";
            case 43 -> "DS";
            case 44 -> "SSHFP";
            case 45 -> "IPSECKEY";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 49 -> "DHCID";
            case 50 -> "NSEC3";
            case 51 -> "NSEC3PARAM";
            case 52 -> "TLSA";
            case 53 -> "SMIMEA";
            case 55 -> "HIP";
            case 56 -> "NINFO";
            case 57 -> "RKEY";
            case 58 -> "TALINK";
            case 59 -> "CDS";
            case 60 -> "CDNSKEY";
            case 61 -> "OPENPGPKEY";
            case 62 -> "CSYNC";
            case 63 -> "ZONEMD";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 99 -> "SPF";
            case 100 -> "UINFO";
            case 101 -> "UID";
            case 102 -> "GID";
            case 103 -> "UNSPEC";
            case 104 -> "NID";
            case 105 -> "L32";
            case 106 -> "L64";
            case 107 -> "LP";
            case 108 -> "EUI48";
            case 109 -> "EUI64";
            case 249 -> "TKEY";
            case 250 -> "TSIG";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 253 -> "MAILB";
            case 254 -> "MAILA";
            case 255 -> "*";
            case 256 -> "URI";
            case 257 -> "CAA";
            case 32768 -> "TA";
            case 32769 -> "DLV";
            case 65281 -> "WINS";
            case 65282 -> "WINS-R";
            case 65422 -> "XPF";
            case 65521 -> "INTEGRITY";
            default -> null;
        };
        return s != null ? s : "query-" + t;
    }

    /** {@code DNS::base_errors} with its {@code rcode-%d} default. */
    static String rcode(int r) {
        String s = switch (r) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSet";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            case 11 -> "unassigned-11";
            case 12 -> "unassigned-12";
            case 13 -> "unassigned-13";
            case 14 -> "unassigned-14";
            case 15 -> "unassigned-15";
            case 16 -> "BADVERS";
            case 17 -> "BADKEY";
            case 18 -> "BADTIME";
            case 19 -> "BADMODE";
            case 20 -> "BADNAME";
            case 21 -> "BADALG";
            case 22 -> "BADTRUNC";
            case 23 -> "BADCOOKIE";
            case 3842 -> "BADSIG";
            default -> null;
        };
        return s != null ? s : "rcode-" + r;
    }

    /** {@code DNS::classes} with its {@code qclass-%d} default. */
    static String qclass(int c) {
        String s = switch (c) {
            case 1 -> "C_INTERNET";
            case 2 -> "C_CSNET";
            case 3 -> "C_CHAOS";
            case 4 -> "C_HESIOD";
            case 254 -> "C_NONE";
            case 255 -> "C_ANY";
            default -> null;
        };
        return s != null ? s : "qclass-" + c;
    }

    /** {@code DNS::opcodes} with its {@code opcode-%d} default. */
    static String opcode(int op) {
        return switch (op) {
            case 0 -> "query";
            case 1 -> "iquery";
            case 2 -> "server-status";
            case 4 -> "notify";
            case 5 -> "dynamic-update";
            case 6 -> "dso";
            default -> "opcode-" + op;
        };
    }

    /** {@code DNS::netbios_opcodes} with its {@code netbios-opcode-%d} default. */
    static String netbiosOpcode(int op) {
        return switch (op) {
            case 0 -> "netbios-query";
            case 5 -> "netbios-registration";
            case 6 -> "netbios-release";
            case 7 -> "netbios-wack";
            case 8 -> "netbios-refresh";
            default -> "netbios-opcode-" + op;
        };
    }
}
