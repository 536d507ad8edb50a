package io.picket.analyzer.dns;

import io.picket.analyzer.spi.AnalyzerContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses one DNS message the way Zeek's {@code DNS_Interpreter} ({@code
 * src/analyzer/protocol/dns/DNS.cc}) does, with Zeek's default settings
 * ({@code dns_skip_all_auth}, {@code dns_skip_all_addl}: only the question and answer sections
 * are read; {@code dns_max_queries} 25; {@code dns_max_compression_chain_depth} 20) and the event
 * handlers of {@code base/protocols/dns} (an RR type whose event has no handler is skipped
 * unparsed, as Zeek does). Events go to {@link DnsTransactions}; malformed input becomes Zeek's
 * weirds, never an exception. The cursor moves exactly as Zeek's {@code data}/{@code len} do,
 * including after RRs whose parsers consume more or less than their rdlength.
 *
 * <p>Owned by the shard thread of one connection; reads the message in place (no copy) into
 * parse buffers shared by the connections of the thread; per connection it keeps a few fields.
 */
final class DnsInterpreter {
    private static final int NETBIOS_PORT = 137;
    private static final int HEADER_LEN = 12;
    private static final int MAX_QUERIES = 25;
    private static final int MAX_COMPRESSION_DEPTH = 20;
    /** {@code u_char name[513]}, capacity {@code sizeof(name) - 1}. */
    private static final int NAME_CAPACITY = 512;
    /** TSIG's algorithm name buffer is {@code u_char alg_name[1024]}. */
    private static final int TSIG_NAME_CAPACITY = 1023;

    private final DnsAnalyzer analyzer;
    private final AnalyzerContext ctx;
    private final DnsTransactions tx;
    private final boolean netbios;
    private boolean firstMessage = true;

    // Scratch shared by all connections of the shard thread (bound at the first message).
    private Scratch scratch;
    private DnsHeader msg;
    private DnsText text;
    /** The answer owner name (ans$query) or the question name. */
    private byte[] owner;
    private int ownerLen;
    private byte[] name1;
    private byte[] name2;
    private byte[] bytes16;

    // The message and the cursor (Zeek's data/len), as offsets from the message start.
    private MemorySegment seg;
    private long base;
    private int pos;
    private int len;

    // The RR being parsed.
    private int section;
    private int atype;
    private int aclass;
    private long ttl;
    private int zclass;
    /** Remaining rdlength while reading character strings ({@code extract_char_string}). */
    private int rdlen;

    DnsInterpreter(DnsAnalyzer analyzer, AnalyzerContext ctx, DnsTransactions tx) {
        this.analyzer = analyzer;
        this.ctx = ctx;
        this.tx = tx;
        this.netbios = ctx.origPort() == NETBIOS_PORT || ctx.respPort() == NETBIOS_PORT;
    }

    /**
     * Zeek's {@code ParseMessage}. {@code isQuery} is 1 for data from the originator, 0 from
     * the responder, 2 for a partial TCP message flushed at close.
     */
    void parseMessage(MemorySegment data, long offset, int length, int isQuery) {
        if (length < HEADER_LEN) {
            weird("DNS_truncated_len_lt_hdr_len");
            return;
        }
        if (scratch == null) {
            bindScratch();
        }
        seg = data;
        base = offset;
        pos = 0;
        len = length;
        int flags = u16(2);
        int opcode = (flags & 0x7800) >>> 11;
        if (opcode != DnsConstants.OP_QUERY && opcode != DnsConstants.OP_DYNAMIC_UPDATE && !netbios
                && opcode != DnsConstants.OP_NOTIFY) {
            ctx.weird("DNS_unknown_opcode", Integer.toString(opcode));
            return;
        }
        msg.set(u16(0), flags, u16(4), u16(6), u16(8), u16(10), netbios);

        if (firstMessage && msg.qr && isQuery == 1) {
            if (!analyzer.respIsMulticast()) {
                analyzer.flipRoles();
            }
        }
        firstMessage = false;

        tx.onMessage(msg);

        if (msg.qdCount > MAX_QUERIES) {
            ctx.violation("DNS_Conn_count_too_large");
            weird("DNS_Conn_count_too_large");
            endMessage();
            return;
        }

        pos = HEADER_LEN;
        len = length - HEADER_LEN;

        if (msg.dynamicUpdate) {
            if (msg.qdCount != 1) {
                ctx.weird("DNS_DU_invalid_zone_count", Integer.toString(msg.qdCount));
                endMessage();
                return;
            }
            if (!parseAnswerHeader()) {
                endMessage();
                return;
            }
            if (atype != DnsConstants.TYPE_SOA) {
                weird("DNS_DU_incorrect_zone_type");
                return;
            }
            zclass = aclass;
            if (!parseAnswers(msg.anCount, DnsConstants.SECTION_PREREQUISITES)) {
                endMessage();
                return;
            }
            if (!parseAnswers(msg.nsCount, DnsConstants.SECTION_UPDATES)) {
                endMessage();
                return;
            }
        } else {
            int n = msg.qdCount;
            while (n > 0 && parseQuestion()) {
                --n;
            }
            if (n != 0) {
                endMessage();
                return;
            }
            if (!parseAnswers(msg.anCount, DnsConstants.SECTION_ANSWER)) {
                endMessage();
                return;
            }
        }
        ctx.confirm();
        // dns_skip_all_auth and dns_skip_all_addl are T: nothing more is parsed.
        endMessage();
    }

    private void bindScratch() {
        scratch = Scratch.LOCAL.get();
        msg = scratch.msg;
        text = scratch.text;
        owner = scratch.owner;
        name1 = scratch.name1;
        name2 = scratch.name2;
        bytes16 = scratch.bytes16;
    }

    /**
     * Parse buffers of one shard thread: a message is parsed start to end without another
     * connection's message in between, so the connections of a thread share them.
     */
    private static final class Scratch {
        static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

        final DnsHeader msg = new DnsHeader();
        final DnsText text = new DnsText();
        final byte[] owner = new byte[TSIG_NAME_CAPACITY + 1];
        final byte[] name1 = new byte[TSIG_NAME_CAPACITY + 1];
        final byte[] name2 = new byte[TSIG_NAME_CAPACITY + 1];
        final byte[] bytes16 = new byte[16];
        byte[] stream = new byte[256];
    }

    private void endMessage() {
        tx.onEnd(msg);
    }

    private void weird(String name) {
        ctx.weird(name, null);
    }

    // ---- cursor reads (Zeek's ExtractByte/Short/Long: nothing is consumed when too short)

    private int byteAt(int p) {
        return seg.get(ValueLayout.JAVA_BYTE, base + p) & 0xff;
    }

    private int u16(int p) {
        return (byteAt(p) << 8) | byteAt(p + 1);
    }

    private int extractByte() {
        if (len < 1) {
            return 0;
        }
        int v = byteAt(pos);
        pos++;
        len--;
        return v;
    }

    private int extractShort() {
        if (len < 2) {
            return 0;
        }
        int v = u16(pos);
        pos += 2;
        len -= 2;
        return v;
    }

    private long extractLong() {
        if (len < 4) {
            return 0;
        }
        long v = ((long) u16(pos) << 16) | u16(pos + 2);
        pos += 4;
        len -= 4;
        return v;
    }

    /** Zeek's {@code ExtractStream}: up to {@code l} bytes (none if negative), copied to the scratch buffer. */
    private int extractStream(int l) {
        int n = Math.min(len, Math.max(l, 0));
        byte[] stream = streamBuffer(n);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, base + pos, stream, 0, n);
        pos += n;
        len -= n;
        return n;
    }

    /** The scratch byte buffer, at least {@code n} long (at most a message: 64 KiB). */
    private byte[] streamBuffer(int n) {
        byte[] b = scratch.stream;
        if (n > b.length) {
            b = new byte[Math.max(n, b.length * 2)];
            scratch.stream = b;
        }
        return b;
    }

    private void skip(int n) {
        pos += n;
        len -= n;
    }

    // ---- names

    /**
     * Zeek's {@code ExtractName} into {@code out} from {@code at} with {@code capacity} bytes
     * left: labels joined by '.', the trailing dot removed, ASCII upper case lowered when
     * {@code downcase}. Returns the end of the name in {@code out}, or -1 on a parse error.
     */
    private int extractName(byte[] out, int at, int capacity, boolean downcase, int depth) {
        if (depth > MAX_COMPRESSION_DEPTH) {
            weird("DNS_max_compression_chain_depth_exceeded");
            return at;
        }
        int start = at;
        int cap = capacity;
        while (true) {
            if (len <= 0) {
                weird("dns_invalid_name");
                return -1;
            }
            int origData = pos;
            int labelLen = byteAt(pos);
            pos++;
            len--;
            if (labelLen == 0) {
                break;
            }
            if ((labelLen & 0xc0) == 0xc0) {
                if (len <= 0) {
                    weird("dns_invalid_name");
                    return -1;
                }
                int offset = ((labelLen & 0x3f) << 8) | byteAt(pos);
                pos++;
                len--;
                if (offset >= origData) {
                    weird("DNS_label_forward_compress_offset");
                    return -1;
                }
                int savedPos = pos;
                int savedLen = len;
                pos = offset;
                len = origData - offset;
                int end = extractName(out, at, cap, true, depth + 1);
                pos = savedPos;
                len = savedLen;
                if (end < 0) {
                    return -1;
                }
                cap -= end - at;
                at = end;
                break;
            }
            if (labelLen > len) {
                weird("DNS_label_len_gt_pkt");
                pos += len;
                len = 0;
                return -1;
            }
            if (labelLen > 63 && analyzer.respPort() != NETBIOS_PORT) {
                weird("DNS_label_too_long");
                return -1;
            }
            if (labelLen >= cap) {
                weird("DNS_label_len_gt_name_len");
                return -1;
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, base + pos, out, at, labelLen);
            out[at + labelLen] = '.';
            at += labelLen + 1;
            cap -= labelLen + 1;
            pos += labelLen;
            len -= labelLen;
        }
        int n = at - start;
        if (n >= 255) {
            weird("DNS_NAME_too_long");
        }
        if (n >= 2 && out[at - 1] == '.') {
            at--;
        }
        if (downcase) {
            lower(out, start, at);
        }
        return at;
    }

    private static void lower(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] >= 'A' && b[i] <= 'Z') {
                b[i] += 32;
            }
        }
    }

    // ---- questions and answers

    private boolean parseQuestion() {
        int end = extractName(owner, 0, NAME_CAPACITY, false, 0);
        if (end < 0) {
            return false;
        }
        ownerLen = end;
        if (len < 4) {
            weird("DNS_truncated_quest_too_short");
            return false;
        }
        int qtype = extractShort();
        int qclass = extractShort();
        if (!msg.qr) {
            lower(owner, 0, ownerLen);
            tx.onRequest(msg, owner, ownerLen, qtype, qclass);
        } else if (msg.anCount == 0 && msg.nsCount == 0 && msg.arCount == 0) {
            tx.onRejected();
        }
        // dns_query_reply has no handler in the base scripts.
        return true;
    }

    private boolean parseAnswers(int n, int answerSection) {
        section = answerSection;
        while (n > 0 && parseAnswer()) {
            --n;
        }
        return n == 0;
    }

    private boolean parseAnswerHeader() {
        int end = extractName(owner, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        ownerLen = end;
        if (len < 4) {
            weird("DNS_truncated_ans_too_short");
            return false;
        }
        atype = extractShort();
        aclass = extractShort();
        return true;
    }

    private boolean parseAnswer() {
        if (!parseAnswerHeader()) {
            return false;
        }
        ttl = extractLong();
        int rdlength = extractShort();
        if (rdlength > len) {
            weird("DNS_truncated_RR_rdlength_lt_len");
            return false;
        }
        if (msg.dynamicUpdate) {
            if (section == DnsConstants.SECTION_UPDATES) {
                if (aclass == DnsConstants.CLASS_ANY && ttl == 0 && rdlength == 0) {
                    dynamicUpdateDel();
                    return true;
                } else if (!((aclass == DnsConstants.CLASS_NONE && ttl == 0) || aclass == zclass)) {
                    weird("DNS_dynamic_update_invalid_update");
                    return true;
                }
            } else if (section == DnsConstants.SECTION_PREREQUISITES) {
                if (ttl != 0) {
                    ctx.weird("DNS_dynamic_update_prereq_nonzero_ttl", Integer.toString((int) ttl));
                } else if (((aclass == DnsConstants.CLASS_ANY || aclass == DnsConstants.CLASS_NONE) && rdlength == 0)
                        || aclass == zclass) {
                    dynamicUpdatePre();
                } else {
                    weird("DNS_dynamic_update_invalid_prereq");
                }
                // Prerequisite RRs are not parsed further (nor skipped).
                return true;
            }
        }
        if (rdlength == 0 && len > 0) {
            if (msg.dynamicUpdate) {
                return true;
            }
            weird("DNS_zero_rdlength");
            return false;
        }
        return switch (atype) {
            case DnsConstants.TYPE_A -> parseA(rdlength);
            case DnsConstants.TYPE_A6, DnsConstants.TYPE_AAAA -> parseAaaa();
            case DnsConstants.TYPE_NS, DnsConstants.TYPE_CNAME, DnsConstants.TYPE_PTR -> parseName(rdlength);
            case DnsConstants.TYPE_SOA -> parseSoa(rdlength);
            case DnsConstants.TYPE_WKS -> {
                // dns_WKS_reply is handled: the event fires and no rdata is consumed.
                reply(text.clear());
                yield true;
            }
            case DnsConstants.TYPE_MX -> parseMx(rdlength);
            case DnsConstants.TYPE_TXT -> parseTxt(rdlength, "TXT ");
            case DnsConstants.TYPE_SPF -> parseTxt(rdlength, "SPF ");
            case DnsConstants.TYPE_HINFO, DnsConstants.TYPE_CAA, DnsConstants.TYPE_NBS, DnsConstants.TYPE_TKEY -> {
                // No handler for dns_HINFO_reply, dns_CAA_reply, dns_TKEY; NBS is never parsed.
                skip(rdlength);
                yield true;
            }
            case DnsConstants.TYPE_SRV -> {
                if (analyzer.respPort() == NETBIOS_PORT) {
                    // NBSTAT: not parsed, and not skipped either.
                    yield true;
                }
                yield parseSrv(rdlength);
            }
            case DnsConstants.TYPE_NAPTR -> parseNaptr(rdlength);
            case DnsConstants.TYPE_EDNS -> parseEdns(rdlength);
            case DnsConstants.TYPE_TSIG -> parseTsig();
            case DnsConstants.TYPE_RRSIG -> parseRrsig(rdlength);
            case DnsConstants.TYPE_DNSKEY -> parseDnskey(rdlength);
            case DnsConstants.TYPE_NSEC -> parseNsec(rdlength);
            case DnsConstants.TYPE_NSEC3 -> parseNsec3(rdlength);
            case DnsConstants.TYPE_NSEC3PARAM -> parseNsec3Param();
            case DnsConstants.TYPE_DS -> parseDs(rdlength);
            case DnsConstants.TYPE_BINDS -> parseBinds();
            case DnsConstants.TYPE_SSHFP -> parseSshfp(rdlength);
            case DnsConstants.TYPE_LOC -> parseLoc(rdlength);
            case DnsConstants.TYPE_SVCB, DnsConstants.TYPE_HTTPS -> parseSvcb(rdlength);
            default -> {
                if (wantsReply()) {
                    reply(text.clear().ascii("<unknown type=").decimal(atype).ascii(">"));
                }
                ctx.weird("DNS_RR_unknown_type", Integer.toString(atype));
                skip(rdlength);
                yield true;
            }
        };
    }

    private boolean wantsReply() {
        return tx.acceptsReply(msg, section);
    }

    private void reply(DnsText t) {
        if (tx.acceptsReply(msg, section)) {
            tx.onReply(msg, section, owner, ownerLen, ttl, t);
        }
    }

    private void dynamicUpdatePre() {
        if (!wantsReply()) {
            return;
        }
        text.clear().ascii("pre: ");
        if (aclass == DnsConstants.CLASS_NONE && atype == DnsConstants.TYPE_ANY) {
            text.ascii("NameNotInUse ").bytes(owner, 0, ownerLen);
        } else if (aclass == DnsConstants.CLASS_ANY && atype == DnsConstants.TYPE_ANY) {
            text.ascii("NameInUse ").bytes(owner, 0, ownerLen);
        } else if (aclass == DnsConstants.CLASS_NONE) {
            text.ascii("NoRRSet ").ascii(DnsConstants.queryType(atype)).ascii(" ").bytes(owner, 0, ownerLen);
        } else {
            text.ascii("RRSetExists ").ascii(DnsConstants.queryType(atype)).ascii(" ").bytes(owner, 0, ownerLen);
        }
        reply(text);
    }

    private void dynamicUpdateDel() {
        if (!wantsReply()) {
            return;
        }
        text.clear().ascii("del: ");
        if (aclass == DnsConstants.CLASS_ANY && atype == DnsConstants.TYPE_ANY) {
            text.ascii("RRSet * ").bytes(owner, 0, ownerLen);
        } else if (aclass == DnsConstants.CLASS_NONE) {
            text.ascii("RR ").ascii(DnsConstants.queryType(atype)).ascii(" ").bytes(owner, 0, ownerLen);
        } else {
            text.ascii("RRSet ").ascii(DnsConstants.queryType(atype));
        }
        reply(text);
    }

    /** The address prefix main.zeek writes for dynamic updates ({@code "A %s %s"}). */
    private void addressPrefix(String type) {
        if (msg.opcode == DnsConstants.OP_DYNAMIC_UPDATE && !msg.netbios) {
            text.ascii(type).ascii(" ").bytes(owner, 0, ownerLen).ascii(" ");
        }
    }

    private boolean parseA(int rdlength) {
        if (rdlength != 4) {
            weird("DNS_RR_bad_length");
            return false;
        }
        long addr = extractLong();
        if (wantsReply()) {
            bytes16[0] = (byte) (addr >>> 24);
            bytes16[1] = (byte) (addr >>> 16);
            bytes16[2] = (byte) (addr >>> 8);
            bytes16[3] = (byte) addr;
            text.clear();
            addressPrefix("A");
            reply(text.ipv4(bytes16, 0));
        }
        return true;
    }

    private boolean parseAaaa() {
        // Reads 16 bytes whatever rdlength says; a short read leaves zeros (Zeek's ExtractLong).
        for (int i = 0; i < 4; i++) {
            long v = extractLong();
            bytes16[4 * i] = (byte) (v >>> 24);
            bytes16[4 * i + 1] = (byte) (v >>> 16);
            bytes16[4 * i + 2] = (byte) (v >>> 8);
            bytes16[4 * i + 3] = (byte) v;
        }
        if (wantsReply()) {
            text.clear();
            addressPrefix(atype == DnsConstants.TYPE_AAAA ? "AAAA" : "A6");
            reply(text.ipv6(bytes16, 0));
        }
        return true;
    }

    private boolean parseName(int rdlength) {
        int start = pos;
        int end = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        if (pos - start != rdlength) {
            weird("DNS_RR_length_mismatch");
        }
        if (wantsReply()) {
            reply(text.clear().bytes(name1, 0, end));
        }
        return true;
    }

    private boolean parseSoa(int rdlength) {
        int start = pos;
        int mname = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (mname < 0) {
            return false;
        }
        int rname = extractName(name2, 0, NAME_CAPACITY, true, 0);
        if (rname < 0) {
            return false;
        }
        if (len < 20) {
            return false;
        }
        skip(20);
        if (pos - start != rdlength) {
            weird("DNS_RR_length_mismatch");
        }
        if (wantsReply()) {
            reply(text.clear().bytes(name1, 0, mname));
        }
        return true;
    }

    private boolean parseMx(int rdlength) {
        int start = pos;
        extractShort();
        int end = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        if (pos - start != rdlength) {
            weird("DNS_RR_length_mismatch");
        }
        if (wantsReply()) {
            reply(text.clear().bytes(name1, 0, end));
        }
        return true;
    }

    private boolean parseSrv(int rdlength) {
        int start = pos;
        extractShort();
        extractShort();
        extractShort();
        int end = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        if (pos - start != rdlength) {
            weird("DNS_RR_length_mismatch");
        }
        if (wantsReply()) {
            reply(text.clear().bytes(name1, 0, end));
        }
        return true;
    }

    /**
     * Zeek's {@code extract_char_string}: the length of the next character string, its bytes
     * at {@code pos - n}; -1 when there is none (or it overruns the rdata: a weird).
     */
    private int extractCharString() {
        if (rdlen <= 0) {
            return -1;
        }
        int size = byteAt(pos);
        rdlen--;
        len--;
        pos++;
        if (size > rdlen) {
            weird("DNS_TXT_char_str_past_rdlen");
            return -1;
        }
        rdlen -= size;
        len -= size;
        pos += size;
        return size;
    }

    private boolean parseTxt(int rdlength, String prefix) {
        rdlen = rdlength;
        boolean want = wantsReply();
        text.clear();
        int count = 0;
        int n;
        while ((n = extractCharString()) >= 0) {
            if (want) {
                if (count > 0) {
                    text.ascii(" ");
                }
                text.ascii(prefix).decimal(n).ascii(" ");
                appendSegment(pos - n, n);
            }
            count++;
        }
        if (want) {
            reply(text);
        }
        return rdlen == 0;
    }

    private void appendSegment(int from, int n) {
        byte[] stream = streamBuffer(n);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, base + from, stream, 0, n);
        text.bytes(stream, 0, n);
    }

    private boolean parseNaptr(int rdlength) {
        int order = extractShort();
        int preference = extractShort();
        rdlen = rdlength - 4;
        if (len <= 0 || rdlen <= 0) {
            ctx.violation("DNS_NAPTR_too_short");
            return false;
        }
        int flagsLen = extractCharString();
        int flagsAt = pos - Math.max(flagsLen, 0);
        int serviceLen = extractCharString();
        int serviceAt = pos - Math.max(serviceLen, 0);
        int regexpLen = extractCharString();
        int regexpAt = pos - Math.max(regexpLen, 0);
        int replacement = extractName(name1, 0, NAME_CAPACITY, false, 0);
        if (flagsLen < 0 || serviceLen < 0 || regexpLen < 0 || replacement < 0) {
            ctx.violation("DNS_NAPTR_RR_too_short");
            return false;
        }
        if (wantsReply()) {
            text.clear().ascii("NAPTR ").decimal(order).ascii(" ").decimal(preference).ascii(" ");
            appendSegment(flagsAt, flagsLen);
            text.ascii(" ");
            appendSegment(serviceAt, serviceLen);
            text.ascii(" ");
            if (regexpLen > 0) {
                appendSegment(regexpAt, regexpLen);
            }
            if (replacement > 0) {
                if (regexpLen > 0) {
                    text.ascii(" ");
                }
                text.bytes(name1, 0, replacement);
            }
            reply(text);
        }
        return true;
    }

    private boolean parseEdns(int rdlength) {
        // dns_EDNS_addl has no handler; the options are still walked for their weirds.
        int remaining = rdlength;
        while (remaining >= 4) {
            int code = extractShort();
            int optionLen = extractShort();
            remaining -= 4;
            if (optionLen > remaining) {
                weird("EDNS_truncated_option");
                return false;
            }
            if (code == 8) {
                ednsClientSubnet(optionLen);
            } else if (code == 11) {
                if ((optionLen == 0 || optionLen == 2) && analyzer.isUdp()) {
                    weird("EDNS_TCP_Keepalive_In_UDP");
                }
            }
            skip(optionLen);
            remaining -= optionLen;
        }
        if (remaining != 0) {
            weird("EDNS_truncated_option");
            return false;
        }
        return true;
    }

    private void ednsClientSubnet(int optionLen) {
        if (optionLen <= 4) {
            weird("EDNS_ECS_invalid_option_len");
            return;
        }
        int family = u16(pos);
        int sourcePrefix = byteAt(pos + 2);
        int have = (optionLen - 4) * 8;
        if (family == 1) {
            if (sourcePrefix > 32) {
                ctx.weird("EDNS_ECS_invalid_addr_v4_prefix", sourcePrefix + " bits");
            } else if (sourcePrefix > have) {
                ctx.weird("EDNS_ECS_invalid_addr_v4", "need " + sourcePrefix + " bits, have " + have + " bits");
            }
        } else if (family == 2) {
            if (sourcePrefix > 128) {
                ctx.weird("EDNS_ECS_invalid_addr_v6_prefix", sourcePrefix + " bits");
            } else if (sourcePrefix > have) {
                ctx.weird("EDNS_ECS_invalid_addr_v6", "need " + sourcePrefix + " bits, have " + have + " bits");
            }
        }
    }

    private void extractOctets() {
        int dlen = extractShort();
        skip(Math.min(len, dlen));
    }

    private boolean parseTsig() {
        // dns_TSIG_addl has no handler; Zeek still walks the fields (no rdlength checks).
        int end = extractName(name1, 0, TSIG_NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        extractLong();
        extractShort();
        extractShort();
        extractOctets();
        extractShort();
        extractShort();
        extractOctets();
        return true;
    }

    private boolean parseRrsig(int rdlength) {
        if (len < 18) {
            return false;
        }
        int typeCovered = extractShort();
        int algo = extractShort() >>> 8;
        extractLong();
        extractLong();
        extractLong();
        extractShort();
        int start = pos;
        int end = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        int sigLen = rdlength - ((pos - start) + 18);
        extractStream(sigLen);
        String kind = algorithmWeird(algo);
        if (kind != null) {
            ctx.weird("DNSSEC_RRSIG_" + kind + "_ZoneSignAlgo", Integer.toString(algo));
        }
        if (wantsReply()) {
            text.clear().ascii("RRSIG ").decimal(typeCovered).ascii(" ");
            if (end == 0) {
                text.ascii("<Root>");
            } else {
                text.bytes(name1, 0, end);
            }
            reply(text);
        }
        return true;
    }

    /** The weird infix for a DNSSEC algorithm, or null for the accepted ones. */
    private static String algorithmWeird(int algo) {
        return switch (algo) {
            case 1 -> "NotRecommended";
            case 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16 -> null;
            case 252 -> "Indirect";
            case 253 -> "PrivateDNS";
            case 254 -> "PrivateOID";
            default -> "unknown";
        };
    }

    private boolean parseDnskey(int rdlength) {
        if (len < 4) {
            return false;
        }
        int dflags = extractShort();
        int protoAlgo = extractShort();
        int protocol = protoAlgo >>> 8;
        int algo = protoAlgo & 0xff;
        extractStream(rdlength - 4);
        if ((dflags & 0xfe7e) != 0) {
            ctx.weird("DNSSEC_DNSKEY_Invalid_Flag", Integer.toString(dflags));
        }
        if ((dflags & 0x0181) == 0x0181) {
            ctx.weird("DNSSEC_DNSKEY_Revoked_KSK", Integer.toString(dflags));
        }
        if (protocol != 3) {
            ctx.weird("DNSSEC_DNSKEY_Invalid_Protocol", Integer.toString(protocol));
        }
        String kind = algorithmWeird(algo);
        if (kind != null) {
            ctx.weird("DNSSEC_DNSKEY_" + kind + "_ZoneSignAlgo", Integer.toString(algo));
        }
        if (wantsReply()) {
            reply(text.clear().ascii("DNSKEY ").decimal(algo));
        }
        return true;
    }

    /** The type bitmaps of NSEC and NSEC3 ({@code typebitmaps_len} bytes announced). */
    private void typeBitmaps(int typebitmapsLen, String weirdName) {
        while (typebitmapsLen > 0 && len > 0) {
            int blockLen = extractShort();
            int window = blockLen >>> 8;
            int bmlen = blockLen & 0xff;
            if (bmlen == 0) {
                ctx.weird(weirdName, Integer.toString(window));
                break;
            }
            extractStream(bmlen);
            typebitmapsLen -= 2 + bmlen;
        }
    }

    private boolean parseNsec(int rdlength) {
        int start = pos;
        int end = extractName(name1, 0, NAME_CAPACITY, true, 0);
        if (end < 0) {
            return false;
        }
        typeBitmaps(rdlength - (pos - start), "DNSSEC_NSEC_bitmapLen0");
        if (wantsReply()) {
            reply(text.clear().ascii("NSEC ").bytes(owner, 0, ownerLen).ascii(" ").bytes(name1, 0, end));
        }
        return true;
    }

    private boolean parseNsec3(int rdlength) {
        if (len < 6) {
            return false;
        }
        int start = pos;
        extractShort();
        extractShort();
        int saltLen = len > 0 ? extractByte() : 0;
        extractStream(saltLen);
        int hashLen = len > 0 ? extractByte() : 0;
        extractStream(hashLen);
        typeBitmaps(rdlength - (pos - start), "DNSSEC_NSEC3_bitmapLen0");
        if (wantsReply()) {
            reply(text.clear().ascii("NSEC3"));
        }
        return true;
    }

    private boolean parseNsec3Param() {
        if (len < 5) {
            return false;
        }
        extractShort();
        extractShort();
        int saltLen = len > 0 ? extractByte() : 0;
        extractStream(saltLen);
        if (wantsReply()) {
            reply(text.clear().ascii("NSEC3PARAM"));
        }
        return true;
    }

    private boolean parseDs(int rdlength) {
        if (len < 4) {
            return false;
        }
        extractShort();
        int algoType = extractShort();
        int algo = algoType >>> 8;
        int digestType = algoType & 0xff;
        extractStream(rdlength - 4);
        if (digestType == 0) {
            ctx.weird("DNSSEC_DS_ReservedDigestType", Integer.toString(digestType));
        } else if (digestType > 4) {
            ctx.weird("DNSSEC_DS_unknown_DigestType", Integer.toString(digestType));
        }
        if (wantsReply()) {
            reply(text.clear().ascii("DS ").decimal(algo).ascii(" ").decimal(digestType));
        }
        return true;
    }

    private boolean parseBinds() {
        if (len < 5) {
            return false;
        }
        extractLong();
        extractByte();
        if (wantsReply()) {
            reply(text.clear().ascii("BIND9 signing signal"));
        }
        return true;
    }

    private boolean parseSshfp(int rdlength) {
        if (len < 2) {
            return false;
        }
        extractShort();
        int n = extractStream(rdlength - 2);
        if (wantsReply()) {
            reply(text.clear().ascii("SSHFP: ").hexLower(scratch.stream, 0, n));
        }
        return true;
    }

    private boolean parseLoc(int rdlength) {
        if (rdlength != 16) {
            weird("dns_invalid_loc_length");
            return false;
        }
        int version = byteAt(pos);
        int size = byteAt(pos + 1);
        int horizPre = byteAt(pos + 2);
        int vertPre = byteAt(pos + 3);
        skip(16);
        if (version != 0) {
            ctx.weird("DNS_LOC_version_unrecognized", Integer.toString(version));
        }
        if (wantsReply()) {
            reply(text.clear().ascii("LOC:  ").decimal(size).ascii(" ").decimal(horizPre).ascii(" ")
                    .decimal(vertPre));
        }
        return true;
    }

    private boolean parseSvcb(int rdlength) {
        // dns_SVCB/dns_HTTPS have no handler in the base scripts: only the cursor and weirds.
        int start = pos;
        if (len < 3) {
            weird("DNS_SVCB_wrong_length");
            return false;
        }
        int priority = extractShort();
        int end = extractName(name1, 0, NAME_CAPACITY, false, 0);
        if (end < 0) {
            return false;
        }
        int paramsLen = rdlength - (pos - start);
        if (paramsLen > 0) {
            if (priority == 0) {
                weird("DNS_SVCB_aliasmode_with_params");
            }
            svcParams(paramsLen);
        }
        return true;
    }

    private void svcParams(int paramsLen) {
        while (paramsLen >= 4) {
            int key = extractShort();
            int valueLen = extractShort();
            paramsLen -= 4;
            boolean malformed = false;
            if (valueLen > paramsLen) {
                ctx.weird("DNS_SVCB_param_value_toobig", valueLen + " capped to " + paramsLen);
                valueLen = paramsLen;
                malformed = true;
            } else {
                switch (key) {
                    case 0 -> {
                        if (valueLen == 0 || valueLen % 2 != 0) {
                            weird("DNS_SVCB_mandatory_length_invalid");
                            malformed = true;
                        } else {
                            for (int parsed = 0; parsed + 2 <= valueLen; parsed += 2) {
                                extractShort();
                            }
                        }
                    }
                    case 1 -> {
                        int parsed = 0;
                        while (parsed + 2 < valueLen) {
                            int alpnLen = extractByte();
                            parsed += 1;
                            if (alpnLen == 0 || alpnLen + parsed > valueLen) {
                                weird("DNS_SVCB_alpn_length_invalid");
                                malformed = true;
                                break;
                            }
                            skip(Math.min(alpnLen, len));
                            parsed += alpnLen;
                        }
                    }
                    case 2 -> {
                        if (valueLen > 0) {
                            weird("DNS_SVCB_nodefaultalpn_value");
                            malformed = true;
                        }
                    }
                    case 3 -> {
                        if (valueLen != 2) {
                            weird("DNS_SVCB_port_length_invalid");
                        } else {
                            extractShort();
                        }
                    }
                    case 4, 6 -> {
                        int addrLen = key == 4 ? 4 : 16;
                        if (valueLen % addrLen != 0) {
                            weird("DNS_SVCB_hint_length_invalid");
                            malformed = true;
                        } else {
                            for (int parsed = 0; parsed + addrLen <= valueLen && len >= addrLen; parsed += addrLen) {
                                skip(addrLen);
                            }
                        }
                    }
                    case 5 -> extractStream(valueLen);
                    default -> {
                        weird("DNS_SVCB_key_reserved_or_invalid");
                        malformed = true;
                    }
                }
            }
            if (malformed) {
                extractStream(valueLen);
            }
            paramsLen -= valueLen;
        }
    }
}
