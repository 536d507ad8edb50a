package io.picket.cli.control;

import java.nio.charset.StandardCharsets;

/**
 * Test traffic: one short HTTP/TCP connection per call (handshake, {@code GET /attack/N}, reply,
 * FIN both ways: 8 frames), on VLAN 10 (tenant a) or 20 (tenant b), client port 20000+N,
 * stamped with the wall clock. Checksums are zero: runs ignore them.
 */
final class Traffic {
    static final int FRAMES_PER_CONNECTION = 8;

    static final String TENANTS = """
            tenants:
              - id: a
                vlans: [10]
              - id: b
                vlans: [20]
            """;

    private Traffic() {
    }

    /** Queues connection {@code n} of the tenant on {@code vlan}. */
    static void connection(QueueSource src, int vlan, int n) {
        byte[] c = {10, (byte) vlan, (byte) (n >> 8), (byte) n};
        byte[] s = {(byte) 192, (byte) 168, (byte) vlan, 1};
        int port = 20000 + n;
        byte[] req = ("GET /attack/" + n + " HTTP/1.1\r\nHost: www.example\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] rep = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        long cs = 1000L + n;
        long ss = 5000L + n;
        double t = System.currentTimeMillis() / 1000.0;
        double d = 0.001;
        src.offer(t, tcp(vlan, c, s, port, 80, cs, 0, 0x02, new byte[0]));
        src.offer(t + d, tcp(vlan, s, c, 80, port, ss, cs + 1, 0x12, new byte[0]));
        src.offer(t + 2 * d, tcp(vlan, c, s, port, 80, cs + 1, ss + 1, 0x10, new byte[0]));
        src.offer(t + 3 * d, tcp(vlan, c, s, port, 80, cs + 1, ss + 1, 0x18, req));
        src.offer(t + 4 * d, tcp(vlan, s, c, 80, port, ss + 1, cs + 1 + req.length, 0x18, rep));
        src.offer(t + 5 * d, tcp(vlan, c, s, port, 80, cs + 1 + req.length, ss + 1 + rep.length, 0x11,
                new byte[0]));
        src.offer(t + 6 * d, tcp(vlan, s, c, 80, port, ss + 1 + rep.length, cs + 2 + req.length, 0x11,
                new byte[0]));
        src.offer(t + 7 * d, tcp(vlan, c, s, port, 80, cs + 2 + req.length, ss + 2 + rep.length, 0x10,
                new byte[0]));
    }

    /** One Ethernet/802.1Q/IPv4/TCP frame (checksums 0). */
    static byte[] tcp(int vlan, byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags,
            byte[] payload) {
        byte[] f = new byte[14 + 4 + 20 + 20 + payload.length];
        // Ethernet: dst mac 02:..., src mac 02:...:01, TPID 802.1Q
        f[0] = 0x02;
        f[6] = 0x02;
        f[11] = 1;
        f[12] = (byte) 0x81;
        f[13] = 0x00;
        // 802.1Q: TCI (VLAN id), inner EtherType IPv4
        f[14] = (byte) (vlan >> 8);
        f[15] = (byte) vlan;
        f[16] = 0x08;
        f[17] = 0x00;
        int ip = 18;
        // IPv4: version/IHL, total length, DF, TTL 64, protocol TCP, checksum 0, addresses
        f[ip] = 0x45;
        int total = 40 + payload.length;
        f[ip + 2] = (byte) (total >> 8);
        f[ip + 3] = (byte) total;
        f[ip + 6] = 0x40;
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        System.arraycopy(src, 0, f, ip + 12, 4);
        System.arraycopy(dst, 0, f, ip + 16, 4);
        int tcp = ip + 20;
        // TCP: ports, seq, ack, data offset 5, flags, window 65535, checksum 0, urgent 0
        f[tcp] = (byte) (sport >> 8);
        f[tcp + 1] = (byte) sport;
        f[tcp + 2] = (byte) (dport >> 8);
        f[tcp + 3] = (byte) dport;
        put32(f, tcp + 4, seq);
        put32(f, tcp + 8, ack);
        f[tcp + 12] = 0x50;
        f[tcp + 13] = (byte) flags;
        f[tcp + 14] = (byte) 0xFF;
        f[tcp + 15] = (byte) 0xFF;
        System.arraycopy(payload, 0, f, tcp + 20, payload.length);
        return f;
    }

    private static void put32(byte[] f, int at, long v) {
        f[at] = (byte) (v >> 24);
        f[at + 1] = (byte) (v >> 16);
        f[at + 2] = (byte) (v >> 8);
        f[at + 3] = (byte) v;
    }
}
