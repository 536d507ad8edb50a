package io.picket.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run did: packets and bytes read, per-tenant counters and log lines, unassigned
 * traffic, warnings from the inputs and where the logs are.
 */
public record RunSummary(long packets, long bytes, long unassignedPackets, long unassignedBytes,
        List<TenantStats> tenants, Map<String, Long> logLines, List<String> warnings, Path logDir,
        double wallSeconds, List<String> placement) {

    public RunSummary {
        placement = placement == null ? List.of() : List.copyOf(placement);
    }
}
