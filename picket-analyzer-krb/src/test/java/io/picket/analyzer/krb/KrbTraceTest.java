package io.picket.analyzer.krb;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.ssl.X509Dedup;
import io.picket.analyzer.testing.RecordingContext;
import io.picket.log.LogRecord;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.TsvFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zeek's kinit trace (UDP and TCP, PKINIT) through the analyzers, compared with the rows Zeek 8.2.2
 * wrote for the same packets (see {@code src/test/resources/kinit/README.md}).
 */
class KrbTraceTest {
    /** The benchmark replay's time shift of this trace. */
    private static final double SHIFT = 1704067200.056842 - 1421708030.829536;

    static final List<String> kerberos = new ArrayList<>();
    static final List<String> x509 = new ArrayList<>();
    static final List<String> services = new ArrayList<>();
    static int violations;

    @BeforeAll
    static void replay() throws IOException {
        List<PcapTrace.Conn> conns;
        try (InputStream in = KrbTraceTest.class.getResourceAsStream("/kinit/kinit.pcap")) {
            conns = PcapTrace.read(in);
        }
        X509Dedup dedup = new X509Dedup(86400.0, 1000);
        List<Object[]> rows = new ArrayList<>();
        int n = 0;
        for (PcapTrace.Conn c : conns) {
            if (c.respPort != 88) {
                continue;
            }
            RecordingContext ctx = new RecordingContext("C" + n++, c.origHost, c.origPort, c.respHost, c.respPort,
                    c.tcp ? "tcp" : "udp");
            ctx.start = c.start;
            KrbAnalyzer a = new KrbAnalyzer(ctx, c.tcp, dedup);
            for (PcapTrace.Delivery d : c.deliveries) {
                ctx.now = d.ts();
                MemorySegment seg = MemorySegment.ofArray(d.payload());
                if (c.tcp) {
                    a.onStream(d.isOrig(), seg, 0, d.payload().length);
                } else {
                    a.onDatagram(d.isOrig(), seg, 0, d.payload().length);
                }
            }
            a.onConnectionDone();
            violations += ctx.violations.size();
            if (ctx.confirmations > 0) {
                services.add(c.tcp ? "krb_tcp" : "krb");
            }
            for (LogRecord r : ctx.logs) {
                String line = tsv(r);
                if (r.schema().path().equals("kerberos")) {
                    rows.add(new Object[] {(Double) r.get("ts"), line});
                } else {
                    x509.add(line);
                }
            }
        }
        rows.sort((p, q) -> Double.compare((Double) p[0], (Double) q[0]));
        for (Object[] r : rows) {
            kerberos.add((String) r[1]);
        }
    }

    private static String tsv(LogRecord r) {
        LogBuffer buf = new LogBuffer();
        new TsvFormat().row(r, buf);
        return new String(buf.array(), 0, buf.length() - 1, StandardCharsets.UTF_8);
    }

    @Test
    void shouldMatchZeekRowsWhenReplayingKinitTrace() throws IOException {
        List<String> zeek = new ArrayList<>();
        try (InputStream in = KrbTraceTest.class.getResourceAsStream("/kinit/zeek-bench-tenant0-kerberos.log")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.startsWith("#") && !l.isEmpty()) {
                    zeek.add(l);
                }
            }
        }
        Map<String, String> ours = new HashMap<>();
        for (String l : kerberos) {
            String[] f = l.split("\t", -1);
            ours.put(f[3] + "/" + f[5], l);
        }
        assertThat(kerberos).hasSize(zeek.size());
        int cells = 0;
        int matched = 0;
        List<String> diffs = new ArrayList<>();
        for (String z : zeek) {
            String[] e = z.split("\t", -1);
            String a = ours.get(e[3] + "/" + e[5]);
            assertThat(a).as("row for orig_p " + e[3]).isNotNull();
            String[] f = a.split("\t", -1);
            for (int i = 0; i < e.length; i++) {
                cells++;
                String exp = e[i];
                String act = f[i];
                if (i == 0 && e[3].equals("55447")) {
                    // the replay shortened the idle time before this last connection; Zeek's btest
                    // baseline of the trace (scripts.base.protocols.krb.kinit) has this ts
                    exp = "1421708129.719401";
                } else if (i == 0) {
                    act = String.format("%.6f", Double.parseDouble(f[i]) + SHIFT);
                } else if (i == 1 || i == 17 || i == 19) { // uid, client_cert_fuid, server_cert_fuid
                    exp = exp.equals("-") ? "-" : "set";
                    act = act.equals("-") ? "-" : "set";
                } else if (i == 2 || i == 4) {
                    continue;
                }
                if (exp.equals(act)) {
                    matched++;
                } else {
                    diffs.add("orig_p " + e[3] + " column " + i + ": zeek " + exp + " ours " + act);
                }
            }
        }
        System.out.printf("kinit kerberos.log: %d rows, %d/%d cells match%n", zeek.size(), matched,
                cells - 2 * zeek.size());
        assertThat(diffs).isEmpty();
    }

    @Test
    void shouldLogEachPkinitCertificateOnceWhenReplayingKinitTrace() {
        assertThat(x509).hasSize(2);
        assertThat(x509.get(0)).contains("06e392a45f360421af71a59b7f287bddb2d2ddd1d85b0077ca6cfba0b1d38007",
                "CN=vladg.net,O=Bro Testing\\\\, LLC").endsWith("\tT\tF");
        assertThat(x509.get(1)).contains("a2c133cda5bc209e197a7174f9c5f5b507733a5d8a4ffb256dddc3470236efea",
                "CN=test_pkinit,O=Bro Testing\\\\, LLC").endsWith("\tT\tT");
    }

    @Test
    void shouldConfirmEveryConnectionWithoutViolationWhenReplayingKinitTrace() {
        assertThat(violations).isZero();
        assertThat(services).contains("krb", "krb_tcp").doesNotContainNull();
    }
}
