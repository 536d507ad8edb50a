package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Replays real TLS connections through the analyzer and compares its ssl.log and x509.log with
 * what Zeek wrote for them: the three vendored btest cases and the TLS connections of the
 * benchmark seeds (Zeek 8.2.2).
 */
class SslConformanceTest {

    /** ssl.log columns compared (ts and uid are random or masked in the baselines). */
    private static final List<String> SSL_COLUMNS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "version", "cipher", "curve", "server_name", "resumed", "last_alert", "next_protocol", "established",
            "ssl_history", "cert_chain_fps", "client_cert_chain_fps", "sni_matches_cert");

    @ParameterizedTest
    @CsvSource({"tls10-sni-basic, 1, true", "tls12-sni-repeated-certs, 8, true", "tls13-ech-sni, 3, false"})
    void shouldWriteZeeksSslAndX509LogsWhenReplayingTheVendoredCases(String name, int streams, boolean x509) {
        SslAnalyzerProvider provider = new SslAnalyzerProvider();
        List<LogRecord> ssl = new ArrayList<>();
        List<LogRecord> certs = new ArrayList<>();
        for (int i = 1; i <= streams; i++) {
            FakeContext ctx = TcpStream.load(name + "-" + i + ".tcps").run(provider, "C" + i);
            ssl.addAll(ctx.logs("ssl"));
            certs.addAll(ctx.logs("x509"));
        }

        ZeekLogFile expectedSsl = ZeekLogFile.load("/zeek/" + name + "/ssl.log");
        assertThat(project(ssl, SSL_COLUMNS)).containsExactlyInAnyOrderElementsOf(expectedSsl.project(SSL_COLUMNS));
        if (x509) {
            List<String> columns = SslLogs.X509.fields().stream().map(LogField::name).filter(c -> !c.equals("ts")).toList();
            ZeekLogFile expected = ZeekLogFile.load("/zeek/" + name + "/x509.log");
            assertThat(project(certs, columns)).containsExactlyInAnyOrderElementsOf(expected.project(columns));
        } else {
            assertThat(certs).isEmpty();
        }
    }

    @Test
    void shouldMatchZeeksLogsWhenReplayingTheTlsConnectionsOfTheBenchmarkSeeds() throws IOException {
        SslAnalyzerProvider provider = new SslAnalyzerProvider();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        Set<String> certs = new HashSet<>();
        for (String[] row : tsv("/streams/seeds/expected-ssl.tsv")) {
            TcpStream stream = TcpStream.load("seeds/" + row[0]);
            FakeContext ctx = stream.run(provider, "C" + row[0]);
            expected.put(row[0], String.join("\t", java.util.Arrays.copyOfRange(row, 1, row.length)));
            List<LogRecord> ssl = ctx.logs("ssl");
            assertThat(ssl).as(row[0]).hasSize(1);
            String line = FakeContext.tsv(ssl.get(0));
            String[] cols = line.split("\t", -1);
            double delta = (Double) ssl.get(0).get("ts") - stream.start;
            actual.put(row[0], String.format("%.6f", delta) + "\t" + line.substring(line.indexOf(cols[6], nth(line, 6))));
            for (LogRecord c : ctx.logs("x509")) {
                String x = FakeContext.tsv(c);
                certs.add(x.substring(x.indexOf('\t') + 1));
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
        Set<String> expectedCerts = new HashSet<>();
        for (String[] row : tsv("/streams/seeds/expected-x509.tsv")) {
            expectedCerts.add(String.join("\t", row));
        }
        assertThat(certs).containsAll(expectedCerts);
    }

    private static int nth(String s, int tabs) {
        int p = 0;
        for (int i = 0; i < tabs; i++) {
            p = s.indexOf('\t', p) + 1;
        }
        return p;
    }

    static List<String> project(List<LogRecord> records, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            String[] all = FakeContext.tsv(r).split("\t", -1);
            List<String> names = r.schema().fields().stream().map(LogField::name).toList();
            StringBuilder sb = new StringBuilder();
            for (String c : columns) {
                if (sb.length() > 0) {
                    sb.append('\t');
                }
                sb.append(all[names.indexOf(c)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static List<String[]> tsv(String resource) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SslConformanceTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        return rows;
    }
}
