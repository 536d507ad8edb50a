package io.picket.analyzer.krb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic pcap of Ethernet/IPv4 UDP and TCP packets split into connections (originator: the
 * sender of the first packet), with each TCP direction's payload delivered once in sequence order
 * (retransmissions dropped). Test helper for well-behaved traces only.
 */
final class PcapTrace {

    /** One payload delivery: datagram (UDP) or in-order stream bytes (TCP). */
    record Delivery(double ts, boolean isOrig, byte[] payload) {
    }

    /** One connection and its deliveries in capture order. */
    static final class Conn {
        final String origHost;
        final int origPort;
        final String respHost;
        final int respPort;
        final boolean tcp;
        final double start;
        final List<Delivery> deliveries = new ArrayList<>();
        final long[] nextSeq = {-1, -1};

        Conn(String oh, int op, String rh, int rp, boolean tcp, double start) {
            origHost = oh;
            origPort = op;
            respHost = rh;
            respPort = rp;
            this.tcp = tcp;
            this.start = start;
        }
    }

    static List<Conn> read(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
        int magic = b.getInt(0);
        b.order(magic == 0xa1b2c3d4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.position(24);
        Map<String, Conn> conns = new LinkedHashMap<>();
        while (b.remaining() >= 16) {
            long sec = b.getInt() & 0xffffffffL;
            long usec = b.getInt() & 0xffffffffL;
            int incl = b.getInt();
            b.getInt();
            byte[] p = new byte[incl];
            b.get(p);
            packet(sec + usec / 1e6, p, conns);
        }
        return new ArrayList<>(conns.values());
    }

    private static void packet(double ts, byte[] p, Map<String, Conn> conns) {
        int off = 14;
        int ethType = u16(p, 12);
        if (ethType == 0x8100) {
            ethType = u16(p, 16);
            off = 18;
        }
        if (ethType != 0x0800) {
            return;
        }
        int ihl = (p[off] & 0x0f) * 4;
        int total = u16(p, off + 2);
        int proto = p[off + 9] & 0xff;
        String src = ip(p, off + 12);
        String dst = ip(p, off + 16);
        int l4 = off + ihl;
        int end = Math.min(p.length, off + total);
        int sp = u16(p, l4);
        int dp = u16(p, l4 + 2);
        boolean tcp = proto == 6;
        if (!tcp && proto != 17) {
            return;
        }
        String k1 = proto + " " + src + ":" + sp + " " + dst + ":" + dp;
        String k2 = proto + " " + dst + ":" + dp + " " + src + ":" + sp;
        Conn c = conns.get(k1);
        boolean isOrig = true;
        if (c == null) {
            c = conns.get(k2);
            isOrig = false;
        }
        if (c == null) {
            c = new Conn(src, sp, dst, dp, tcp, ts);
            conns.put(k1, c);
            isOrig = true;
        }
        if (!tcp) {
            byte[] payload = java.util.Arrays.copyOfRange(p, l4 + 8, end);
            c.deliveries.add(new Delivery(ts, isOrig, payload));
            return;
        }
        long seq = u32(p, l4 + 4);
        int flags = p[l4 + 13] & 0xff;
        int dataOff = l4 + ((p[l4 + 12] & 0xf0) >> 2);
        int d = isOrig ? 0 : 1;
        if ((flags & 0x02) != 0) {
            c.nextSeq[d] = seq + 1;
            return;
        }
        int len = end - dataOff;
        if (len <= 0 || c.nextSeq[d] < 0) {
            return;
        }
        long skip = c.nextSeq[d] - seq;
        if (skip >= len || skip < 0) {
            return;
        }
        byte[] payload = java.util.Arrays.copyOfRange(p, dataOff + (int) skip, end);
        c.nextSeq[d] = seq + len;
        c.deliveries.add(new Delivery(ts, isOrig, payload));
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }

    private static long u32(byte[] p, int i) {
        return ((long) u16(p, i) << 16) | u16(p, i + 2);
    }

    private static String ip(byte[] p, int i) {
        return (p[i] & 0xff) + "." + (p[i + 1] & 0xff) + "." + (p[i + 2] & 0xff) + "." + (p[i + 3] & 0xff);
    }

    private PcapTrace() {
    }
}
