package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every log of every vendored Zeek case (conn, dns, http, ssl, x509, ssh, weird, ... and the
 * {@code zeek-cut} projections), compared field by field with Zeek's expected output. Prints one
 * table per log type. Every log must match (the build fails otherwise); those in
 * {@link #MUST_MATCH} without any excuse, the others with only the documented excuse (a conn.log
 * {@code service} that needs an analyzer Picket does not have).
 */
class LogConformanceTest {

    static final List<String> CASES = List.of("dns-ipv6-fragmented", "dns-reply-seen-first", "http-methods-weird",
            "http-pipelining", "http-post-100-continue", "intel-whitelist-dns-http", "qinq-vlan-logging", "ssh-basic", "ssh-half-duplex-client",
            "tcp-missing-syn-flip", "tcp-one-sided-responder-only", "tcp-rej-pop3", "tcp-retransmit-gaps",
            "tcp-rstr-http-to-ssh", "tls10-sni-basic", "tls12-sni-repeated-certs", "tls13-ech-sni",
            "udp-bad-checksum", "vlan-collisions-default", "vlan-collisions-vlan-aware", "vlan-qinqinq-weird",
            "wikipedia-default");

    /** case/log pairs that must match field by field (grows as analyzers land). */
    static final Set<String> MUST_MATCH = Set.of("vlan-qinqinq-weird/weird.log.cut", "ssh-basic/ssh.log",
            "ssh-half-duplex-client/ssh.log", "dns-ipv6-fragmented/dns.log", "dns-reply-seen-first/dns.log",
            "wikipedia-default/dns.log", "http-methods-weird/http.log", "http-pipelining/http.log",
            "http-post-100-continue/http.log", "wikipedia-default/http.log", "http-methods-weird/weird.log",
            "intel-whitelist-dns-http/intel.log", "tls10-sni-basic/ssl.log", "tls13-ech-sni/ssl.log", "tls12-sni-repeated-certs/ssl.log",
            "tls10-sni-basic/x509.log", "tls12-sni-repeated-certs/x509.log");

    @TempDir
    Path tmp;

    @Test
    void shouldReportEveryLogFieldByFieldWhenRunningVendoredCases() throws Exception {
        Map<String, ConformanceReport> byLog = new TreeMap<>();
        ConformanceReport must = new ConformanceReport();
        for (String name : CASES) {
            ZeekCase zc = ZeekCase.load(name);
            Path out = tmp.resolve(name);
            Engine.run(zc.config(out), ProgressListener.NONE);
            for (String file : zc.expectedFiles()) {
                if (!file.endsWith(".log") && !file.endsWith(".log.cut")) {
                    continue;
                }
                String path = file.substring(0, file.indexOf(".log"));
                Path actual = out.resolve("default").resolve(path + ".log");
                ZeekLog act = Files.exists(actual) ? ZeekLog.read(actual) : new ZeekLog(List.of(), List.of());
                ZeekLog exp = ZeekLog.read(zc.expected(file));
                byLog.computeIfAbsent(path, k -> new ConformanceReport())
                        .compare(name, file, exp, act, ConnConformanceTest::excuse);
                // every log of every case must match; the only excuse is a conn.log service that needs
                // an analyzer Picket does not have (pop3, dhcp), listed in the report
                must.compare(name, file, exp, act, MUST_MATCH.contains(name + "/" + file)
                        ? (c, col, e, a) -> null : ConnConformanceTest::excuse);
            }
        }
        for (Map.Entry<String, ConformanceReport> e : byLog.entrySet()) {
            System.out.println("== " + e.getKey() + ".log conformance (Zeek's own test cases)");
            System.out.println(e.getValue().table());
        }
        assertThat(must.mismatches).as(must.table()).isEmpty();
    }
}
