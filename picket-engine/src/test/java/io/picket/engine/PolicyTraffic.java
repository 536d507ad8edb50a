package io.picket.engine;

import io.picket.capture.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generated traffic for the policy tests: per tenant (VLAN 10 = a, 20 = b) short HTTP/TCP
 * connections to port 80 (handshake, one request, one reply, FIN both ways), a few open at a
 * time, spread over network time. Requests name {@code /attack} or {@code /benign} and
 * {@code Host: evil-N.example}, so signatures and intel fire predictably. Checksums are left
 * zero: runs use {@code ignoreChecksums}.
 */
public final class PolicyTraffic {
    static final String TENANTS = """
            tenants:
              - id: a
                vlans: [10]
              - id: b
                vlans: [20]
            """;

    static final String SIGNATURES = """
            # attack requests
            signature attack-uri {
              ip-proto == tcp
              dst-port == 80
              payload /.*GET \\/attack/
              event "attack request"
            }
            """;

    static final String INTEL = "#fields\tindicator\tindicator_type\tmeta.source\n"
            + "evil-1.example\tIntel::DOMAIN\ttest\n";

    private record Frame(double time, byte[] bytes) {
    }

    private PolicyTraffic() {
    }

    /** Writes {@code perTenant} connections of each tenant, one started every {@code step} seconds. */
    static Path write(Path file, int perTenant, double step) throws IOException {
        return write(file, perTenant, step, false);
    }

    /**
     * As {@link #write(Path, int, double)}; with {@code scan} both tenants' traffic uses the same
     * addresses: one client (10.0.0.1) to 20 servers in turn, as a horizontal scan.
     */
    static Path write(Path file, int perTenant, double step, boolean scan) throws IOException {
        List<Frame> frames = new ArrayList<>();
        double t0 = 1_700_000_000.0;
        for (int i = 0; i < perTenant; i++) {
            for (int tenant = 0; tenant < 2; tenant++) {
                int vlan = tenant == 0 ? 10 : 20;
                byte[] client = scan ? new byte[] {10, 0, 0, 1}
                        : new byte[] {10, (byte) (10 * (tenant + 1)), (byte) (i >> 8), (byte) i};
                byte[] server = scan ? new byte[] {(byte) 192, (byte) 168, 0, (byte) (1 + i % 20)}
                        : new byte[] {(byte) 192, (byte) 168, (byte) (tenant + 1), 1};
                int port = 20000 + (i % 40000);
                connection(frames, t0 + i * step + tenant * step / 3, vlan, client, server, port, i);
            }
        }
        frames.sort(Comparator.comparingDouble(Frame::time));
        try (PcapWriter w = new PcapWriter(file, 1, 65535)) {
            for (Frame f : frames) {
                long sec = (long) Math.floor(f.time());
                int usec = (int) Math.round((f.time() - sec) * 1e6);
                if (usec == 1_000_000) {
                    sec++;
                    usec = 0;
                }
                w.write(sec, usec, f.bytes());
            }
        }
        return file;
    }

    private static void connection(List<Frame> out, double t, int vlan, byte[] c, byte[] s, int cport, int i) {
        String path = i % 3 == 0 ? "/benign" : "/attack";
        byte[] req = ("GET " + path + "/" + i + " HTTP/1.1\r\nHost: evil-" + (i % 5) + ".example\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] rep = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        long cs = 1000L + i;
        long ss = 5000L + i;
        double d = 0.01;
        out.add(new Frame(t, tcp(vlan, c, s, cport, 80, cs, 0, 0x02, new byte[0])));
        out.add(new Frame(t + d, tcp(vlan, s, c, 80, cport, ss, cs + 1, 0x12, new byte[0])));
        out.add(new Frame(t + 2 * d, tcp(vlan, c, s, cport, 80, cs + 1, ss + 1, 0x10, new byte[0])));
        out.add(new Frame(t + 3 * d, tcp(vlan, c, s, cport, 80, cs + 1, ss + 1, 0x18, req)));
        out.add(new Frame(t + 4 * d, tcp(vlan, s, c, 80, cport, ss + 1, cs + 1 + req.length, 0x18, rep)));
        out.add(new Frame(t + 5 * d, tcp(vlan, c, s, cport, 80, cs + 1 + req.length, ss + 1 + rep.length, 0x11,
                new byte[0])));
        out.add(new Frame(t + 6 * d, tcp(vlan, s, c, 80, cport, ss + 1 + rep.length, cs + 2 + req.length, 0x11,
                new byte[0])));
        out.add(new Frame(t + 7 * d, tcp(vlan, c, s, cport, 80, cs + 2 + req.length, ss + 2 + rep.length, 0x10,
                new byte[0])));
    }

    /** One Ethernet/802.1Q/IPv4/TCP frame (checksums 0: runs use -C). */
    public static byte[] tcp(int vlan, byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags,
            byte[] payload) {
        int len = 14 + 4 + 20 + 20 + payload.length;
        byte[] f = new byte[len];
        // Ethernet: dst mac, src mac, TPID 802.1Q
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
        // IPv4: version/IHL, TOS, total length, id, flags/fragment, TTL, protocol TCP, checksum (0)
        f[ip] = 0x45;
        int total = 20 + 20 + payload.length;
        f[ip + 2] = (byte) (total >> 8);
        f[ip + 3] = (byte) total;
        f[ip + 6] = 0x40;
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        System.arraycopy(src, 0, f, ip + 12, 4);
        System.arraycopy(dst, 0, f, ip + 16, 4);
        int tcp = ip + 20;
        // TCP: ports, seq, ack, data offset 5, flags, window, checksum (0), urgent
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

    /** Writes {@code DIR/<tenant>/signatures/attack.sig} and {@code intel/evil.dat} for each tenant. */
    static void bundle(Path policy, String tenant, String signatures, String intel) throws IOException {
        Path d = policy.resolve(tenant);
        Files.createDirectories(d.resolve("signatures"));
        Files.createDirectories(d.resolve("intel"));
        Files.writeString(d.resolve("signatures/attack.sig"), signatures);
        Files.writeString(d.resolve("intel/evil.dat"), intel);
    }

    /** Every log line of {@code dir/<tenant>/} (file name prefixed, #open/#close dropped), sorted. */
    static List<String> records(Path logs, String tenant) throws IOException {
        List<String> out = new ArrayList<>();
        Path d = logs.resolve(tenant);
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.startsWith("#open") && !line.startsWith("#close")) {
                        out.add(f.getFileName() + " " + line);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The lines of one log of a tenant (no header lines), sorted. */
    static List<String> rows(Path logs, String tenant, String log) throws IOException {
        Path f = logs.resolve(tenant).resolve(log);
        if (!Files.exists(f)) {
            return List.of();
        }
        return Files.readAllLines(f).stream().filter(l -> !l.startsWith("#")).sorted().toList();
    }
}
