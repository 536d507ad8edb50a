package io.picket.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.demo.DemoCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * Assertions shared by the live tests, a live run against the offline reference. They are soft
 * (collected in the caller's {@link SoftAssertions}) so one run reports every difference at once.
 * Test helper; stateless.
 */
final class LiveAssertions {
    private LiveAssertions() {
    }

    /**
     * Exit status 0, every frame sent, counted on the link and by the sockets (one
     * "kernel received N, dropped D" line each), none dropped by the kernel.
     */
    static void assertCleanRun(SoftAssertions s, LiveReplay r, DemoReference ref, int sockets) {
        String outputs = "\nstdout:\n" + r.process().stdout() + "\nstderr:\n" + r.process().stderr();
        s.assertThat(r.exitStatus()).as("exit status after the signal" + outputs).isZero();
        s.assertThat(r.framesSent()).as("frames sent").isEqualTo(ref.demo.totalPackets());
        s.assertThat(r.framesOnLink()).as("frames vb received").isEqualTo(r.framesSent());
        List<long[]> kernel = ZeekLogs.kernelCounters(r.process().stderr());
        s.assertThat(kernel).as("'kernel received N, dropped D' lines, one per socket" + outputs).hasSize(sockets);
        s.assertThat(kernel.stream().mapToLong(k -> k[0]).sum()).as("frames the sockets received" + outputs)
                .isEqualTo(r.framesSent());
        s.assertThat(kernel).as("kernel drops" + outputs).allSatisfy(k -> assertThat(k[1]).isZero());
    }

    /**
     * The live logs equal the offline reference: the same tenant folders, the same log files
     * per tenant, conn.log rows equal as multisets except ts, uid and duration (the other logs'
     * rows except their time, interval and uid columns), the unassigned VLAN's addresses in no
     * log, and the same packet counts in the summary table.
     */
    static void assertSameAsOffline(SoftAssertions s, LiveReplay r, DemoReference ref) {
        Path live = r.logs();
        Set<String> demoTenants = ref.demo.tenants().stream().map(DemoCapture.Tenant::id)
                .collect(Collectors.toCollection(TreeSet::new));
        s.assertThat(ZeekLogs.tenants(ref.offlineLogs)).as("offline tenant folders").isEqualTo(demoTenants);
        s.assertThat(ZeekLogs.tenants(live)).as("live tenant folders").isEqualTo(demoTenants);
        int connRows = 0;
        int otherRows = 0;
        for (String tenant : ZeekLogs.tenants(live)) {
            Path liveDir = live.resolve(tenant);
            Path offlineDir = ref.offlineLogs.resolve(tenant);
            Set<String> liveLogs = ZeekLogs.logFiles(liveDir);
            for (String log : liveLogs) {
                for (Map<String, String> row : ZeekLogs.rows(liveDir.resolve(log))) {
                    s.assertThat(row.values()).as(tenant + "/" + log + " row of unassigned traffic: " + row)
                            .doesNotContainAnyElementsOf(ref.unassignedAddresses);
                }
            }
            if (!Files.isDirectory(offlineDir)) {
                continue; // reported above
            }
            s.assertThat(liveLogs).as(tenant + " log files").isEqualTo(ZeekLogs.logFiles(offlineDir));
            for (String log : liveLogs) {
                Path liveLog = liveDir.resolve(log);
                Path offlineLog = offlineDir.resolve(log);
                if (!Files.exists(offlineLog)) {
                    continue; // reported above
                }
                Set<String> ignored = ZeekLogs.timeAndUidColumns(liveLog);
                if (log.equals("conn.log")) {
                    s.assertThat(ignored).as("conn.log time and uid columns")
                            .containsExactlyInAnyOrderElementsOf(ZeekLogs.CONN_TIME_AND_UID);
                    ignored = ZeekLogs.CONN_TIME_AND_UID;
                }
                List<String> liveRows = ZeekLogs.rowsWithout(liveLog, ignored);
                s.assertThat(liveRows).as(tenant + "/" + log + " rows (" + ignored + " aside), live vs offline")
                        .isNotEmpty().containsExactlyInAnyOrderElementsOf(ZeekLogs.rowsWithout(offlineLog, ignored));
                if (log.equals("conn.log")) {
                    connRows += liveRows.size();
                } else {
                    otherRows += liveRows.size();
                }
            }
        }
        Map<String, Long> offlineSummary = ZeekLogs.summaryPackets(ref.offlineStdout);
        Map<String, Long> liveSummary = ZeekLogs.summaryPackets(r.process().stdout());
        s.assertThat(offlineSummary).as("offline summary table").containsKeys("(unassigned)", "total")
                .containsEntry("(unassigned)", ref.demo.unassignedPackets());
        s.assertThat(liveSummary).as("live summary table packets\nstdout:\n" + r.process().stdout())
                .isEqualTo(offlineSummary);
        System.out.printf("[%s] rows compared with offline: conn.log %d, other logs %d, over %d tenants; "
                + "summary packets %s%n", live.getFileName(), connRows, otherRows, demoTenants.size(), liveSummary);
    }
}
