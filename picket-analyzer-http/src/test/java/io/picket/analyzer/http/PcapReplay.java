package io.picket.analyzer.http;

import io.picket.analyzer.spi.Detector;
import io.picket.log.LogRecord;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only replay of a classic pcap through the HTTP analyzer: Ethernet/VLAN, IPv4/IPv6, TCP
 * with a simple in-order reassembly per direction (no overlap handling), analyzers attached at
 * connection start on Zeek's HTTP ports or by the detector. Connections that do not start with
 * a SYN are skipped as Zeek's HTTP analyzer skips "partial" connections. Violations are
 * recorded but the analyzer keeps running (what Zeek's DPD re-activation amounts to on the
 * vendored cases).
 */
final class PcapReplay {
    /** One connection's analyzer and context. */
    static final class Conn {
        final FakeContext ctx;
        final HttpAnalyzer analyzer;
        final Dir orig = new Dir();
        final Dir resp = new Dir();
        boolean partial;
        Detector detector;
        boolean active;
        final List<Object[]> buffered = new ArrayList<>();
        int bufferedBytes;

        Conn(FakeContext ctx) {
            this.ctx = ctx;
            this.analyzer = new HttpAnalyzer(ctx);
        }
    }

    static final class Dir {
        long isn = -1;
        long next;
        long delivered;
        boolean finSeen;
        long finSeq;
        boolean eof;
        final TreeMap<Long, byte[]> ooo = new TreeMap<>();
    }

    final Map<String, Conn> conns = new LinkedHashMap<>();
    final List<Conn> order = new ArrayList<>();
    private final Arena arena = Arena.ofConfined();
    private int uidCounter;

    static PcapReplay run(Path pcap) throws IOException {
        PcapReplay r = new PcapReplay();
        r.replay(Files.readAllBytes(pcap));
        return r;
    }

    List<LogRecord> records() {
        List<LogRecord> all = new ArrayList<>();
        for (Conn c : order) {
            all.addAll(c.ctx.logs);
        }
        return all;
    }

    private void replay(byte[] file) {
        ByteBuffer bb = ByteBuffer.wrap(file);
        int magic = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nano;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            bb.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            bb.order(ByteOrder.BIG_ENDIAN);
        }
        int m = bb.getInt(0);
        nano = m == 0xa1b23c4d;
        int pos = 24;
        while (pos + 16 <= file.length) {
            long sec = bb.getInt(pos) & 0xffffffffL;
            long frac = bb.getInt(pos + 4) & 0xffffffffL;
            int caplen = bb.getInt(pos + 8);
            pos += 16;
            if (pos + caplen > file.length) {
                break;
            }
            double ts = sec + frac / (nano ? 1e9 : 1e6);
            packet(file, pos, caplen, ts);
            pos += caplen;
        }
        for (Conn c : order) {
            if (c.active) {
                c.analyzer.onConnectionDone();
            }
        }
    }

    private void packet(byte[] d, int off, int len, double ts) {
        int p = off + 12;
        int end = off + len;
        int etype = u16(d, p);
        p += 2;
        while (etype == 0x8100 || etype == 0x88a8) {
            etype = u16(d, p + 2);
            p += 4;
        }
        String src;
        String dst;
        int proto;
        int l4;
        int l4end;
        if (etype == 0x0800) {
            int ihl = (d[p] & 0xf) * 4;
            int total = u16(d, p + 2);
            proto = d[p + 9] & 0xff;
            src = (d[p + 12] & 0xff) + "." + (d[p + 13] & 0xff) + "." + (d[p + 14] & 0xff) + "." + (d[p + 15] & 0xff);
            dst = (d[p + 16] & 0xff) + "." + (d[p + 17] & 0xff) + "." + (d[p + 18] & 0xff) + "." + (d[p + 19] & 0xff);
            l4 = p + ihl;
            l4end = Math.min(end, p + total);
        } else if (etype == 0x86dd) {
            proto = d[p + 6] & 0xff;
            src = v6(d, p + 8);
            dst = v6(d, p + 24);
            l4 = p + 40;
            l4end = Math.min(end, l4 + u16(d, p + 4));
        } else {
            return;
        }
        if (proto != 6) {
            return;
        }
        int sp = u16(d, l4);
        int dp = u16(d, l4 + 2);
        long seq = u32(d, l4 + 4);
        int doff = ((d[l4 + 12] >> 4) & 0xf) * 4;
        int flags = d[l4 + 13] & 0xff;
        boolean syn = (flags & 0x02) != 0;
        boolean fin = (flags & 0x01) != 0;
        boolean rst = (flags & 0x04) != 0;
        boolean ack = (flags & 0x10) != 0;
        int pl = l4 + doff;
        int plen = Math.max(0, l4end - pl);
        String k1 = src + ":" + sp + ">" + dst + ":" + dp;
        String k2 = dst + ":" + dp + ">" + src + ":" + sp;
        Conn c = conns.get(k1);
        boolean isOrig = true;
        if (c == null) {
            c = conns.get(k2);
            isOrig = false;
        }
        if (c == null) {
            isOrig = true;
            boolean flip = syn && ack;
            String cs = flip ? dst : src;
            int cp = flip ? dp : sp;
            String ss = flip ? src : dst;
            int spp = flip ? sp : dp;
            FakeContext ctx = new FakeContext(String.format("C%017d", ++uidCounter), cs, cp, ss, spp);
            c = new Conn(ctx);
            c.partial = !(syn && !ack);
            conns.put(cs + ":" + cp + ">" + ss + ":" + spp, c);
            order.add(c);
            isOrig = !flip;
            boolean port = HttpProvider.PORTS.contains(spp);
            c.active = port && !c.partial;
            if (!port && !c.partial) {
                c.detector = new HttpDetector();
            }
        }
        c.ctx.now = ts;
        Dir dir = isOrig ? c.orig : c.resp;
        if (dir.isn < 0) {
            dir.isn = seq;
            dir.next = syn ? seq + 1 : seq;
        }
        if (plen > 0) {
            long rel = seq;
            byte[] payload = java.util.Arrays.copyOfRange(d, pl, pl + plen);
            if (rel == dir.next) {
                deliver(c, isOrig, dir, payload);
                while (!dir.ooo.isEmpty() && dir.ooo.firstKey() <= dir.next) {
                    Map.Entry<Long, byte[]> e = dir.ooo.pollFirstEntry();
                    long skip = dir.next - e.getKey();
                    if (skip < e.getValue().length) {
                        deliver(c, isOrig, dir, java.util.Arrays.copyOfRange(e.getValue(), (int) skip, e.getValue().length));
                    }
                }
            } else if (seq > dir.next) {
                dir.ooo.put(seq, payload);
            } else if (seq + plen > dir.next) {
                deliver(c, isOrig, dir, java.util.Arrays.copyOfRange(payload, (int) (dir.next - seq), plen));
            }
        }
        if (fin) {
            dir.finSeen = true;
            dir.finSeq = seq + plen;
        }
        if ((fin && dir.next >= dir.finSeq && !dir.eof) || (rst && !dir.eof)) {
            dir.eof = true;
            if (c.active) {
                c.analyzer.onEndOfStream(isOrig);
            }
        }
    }

    private void deliver(Conn c, boolean isOrig, Dir dir, byte[] payload) {
        long streamOffset = dir.delivered;
        dir.next += payload.length;
        dir.delivered += payload.length;
        MemorySegment seg = arena.allocate(payload.length);
        MemorySegment.copy(payload, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, payload.length);
        if (!c.active && c.detector != null) {
            if (c.bufferedBytes < 1024) {
                c.buffered.add(new Object[] {isOrig, payload});
                c.bufferedBytes += payload.length;
            } else {
                c.detector = null;
                return;
            }
            int v = c.detector.onData(isOrig, seg, 0, payload.length, streamOffset);
            if (v == Detector.MATCH) {
                c.active = true;
                for (Object[] b : c.buffered) {
                    byte[] p = (byte[]) b[1];
                    MemorySegment s = arena.allocate(Math.max(1, p.length));
                    MemorySegment.copy(p, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, p.length);
                    c.analyzer.onStream((Boolean) b[0], s, 0, p.length);
                }
                c.buffered.clear();
            } else if (v == Detector.NO_MATCH) {
                c.detector = null;
            }
            return;
        }
        if (c.active) {
            c.analyzer.onStream(isOrig, seg, 0, payload.length);
        }
    }

    private static int u16(byte[] d, int p) {
        return ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
    }

    private static long u32(byte[] d, int p) {
        return ((long) u16(d, p) << 16) | u16(d, p + 2);
    }

    private static String v6(byte[] d, int p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(u16(d, p + 2 * i)));
        }
        return sb.toString();
    }
}
