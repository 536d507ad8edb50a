package io.picket.cli;

import io.picket.engine.RunSummary;
import io.picket.engine.TenantStats;
import java.io.PrintStream;

/** The per-tenant summary table printed at the end of a run. */
final class Summary {
    private Summary() {
    }

    static void print(RunSummary s, PrintStream out) {
        out.println();
        out.printf("%-16s %12s %14s %12s %10s %8s%n", "tenant", "packets", "bytes", "connections", "log lines",
                "weirds");
        for (TenantStats t : s.tenants()) {
            out.printf("%-16s %,12d %,14d %,12d %,10d %,8d%n", t.tenant, t.packets, t.bytes, t.connections,
                    s.logLines().getOrDefault(t.tenant, 0L), t.weirds);
        }
        for (TenantStats t : s.tenants()) {
            if (t.policyReloads + t.policyReloadsRejected + t.quarantines + t.analyzerFailures + t.policyFailures > 0) {
                out.printf("%-16s policy reloads %,d (rejected %,d); failures: analyzers %,d, policy %,d %s; "
                        + "quarantines %,d, restarts %,d%n", t.tenant, t.policyReloads, t.policyReloadsRejected,
                        t.analyzerFailures, t.policyFailures, t.componentFailures, t.quarantines, t.restarts);
            }
        }
        out.printf("%-16s %,12d %,14d%n", "(unassigned)", s.unassignedPackets(), s.unassignedBytes());
        out.printf("%-16s %,12d %,14d   in %.2f s%n", "total", s.packets(), s.bytes(), s.wallSeconds());
        out.println("logs: " + s.logDir().toAbsolutePath() + "/<tenant>/");
        for (String p : s.placement()) {
            out.println("placement: " + p);
        }
    }
}
