package io.picket.cli.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.picket.cli.PicketCommand;
import io.picket.cli.demo.DemoCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The kill-and-restart fault test. Picket runs as a child process over the demo capture, tenant
 * acme shipping to an Elasticsearch-style {@code _bulk} receiver on loopback that answers 503,
 * so everything stays in the spool; once every acme row is in the spool the child is killed
 * with SIGKILL while its sink is still retrying. The receiver then answers 200 and Picket starts
 * again with the same log folder and tenants.yaml on an empty capture (no new records): every
 * record of the first run must arrive, counted by its stable record id ({@code _id}), and a
 * third start must send nothing again.
 */
class CrashRestartTest {
    /** Spool segment header: "PKSG", version, base sequence. */
    private static final int SEGMENT_HEADER = 16;
    /** Spool record header: u32 length, u32 CRC32C. */
    private static final int RECORD_HEADER = 8;
    private static final Pattern ID = Pattern.compile("\"_id\":\"([^\"]+)\"");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /** A {@code _bulk} endpoint that answers 503 while down and records every {@code _id} while up. */
    static final class BulkReceiver implements AutoCloseable {
        final HttpServer server;
        volatile boolean up;
        final AtomicLong refused = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final Map<String, Integer> ids = new ConcurrentHashMap<>();

        BulkReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                if (!up) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                Matcher m = ID.matcher(new String(body, StandardCharsets.UTF_8));
                while (m.find()) {
                    accepted.incrementAndGet();
                    ids.merge(m.group(1), 1, Integer::sum);
                }
                byte[] resp = "{\"took\":1,\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, resp.length);
                exchange.getResponseBody().write(resp);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Whole records in the spool segments of one tenant sink (what survives a SIGKILL). */
    static long spooledRecords(Path sinkDir) throws IOException {
        if (!Files.isDirectory(sinkDir)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(sinkDir)) {
            for (Path seg : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(seg)).order(ByteOrder.BIG_ENDIAN);
                int pos = SEGMENT_HEADER;
                while (pos + RECORD_HEADER <= b.limit()) {
                    int len = b.getInt(pos);
                    if (len <= 0 || pos + RECORD_HEADER + (long) len > b.limit()) {
                        break;
                    }
                    n++;
                    pos += RECORD_HEADER + len;
                }
            }
        }
        return n;
    }

    /** Rows of a tenant's local TSV logs, or -1 while one of them has no #close footer yet. */
    static long closedRows(Path tenantDir) throws IOException {
        if (!Files.isDirectory(tenantDir)) {
            return -1;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(tenantDir)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            if (logs.isEmpty()) {
                return -1;
            }
            for (Path f : logs) {
                List<String> lines = Files.readAllLines(f);
                if (lines.stream().noneMatch(l -> l.startsWith("#close"))) {
                    return -1;
                }
                n += lines.stream().filter(l -> !l.startsWith("#")).count();
            }
        }
        return n;
    }

    /** A pcap with a global header and no packets (little-endian, Ethernet). */
    static Path emptyPcap(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4); // magic, microsecond timestamps
        b.putShort((short) 2).putShort((short) 4); // version 2.4
        b.putInt(0); // thiszone
        b.putInt(0); // sigfigs
        b.putInt(DemoCapture.SNAPLEN); // snaplen
        b.putInt(1); // linktype: Ethernet
        return Files.write(file, b.array());
    }

    /** {@code picket run} in this JVM; returns the exit status, printing stderr when it is not 0. */
    static int runInProcess(Path pcap, Path logs, Path tenants) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int status;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = new CommandLine(new PicketCommand()).execute("run", "-r", pcap.toString(), "--logs",
                    logs.toString(), "--tenants", tenants.toString(), "--workers", "1");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        if (status != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return status;
    }

    @Test
    void shouldDeliverEverySpooledRecordAfterAKillWhenPicketStartsAgain() throws Exception {
        long t0 = System.nanoTime();
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo"));
        try (BulkReceiver receiver = new BulkReceiver()) {
            Path tenants = tmp.resolve("tenants.yaml");
            Files.writeString(tenants, """
                    tenants:
                      - id: acme
                        vlans: [1000]
                        sinks:
                          - name: es
                            type: http
                            api: elasticsearch
                            url: '%s'
                            close_timeout: 30s
                            batch: {linger: 20ms}
                            retry: {initial_backoff: 50ms, max_backoff: 200ms}
                      - id: globex
                        vlans: [1001]
                    """.formatted(receiver.url()));
            Path logs = tmp.resolve("logs");
            Path spool = logs.resolve(".spool").resolve("acme").resolve("es");

            // Run 1: a child JVM, receiver down, killed once every acme row is in the spool.
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path childOut = tmp.resolve("child.out");
            Path childErr = tmp.resolve("child.err");
            Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    PicketCommand.class.getName(), "run", "-r", demo.pcap().toString(), "--logs", logs.toString(),
                    "--tenants", tenants.toString(), "--workers", "1")
                    .redirectOutput(childOut.toFile()).redirectError(childErr.toFile()).start();
            long rows1 = -1;
            long spooled = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            try {
                while (System.nanoTime() < deadline && child.isAlive()) {
                    rows1 = closedRows(logs.resolve("acme"));
                    spooled = spooledRecords(spool);
                    // kill only once the sink has tried (and been refused) at least once
                    if (rows1 > 0 && spooled >= rows1 && receiver.refused.get() > 0) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(child.isAlive()).as("child still delivering (close_timeout) when killed; stderr: %s",
                        Files.readString(childErr)).isTrue();
            } finally {
                long pid = child.pid();
                child.destroyForcibly(); // SIGKILL on Linux
                child.waitFor(10, TimeUnit.SECONDS);
                System.out.printf("crash test: child %d killed after %d ms, exit %d%n", pid,
                        (System.nanoTime() - t0) / 1_000_000, child.exitValue());
            }
            assertThat(rows1).as("acme's local logs closed before the kill").isGreaterThan(50);
            long spooledAtKill = spooledRecords(spool);
            assertThat(spooledAtKill).isEqualTo(rows1);
            assertThat(receiver.ids).isEmpty();
            long refusedRun1 = receiver.refused.get();
            assertThat(refusedRun1).as("the sink tried while the receiver was down").isPositive();

            // Run 2: receiver up, same log folder and tenants.yaml, a capture without packets.
            receiver.up = true;
            Path empty = emptyPcap(tmp.resolve("empty.pcap"));
            long tRun2 = System.nanoTime();
            assertThat(runInProcess(empty, logs, tenants)).isZero();
            long run2Ms = (System.nanoTime() - tRun2) / 1_000_000;

            Set<String> ids = receiver.ids.keySet();
            long duplicates = receiver.accepted.get() - ids.size();
            Set<String> spoolIds = new TreeSet<>();
            ids.forEach(id -> spoolIds.add(id.substring(0, id.lastIndexOf('-'))));
            List<Long> seqs = new ArrayList<>();
            ids.forEach(id -> seqs.add(Long.parseLong(id.substring(id.lastIndexOf('-') + 1))));
            System.out.printf("crash test: run-1 rows %d, spooled at kill %d, 503s %d; run 2 %d ms: received %d, "
                    + "unique ids %d, duplicates %d, spool ids %s, sequences %d..%d; total %d ms%n", rows1,
                    spooledAtKill, refusedRun1, run2Ms, receiver.accepted.get(), ids.size(), duplicates, spoolIds,
                    seqs.stream().mapToLong(Long::longValue).min().orElse(-1),
                    seqs.stream().mapToLong(Long::longValue).max().orElse(-1), (System.nanoTime() - t0) / 1_000_000);
            assertThat((long) ids.size()).as("every record of run 1 arrived").isGreaterThanOrEqualTo(rows1);
            assertThat((long) ids.size()).as("no records other than run 1's").isEqualTo(spooledAtKill);
            assertThat(spoolIds).as("ids come from the one recovered spool").hasSize(1);

            // Run 3: the acknowledgements of run 2 persisted, so nothing is sent again.
            long before = receiver.accepted.get();
            assertThat(runInProcess(empty, logs, tenants)).isZero();
            assertThat(receiver.accepted.get()).as("nothing redelivered after a clean stop").isEqualTo(before);
        }
    }
}
