package io.picket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyReloadOptionTest {

    @TempDir
    Path tmp;

    private static int picket(ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new CommandLine(new PicketCommand()).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void shouldRunWithAndWithoutWatchingWhenPolicyFolderIsGiven() throws Exception {
        Path trace = tmp.resolve("t.pcap");
        try (var in = PolicyReloadOptionTest.class.getResourceAsStream("/zeek/tcp-rej-pop3/trace.pcap")) {
            Files.copy(in, trace);
        }
        Path sigs = tmp.resolve("policy/default/signatures");
        Files.createDirectories(sigs);
        Files.writeString(sigs.resolve("a.sig"), "signature s { payload /.*USER/\n event \"user\" }\n");
        for (String flag : new String[] {"--uid-seed", "--no-policy-reload"}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] args = flag.equals("--uid-seed")
                    ? new String[] {"run", "-r", trace.toString(), "--logs", tmp.resolve("l1").toString(), "--policy",
                        tmp.resolve("policy").toString(), "--uid-seed", "1", "--workers", "1"}
                    : new String[] {"run", "-r", trace.toString(), "--logs", tmp.resolve("l2").toString(), "--policy",
                        tmp.resolve("policy").toString(), "--uid-seed", "1", "--workers", "1", "--no-policy-reload"};
            assertThat(picket(err, args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        }
        assertThat(Files.readAllLines(tmp.resolve("l2/default/conn.log")).stream().filter(l -> !l.startsWith("#o")
                && !l.startsWith("#c")).toList())
                .isEqualTo(Files.readAllLines(tmp.resolve("l1/default/conn.log")).stream()
                        .filter(l -> !l.startsWith("#o") && !l.startsWith("#c")).toList());
    }
}
