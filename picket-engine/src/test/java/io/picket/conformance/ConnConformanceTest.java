package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conn.log conformance on Zeek's own test captures: every vendored case that has a conn.log
 * (or a {@code zeek-cut} projection of one) is run with the options its case.json implies and
 * compared field by field. Prints the table; fails on any unexcused differing cell.
 */
class ConnConformanceTest {

    static final List<String> CASES = List.of("qinq-vlan-logging", "ssh-basic", "ssh-half-duplex-client",
            "tcp-missing-syn-flip", "tcp-one-sided-responder-only", "tcp-rej-pop3", "tcp-retransmit-gaps",
            "tcp-rstr-http-to-ssh", "teredo-tunnel", "udp-bad-checksum", "vlan-collisions-default",
            "vlan-collisions-vlan-aware", "wikipedia-default");

    /** Cases whose conn.log needs a capability of a later issue; reported, not asserted. */
    static final Set<String> NOT_YET = Set.of();

    @TempDir
    Path tmp;

    @Test
    void shouldMatchZeekConnLogFieldByFieldWhenRunningVendoredCases() throws Exception {
        ConformanceReport report = new ConformanceReport();
        ConformanceReport pending = new ConformanceReport();
        for (String name : CASES) {
            ZeekCase zc = ZeekCase.load(name);
            Path out = tmp.resolve(name);
            Engine.run(zc.config(out), ProgressListener.NONE);
            for (String file : zc.expectedFiles()) {
                if (!file.startsWith("conn.log")) {
                    continue;
                }
                Path actual = out.resolve("default").resolve("conn.log");
                ZeekLog act = Files.exists(actual) ? ZeekLog.read(actual)
                        : new ZeekLog(List.of(), List.of());
                ZeekLog exp = ZeekLog.read(zc.expected(file));
                (NOT_YET.contains(name) ? pending : report).compare(name, file, exp, act, ConnConformanceTest::excuse);
            }
        }
        System.out.println("conn.log conformance (Zeek's own test cases):");
        System.out.println(report.table());
        if (!NOT_YET.isEmpty()) {
            System.out.println("Not yet asserted:");
            System.out.println(pending.table());
        }
        assertThat(report.mismatches).as(report.table()).isEmpty();
    }

    /** A differing cell is excused only when it needs a protocol analyzer that is not built yet. */
    static String excuse(String caseName, String column, String expected, String actual) {
        if (column.equals("service") && actual.equals("-") && !expected.equals("-")) {
            return "service '" + expected + "' needs its protocol analyzer (protocol analyzers issue)";
        }
        return null;
    }
}
