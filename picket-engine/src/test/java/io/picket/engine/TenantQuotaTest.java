package io.picket.engine;

import static io.picket.engine.PolicyTraffic.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.PcapWriter;
import io.picket.log.writer.FileLogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant a floods (2,000 new TCP flows in 5 s, and three connections whose client sends twelve
 * 1,000-byte segments after a lost first one) beside tenant b's ordinary HTTP connections; a has
 * {@code max_flows: 100} and {@code max_reassembly_bytes: 4000}. Generated capture, VLAN 10 = a,
 * VLAN 20 = b, checksums zero (runs ignore them).
 */
class TenantQuotaTest {

    private static final String LIMITED = """
            tenants:
              - id: a
                vlans: [10]
                max_flows: 100
                max_reassembly_bytes: 4000
              - id: b
                vlans: [20]
            """;
    private static final String UNLIMITED = """
            tenants:
              - id: a
                vlans: [10]
              - id: b
                vlans: [20]
            """;
    private static final int FLOOD = 2000;
    private static final int SEGMENTS = 12;
    private static final int SEGMENT = 1000;
    private static final Pattern UID = Pattern.compile("(?<=^|\\t|,)[CF][0-9A-Za-z]{8,20}(?=\\t|,|$)");

    @TempDir
    Path tmp;

    private record Frame(double time, byte[] bytes) {
    }

    private RunSummary run(Path pcap, String tenantsYaml, Path logs, int workers) throws Exception {
        Path tenants = tmp.resolve("tenants-" + logs.getFileName() + ".yaml");
        Files.writeString(tenants, tenantsYaml);
        EngineConfig cfg = EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withUidSeed(11L).withWorkers(workers);
        return Engine.run(cfg, new FileLogSink(logs), ProgressListener.NONE);
    }

    private static TenantStats stats(RunSummary s, String tenant) {
        return s.tenants().stream().filter(t -> t.tenant.equals(tenant)).findFirst().orElseThrow();
    }

    /**
     * b's log lines with connection and file uids masked (they come from the shard's generator,
     * which every tenant of the shard draws from), sorted.
     */
    private static List<String> normalTenant(Path logs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : PolicyTraffic.records(logs, "b")) {
            out.add(UID.matcher(l).replaceAll("uid"));
        }
        out.sort(null);
        return out;
    }

    /** {@code missed_bytes} of a's conn.log rows to port 80 from 10.10.0.x, by client port. */
    private static List<String> missedBytes(Path logs) throws IOException {
        List<String> lines = Files.readAllLines(logs.resolve("a").resolve("conn.log"));
        String[] header = lines.stream().filter(l -> l.startsWith("#fields")).findFirst().orElseThrow().split("\t");
        List<String> fields = Arrays.asList(header).subList(1, header.length);
        int origH = fields.indexOf("id.orig_h");
        int origP = fields.indexOf("id.orig_p");
        int missed = fields.indexOf("missed_bytes");
        return lines.stream().filter(l -> !l.startsWith("#")).map(l -> l.split("\t"))
                .filter(r -> r[origH].startsWith("10.10.0.")).map(r -> r[origP] + " " + r[missed]).sorted().toList();
    }

    @Test
    void shouldDropAndCountOnlyTheFloodingTenantWhenOverItsQuotas() throws Exception {
        Path both = write(tmp.resolve("both.pcap"), true);
        Path onlyB = write(tmp.resolve("b.pcap"), false);

        RunSummary limited = run(both, LIMITED, tmp.resolve("limited"), 1);
        RunSummary free = run(both, UNLIMITED, tmp.resolve("free"), 1);
        RunSummary alone = run(onlyB, LIMITED, tmp.resolve("alone"), 1);

        TenantStats a = stats(limited, "a");
        // flows: the tracked connections never exceed the quota; the rest is dropped and counted
        assertThat(a.peakFlows).isEqualTo(100);
        assertThat(a.flowQuotaDrops).isPositive();
        assertThat(a.connections).isLessThan(FLOOD);
        assertThat(stats(free, "a").flowQuotaDrops).isZero();
        assertThat(stats(free, "a").connections).isEqualTo(FLOOD + 3);
        // reassembly: 4 segments fit in 4000 bytes, the other 8 became content gaps
        assertThat(a.peakReassemblyBytes).isEqualTo(4000);
        assertThat(a.reassemblyQuotaDrops).isEqualTo(3 * 8);
        assertThat(a.reassemblyQuotaBytes).isEqualTo(3 * 8 * SEGMENT);
        assertThat(missedBytes(tmp.resolve("limited"))).containsExactly("40000 9000", "40001 9000", "40002 9000");
        assertThat(missedBytes(tmp.resolve("free"))).containsExactly("40000 1000", "40001 1000", "40002 1000");
        assertThat(stats(free, "a").reassemblyQuotaDrops).isZero();
        // b: nothing dropped, logs as without the flooder
        TenantStats b = stats(limited, "b");
        assertThat(b.flowQuotaDrops + b.reassemblyQuotaDrops + b.peakFlows).isZero();
        assertThat(normalTenant(tmp.resolve("limited"))).isEqualTo(normalTenant(tmp.resolve("alone")))
                .isEqualTo(normalTenant(tmp.resolve("free"))).anyMatch(l -> l.startsWith("http.log"));
        assertThat(stats(alone, "b").connections).isEqualTo(b.connections).isEqualTo(60 + FILLER);
    }

    @Test
    void shouldKeepQuotasAndTheNormalTenantsLogsWhenRunOnTwoWorkers() throws Exception {
        Path both = write(tmp.resolve("both.pcap"), true);

        RunSummary one = run(both, LIMITED, tmp.resolve("one"), 1);
        RunSummary two = run(both, LIMITED, tmp.resolve("two"), 2);

        TenantStats a = stats(two, "a");
        assertThat(a.peakFlows).isLessThanOrEqualTo(100).isPositive();
        assertThat(a.flowQuotaDrops).isPositive();
        assertThat(a.peakReassemblyBytes).isLessThanOrEqualTo(4000);
        assertThat(a.reassemblyQuotaDrops).isGreaterThanOrEqualTo(3 * 8);
        assertThat(normalTenant(tmp.resolve("two"))).containsExactlyElementsOf(normalTenant(tmp.resolve("one")));
        assertThat(stats(two, "b").connections).isEqualTo(stats(one, "b").connections);
    }

    // ------------------------------------------------------------------ capture

    /** b: 60 HTTP connections, one a second; a (if {@code flooder}): 3 gap connections, then the SYN flood. */
    private static Path write(Path file, boolean flooder) throws IOException {
        List<Frame> frames = new ArrayList<>();
        double t0 = 1_700_000_000.0;
        for (int i = 0; i < 60; i++) {
            http(frames, t0 + i, 20, new byte[] {10, 20, 0, (byte) (1 + i)}, 30000 + i, i);
        }
        // b: 1,600 connection attempts between a's reassembly connections and a's flood, so that
        // with several workers the shards (kept within Engine's lockstep of 1,024 frames) reach
        // the flood only after every shard has taken a's reassembly connections
        for (int k = 0; k < FILLER; k++) {
            frames.add(new Frame(t0 + 4 + k * 0.0005, tcp(20, new byte[] {10, 20, 1, (byte) (k & 0x7F)},
                    SERVER_B, 50000 + k, 8080, 3000L + k, 0, SYN, new byte[0])));
        }
        if (flooder) {
            for (int j = 0; j < 3; j++) {
                outOfOrder(frames, t0 + 1 + j, new byte[] {10, 10, 0, 1}, 40000 + j);
            }
            for (int k = 0; k < FLOOD; k++) {
                byte[] client = {10, 10, (byte) (1 + (k >> 8)), (byte) k};
                frames.add(new Frame(t0 + 5 + k * 0.0025,
                        tcp(10, client, SERVER_A, 20000 + k, 443, 7000L + k, 0, SYN, new byte[0])));
            }
        }
        frames.sort(Comparator.comparingDouble(Frame::time));
        try (PcapWriter w = new PcapWriter(file, 1, 65535)) {
            for (Frame f : frames) {
                long usecs = Math.round(f.time() * 1e6);
                w.write(usecs / 1_000_000, (int) (usecs % 1_000_000), f.bytes());
            }
        }
        return file;
    }

    private static final int FILLER = 1_600;
    private static final byte[] SERVER_A = {(byte) 192, (byte) 168, 1, 1};
    private static final byte[] SERVER_B = {(byte) 192, (byte) 168, 2, 1};
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int PSH_ACK = 0x18;
    private static final int ACK = 0x10;

    /** Handshake, request, reply, FIN both ways. */
    private static void http(List<Frame> out, double t, int vlan, byte[] c, int cport, int i) {
        byte[] req = ("GET /page/" + i + " HTTP/1.1\r\nHost: b.example\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] rep = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);
        byte[] s = SERVER_B;
        long cs = 1000L + i;
        long ss = 5000L + i;
        double d = 0.01;
        out.add(new Frame(t, tcp(vlan, c, s, cport, 80, cs, 0, SYN, new byte[0])));
        out.add(new Frame(t + d, tcp(vlan, s, c, 80, cport, ss, cs + 1, SYN | ACK, new byte[0])));
        out.add(new Frame(t + 2 * d, tcp(vlan, c, s, cport, 80, cs + 1, ss + 1, ACK, new byte[0])));
        out.add(new Frame(t + 3 * d, tcp(vlan, c, s, cport, 80, cs + 1, ss + 1, PSH_ACK, req)));
        out.add(new Frame(t + 4 * d, tcp(vlan, s, c, 80, cport, ss + 1, cs + 1 + req.length, PSH_ACK, rep)));
        out.add(new Frame(t + 5 * d, tcp(vlan, c, s, cport, 80, cs + 1 + req.length, ss + 1 + rep.length,
                FIN | ACK, new byte[0])));
        out.add(new Frame(t + 6 * d, tcp(vlan, s, c, 80, cport, ss + 1 + rep.length, cs + 2 + req.length,
                FIN | ACK, new byte[0])));
        out.add(new Frame(t + 7 * d, tcp(vlan, c, s, cport, 80, cs + 2 + req.length, ss + 2 + rep.length, ACK,
                new byte[0])));
    }

    /**
     * Tenant a, port 80: handshake, then segments 1..12 of 1,000 bytes (segment 0 lost), the
     * server acknowledges all 13,000 bytes, FIN both ways.
     */
    private static void outOfOrder(List<Frame> out, double t, byte[] c, int cport) {
        byte[] s = SERVER_A;
        long cs = 100_000;
        long ss = 900_000;
        double d = 0.01;
        out.add(new Frame(t, tcp(10, c, s, cport, 80, cs, 0, SYN, new byte[0])));
        out.add(new Frame(t + d, tcp(10, s, c, 80, cport, ss, cs + 1, SYN | ACK, new byte[0])));
        out.add(new Frame(t + 2 * d, tcp(10, c, s, cport, 80, cs + 1, ss + 1, ACK, new byte[0])));
        byte[] data = new byte[SEGMENT];
        Arrays.fill(data, (byte) 'x');
        for (int k = 1; k <= SEGMENTS; k++) {
            out.add(new Frame(t + (2 + k) * d, tcp(10, c, s, cport, 80, cs + 1 + (long) k * SEGMENT, ss + 1, PSH_ACK,
                    data)));
        }
        long end = cs + 1 + (long) (SEGMENTS + 1) * SEGMENT;
        out.add(new Frame(t + 20 * d, tcp(10, s, c, 80, cport, ss + 1, end, ACK, new byte[0])));
        out.add(new Frame(t + 21 * d, tcp(10, c, s, cport, 80, end, ss + 1, FIN | ACK, new byte[0])));
        out.add(new Frame(t + 22 * d, tcp(10, s, c, 80, cport, ss + 1, end + 1, FIN | ACK, new byte[0])));
        out.add(new Frame(t + 23 * d, tcp(10, c, s, cport, 80, end + 1, ss + 2, ACK, new byte[0])));
    }
}
