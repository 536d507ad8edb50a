package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * policy/frameworks/intel/seen/*.zeek over vendored captures: each seen point produces the intel.log
 * row Zeek writes (ts, uid, id, indicator, type, where, node, matched, sources, file columns).
 */
class IntelSeenPointsTest {
    private static final Path ZEEK = Path.of("src/test/resources/zeek");
    private static final String HEADER = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.whitelist\n";

    private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    /** Runs {@code trace} with the intel lines (indicator, type, source, desc) and returns intel.log rows. */
    static List<String> intelRows(Path trace, String intel, boolean ignoreChecksums) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "intel-seen-" + ProcessHandle.current().pid() + "-"
                + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        Path dat = dir.resolve("intel.dat");
        Files.writeString(dat, HEADER + intel);
        Path logs = dir.resolve("logs");
        Engine.run(EngineConfig.of(List.of(trace), logs)
                .withPolicy(new PolicyConfig(null, List.of(), List.of(dat)))
                .withUidSeed(1L)
                .withIgnoreChecksums(ignoreChecksums), ProgressListener.NONE);
        Path log = logs.resolve("default").resolve("intel.log");
        List<String> rows = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                if (!line.startsWith("#")) {
                    rows.add(line);
                }
            }
        }
        return rows;
    }

    /** One intel line (no whitelist flag). */
    static String item(String indicator, String type, String source) {
        return indicator + "\t" + type + "\t" + source + "\tbad\t-\n";
    }

    /** One whitelisting intel line ({@code meta.whitelist T}). */
    static String whitelist(String indicator, String type, String source) {
        return indicator + "\t" + type + "\t" + source + "\tfine\tT\n";
    }

    /** Like {@link #intelRows} with the uid column masked (uids are checked for shape). */
    static List<String> masked(List<String> rows) {
        List<String> out = new ArrayList<>();
        for (String r : rows) {
            String[] f = r.split("\t", -1);
            assertThat(f[1]).matches("-|C[0-9A-Za-z]{14,18}");
            if (!f[1].equals("-")) {
                f[1] = "C";
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    @Test
    void shouldReportBothAddressesOfEstablishedConnectionsWhenAddressIntelMatches() throws Exception {
        List<String> rows = masked(intelRows(ZEEK.resolve("intel-whitelist-dns-http/trace.pcap"),
                item("208.80.152.3", "Intel::ADDR", "srcA") + item("141.142.220.0/24", "Intel::SUBNET", "srcB"),
                false));
        // eight established HTTP connections from the subnet, six of them to 208.80.152.3: orig via the
        // subnet, resp by address, at the SYN-ACK's time
        assertThat(rows).hasSize(14);
        assertThat(rows.get(0)).isEqualTo("1300475168.783842\tC\t141.142.220.118\t48649\t208.80.152.118\t80\t"
                + "141.142.220.118\tIntel::ADDR\tConn::IN_ORIG\tzeek\tIntel::SUBNET\tsrcB\t-\t-\t-");
        rows = rows.subList(1, 13);
        assertThat(rows.get(0)).matches("[0-9]+\\.[0-9]{6}\tC\t141\\.142\\.220\\.118\t[0-9]+\t208\\.80\\.152\\.3\t80\t"
                + "141\\.142\\.220\\.118\tIntel::ADDR\tConn::IN_ORIG\tzeek\tIntel::SUBNET\tsrcB\t-\t-\t-");
        assertThat(rows.get(1)).matches("[0-9]+\\.[0-9]{6}\tC\t141\\.142\\.220\\.118\t[0-9]+\t208\\.80\\.152\\.3\t80\t"
                + "208\\.80\\.152\\.3\tIntel::ADDR\tConn::IN_RESP\tzeek\tIntel::ADDR\tsrcA\t-\t-\t-");
        // DNS over UDP never raises connection_established
        assertThat(rows).noneMatch(r -> r.contains("\t53\t"));
    }

    @Test
    void shouldSuppressAddressRowsWhenWhitelisted() throws Exception {
        List<String> rows = masked(intelRows(ZEEK.resolve("intel-whitelist-dns-http/trace.pcap"),
                item("208.80.152.3", "Intel::ADDR", "srcA") + item("141.142.220.0/24", "Intel::SUBNET", "srcB")
                        + whitelist("141.142.220.0/24", "Intel::SUBNET", "srcW"), false));
        assertThat(rows).hasSize(6).allMatch(r -> r.contains("\t208.80.152.3\tIntel::ADDR\tConn::IN_RESP\t"));
    }

    private static final String TS = "[0-9]{10}\\.[0-9]{6}";

    @Test
    void shouldReportTheUrlAsZeekBuildsItWhenRequestDone() throws Exception {
        List<String> rows = masked(intelRows(ZEEK.resolve("intel-whitelist-dns-http/trace.pcap"),
                item("upload.wikimedia.org/wikipedia/commons/6/63/Wikipedia-logo.png", "Intel::URL", "srcU")
                        + item("meta.wikimedia.org/images/wikimedia-button.png", "Intel::URL", "srcU")
                        + whitelist("meta.wikimedia.org/images/wikimedia-button.png", "Intel::URL", "srcW"), false));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).matches(TS + "\tC\t141\\.142\\.220\\.118\t49997\t208\\.80\\.152\\.3\t80\t"
                + "upload\\.wikimedia\\.org/wikipedia/commons/6/63/Wikipedia-logo\\.png\tIntel::URL\tHTTP::IN_URL\tzeek"
                + "\tIntel::URL\tsrcU\t-\t-\t-");
    }

    @Test
    void shouldReportTheServerNameWhenClientHelloHasSni() throws Exception {
        List<String> rows = masked(intelRows(ZEEK.resolve("tls10-sni-basic/trace.pcap"),
                item("SSL.gstatic.com", "Intel::DOMAIN", "srcS"), false));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).matches(TS + "\tC\t192\\.168\\.1\\.105\t62045\t74\\.125\\.224\\.79\t443\t"
                + "ssl\\.gstatic\\.com\tIntel::DOMAIN\tSSL::IN_SERVER_NAME\tzeek\tIntel::DOMAIN\tsrcS\t-\t-\t-");
    }

    @Test
    void shouldReportTheMd5HostKeyHashWhenSshServerSendsItsKey() throws Exception {
        // the hashes are those of Zeek's ssh.log host_key column for this trace (before Zeek 9's SHA-256 fingerprint)
        List<String> rows = masked(intelRows(ZEEK.resolve("ssh-basic/trace.pcap"),
                item("a7:26:62:3f:75:1f:33:8a:f3:32:90:8b:73:fd:2c:83", "Intel::PUBKEY_HASH", "srcK")
                        + item("a1:73:d1:e1:25:72:79:71:56:56:65:ed:81:bf:67:98", "Intel::PUBKEY_HASH", "srcK")
                        + item("e4:b1:8e:ca:6e:0e:e5:3c:7e:a4:0e:70:34:9d:b2:b1", "Intel::PUBKEY_HASH", "srcK")
                        + whitelist("e4:b1:8e:ca:6e:0e:e5:3c:7e:a4:0e:70:34:9d:b2:b1", "Intel::PUBKEY_HASH", "srcW"),
                false));
        assertThat(rows).filteredOn(r -> r.contains("a7:26:62")).singleElement().asString().matches(
                TS + "\tC\t192\\.168\\.1\\.79\t51880\t131\\.159\\.21\\.1\t22\t"
                        + "a7:26:62:3f:75:1f:33:8a:f3:32:90:8b:73:fd:2c:83\tIntel::PUBKEY_HASH\tSSH::IN_SERVER_HOST_KEY"
                        + "\tzeek\tIntel::PUBKEY_HASH\tsrcK\t-\t-\t-");
        // SSH-1 keys: MD5 over modulus and exponent, nine SSH-1 connections in the trace
        assertThat(rows).filteredOn(r -> r.contains("a1:73:d1")).hasSize(9);
        assertThat(rows).noneMatch(r -> r.contains("e4:b1:8e"));
    }

    @Test
    void shouldReportSmtpAddressesAndAgentsAtEachMimeEntityEnd() throws Exception {
        List<String> rows = masked(intelRows(Path.of("src/test/resources/zeek-smtp/smtp-basic/trace.pcap"),
                item("gurpartap@patriots.in", "Intel::EMAIL", "srcM")
                        + item("raj_deol2002in@yahoo.co.in", "Intel::EMAIL", "srcM")
                        + item("davis_mark1@outlook.com", "Intel::EMAIL", "srcM")
                        + item("microsoft office outlook 12.0", "Intel::SOFTWARE", "srcM")
                        + item("74.53.140.153", "Intel::ADDR", "srcM")
                        + item("ericlim220@yahoo.com", "Intel::EMAIL", "srcM")
                        + whitelist("ericlim220@yahoo.com", "Intel::EMAIL", "srcW"), false));
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        for (String r : rows) {
            distinct.add(r.substring(r.indexOf('\t')));
        }
        assertThat(distinct).containsExactlyInAnyOrder(
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\t74.53.140.153\tIntel::ADDR\tConn::IN_RESP\tzeek\tIntel::ADDR\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\t74.53.140.153\tIntel::ADDR\tSMTP::IN_RECEIVED_HEADER\tzeek\tIntel::ADDR\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\tMicrosoft Office Outlook 12.0\tIntel::SOFTWARE\tSMTP::IN_HEADER\tzeek\tIntel::SOFTWARE\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\tgurpartap@patriots.in\tIntel::EMAIL\tSMTP::IN_MAIL_FROM\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\traj_deol2002in@yahoo.co.in\tIntel::EMAIL\tSMTP::IN_RCPT_TO\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\tgurpartap@patriots.in\tIntel::EMAIL\tSMTP::IN_FROM\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-",
                "\tC\t10.10.1.4\t1470\t74.53.140.153\t25\traj_deol2002in@yahoo.co.in\tIntel::EMAIL\tSMTP::IN_TO\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-",
                "\tC\t192.168.133.100\t49648\t192.168.133.102\t25\tdavis_mark1@outlook.com\tIntel::EMAIL\tSMTP::IN_RCPT_TO\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-",
                "\tC\t192.168.133.100\t49648\t192.168.133.102\t25\tdavis_mark1@outlook.com\tIntel::EMAIL\tSMTP::IN_CC\tzeek\tIntel::EMAIL\tsrcM\t-\t-\t-");
        // one group per mime_end_entity: five entities in the first mail, one in the second
        assertThat(rows).filteredOn(r -> r.contains("SMTP::IN_MAIL_FROM")).hasSize(5);
        assertThat(rows).filteredOn(r -> r.contains("SMTP::IN_CC")).hasSize(1);
    }

    @Test
    void shouldReportCertificateNamesAndHashesWithTheirFileWhenServerSendsItsChain() throws Exception {
        // SHA-1s of the two certificates of the trace (their SHA-256s are x509.log's fingerprints)
        String hostSha1 = "82437e7830614e2500679d121590d25381de1dac";
        String caSha1 = "dd7a7f131ddba33d3e8670179483e6fea6987d6a";
        List<String> rows = masked(intelRows(ZEEK.resolve("tls10-sni-basic/trace.pcap"),
                item("*.gstatic.com", "Intel::DOMAIN", "srcX") + item("gstatic.com", "Intel::DOMAIN", "srcX")
                        + item(hostSha1, "Intel::CERT_HASH", "srcX") + item(caSha1, "Intel::CERT_HASH", "srcX")
                        + item("*.metric.gstatic.com", "Intel::DOMAIN", "srcX")
                        + whitelist("*.metric.gstatic.com", "Intel::DOMAIN", "srcW"), false));
        String id = "\tC\t192.168.1.105\t62045\t74.125.224.79\t443\t";
        String user = "\tapplication/x-x509-user-cert\t74.125.224.79:443";
        List<String> noTs = new ArrayList<>();
        for (String r : rows) {
            noTs.add(r.substring(r.indexOf('\t')).replaceAll("\tF[0-9A-Za-z]{15,18}\t", "\tF\t"));
        }
        assertThat(noTs).containsExactly(
                id + "*.gstatic.com\tIntel::DOMAIN\tX509::IN_CERT\tzeek\tIntel::DOMAIN\tsrcX\tF" + user,
                id + "gstatic.com\tIntel::DOMAIN\tX509::IN_CERT\tzeek\tIntel::DOMAIN\tsrcX\tF" + user,
                id + hostSha1 + "\tIntel::CERT_HASH\tX509::IN_CERT\tzeek\tIntel::CERT_HASH\tsrcX\tF" + user,
                id + caSha1 + "\tIntel::CERT_HASH\tX509::IN_CERT\tzeek\tIntel::CERT_HASH\tsrcX\tF"
                        + "\tapplication/x-x509-ca-cert\t74.125.224.79:443",
                // ssl_established: the host certificate's CN with its file id only
                id + "*.gstatic.com\tIntel::DOMAIN\tX509::IN_CERT\tzeek\tIntel::DOMAIN\tsrcX\tF\t-\t-");
        String hostFuid = rows.get(0).split("\t")[12];
        assertThat(rows.get(2).split("\t")[12]).isEqualTo(hostFuid);
        assertThat(rows.get(4).split("\t")[12]).isEqualTo(hostFuid);
        assertThat(rows.get(3).split("\t")[12]).isNotEqualTo(hostFuid);
    }

    @Test
    void shouldReportAttachmentNamesWithTheirFileWhenMailEntityNamesOne() throws Exception {
        List<String> rows = masked(intelRows(Path.of("src/test/resources/zeek-smtp/smtp-basic/trace.pcap"),
                item("news.TXT", "Intel::FILE_NAME", "srcF"), false));
        assertThat(rows).singleElement().asString().matches(TS + "\\tC\\t10\\.10\\.1\\.4\\t1470\\t74\\.53\\.140\\.153"
                + "\\t25\\tNEWS\\.txt\\tIntel::FILE_NAME\\tFiles::IN_NAME\\tzeek\\tIntel::FILE_NAME\\tsrcF"
                + "\\tF[0-9A-Za-z]{15,18}\\t-\\tgurpartap@patriots\\.in -> raj_deol2002in@yahoo\\.co\\.in");
    }

    @Test
    void shouldReportCertificateFileHashesWhenTheirMd5OrSha1IsKnown() throws Exception {
        // MD5 of the host certificate, SHA-1 of the CA certificate (computed from the capture)
        String hostMd5 = "5f88a7e03bde311018203c1184c2b48e";
        String caSha1 = "dd7a7f131ddba33d3e8670179483e6fea6987d6a";
        List<String> rows = masked(intelRows(ZEEK.resolve("tls10-sni-basic/trace.pcap"),
                item(hostMd5, "Intel::FILE_HASH", "srcH") + item(caSha1, "Intel::FILE_HASH", "srcH"), false));
        String id = "\\tC\\t192\\.168\\.1\\.105\\t62045\\t74\\.125\\.224\\.79\\t443\\t";
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).matches(TS + id + hostMd5 + "\\tIntel::FILE_HASH\\tFiles::IN_HASH\\tzeek"
                + "\\tIntel::FILE_HASH\\tsrcH\\tF[0-9A-Za-z]{15,18}\\tapplication/x-x509-user-cert\\t74\\.125\\.224\\.79:443");
        assertThat(rows.get(1)).matches(TS + id + caSha1 + "\\tIntel::FILE_HASH\\tFiles::IN_HASH\\tzeek"
                + "\\tIntel::FILE_HASH\\tsrcH\\tF[0-9A-Za-z]{15,18}\\tapplication/x-x509-ca-cert\\t74\\.125\\.224\\.79:443");
    }
}
