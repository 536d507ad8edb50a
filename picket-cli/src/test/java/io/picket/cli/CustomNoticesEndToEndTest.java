package io.picket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.demo.DemoCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant-defined notices ({@code POLICY/<tenant>/notice.yaml} {@code notices:}) through
 * {@code picket run --policy} on the demo capture, where acme and umbrella carry the same traffic
 * (Zeek's wikipedia trace): acme defines notices (and drops AAAA rows with a log filter), umbrella
 * has no policy.
 */
class CustomNoticesEndToEndTest {
    private static final Path TMP = Path.of("target", "tmp", "custom-notices-e2e");
    private static Path logs;
    private static CliRun.Result run;

    @BeforeAll
    static void runWithNotices() throws Exception {
        deleteTree(TMP);
        DemoCapture.Result demo = DemoCapture.build(TMP.resolve("demo"));
        Path policy = TMP.resolve("policy");
        Files.createDirectories(policy.resolve("acme"));
        Files.writeString(policy.resolve("acme/notice.yaml"), """
                notices:
                  - note: Acme::Wiki_AAAA
                    log: dns
                    when: qtype_name == "AAAA" && query.endsWith("wikimedia.org")
                    msg: '"AAAA lookup of " + query'
                    sub: 'id.resp_h'
                    identifier: query
                  - note: Acme::Web_Conn
                    log: conn
                    when: 'id.resp_p == 80'
                    msg: '"web"'
                ignored_types: [Acme::Web_Conn]
                """);
        Files.writeString(policy.resolve("acme/filters.yaml"), """
                dns:
                  - name: no-aaaa
                    drop: qtype_name == "AAAA"
                """);
        logs = TMP.resolve("logs");
        run = CliRun.picket("run", "-r", demo.pcap().toString(), "--tenants",
                demo.tenantsYaml().toString(), "--logs", logs.toString(), "--policy", policy.toString(),
                "--uid-seed", "5", "--workers", "2");
    }

    private static List<String[]> rows(String tenant, String log) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(logs.resolve(tenant).resolve(log + ".log"))) {
            if (!l.startsWith("#")) {
                out.add(l.split("\t", -1));
            }
        }
        return out;
    }

    /** The ts and uid of the tenant's connection from source port {@code origP} (one DNS query each). */
    private static String tsUid(String tenant, String origP) throws IOException {
        String[] c = rows(tenant, "conn").stream().filter(r -> r[3].equals(origP)).findFirst().orElseThrow();
        return c[0] + "\t" + c[1];
    }

    @Test
    void shouldWriteOneNoticePerQueryWhenLaterOnesAreSuppressed() throws Exception {
        assertThat(run.status()).as(run.err()).isZero();
        List<String[]> notices = rows("acme", "notice");
        // upload.wikimedia.org AAAA at .157364, .161421, .195109, .197453: the first one, then suppressed
        assertThat(notices).hasSize(2);
        assertThat(String.join("\t", notices.get(0))).isEqualTo(String.join("\t", tsUid("acme", "43927"),
                "141.142.220.118", "43927", "141.142.2.2", "53", "-", "-", "-", "udp",
                "Acme::Wiki_AAAA", "AAAA lookup of upload.wikimedia.org", "141.142.2.2", "141.142.220.118",
                "141.142.2.2", "53", "-", "-", "Notice::ACTION_LOG", "(empty)", "3600.000000", "-", "-", "-", "-",
                "-"));
        assertThat(String.join("\t", notices.get(1))).isEqualTo(String.join("\t", tsUid("acme", "56056"),
                "141.142.220.118", "56056", "141.142.2.2", "53", "-", "-", "-", "udp",
                "Acme::Wiki_AAAA", "AAAA lookup of meta.wikimedia.org", "141.142.2.2", "141.142.220.118",
                "141.142.2.2", "53", "-", "-", "Notice::ACTION_LOG", "(empty)", "3600.000000", "-", "-", "-", "-",
                "-"));
    }

    @Test
    void shouldTestRecordsBeforeTheTenantsLogFiltersDropThem() throws Exception {
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(rows("acme", "dns")).noneMatch(r -> List.of(r).contains("AAAA"));
    }

    @Test
    void shouldLogNothingForAnIgnoredCustomType() throws Exception {
        assertThat(rows("acme", "conn")).anyMatch(r -> r[5].equals("80"));
        assertThat(rows("acme", "notice")).noneMatch(r -> List.of(r).contains("Acme::Web_Conn"));
    }

    @Test
    void shouldLeaveOtherTenantsUnaffected() throws Exception {
        assertThat(Files.exists(logs.resolve("umbrella").resolve("notice.log"))).isFalse();
        assertThat(rows("umbrella", "dns")).anyMatch(r -> List.of(r).contains("AAAA"));
    }

    @Test
    void shouldStopTheRunWithThePositionInsideTheExpressionWhenANoticeDoesNotCheck() throws Exception {
        Path policy = TMP.resolve("bad-policy");
        Files.createDirectories(policy.resolve("acme"));
        Files.writeString(policy.resolve("acme/notice.yaml"), """
                notices:
                  - note: Acme::Bad
                    log: dns
                    when: 'qtype_name == 28'
                    msg: '"x"'
                """);
        DemoCapture.Result demo = DemoCapture.build(TMP.resolve("demo2"));
        CliRun.Result r = CliRun.picket("run", "-r", demo.pcap().toString(),
                "--tenants", demo.tenantsYaml().toString(), "--logs", TMP.resolve("bad-logs").toString(),
                "--policy", policy.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("notice.yaml:4:23: CEL: found no matching overload for '_==_'");
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
