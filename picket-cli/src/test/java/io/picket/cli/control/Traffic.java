package io.picket.cli.control;

import static io.picket.engine.PolicyTraffic.tcp;

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
}
