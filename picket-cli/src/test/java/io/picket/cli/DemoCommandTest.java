package io.picket.cli;

import static io.picket.cli.CliRun.picket;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picket demo}, the README's first command: every tenant gets its protocol logs, acme's
 * policy bundle adds signatures, intel and notices (one of its own), umbrella's log filters drop
 * rows acme keeps from the same traffic, and the network sink receives acme's records.
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void shouldShowEveryTenantsLogsAndWhatEachPolicyAddsWhenTheDemoRuns() throws Exception {
        Result r = picket("demo", "--out", tmp.toString());

        assertThat(r.status()).as(r.err()).isZero();
        Path logs = tmp.resolve("logs");
        assertThat(logs.resolve("acme")).isDirectoryContaining("glob:**/http.log").isDirectoryContaining("glob:**/dns.log")
                .isDirectoryContaining("glob:**/signatures.log").isDirectoryContaining("glob:**/intel.log")
                .isDirectoryContaining("glob:**/notice.log");
        assertThat(logs.resolve("globex")).isDirectoryContaining("glob:**/ssh.log").isDirectoryContaining("glob:**/ssl.log")
                .isDirectoryContaining("glob:**/x509.log");
        assertThat(logs.resolve("umbrella")).isDirectoryNotContaining("glob:**/notice.log");
        List<String> notices = rows(logs.resolve("acme/notice.log"));
        assertThat(notices).anyMatch(l -> l.contains("\tIntel::Notice\t"))
                .anyMatch(l -> l.contains("\tSignatures::Sensitive_Signature\t"))
                .anyMatch(l -> l.contains("\tDemo::Large_Response\tlarge response from 208.80.152.3\t"));
        assertThat(rows(logs.resolve("acme/dns.log"))).anyMatch(l -> l.contains("\tAAAA\t"));
        assertThat(rows(logs.resolve("umbrella/dns.log"))).noneMatch(l -> l.contains("\tAAAA\t"))
                .hasSizeLessThan(rows(logs.resolve("acme/dns.log")).size());
        assertThat(Files.readAllLines(logs.resolve("umbrella/conn.log"))).filteredOn(l -> l.startsWith("#fields"))
                .singleElement().asString().doesNotContain("community_id");
        assertThat(r.out()).contains("umbrella         log filters:").contains("network sink: the collector received");
    }

    private static List<String> rows(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> !l.startsWith("#")).toList();
    }
}
