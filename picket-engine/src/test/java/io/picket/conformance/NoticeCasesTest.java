package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.PolicyConfig;
import io.picket.engine.ProgressListener;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notice.log against Zeek's own baselines and on captures built by the test. */
class NoticeCasesTest {

    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(NoticeCasesTest.class.getResource("/notice/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldWriteZeeksPasswordGuessingNoticeWhenSshguessIsReplayed() throws Exception {
        Path dir = resource("ssh-sshguess");
        Path out = tmp.resolve("sshguess");
        Engine.run(EngineConfig.of(List.of(dir.resolve("sshguess.pcap")), out).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(dir.resolve("policy"), List.of(), List.of())), ProgressListener.NONE);
        ZeekLog ours = ZeekLog.read(out.resolve("default/notice.log"));
        ZeekLog zeek = ZeekLog.read(dir.resolve("notice.log"));
        assertThat(ours.rows()).hasSize(zeek.rows().size()).hasSize(1);
        for (String col : zeek.columns()) {
            if (col.equals("ts")) {
                continue; // masked in the baseline
            }
            assertThat(ours.columns()).contains(col);
            assertThat(ours.rows().get(0).get(ours.columns().indexOf(col))).as(col)
                    .isEqualTo(zeek.rows().get(0).get(zeek.columns().indexOf(col)));
        }
        assertThat(ours.rows().get(0).get(ours.columns().indexOf("email_dest"))).isEqualTo("(empty)");
    }

    /**
     * Signatures::Sensitive_Signature per signature match (base/frameworks/signatures, action
     * SIG_ALARM by default): one notice per Zeek signature_match line of the case, each consistent
     * with its signatures.log row and the connection's conn.log row (id, p = id.resp_p, proto).
     */
    @Test
    void shouldRaiseSensitiveSignatureNoticePerMatchWhenSignaturesFire() throws Exception {
        ZeekCase zc = ZeekCase.load("signatures-udp-packetwise");
        Path out = tmp.resolve("sig");
        Engine.run(zc.config(out), ProgressListener.NONE);
        ZeekLog notice = ZeekLog.read(out.resolve("default/notice.log"));
        ZeekLog conn = ZeekLog.read(out.resolve("default/conn.log"));
        List<String> nc = notice.columns();
        List<String> cc = conn.columns();
        List<String> lines = new ArrayList<>();
        List<String> multiple = new ArrayList<>();
        for (List<String> row : notice.rows()) {
            String note = row.get(nc.indexOf("note"));
            if (note.equals("Signatures::Multiple_Signatures")) {
                multiple.add(String.join("|", row.subList(nc.indexOf("uid"), nc.indexOf("suppress_for") + 1)));
                continue;
            }
            assertThat(note).isEqualTo("Signatures::Sensitive_Signature");
            String uid = row.get(nc.indexOf("uid"));
            List<String> c = conn.rows().stream().filter(r -> r.get(cc.indexOf("uid")).equals(uid))
                    .findFirst().orElseThrow();
            for (String f : List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto")) {
                assertThat(row.get(nc.indexOf(f))).as(f).isEqualTo(c.get(cc.indexOf(f)));
            }
            assertThat(row.get(nc.indexOf("p"))).isEqualTo(c.get(cc.indexOf("id.resp_p")));
            assertThat(row.get(nc.indexOf("src"))).isEqualTo("10.0.0.1");
            assertThat(row.get(nc.indexOf("dst"))).isEqualTo("10.0.0.2");
            assertThat(row.get(nc.indexOf("n"))).isEqualTo("-");
            assertThat(row.get(nc.indexOf("actions"))).isEqualTo("Notice::ACTION_LOG");
            assertThat(row.get(nc.indexOf("suppress_for"))).isEqualTo("3600.000000");
            String msg = row.get(nc.indexOf("msg"));
            assertThat(msg).startsWith("10.0.0.1: ");
            lines.add("signature match, " + msg.substring("10.0.0.1: ".length()) + ", " + row.get(nc.indexOf("sub")));
        }
        lines.sort(null);
        List<String> expected = new ArrayList<>(Files.readAllLines(zc.expected("signature_match.out")));
        expected.removeIf(x -> x.startsWith("### BTest") || x.isBlank());
        assertThat(lines).containsExactlyElementsOf(expected);
        // six signatures from 10.0.0.1 on 10.0.0.2: Zeek's vertical threshold 5 is crossed once
        assertThat(multiple).containsExactly("-|-|-|-|-|-|-|-|-|Signatures::Multiple_Signatures|"
                + "5 different signatures triggered|10.0.0.1 has triggered 5 different signatures on host 10.0.0.2|"
                + "10.0.0.1|10.0.0.2|-|5|-|Notice::ACTION_LOG|(empty)|3600.000000");
    }

    // ---- scans on a capture built here ----

    private static byte[] ip(String a) {
        String[] p = a.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]), (byte) Integer.parseInt(p[2]),
            (byte) Integer.parseInt(p[3])};
    }

    /** Ethernet + IPv4 + TCP without payload; checksums left zero (the run ignores them). */
    static byte[] tcpFrame(String src, int sport, String dst, int dport, long seq, long ack, int flags) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14 + 20 + 20);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55}); // destination MAC
        b.put(new byte[] {0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xaa, (byte) 0xbb}); // source MAC
        b.putShort((short) 0x0800); // EtherType IPv4
        b.put((byte) 0x45).put((byte) 0); // version 4, IHL 5; DSCP
        b.putShort((short) 40); // total length
        b.putShort((short) 1).putShort((short) 0); // identification; flags/fragment offset
        b.put((byte) 64).put((byte) 6).putShort((short) 0); // TTL; protocol TCP; header checksum
        b.put(ip(src)).put(ip(dst)); // addresses
        b.putShort((short) sport).putShort((short) dport); // ports
        b.putInt((int) seq).putInt((int) ack); // sequence and acknowledgment numbers
        b.put((byte) 0x50).put((byte) flags); // data offset 5; flags
        b.putShort((short) 8192).putShort((short) 0).putShort((short) 0); // window; checksum; urgent pointer
        return b.array();
    }

    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;
    static final long T0 = 1_700_000_000L;

    /**
     * 192.168.1.5 (private, so local) sends a SYN to 30 hosts on port 22, one per second, and each
     * answers with RST (REJ): Address_Scan at the 25th. 8.8.4.4 sends unanswered SYNs (S0) to 20
     * ports of 10.2.0.1, one every 2 s: Port_Scan at the 15th.
     */
    static Path scanCapture(Path file) throws Exception {
        try (io.picket.capture.PcapWriter w = new io.picket.capture.PcapWriter(file, 1, 65535)) {
            for (int i = 0; i < 30; i++) {
                String victim = "10.1.0." + (i + 1);
                w.write(T0 + i, 0, tcpFrame("192.168.1.5", 40000 + i, victim, 22, 1000, 0, SYN));
                w.write(T0 + i, 10_000, tcpFrame(victim, 22, "192.168.1.5", 40000 + i, 0, 1001, RST | ACK));
            }
            for (int i = 0; i < 20; i++) {
                w.write(T0 + 100 + 2L * i, 0, tcpFrame("8.8.4.4", 50000, "10.2.0.1", 1000 + i, 7, 0, SYN));
            }
        }
        return file;
    }

    private static Path policy(Path dir, String noticeYaml) throws Exception {
        Files.createDirectories(dir.resolve("default"));
        if (noticeYaml != null) {
            Files.writeString(dir.resolve("default/notice.yaml"), noticeYaml);
        }
        return dir;
    }

    private static List<String> rows(Path log, boolean withUid) throws Exception {
        if (!Files.exists(log)) {
            return List.of();
        }
        ZeekLog l = ZeekLog.read(log);
        List<String> out = new ArrayList<>();
        for (List<String> r : l.rows()) {
            List<String> copy = new ArrayList<>(r);
            if (!withUid) {
                copy.remove(l.columns().indexOf("uid"));
            }
            out.add(String.join("|", copy));
        }
        out.sort(null);
        return out;
    }

    @Test
    void shouldRaiseAddressAndPortScanWhenZeeksThresholdsAreCrossed() throws Exception {
        Path pcap = scanCapture(tmp.resolve("scan.pcap"));
        Path out = tmp.resolve("scan");
        Engine.run(EngineConfig.of(List.of(pcap), out).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy(tmp.resolve("p"), null), List.of(), List.of())),
                ProgressListener.NONE);
        assertThat(rows(out.resolve("default/notice.log"), true)).containsExactly(
                (T0 + 24) + ".010000|-|-|-|-|-|-|-|-|tcp|Scan::Address_Scan|"
                        + "192.168.1.5 scanned at least 25 unique hosts on port 22/tcp in 0m24s|local|192.168.1.5|-|22|"
                        + "-|-|Notice::ACTION_LOG|(empty)|3600.000000|-|-|-|-|-",
                (T0 + 128) + ".000000|-|-|-|-|-|-|-|-|-|Scan::Port_Scan|8.8.4.4 scanned at least 15 unique ports of "
                        + "host 10.2.0.1 in 0m28s|remote|8.8.4.4|10.2.0.1|-|-|-|Notice::ACTION_LOG|(empty)|3600.000000"
                        + "|-|-|-|-|-");
    }

    @Test
    void shouldWriteNoScanNoticesWhenTypesAreIgnoredOrScanIsOff() throws Exception {
        Path pcap = scanCapture(tmp.resolve("scan.pcap"));
        Path out = tmp.resolve("ignored");
        Engine.run(EngineConfig.of(List.of(pcap), out).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy(tmp.resolve("p1"), "ignored_types: [Scan::Port_Scan]\n"), List.of(),
                        List.of())), ProgressListener.NONE);
        assertThat(rows(out.resolve("default/notice.log"), true)).singleElement().asString()
                .contains("Scan::Address_Scan");
        Path off = tmp.resolve("off");
        Engine.run(EngineConfig.of(List.of(pcap), off).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy(tmp.resolve("p2"), "scan: {enabled: false}\n"), List.of(),
                        List.of())), ProgressListener.NONE);
        assertThat(rows(off.resolve("default/notice.log"), true)).isEmpty();
    }

    /** Scans span shards (one victim per flow): notices must not depend on the number of workers. */
    @Test
    void shouldWriteTheSameNoticesWithTwoWorkersAsWithOne() throws Exception {
        Path scan = scanCapture(tmp.resolve("scan.pcap"));
        Path guess = resource("ssh-sshguess");
        ZeekCase sig = ZeekCase.load("signatures-udp-packetwise");
        Path pol = policy(tmp.resolve("p3"), "ssh_bruteforcing: {password_guesses_limit: 10}\n");
        List<Path> inputs = List.of(scan, guess.resolve("sshguess.pcap"), sig.trace());
        EngineConfig base = EngineConfig.of(inputs, tmp.resolve("w"))
                .withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(pol, List.of(sig.dir().resolve("inputs/test.sig")), List.of()));
        List<List<String>> results = new ArrayList<>();
        for (int workers : new int[] {1, 2}) {
            Path out = tmp.resolve("w" + workers);
            EngineConfig c = new EngineConfig(base.inputs(), out, base.tenantsFile(), base.json(),
                    base.jsonIsoTimestamps(), base.uidSeed(), base.ignoreChecksums(), base.vlanKey(), base.logVlans(),
                    base.communityId(), base.analyzers(), workers).withPolicy(base.policy());
            Engine.run(c, ProgressListener.NONE);
            results.add(rows(out.resolve("default/notice.log"), false));
        }
        assertThat(results.get(0)).hasSize(2 + 1 + 6 + 1);
        assertThat(results.get(1)).containsExactlyElementsOf(results.get(0));
    }

    /**
     * Intel::Notice of policy/frameworks/intel/do_notice.zeek: an item with meta.do_notice=T raises
     * one notice per match, identified by the indicator and both addresses (lower first), so a
     * repeat on the same address pair within the hour is suppressed. Every intel.log row that is
     * the first for its (indicator, address pair) must have its notice, with the same ts, uid and id.
     */
    @Test
    void shouldRaiseIntelNoticeOncePerIndicatorAndAddressPairWhenDoNoticeIsSet() throws Exception {
        ZeekCase zc = ZeekCase.load("intel-whitelist-dns-http");
        Path dat = tmp.resolve("notice.dat");
        Files.writeString(dat, "#fields\tindicator\tindicator_type\tmeta.source\tmeta.do_notice\n"
                + "upload.wikimedia.org\tIntel::DOMAIN\tsrc\tT\n");
        Path out = tmp.resolve("intel");
        Engine.run(zc.config(out).withPolicy(new PolicyConfig(null, List.of(), List.of(dat))), ProgressListener.NONE);
        ZeekLog intel = ZeekLog.read(out.resolve("default/intel.log"));
        ZeekLog conn = ZeekLog.read(out.resolve("default/conn.log"));
        java.util.Map<String, String> protos = new java.util.HashMap<>();
        for (List<String> r : conn.rows()) {
            protos.put(r.get(conn.columns().indexOf("uid")), r.get(conn.columns().indexOf("proto")));
        }
        List<String> ic = intel.columns();
        List<String> expected = new ArrayList<>();
        java.util.Set<String> pairs = new java.util.HashSet<>();
        for (List<String> r : intel.rows()) {
            String o = r.get(ic.indexOf("id.orig_h"));
            String h = r.get(ic.indexOf("id.resp_h"));
            String where = r.get(ic.indexOf("seen.where"));
            if (pairs.add(o.compareTo(h) < 0 ? o + h : h + o)) {
                expected.add(String.join("|", r.get(ic.indexOf("ts")), r.get(ic.indexOf("uid")), o,
                        r.get(ic.indexOf("id.orig_p")), h, r.get(ic.indexOf("id.resp_p")), "-", "-", "-",
                        protos.get(r.get(ic.indexOf("uid"))),
                        "Intel::Notice", "Intel hit on upload.wikimedia.org at " + where, "upload.wikimedia.org", o, h,
                        r.get(ic.indexOf("id.resp_p")), "-", "-", "Notice::ACTION_LOG", "(empty)", "3600.000000", "-",
                        "-", "-", "-", "-"));
            }
        }
        expected.sort(null);
        assertThat(intel.rows().size()).isGreaterThan(expected.size());
        assertThat(rows(out.resolve("default/notice.log"), true)).isNotEmpty().containsExactlyElementsOf(expected);
    }

    /** Ethernet + IPv4 + UDP with a payload; checksums left zero (the run ignores them). */
    static byte[] udpFrame(String src, int sport, String dst, int dport, byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55}); // destination MAC
        b.put(new byte[] {0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xaa, (byte) 0xbb}); // source MAC
        b.putShort((short) 0x0800); // EtherType IPv4
        b.put((byte) 0x45).put((byte) 0); // version 4, IHL 5; DSCP
        b.putShort((short) (28 + payload.length)); // total length
        b.putShort((short) 1).putShort((short) 0); // identification; flags/fragment offset
        b.put((byte) 64).put((byte) 17).putShort((short) 0); // TTL; protocol UDP; header checksum
        b.put(ip(src)).put(ip(dst)); // addresses
        b.putShort((short) sport).putShort((short) dport); // ports
        b.putShort((short) (8 + payload.length)).putShort((short) 0); // UDP length; checksum
        b.put(payload);
        return b.array();
    }

    /**
     * One signature from 10.9.0.1 on six hosts: Zeek's horizontal threshold (5 hosts) gives one
     * Multiple_Sig_Responders notice; the hosts are on different shards with two workers, and the
     * tenant's signature tables are shared by its shards, so two workers find it too (its ts may
     * be that of another match: matches from different shards are counted in arrival order).
     */
    @Test
    void shouldRaiseMultipleSigRespondersAcrossShardsWhenOneSignatureHitsFiveHosts() throws Exception {
        Path pcap = tmp.resolve("horiz.pcap");
        try (io.picket.capture.PcapWriter w = new io.picket.capture.PcapWriter(pcap, 1, 65535)) {
            for (int i = 0; i < 6; i++) {
                w.write(T0 + i, 0, udpFrame("10.9.0.1", 3000 + i, "10.8.0." + (i + 1), 7777,
                        "ATTACK".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
        }
        Path sig = tmp.resolve("attack.sig");
        Files.writeString(sig, "signature attack {\n  ip-proto == udp\n  payload /ATTACK/\n  event \"attack\"\n}\n");
        for (int workers : new int[] {1, 2}) {
            Path out = tmp.resolve("h" + workers);
            EngineConfig c = EngineConfig.of(List.of(pcap), out).withIgnoreChecksums(true)
                    .withPolicy(new PolicyConfig(null, List.of(sig), List.of()));
            c = new EngineConfig(c.inputs(), out, c.tenantsFile(), c.json(), c.jsonIsoTimestamps(), c.uidSeed(),
                    c.ignoreChecksums(), c.vlanKey(), c.logVlans(), c.communityId(), c.analyzers(), workers)
                    .withPolicy(c.policy());
            Engine.run(c, ProgressListener.NONE);
            // with two workers the matches reach the shared table in arrival order, so which match
            // is the fifth (the notice's ts) may differ; the rest may not
            List<String> multi = rows(out.resolve("default/notice.log"), false).stream()
                    .filter(r -> r.contains("Multiple_Sig_Responders"))
                    .map(r -> workers == 1 ? r : r.substring(r.indexOf('|'))).toList();
            assertThat(multi).as("%d workers", workers).containsExactly((workers == 1 ? (T0 + 4) + ".000000" : "")
                    + "|-|-|-|-|-|-|-|-|"
                    + "Signatures::Multiple_Sig_Responders|attack|10.9.0.1 has triggered signature attack on 5 hosts|"
                    + "10.9.0.1|-|-|5|-|Notice::ACTION_LOG|(empty)|3600.000000|-|-|-|-|-");
        }
    }

    /** {@code frame} with an 802.1Q tag of {@code vlan} inserted after the MAC addresses. */
    static byte[] tagged(byte[] frame, int vlan) {
        byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12); // MAC addresses
        out[12] = (byte) 0x81; // TPID 0x8100
        out[13] = 0;
        out[14] = (byte) (vlan >> 8); // TCI: VLAN id
        out[15] = (byte) vlan;
        System.arraycopy(frame, 12, out, 16, frame.length - 12); // EtherType and the rest
        return out;
    }

    /**
     * Two tenants (VLAN 10 and 20) see the same kind of scans from different scanners; tenant a's
     * notice.yaml ignores Scan::Address_Scan, tenant b keeps Zeek's defaults. Each tenant's
     * notice.log has only its own notices.
     */
    @Test
    void shouldKeepNoticePoliciesAndStatePerTenantWhenTenantsShareACapture() throws Exception {
        Path pcap = tmp.resolve("tenants.pcap");
        try (io.picket.capture.PcapWriter w = new io.picket.capture.PcapWriter(pcap, 1, 65535)) {
            for (int i = 0; i < 30; i++) {
                for (int t = 0; t < 2; t++) {
                    String scanner = "192.168.1." + (5 + t);
                    String victim = "10.1." + t + "." + (i + 1);
                    int vlan = 10 + 10 * t;
                    w.write(T0 + i, 0, tagged(tcpFrame(scanner, 40000 + i, victim, 22, 1000, 0, SYN), vlan));
                    w.write(T0 + i, 10_000, tagged(tcpFrame(victim, 22, scanner, 40000 + i, 0, 1001, RST | ACK), vlan));
                }
            }
        }
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, "tenants:\n  - id: a\n    vlans: [10]\n  - id: b\n    vlans: [20]\n");
        Path pol = tmp.resolve("tp");
        Files.createDirectories(pol.resolve("a"));
        Files.createDirectories(pol.resolve("b"));
        Files.writeString(pol.resolve("a/notice.yaml"), "ignored_types: [Scan::Address_Scan]\n");
        Path out = tmp.resolve("tenants");
        Engine.run(EngineConfig.of(List.of(pcap), out).withIgnoreChecksums(true).withTenants(tenants)
                .withPolicy(new PolicyConfig(pol, List.of(), List.of())), ProgressListener.NONE);
        assertThat(rows(out.resolve("a/notice.log"), true)).isEmpty();
        assertThat(rows(out.resolve("b/notice.log"), true)).singleElement().asString()
                .contains("Scan::Address_Scan|192.168.1.6 scanned at least 25 unique hosts on port 22/tcp in 0m24s");
    }
}
