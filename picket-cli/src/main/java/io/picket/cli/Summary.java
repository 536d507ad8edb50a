package io.picket.cli;

import io.picket.engine.RunSummary;
import io.picket.engine.TenantStats;
import java.io.PrintStream;

/** The per-tenant summary table printed at the end of a run. */
final class Summary {
    private Summary() {
    }

    /** The tenant's drops by cause, a line per kind of limit it hit (nothing if none). */
    static void dropsByCause(TenantStats t, PrintStream out) {
        if (t.flowQuotaDrops + t.reassemblyQuotaDrops > 0) {
            out.printf("%-16s drops by cause: flow_quota %,d packets; reassembly_quota %,d segments (%,d bytes,"
                    + " become content gaps)%n", t.tenant, t.flowQuotaDrops, t.reassemblyQuotaDrops,
                    t.reassemblyQuotaBytes);
        }
        if (t.queueFullDrops + t.queueQuotaDrops > 0) {
            out.printf("%-16s drops by cause: queue_full %,d frames; queue_quota %,d frames (max_queue_slots)%n",
                    t.tenant, t.queueFullDrops, t.queueQuotaDrops);
        }
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
            if (t.filters.kept() + t.filters.dropped() + t.filters.errors() > 0) {
                out.printf("%-16s log filters: %,d kept, %,d dropped, %,d evaluation errors (records kept)%n",
                        t.tenant, t.filters.kept(), t.filters.dropped(), t.filters.errors());
            }
            if (t.noticeErrors > 0) {
                out.printf("%-16s notices: %,d evaluation errors of tenant-defined notices (records unaffected)%n",
                        t.tenant, t.noticeErrors);
            }
            dropsByCause(t, out);
            if (t.signatureDfaRefusals > 0) {
                out.printf("%-16s signatures: DFA state budget spent (%,d states built); %,d transitions refused, "
                        + "%,d inputs matched without the cache (slower, same results)%n", t.tenant,
                        t.signatureDfaStates, t.signatureDfaRefusals, t.signatureDfaSpills);
            }
            StringBuilder line = new StringBuilder();
            if (t.policyReloads + t.policyReloadsRejected > 0) {
                line.append(String.format("policy reloads %,d (rejected %,d)", t.policyReloads,
                        t.policyReloadsRejected));
            }
            if (t.analyzerFailures + t.policyFailures > 0) {
                line.append(line.isEmpty() ? "" : "; ").append(String.format(
                        "failures %s (analyzers %,d, policy %,d), quarantines %,d, restarts %,d", t.componentFailures,
                        t.analyzerFailures, t.policyFailures, t.quarantines, t.restarts));
            }
            if (!line.isEmpty()) {
                out.printf("%-16s %s%n", t.tenant, line);
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
