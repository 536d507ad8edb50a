package io.picket.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run did: packets and bytes read, per-tenant counters and log lines, unassigned
 * traffic, warnings from the inputs and where the logs are, where each thread ran
 * ({@code placement}) and the CPU seconds each packet thread used ({@code threadCpuSeconds}, by
 * thread name: a shard's time is the cost of the tenants routed to it, independent of how busy
 * the rest of the machine is).
 */
public record RunSummary(long packets, long bytes, long unassignedPackets, long unassignedBytes,
        List<TenantStats> tenants, Map<String, Long> logLines, List<String> warnings, Path logDir,
        double wallSeconds, List<String> placement, Map<String, Double> threadCpuSeconds) {

    public RunSummary {
        placement = placement == null ? List.of() : List.copyOf(placement);
        threadCpuSeconds = threadCpuSeconds == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(threadCpuSeconds));
    }
}
