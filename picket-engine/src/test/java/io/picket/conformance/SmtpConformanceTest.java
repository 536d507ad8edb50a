package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zeek's SMTP test cases ({@code src/test/resources/zeek-smtp/}, see its README): smtp.log, and for
 * STARTTLS the ssl.log and x509.log of the TLS after it, compared field by field with Zeek's
 * baselines on the columns both logs have. Rows are paired on the 5-tuple and trans_depth (x509 on
 * the subject); set elements are compared sorted, uids and file ids by presence and count. Prints
 * a per-column table and requires every field to match.
 */
class SmtpConformanceTest {

    private static final Set<String> SETS = Set.of("rcptto", "to", "cc");
    private static final Set<String> IDS = Set.of("uid", "fuids", "id", "cert_chain_fuids");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"smtp-basic,smtp,false", "smtp-starttls,smtp,true", "smtp-starttls,ssl,true",
        "smtp-starttls,x509,true"})
    void shouldMatchZeekFieldByFieldWhenRunningZeekSmtpCase(String caseName, String log, boolean ignoreChecksums)
            throws Exception {
        Path dir = root().resolve(caseName);
        Path out = tmp.resolve("logs");
        Engine.run(EngineConfig.of(List.of(dir.resolve("trace.pcap")), out).withUidSeed(1L)
                .withIgnoreChecksums(ignoreChecksums), ProgressListener.NONE);
        ZeekLog exp = ZeekLog.read(dir.resolve("expected/" + log + ".log"));
        Path actual = out.resolve("default/" + log + ".log");
        ZeekLog act = Files.exists(actual) ? ZeekLog.read(actual) : new ZeekLog(exp.columns(), List.of());

        List<String> key = log.equals("x509") ? List.of("certificate.subject")
                : log.equals("smtp") ? List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth")
                : List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p");
        Map<String, int[]> perColumn = new LinkedHashMap<>();
        List<String> diffs = new ArrayList<>();
        List<String> common = exp.columns().stream().filter(act.columns()::contains).toList();
        for (List<String> e : exp.rows()) {
            List<String> a = act.rows().stream().filter(r -> key.stream()
                    .allMatch(k -> r.get(act.columns().indexOf(k)).equals(e.get(exp.columns().indexOf(k)))))
                    .findFirst().orElse(null);
            for (String c : common) {
                int[] n = perColumn.computeIfAbsent(c, k -> new int[2]);
                n[1]++;
                String ev = norm(c, e.get(exp.columns().indexOf(c)));
                String av = a == null ? "<no row>" : norm(c, a.get(act.columns().indexOf(c)));
                if (ev.equals(av)) {
                    n[0]++;
                } else {
                    diffs.add(c + ": zeek " + ev + " | ours " + av);
                }
            }
        }
        StringBuilder sb = new StringBuilder("== " + caseName + " " + log + ".log: rows zeek " + exp.rows().size()
                + ", ours " + act.rows().size() + "\n");
        perColumn.forEach((c, n) -> sb.append(String.format("  %-28s %d/%d%n", c, n[0], n[1])));
        diffs.forEach(d -> sb.append("  DIFF ").append(d).append('\n'));
        System.out.print(sb);

        assertThat(diffs).as(sb.toString()).isEmpty();
        assertThat(act.rows()).as(sb.toString()).hasSameSizeAs(exp.rows());
    }

    /** Zeek's conn.log service for this capture in the bench run (the same seed, addresses rewritten). */
    @org.junit.jupiter.api.Test
    void shouldNameSmtpThenSslInConnServiceWhenStartTlsSucceeds() throws Exception {
        Path out = tmp.resolve("conn");
        Engine.run(EngineConfig.of(List.of(root().resolve("smtp-starttls/trace.pcap")), out).withUidSeed(1L)
                .withIgnoreChecksums(true), ProgressListener.NONE);
        ZeekLog conn = ZeekLog.read(out.resolve("default/conn.log"));
        List<String> services = conn.rows().stream()
                .filter(r -> r.get(conn.columns().indexOf("id.resp_p")).equals("25"))
                .map(r -> r.get(conn.columns().indexOf("service"))).toList();

        assertThat(services).containsExactly("smtp,ssl");
    }

    private static String norm(String column, String v) {
        if (IDS.contains(column)) {
            return v.equals("-") || v.equals("(empty)") ? v : v.split(",").length + " id(s)";
        }
        if (SETS.contains(column) && v.contains(",")) {
            String[] parts = v.split(",");
            Arrays.sort(parts);
            return String.join(",", parts);
        }
        return v;
    }

    private static Path root() throws URISyntaxException {
        return Path.of(SmtpConformanceTest.class.getResource("/zeek-smtp/README.md").toURI()).getParent();
    }
}
