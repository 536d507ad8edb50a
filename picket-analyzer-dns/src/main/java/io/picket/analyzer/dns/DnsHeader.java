package io.picket.analyzer.dns;

/**
 * The header of the DNS message being interpreted (Zeek's {@code dns_msg}): one mutable
 * instance per analyzer, refilled for every message on the shard thread.
 */
final class DnsHeader {
    int id;
    int opcode;
    int rcode;
    boolean qr;
    boolean aa;
    boolean tc;
    boolean rd;
    boolean ra;
    int z;
    int qdCount;
    int anCount;
    int nsCount;
    int arCount;
    boolean netbios;
    boolean dynamicUpdate;

    /** Splits the 16-bit flags word and the counts as {@code DNS_MsgInfo} does. */
    void set(int id, int flags, int qd, int an, int ns, int ar, boolean isNetbios) {
        this.id = id;
        qr = (flags & 0x8000) != 0;
        opcode = (flags & 0x7800) >>> 11;
        aa = (flags & 0x0400) != 0;
        tc = (flags & 0x0200) != 0;
        rd = (flags & 0x0100) != 0;
        ra = (flags & 0x0080) != 0;
        z = (flags & 0x0070) >>> 4;
        rcode = flags & 0x000f;
        qdCount = qd;
        anCount = an;
        nsCount = ns;
        arCount = ar;
        netbios = isNetbios;
        dynamicUpdate = opcode == DnsConstants.OP_DYNAMIC_UPDATE && !isNetbios;
    }

    /** Opcodes main.zeek tracks: query, notify and dynamic update. */
    boolean tracked() {
        return opcode == DnsConstants.OP_QUERY || opcode == DnsConstants.OP_DYNAMIC_UPDATE
                || opcode == DnsConstants.OP_NOTIFY;
    }
}
