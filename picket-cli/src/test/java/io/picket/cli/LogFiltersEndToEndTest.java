package io.picket.cli;

import static io.picket.cli.CliRun.picket;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.CliRun.Result;
import io.picket.cli.demo.DemoCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant log filters ({@code POLICY/<tenant>/filters.yaml}) through {@code picket run} on the demo
 * capture, where acme and umbrella carry the same traffic (Zeek's wikipedia trace): acme filters,
 * umbrella serves as the unfiltered reference.
 */
class LogFiltersEndToEndTest {
    private static final Path TMP = Path.of("target", "tmp", "log-filters-e2e");
    private static DemoCapture.Result demo;
    private static Path logs;
    private static Result run;



    @BeforeAll
    static void runWithFilters() throws Exception {
        deleteTree(TMP);
        demo = DemoCapture.build(TMP.resolve("demo"));
        Path policy = TMP.resolve("policy");
        Files.createDirectories(policy.resolve("acme"));
        Files.createDirectories(policy.resolve("globex"));
        Files.writeString(policy.resolve("acme/filters.yaml"), """
                # acme: no AAAA lookups, no answers/TTLs columns, only web connections
                dns:
                  - name: no-aaaa
                    drop: qtype_name == "AAAA"
                  - name: slim
                    exclude: [answers, TTLs]
                conn:
                  - name: web
                    pred: id.resp_p == 80
                """);
        Files.writeString(policy.resolve("globex/filters.yaml"), """
                ssh:
                  - name: not-this-server
                    drop: id.orig_h == "192.150.186.169"
                """);
        logs = TMP.resolve("logs");
        run = picket("run", "-r", demo.pcap().toString(), "--tenants", demo.tenantsYaml().toString(),
                "--logs", logs.toString(), "--policy", policy.toString(), "--uid-seed", "5");
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

    private static List<String> header(String tenant, String log, String line) throws IOException {
        for (String l : Files.readAllLines(logs.resolve(tenant).resolve(log + ".log"))) {
            if (l.startsWith(line + "\t")) {
                return List.of(l.substring(line.length() + 1).split("\t"));
            }
        }
        throw new AssertionError("no " + line + " in " + tenant + "/" + log);
    }

    private static int col(String tenant, String log, String name) throws IOException {
        return header(tenant, log, "#fields").indexOf(name);
    }

    @Test
    void shouldDropAaaaQueriesOnlyForTheTenantThatFiltersThem() throws Exception {
        assertThat(run.status()).as(run.err()).isZero();
        int q = col("umbrella", "dns", "qtype_name");
        List<String[]> reference = rows("umbrella", "dns");
        long aaaa = reference.stream().filter(r -> r[q].equals("AAAA")).count();
        assertThat(aaaa).isPositive();
        List<String[]> filtered = rows("acme", "dns");
        int qa = col("acme", "dns", "qtype_name");
        assertThat(filtered).noneMatch(r -> r[qa].equals("AAAA"));
        assertThat(filtered).hasSize(reference.size() - (int) aaaa);
    }

    @Test
    void shouldWriteTheHeaderWithoutExcludedColumnsAsZeekDoes() throws Exception {
        List<String> fields = new ArrayList<>(header("umbrella", "dns", "#fields"));
        List<String> types = new ArrayList<>(header("umbrella", "dns", "#types"));
        for (String gone : List.of("answers", "TTLs")) {
            int i = fields.indexOf(gone);
            fields.remove(i);
            types.remove(i);
        }
        assertThat(header("acme", "dns", "#fields")).isEqualTo(fields);
        assertThat(header("acme", "dns", "#types")).isEqualTo(types);
        assertThat(rows("acme", "dns")).allMatch(r -> r.length == fields.size());
        assertThat(header("umbrella", "dns", "#fields")).contains("answers", "TTLs");
    }

    @Test
    void shouldKeepOnlyWebConnectionsWhenThePredicateSaysSo() throws Exception {
        int p = col("umbrella", "conn", "id.resp_p");
        List<String[]> reference = rows("umbrella", "conn");
        long web = reference.stream().filter(r -> r[p].equals("80")).count();
        assertThat(web).isPositive().isLessThan(reference.size());
        List<String[]> acme = rows("acme", "conn");
        assertThat(acme).hasSize((int) web).allMatch(r -> r[p].equals("80"));
        // other logs of the filtering tenant are untouched
        assertThat(rows("acme", "http")).hasSameSizeAs(rows("umbrella", "http"));
    }

    @Test
    void shouldApplyEachTenantsOwnFiltersWhenSeveralTenantsHaveThem() throws Exception {
        // its only ssh row was dropped: as in Zeek, a log nothing was written to has no file
        assertThat(logs.resolve("globex/ssh.log")).doesNotExist();
        assertThat(rows("umbrella", "dns")).isNotEmpty();
        assertThat(rows("globex", "ssl")).isNotEmpty();
        assertThat(run.out()).contains("acme").containsPattern("acme +log filters: [0-9,]+ kept, [0-9,]+ dropped, 0 ");
    }

    @Test
    void shouldStopTheRunWithFileLineColumnWhenAFilterDoesNotCompile() throws Exception {
        Path policy = TMP.resolve("bad-policy");
        Files.createDirectories(policy.resolve("acme"));
        Files.writeString(policy.resolve("acme/filters.yaml"), """
                dns:
                  - name: typo
                    drop: qtyp == "AAAA"
                  - name: type
                    pred: id.resp_p == "53"
                ftp:
                  - {name: x, exclude: [user]}
                """);
        Result bad = picket("run", "-r", demo.pcap().toString(), "--tenants", demo.tenantsYaml().toString(),
                "--logs", TMP.resolve("bad-logs").toString(), "--policy", policy.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("filters.yaml:3:11: CEL: undeclared reference to 'qtyp': not a column of dns.log")
                .contains("filters.yaml:5:21: CEL: found no matching overload for '_==_'")
                .contains("filters.yaml:6:1: unknown log 'ftp'");
        assertThat(Arrays.asList(bad.err().split("\n"))).noneMatch(l -> l.contains("Exception"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
