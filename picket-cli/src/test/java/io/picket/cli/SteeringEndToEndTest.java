package io.picket.cli;

import static io.picket.cli.CliRun.picket;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.PcapWriter;
import io.picket.cli.CliRun.Result;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Steering through {@code picket run --policy DIR} on Zeek's wikipedia trace carried twice, once
 * in VLAN 10 (tenant {@code alpha}, with a steering.yaml) and once in VLAN 20 (tenant
 * {@code beta}, same signatures, no steering): alpha sends the HTTP connections to
 * 208.80.152.3:80 to {@code enhanced} (all analyzers, all signature files) and everything else to
 * {@code normal} (no http analyzer, only common.sig, payload depth 64). Both tenants see identical
 * traffic, so every difference between their logs is the steering.
 */
class SteeringEndToEndTest {
    private static final String ENHANCED_SERVER = "208.80.152.3";

    private static Path dir;
    private static Path capture;
    private static Path tenants;
    private static Path policy;


    /** A Zeek TSV log: column names and rows. */
    record Log(List<String> columns, List<List<String>> rows) {
        static Log read(Path file) throws Exception {
            List<String> columns = null;
            List<List<String>> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("#fields\t")) {
                    columns = Arrays.asList(line.substring(8).split("\t", -1));
                } else if (!line.startsWith("#") && !line.isEmpty()) {
                    rows.add(Arrays.asList(line.split("\t", -1)));
                }
            }
            assertThat(columns).as(file.toString()).isNotNull();
            return new Log(columns, rows);
        }

        List<String> column(String name) {
            int i = columns.indexOf(name);
            return rows.stream().map(r -> r.get(i)).toList();
        }

        /** Values of {@code name} in the rows whose {@code where} column is {@code value}. */
        List<String> column(String name, String where, String value) {
            int i = columns.indexOf(name);
            int w = columns.indexOf(where);
            return rows.stream().filter(r -> r.get(w).equals(value)).map(r -> r.get(i)).toList();
        }
    }


    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "steering");
        capture = dir.resolve("two-tenants.pcap");
        twoTenantCapture(capture);
        tenants = dir.resolve("tenants.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: alpha
                    vlans: [10]
                  - id: beta
                    vlans: [20]
                """);
        policy = dir.resolve("policy");
        for (String t : List.of("alpha", "beta")) {
            Path sigs = Files.createDirectories(policy.resolve(t).resolve("signatures"));
            // in both profiles' rule sets: the start of an HTTP response, which a depth of 64
            // never reaches (the request before it is longer)
            Files.writeString(sigs.resolve("common.sig"), """
                    signature http-response {
                      ip-proto == tcp
                      payload /HTTP\\/1\\./
                      tcp-state responder
                      event "response"
                    }
                    """);
            // only in the enhanced rule set of alpha
            Files.writeString(sigs.resolve("enhanced-web.sig"), """
                    signature http-get {
                      ip-proto == tcp
                      payload /GET /
                      tcp-state originator
                      event "get"
                    }
                    """);
        }
        Files.writeString(policy.resolve("alpha/steering.yaml"), """
                profiles:
                  normal:
                    analyzers: [dns, ssl, ssh]
                    signatures: common.sig
                    payload_depth: 64
                  enhanced:
                    analyzers: all
                    signatures: ["*.sig"]
                default: normal
                rules:
                  - profile: enhanced
                    proto: tcp
                    resp_nets: 208.80.152.3/32
                    resp_ports: 80
                """);
    }

    /**
     * Zeek's wikipedia trace (Ethernet, classic little-endian pcap) with each frame written twice:
     * with an 802.1Q tag of VLAN 10, then of VLAN 20.
     */
    private static void twoTenantCapture(Path out) throws Exception {
        byte[] pcap;
        try (var in = SteeringEndToEndTest.class.getResourceAsStream("/zeek/wikipedia-default/trace.pcap")) {
            pcap = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("pcap magic, microseconds, little-endian").isEqualTo(0xA1B2C3D4);
        assertThat(b.getInt(20)).as("link type Ethernet").isEqualTo(1);
        try (PcapWriter w = new PcapWriter(out, 1, 65535)) {
            int pos = 24;
            while (pos + 16 <= pcap.length) {
                long sec = b.getInt(pos) & 0xFFFFFFFFL;
                int usec = b.getInt(pos + 4);
                int caplen = b.getInt(pos + 8);
                int wirelen = b.getInt(pos + 12);
                int frame = pos + 16;
                for (int vlan : new int[] {10, 20}) {
                    byte[] tagged = new byte[caplen + 4];
                    System.arraycopy(pcap, frame, tagged, 0, 12);   // destination, source MAC
                    tagged[12] = (byte) 0x81;                        // TPID 0x8100
                    tagged[13] = 0x00;
                    tagged[14] = 0x00;                               // PCP 0, DEI 0, VID high bits
                    tagged[15] = (byte) vlan;                        // VID low bits
                    System.arraycopy(pcap, frame + 12, tagged, 16, caplen - 12); // EtherType, payload
                    w.write(sec, usec, tagged, 0, tagged.length, wirelen + 4);
                }
                pos = frame + caplen;
            }
        }
    }

    private static Path run(String name, String... extra) {
        Path logs = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("run", "--read", capture.toString(), "--logs", logs.toString(),
                "--tenants", tenants.toString(), "--policy", policy.toString(), "--uid-seed", "11"));
        args.addAll(List.of(extra));
        Result r = picket(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return logs;
    }

    private static Path steeredRun;

    private static synchronized Path steered() {
        if (steeredRun == null) {
            steeredRun = run("steered", "--log-steer-profile");
        }
        return steeredRun;
    }

    /** uids of the connections whose signatures.log rows name {@code sigId}. */
    private static Set<String> uidsWithSignature(Path tenantLogs, String sigId) throws Exception {
        Path f = tenantLogs.resolve("signatures.log");
        if (!Files.exists(f)) {
            return Set.of();
        }
        return new HashSet<>(Log.read(f).column("uid", "sig_id", sigId));
    }

    @Test
    void shouldLogTheProfileOfEachConnectionWhenTheColumnIsOn() throws Exception {
        Log alpha = Log.read(steered().resolve("alpha/conn.log"));
        Log beta = Log.read(steered().resolve("beta/conn.log"));
        assertThat(alpha.columns()).last().isEqualTo("steer_profile");
        assertThat(beta.columns()).last().isEqualTo("steer_profile");
        assertThat(alpha.column("steer_profile", "id.resp_h", ENHANCED_SERVER)).hasSize(6).containsOnly("enhanced");
        List<String> others = new ArrayList<>();
        for (List<String> row : alpha.rows()) {
            if (!row.get(alpha.columns().indexOf("id.resp_h")).equals(ENHANCED_SERVER)) {
                others.add(row.get(alpha.columns().indexOf("steer_profile")));
            }
        }
        assertThat(others).hasSize(alpha.rows().size() - 6).containsOnly("normal");
        assertThat(beta.column("steer_profile")).as("a tenant without steering.yaml").containsOnly("-");
        assertThat(beta.rows()).hasSameSizeAs(alpha.rows());
    }

    @Test
    void shouldLeaveTheColumnOutWhenNotAskedFor() throws Exception {
        Path logs = run("plain");
        assertThat(Log.read(logs.resolve("alpha/conn.log")).columns()).doesNotContain("steer_profile")
                .last().isEqualTo("ip_proto");
        assertThat(Log.read(logs.resolve("beta/conn.log")).columns()).doesNotContain("steer_profile");
    }

    @Test
    void shouldRunTheHttpAnalyzerOnlyOnConnectionsSteeredToAProfileWithIt() throws Exception {
        Log alpha = Log.read(steered().resolve("alpha/http.log"));
        Log beta = Log.read(steered().resolve("beta/http.log"));
        assertThat(beta.rows()).as("every HTTP request (Zeek's http.log has 14)").hasSize(14);
        assertThat(alpha.column("id.resp_h")).hasSize(12).containsOnly(ENHANCED_SERVER);
        Log alphaConn = Log.read(steered().resolve("alpha/conn.log"));
        assertThat(alphaConn.column("service", "steer_profile", "normal")).doesNotContain("http");
        assertThat(alpha.column("id.resp_h")).hasSize(12);
        assertThat(Log.read(steered().resolve("alpha/dns.log")).rows()).as("dns runs in normal")
                .hasSameSizeAs(Log.read(steered().resolve("beta/dns.log")).rows());
    }

    @Test
    void shouldFireAnEnhancedOnlySignatureOnlyOnSteeredConnections() throws Exception {
        Log conn = Log.read(steered().resolve("alpha/conn.log"));
        Set<String> enhanced = new HashSet<>(conn.column("uid", "steer_profile", "enhanced"));
        Set<String> alphaGet = uidsWithSignature(steered().resolve("alpha"), "http-get");
        Set<String> betaGet = uidsWithSignature(steered().resolve("beta"), "http-get");
        assertThat(alphaGet).hasSize(6).isEqualTo(enhanced);
        assertThat(betaGet).as("the same signature without steering").hasSizeGreaterThan(alphaGet.size());
    }

    @Test
    void shouldStopSignatureMatchingAtTheProfilesPayloadDepth() throws Exception {
        // common.sig is in both rule sets; the response start lies beyond 64 bytes of payload
        Log conn = Log.read(steered().resolve("alpha/conn.log"));
        Set<String> enhanced = new HashSet<>(conn.column("uid", "steer_profile", "enhanced"));
        Set<String> alpha = uidsWithSignature(steered().resolve("alpha"), "http-response");
        Set<String> beta = uidsWithSignature(steered().resolve("beta"), "http-response");
        assertThat(alpha).as("enhanced connections (depth 65536) only").isNotEmpty().isSubsetOf(enhanced);
        assertThat(alpha).hasSize(6);
        assertThat(beta).as("depth 1024 without steering: also the other HTTP connections")
                .hasSizeGreaterThan(alpha.size());
    }

    @Test
    void shouldWriteTheSameRecordsWithTwoWorkersAsWithOne() throws Exception {
        Path two = run("steered-2", "--log-steer-profile", "--workers", "2");
        List<String> one = records(steered());
        assertThat(one).isNotEmpty();
        assertThat(records(two)).containsExactlyElementsOf(one);
    }

    @Test
    void shouldStopWithPositionsWhenTheSteeringFileIsInvalid() throws Exception {
        Path bad = dir.resolve("bad-policy");
        Files.createDirectories(bad.resolve("alpha"));
        Files.writeString(bad.resolve("alpha/steering.yaml"), """
                profiles:
                  normal:
                    analyzers: [dns, htttp]
                rules:
                  - profile: enhanced
                    resp_ports: "80-79"
                """);
        Result r = picket("run", "--read", capture.toString(), "--logs", dir.resolve("bad").toString(), "--tenants",
                tenants.toString(), "--policy", bad.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("steering.yaml:3:22: unknown analyzer 'htttp' (known: dns, ")
                .contains("http, krb, krb_tcp, smtp, socks, ssh, ssl, teredo, websocket)")
                .contains("steering.yaml:6:17: port range '80-79' starts after it ends")
                .doesNotContain("Exception");
    }

    /**
     * Zeek's Teredo case (one tenant): a profile without {@code teredo} on the connections to
     * port 3544 leaves them undecapsulated (no service, no inner connections, no tunnel.log rows)
     * while the tunnel over port 32900 (normal, all analyzers) still works; an ICMPv6 rule steers
     * the inner ICMP connection, decided when conn.log is written (ICMP has no analyzers).
     */
    @Test
    void shouldLeaveTeredoOutAndSteerIcmpWhenTheProfileSaysSo() throws Exception {
        Path teredoPolicy = dir.resolve("teredo-policy");
        Files.createDirectories(teredoPolicy.resolve("default"));
        Files.writeString(teredoPolicy.resolve("default/steering.yaml"), """
                profiles:
                  enhanced:
                    analyzers: [dns, http, ssl, ssh]
                rules:
                  - profile: enhanced
                    proto: icmp6
                  - profile: enhanced
                    proto: udp
                    resp_ports: 3544
                """);
        Path trace = dir.resolve("teredo.pcap");
        try (var in = SteeringEndToEndTest.class.getResourceAsStream("/zeek/teredo-tunnel/trace.pcap")) {
            Files.copy(in, trace, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path logs = dir.resolve("teredo");
        Result r = picket("run", "--read", trace.toString(), "--logs", logs.toString(), "--policy",
                teredoPolicy.toString(), "--log-steer-profile", "--uid-seed", "3");
        assertThat(r.status()).as(r.err()).isZero();
        Log conn = Log.read(logs.resolve("default/conn.log"));
        assertThat(conn.column("service", "id.resp_p", "3544")).containsExactly("-", "-");
        assertThat(conn.column("steer_profile", "id.resp_p", "3544")).containsExactly("enhanced", "enhanced");
        assertThat(conn.column("service", "id.resp_p", "32900")).containsExactly("teredo");
        assertThat(conn.column("steer_profile", "proto", "icmp")).as("Zeek logs 3; two were inside the 3544 tunnels")
                .containsExactly("enhanced");
        String tunnel = conn.column("uid", "id.resp_p", "32900").getFirst();
        assertThat(Log.read(logs.resolve("default/tunnel.log")).column("uid")).containsOnly(tunnel).hasSize(2);
    }

    /** All rows of all logs as text without uids, sorted (per-shard uid generators differ). */
    private static List<String> records(Path logs) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                Log log = Log.read(f);
                List<Integer> keep = new ArrayList<>();
                for (int i = 0; i < log.columns().size(); i++) {
                    String c = log.columns().get(i);
                    if (!c.equals("uid") && !c.endsWith("fuids") && !c.equals("fuid")) {
                        keep.add(i);
                    }
                }
                for (List<String> row : log.rows()) {
                    StringBuilder sb = new StringBuilder(logs.relativize(f).toString());
                    for (int i : keep) {
                        sb.append('\t').append(row.get(i));
                    }
                    out.add(sb.toString());
                }
            }
        }
        out.sort(null);
        return out;
    }
}
