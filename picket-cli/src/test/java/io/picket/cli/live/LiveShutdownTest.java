package io.picket.cli.live;

import io.picket.capture.afpacket.TestNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM while the link is idle: the capture stops, exits 0, and every tenant's
 * logs are closed with their {@code #close} line and hold the connections that were still open.
 * Nothing in the demo reaches an inactivity or close timeout within the second the capture
 * runs, so every conn.log row is one flushed at shutdown.
 */
class LiveShutdownTest {
    private static TestNetwork net;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void createNetwork() {
        net = TestNetwork.create();
    }

    @AfterAll
    static void deleteNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void shouldCloseEveryTenantsLogsWhenInterruptedWhileIdle() throws Exception {
        assertFlushedOnSignal("INT");
    }

    @Test
    void shouldCloseEveryTenantsLogsWhenTerminatedWhileIdle() throws Exception {
        assertFlushedOnSignal("TERM");
    }

    private void assertFlushedOnSignal(String signal) throws Exception {
        DemoReference ref = DemoReference.get();

        LiveReplay r = LiveReplay.run(net, ref, dir, "live-sig" + signal.toLowerCase(Locale.ROOT), List.of(), signal,
                LiveShutdownTest::assertNothingClosedYet);

        SoftAssertions.assertSoftly(s -> {
            LiveAssertions.assertCleanRun(s, r, ref, 1);
            int files = 0;
            int rows = 0;
            for (String tenant : ZeekLogs.tenants(r.logs())) {
                Path tenantDir = r.logs().resolve(tenant);
                s.assertThat(tenantDir.resolve("conn.log")).as(tenant + "/conn.log").exists();
                for (String log : ZeekLogs.logFiles(tenantDir)) {
                    s.assertThat(ZeekLogs.lastLine(tenantDir.resolve(log))).as(tenant + "/" + log + " last line")
                            .startsWith("#close\t");
                    files++;
                    if (log.equals("conn.log")) {
                        rows += ZeekLogs.rows(tenantDir.resolve(log)).size();
                    }
                }
            }
            // TCP connections that never saw FIN or RST (S1) leave the table at shutdown only.
            Path acme = r.logs().resolve("acme/conn.log");
            if (Files.exists(acme)) {
                s.assertThat(ZeekLogs.rows(acme)).as("acme's HTTP connections still open at the signal")
                        .filteredOn(row -> "S1".equals(row.get("conn_state"))).hasSize(8);
            }
            LiveAssertions.assertSameAsOffline(s, r, ref);
            System.out.printf("[SIG%s] %d log files end with #close, %d conn.log rows written at shutdown%n", signal,
                    files, rows);
        });
    }

    /**
     * While capturing, no log file is closed yet, and no conn.log row is written: nothing was
     * removed from the connection table before the signal (whatever a writer buffers).
     */
    private static void assertNothingClosedYet(Path logs) {
        int open = 0;
        if (Files.isDirectory(logs)) {
            for (String tenant : ZeekLogs.tenants(logs)) {
                for (String log : ZeekLogs.logFiles(logs.resolve(tenant))) {
                    Path file = logs.resolve(tenant).resolve(log);
                    assertThat(ZeekLogs.hasCloseLine(file)).as(tenant + "/" + log + " closed before the signal").isFalse();
                    if (log.equals("conn.log")) {
                        assertThat(ZeekLogs.rows(file)).as(tenant + "/conn.log rows before the signal").isEmpty();
                    }
                    open++;
                }
            }
        }
        System.out.printf("[%s] before the signal: %d log files on disk, none closed, no conn.log row%n",
                logs.getFileName(), open);
    }
}
