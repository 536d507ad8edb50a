package io.picket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.demo.DemoCapture;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * From {@code picket run} to real receivers on loopback: tenant acme ships to an HTTP NDJSON
 * collector, tenant globex to a syslog receiver over TCP (RFC 6587 octet counting). Every record
 * written to a tenant's files must arrive at its destination, and nothing of another tenant.
 */
class NetworkSinksEndToEndTest {

    @TempDir
    Path tmp;

    /** Counts RFC 5424 messages framed with octet counting; one connection at a time. */
    static final class SyslogReceiver implements AutoCloseable {
        final ServerSocket server;
        final AtomicLong messages = new AtomicLong();
        final StringBuffer text = new StringBuffer();
        private final Thread thread;

        SyslogReceiver() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().daemon().start(this::serve);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); InputStream in = new BufferedInputStream(s.getInputStream())) {
                    while (true) {
                        int len = 0;
                        int c;
                        while ((c = in.read()) >= '0' && c <= '9') {
                            len = len * 10 + (c - '0');
                        }
                        if (c < 0) {
                            break;
                        }
                        byte[] msg = in.readNBytes(len);
                        if (msg.length < len) {
                            break;
                        }
                        messages.incrementAndGet();
                        text.append(new String(msg, StandardCharsets.UTF_8)).append('\n');
                    }
                } catch (IOException e) {
                    // connection closed; accept the next one
                }
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static long rows(Path tenantDir) throws IOException {
        return rows(tenantDir, ".log");
    }

    /** Rows of the tenant's log files whose names end with {@code suffix}. */
    private static long rows(Path tenantDir, String suffix) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(tenantDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                n += Files.readAllLines(f).stream().filter(l -> !l.startsWith("#")).count();
            }
        }
        return n;
    }

    @Test
    void shouldDeliverEveryRecordOfATenantToItsNetworkSinks() throws Exception {
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo"));
        try (DemoCollector http = DemoCollector.start(); SyslogReceiver syslog = new SyslogReceiver()) {
            Path tenants = tmp.resolve("tenants.yaml");
            Files.writeString(tenants, """
                    tenants:
                      - id: acme
                        vlans: [1000]
                        sinks:
                          - {name: collector, type: http, api: ndjson, url: '%s'}
                      - id: globex
                        vlans: [1001]
                        sinks:
                          - {name: siem, type: syslog, protocol: tcp, host: 127.0.0.1, port: %d, logs: [conn]}
                      - id: initech
                        vlans: [1002]
                        vlan_tag: inner
                    """.formatted(http.url(), syslog.port()));
            Path logs = tmp.resolve("logs");
            Run run = picket("run", "-r", demo.pcap().toString(),
                    "--logs", logs.toString(), "--tenants", tenants.toString(), "--workers", "1");
            assertThat(run.status()).as(run.err()).isZero();
            long acme = rows(logs.resolve("acme"));
            long globex = rows(logs.resolve("globex"), "conn.log");
            assertThat(acme).isGreaterThan(50);
            assertThat(globex).isGreaterThan(1);
            assertThat(http.records()).isEqualTo(acme);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (syslog.messages.get() < globex && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(syslog.messages.get()).isEqualTo(globex); // logs: [conn] ships conn.log only
            assertThat(rows(logs.resolve("globex"))).isGreaterThan(globex); // ssh/ssl/x509 stayed local
            assertThat(syslog.text.toString()).contains("tenant=\"globex\"").doesNotContain("tenant=\"acme\"");
        }
    }

    /** Data rows of every log file under {@code dir} whose name starts with {@code log} (gzip read through). */
    private static long rowsOf(Path dir, String log) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(log + ".")).toList()) {
                InputStream raw = Files.newInputStream(f);
                try (InputStream in = f.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw) : raw) {
                    n += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                            .filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
                }
            }
        }
        return n;
    }

    @Test
    void shouldWriteATenantsFileSinksInTheirOwnFormatFilterAndRotation() throws Exception {
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo3"));
        Path archive = tmp.resolve("archive");
        Path tenants = tmp.resolve("files.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                    sinks:
                      - {name: lake, type: file, dir: '%s', format: json, json_timestamps: iso8601, logs: [conn]}
                  - id: globex
                    vlans: [1001]
                    sinks:
                      - {name: cold, type: file, dir: cold, exclude_logs: [conn], rotate_size: 4KiB, compress: gzip}
                """.formatted(archive));
        Path logs = tmp.resolve("logs3");
        Run run = picket("run", "-r", demo.pcap().toString(),
                "--logs", logs.toString(), "--tenants", tenants.toString(), "--workers", "2");
        assertThat(run.status()).as(run.err()).isZero();
        // acme: conn.log only, as JSON with ISO 8601 times, same rows as its TSV conn.log
        try (Stream<Path> f = Files.list(archive.resolve("acme"))) {
            assertThat(f.map(p -> p.getFileName().toString()).toList()).containsExactly("conn.log");
        }
        List<String> json = Files.readAllLines(archive.resolve("acme/conn.log"));
        assertThat(json).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"ts\":\"20"));
        assertThat((long) json.size()).isEqualTo(rowsOf(logs.resolve("acme"), "conn"));
        assertThat(Files.exists(archive.resolve("globex"))).isFalse();
        // globex: relative dir under the log folder, everything but conn, rotated by size and gzipped
        Path cold = logs.resolve("cold/globex");
        try (Stream<Path> f = Files.list(cold)) {
            List<String> names = f.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.startsWith("conn."));
            assertThat(names).anyMatch(n -> n.endsWith(".log.gz"));
        }
        for (String log : List.of("ssh", "ssl", "x509")) {
            assertThat(rowsOf(cold, log)).as(log).isEqualTo(rowsOf(logs.resolve("globex"), log));
        }
        assertThat(Files.getPosixFilePermissions(cold).toString()).doesNotContain("OTHERS");
    }

    @Test
    void shouldRejectABadFileSinkWithEveryProblem() throws Exception {
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo4"));
        Path tenants = tmp.resolve("badfile.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                    sinks:
                      - {name: lake, type: file, format: xml, compress: gzip, colour: red}
                """);
        Run run = picket("run", "-r", demo.pcap().toString(),
                "--logs", tmp.resolve("l4").toString(), "--tenants", tenants.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("tenants[0].sinks[0].dir").contains("tenants[0].sinks[0].format")
                .contains("tenants[0].sinks[0].compress").contains("colour");
    }

    /** Exit status and standard error of one CLI call. */
    record Run(int status, String err) {
    }

    /** Runs the CLI with {@code args}, capturing its output. */
    static Run picket(String... args) {
        PrintStreamCapture out = PrintStreamCapture.start();
        try {
            int status = new CommandLine(new PicketCommand()).execute(args);
            return new Run(status, out.err());
        } finally {
            out.stop();
        }
    }

    /** Captures System.out/err around a CLI call. */
    static final class PrintStreamCapture {
        private final java.io.PrintStream oldOut = System.out;
        private final java.io.PrintStream oldErr = System.err;
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        static PrintStreamCapture start() {
            PrintStreamCapture c = new PrintStreamCapture();
            System.setOut(new java.io.PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(c.err, true, StandardCharsets.UTF_8));
            return c;
        }

        void stop() {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldRejectAnInvalidSinkWithAClearMessage() throws Exception {
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo2"));
        Path tenants = tmp.resolve("bad.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                    sinks:
                      - {name: x, type: carrier-pigeon}
                """);
        Run run = picket("run", "-r", demo.pcap().toString(),
                "--logs", tmp.resolve("l").toString(), "--tenants", tenants.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("carrier-pigeon");
        assertThat(List.of(run.err().split("\\n"))).noneMatch(l -> l.contains("Exception"));
    }
}
