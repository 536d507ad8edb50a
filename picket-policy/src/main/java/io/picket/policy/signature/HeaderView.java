package io.picket.policy.signature;

/**
 * Copy of the headers of the first packet of one direction, read by {@code header} conditions:
 * up to 64 bytes of the IP header and of the transport header, the final next-protocol value and
 * the addresses. Created once per direction; owned by the connection's shard thread.
 */
final class HeaderView {
    byte[] ip;
    byte[] transport;
    int nextProto;
    boolean ipv6;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;

    void fromFacts(ConnectionFacts f, boolean isOrig) {
        srcHi = isOrig ? f.origHi() : f.respHi();
        srcLo = isOrig ? f.origLo() : f.respLo();
        dstHi = isOrig ? f.respHi() : f.origHi();
        dstLo = isOrig ? f.respLo() : f.origLo();
    }

    /**
     * Headers built from the connection facts when no packet is given: an IPv4 (or IPv6) header with
     * protocol and addresses, and a transport header with the ports; everything else zero (Zeek
     * builds such a dummy packet for stream-only input).
     */
    static HeaderView synthetic(ConnectionFacts f, boolean isOrig) {
        HeaderView h = new HeaderView();
        h.fromFacts(f, isOrig);
        h.nextProto = f.ipProto();
        h.ipv6 = f.ipv6();
        if (h.ipv6) {
            h.ip = new byte[40];
            h.ip[0] = 0x60;
            h.ip[6] = (byte) f.ipProto();
            putLong(h.ip, 8, h.srcHi);
            putLong(h.ip, 16, h.srcLo);
            putLong(h.ip, 24, h.dstHi);
            putLong(h.ip, 32, h.dstLo);
        } else {
            h.ip = new byte[20];
            h.ip[0] = 0x45;
            int total = 20 + (f.ipProto() == ConnectionFacts.TCP ? 20 : 8);
            h.ip[2] = (byte) (total >>> 8);
            h.ip[3] = (byte) total;
            h.ip[9] = (byte) f.ipProto();
            putInt(h.ip, 12, (int) h.srcLo);
            putInt(h.ip, 16, (int) h.dstLo);
        }
        h.transport = new byte[f.ipProto() == ConnectionFacts.TCP ? 20 : 8];
        int sport = isOrig ? f.origPort() : f.respPort();
        int dport = isOrig ? f.respPort() : f.origPort();
        h.transport[0] = (byte) (sport >>> 8);
        h.transport[1] = (byte) sport;
        h.transport[2] = (byte) (dport >>> 8);
        h.transport[3] = (byte) dport;
        if (f.ipProto() == ConnectionFacts.TCP) {
            h.transport[12] = 0x50;
        }
        return h;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }
}
