package io.picket.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.cli.PicketCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code picket run --control}: the server lives exactly as long as the run. */
class RunControlOptionTest {

    @TempDir
    Path tmp;

    private record Result(int status, String err) {
    }

    private static Result picket(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new PicketCommand()).execute(args);
            return new Result(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path trace() throws Exception {
        Path trace = tmp.resolve("t.pcap");
        try (var in = RunControlOptionTest.class.getResourceAsStream("/zeek/tcp-rej-pop3/trace.pcap")) {
            Files.copy(in, trace);
        }
        return trace;
    }

    @Test
    void shouldListenDuringRunAndStopAfterWhenControlIsGiven() throws Exception {
        Result r = picket("run", "-r", trace().toString(), "--logs", tmp.resolve("logs").toString(), "--workers", "1",
                "--control", "127.0.0.1:0");

        assertThat(r.status()).as(r.err()).isZero();
        Matcher m = Pattern.compile("control API: listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldExitWith2WhenControlAddressIsMalformed() throws Exception {
        Result r = picket("run", "-r", trace().toString(), "--logs", tmp.resolve("logs").toString(),
                "--control", "localhost:http");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("picket run: --control: port must be a number 0..65535, not 'http'");
        assertThat(tmp.resolve("logs")).doesNotExist();
    }

    @Test
    void shouldFailBeforeReadingWhenControlPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = picket("run", "-r", trace().toString(), "--logs", tmp.resolve("logs").toString(),
                    "--control", Integer.toString(taken.getLocalPort()));

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("picket run: --control 127.0.0.1:" + taken.getLocalPort()
                    + ": cannot listen: ");
            assertThat(tmp.resolve("logs/default/conn.log")).doesNotExist();
        }
    }
}
