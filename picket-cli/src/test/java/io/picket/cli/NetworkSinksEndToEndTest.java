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
            PrintStreamCapture out = PrintStreamCapture.start();
            int status;
            try {
                status = new CommandLine(new PicketCommand()).execute("run", "-r", demo.pcap().toString(), "--logs",
                        logs.toString(), "--tenants", tenants.toString(), "--workers", "1");
            } finally {
                out.stop();
            }
            assertThat(status).as(out.err()).isZero();
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
        PrintStreamCapture out = PrintStreamCapture.start();
        int status;
        try {
            status = new CommandLine(new PicketCommand()).execute("run", "-r", demo.pcap().toString(), "--logs",
                    tmp.resolve("l").toString(), "--tenants", tenants.toString());
        } finally {
            out.stop();
        }
        assertThat(status).isEqualTo(2);
        assertThat(out.err()).contains("carrier-pigeon");
        assertThat(List.of(out.err().split("\\n"))).noneMatch(l -> l.contains("Exception"));
    }
}
