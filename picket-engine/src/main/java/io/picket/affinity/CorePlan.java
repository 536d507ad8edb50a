package io.picket.affinity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which CPUs each Picket thread role is pinned to, from the tenants' placements
 * ({@code dedicated: [cores]} or {@code shared}, the default) and the optional
 * {@code capture_cores}:
 *
 * <ul>
 *   <li>a dedicated tenant's shards run on its cores — shard {@code i} on the
 *       {@code i % n}-th of its {@code n} cores ({@link #forShard});
 *   <li>every other tenant, listed as shared or not listed at all, runs in the shared pool: the
 *       available CPUs minus all dedicated cores minus the capture cores ({@link #sharedPool});
 *       a shared shard may run on any pool CPU, so a busy tenant can burst into its neighbours'
 *       idle time;
 *   <li>capture threads run on {@code capture_cores}, or in the shared pool if none are given
 *       ({@link #capture}).
 * </ul>
 *
 * <p>{@link #of} rejects a dedicated core claimed by two tenants, a core this process cannot use,
 * capture cores overlapping dedicated ones, and an empty shared pool: the pool is where the log
 * writers, timers and shared tenants run, and without it they would land on dedicated cores.
 * Immutable; built at startup (or reload) and read by the threads that pin themselves with
 * {@link Affinity#pinCurrentThread}.
 *
 * <h2>Dedicated or shared: the cache trade-off</h2>
 *
 * <p>A shard's working set is its flow table, TCP reassembly buffers and analyzer state; a packet
 * is cheap when that state is still in the core's L1/L2 caches and several times dearer when it
 * must come from L3 or memory.
 *
 * <ul>
 *   <li><b>Dedicated</b>: no other Picket thread runs on the tenant's cores, so nothing evicts
 *       its flow state — each shard keeps one core and warm L1/L2, and per-packet cost stays
 *       flat whatever the other tenants do. The price: idle cycles cannot be lent. A quiet
 *       dedicated tenant leaves its cores idle while the shared pool is saturated, and a
 *       dedicated tenant cannot go past its own cores at its peak, so size it for its peak.
 *   <li><b>Shared</b>: the pool's capacity goes where the traffic is, so a bursting tenant can use
 *       every pool core. The price: shards of different tenants take turns on the same cores,
 *       and each turn evicts the other tenant's flow state from L1/L2 (noisy neighbours). Under
 *       load every shared tenant pays for the others' cache misses, and one tenant's flood slows
 *       all of them.
 * </ul>
 *
 * <p>Limits of dedication. L3 and memory bandwidth stay shared by every core of a socket, so a
 * flood elsewhere still costs a dedicated tenant some L3 misses (partitioning L3 needs Intel
 * CAT / resctrl, outside Picket). SMT siblings (hyperthreads) share one core's L1/L2: list both
 * siblings of each physical core ({@code /sys/devices/system/cpu/cpuN/topology/thread_siblings_list}),
 * or a pool thread on the sibling still evicts the tenant's state. Picket keeps only its own
 * threads off dedicated cores; the JVM's GC and JIT threads, other processes and interrupts
 * still run there unless the host isolates those cores ({@code isolcpus}, cgroup cpusets, IRQ
 * affinity).
 *
 * <p>Capture cores. A capture thread touches every packet once and hands it to a shard. Pinning
 * it apart keeps its ring walking from competing with shards for cycles and L1/L2; put it on the
 * NIC's NUMA node, near its interrupts and on the same socket as the shards, so the hand-off
 * stays in L3.
 */
public final class CorePlan {
    private final List<TenantPlacement> placements;
    private final Map<String, CpuSet> dedicated;
    private final CpuSet sharedPool;
    private final CpuSet capture;
    private final CpuSet captureCores;
    private final CpuSet available;

    private CorePlan(List<TenantPlacement> placements, Map<String, CpuSet> dedicated, CpuSet sharedPool,
            CpuSet captureCores, CpuSet available) {
        this.placements = List.copyOf(placements);
        this.dedicated = dedicated;
        this.sharedPool = sharedPool;
        this.captureCores = captureCores;
        this.capture = captureCores.isEmpty() ? sharedPool : captureCores;
        this.available = available;
    }

    /** {@link #of(List, CpuSet, CpuSet)} on the CPUs this process may use ({@link Affinity#available()}). */
    public static CorePlan of(List<TenantPlacement> placements, CpuSet captureCores) throws CorePlanException {
        return of(placements, captureCores, Affinity.available());
    }

    /**
     * Checks {@code placements} and computes the plan.
     *
     * @param placements one per tenant at most; tenants not listed are shared
     * @param captureCores the cores for capture threads; null or empty puts capture in the pool
     * @param available the CPUs this process may use
     * @throws CorePlanException listing every problem, each naming its tenant
     */
    public static CorePlan of(List<TenantPlacement> placements, CpuSet captureCores, CpuSet available)
            throws CorePlanException {
        Objects.requireNonNull(placements, "placements");
        Objects.requireNonNull(available, "available");
        CpuSet capture = captureCores == null ? CpuSet.empty() : captureCores;
        List<String> problems = new ArrayList<>();
        if (available.isEmpty()) {
            problems.add("no CPU is available to this process");
        }
        String machine = " not available on this machine (available: " + show(available) + ")";
        CpuSet captureMissing = capture.minus(available);
        if (!captureMissing.isEmpty()) {
            problems.add("capture_cores: " + cores(captureMissing) + machine);
        }
        Map<String, CpuSet> dedicated = new LinkedHashMap<>();
        List<String> shared = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (TenantPlacement p : placements) {
            String tenant = "tenant " + p.tenant() + ": ";
            if (p.tenant().isBlank()) {
                problems.add("a placement has an empty tenant id");
                continue;
            }
            if (seen.contains(p.tenant())) {
                problems.add(tenant + "placed more than once");
                continue;
            }
            seen.add(p.tenant());
            if (!p.dedicated()) {
                if (!p.cores().isEmpty()) {
                    problems.add(tenant + "shared tenants take no cores of their own (got " + p.cores()
                            + "); make it dedicated or drop the cores");
                }
                shared.add(p.tenant());
                continue;
            }
            if (p.cores().isEmpty()) {
                problems.add(tenant + "dedicated needs at least one core");
                continue;
            }
            CpuSet missing = p.cores().minus(available);
            if (!missing.isEmpty()) {
                problems.add(tenant + "dedicated " + cores(missing) + machine);
            }
            for (Map.Entry<String, CpuSet> other : dedicated.entrySet()) {
                CpuSet both = p.cores().intersection(other.getValue());
                if (!both.isEmpty()) {
                    problems.add(tenant + "dedicated " + cores(both) + " already dedicated to tenant " + other.getKey());
                }
            }
            CpuSet alsoCapture = p.cores().intersection(capture);
            if (!alsoCapture.isEmpty()) {
                problems.add(tenant + "dedicated " + cores(alsoCapture) + " also in capture_cores (" + capture + ")");
            }
            dedicated.put(p.tenant(), p.cores());
        }
        CpuSet allDedicated = CpuSet.empty();
        for (CpuSet c : dedicated.values()) {
            allDedicated = allDedicated.union(c);
        }
        CpuSet pool = available.minus(allDedicated).minus(capture);
        if (pool.isEmpty() && !available.isEmpty()) {
            problems.add("shared pool is empty: available " + show(available) + " minus dedicated "
                    + show(allDedicated) + " (tenants " + String.join(", ", dedicated.keySet())
                    + ") minus capture_cores " + show(capture) + " leaves no core for "
                    + (shared.isEmpty() ? "" : "shared tenants " + String.join(", ", shared) + ", ")
                    + "unlisted tenants, log writers and timers");
        }
        if (!problems.isEmpty()) {
            throw new CorePlanException(problems);
        }
        return new CorePlan(placements, Map.copyOf(dedicated), pool, capture, available);
    }

    private static String cores(CpuSet s) {
        return (s.size() == 1 ? "core " : "cores ") + s;
    }

    private static String show(CpuSet s) {
        return s.isEmpty() ? "(none)" : s.toString();
    }

    /** The CPUs {@code tenant}'s shards may run on: its dedicated cores, else the shared pool. */
    public CpuSet forTenant(String tenant) {
        return dedicated.getOrDefault(tenant, sharedPool);
    }

    /**
     * The CPUs shard {@code shard} of {@code tenant} pins itself to: one dedicated core (the
     * {@code shard % n}-th of the tenant's {@code n} cores, so the shard keeps its caches) or the
     * whole shared pool.
     *
     * @throws IllegalArgumentException if {@code shard} is negative
     */
    public CpuSet forShard(String tenant, int shard) {
        if (shard < 0) {
            throw new IllegalArgumentException("shard " + shard + " of tenant " + tenant + " is negative");
        }
        CpuSet cores = dedicated.get(tenant);
        return cores == null ? sharedPool : CpuSet.of(cores.nth(shard % cores.size()));
    }

    /** Whether {@code tenant} has dedicated cores. */
    public boolean isDedicated(String tenant) {
        return dedicated.containsKey(tenant);
    }

    /** The available CPUs minus all dedicated and capture cores; never empty. */
    public CpuSet sharedPool() {
        return sharedPool;
    }

    /** The CPUs capture threads pin themselves to: {@code capture_cores}, or the shared pool. */
    public CpuSet capture() {
        return capture;
    }

    /** The CPUs the plan was made for. */
    public CpuSet available() {
        return available;
    }

    /** The placements as given. */
    public List<TenantPlacement> placements() {
        return placements;
    }

    /** One line per role, for the startup log: {@code dedicated acme 2-3; shared pool 0,4-7; capture 1}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        dedicated.keySet().stream().sorted().forEach(
                t -> sb.append("dedicated ").append(t).append(' ').append(dedicated.get(t)).append("; "));
        sb.append("shared pool ").append(sharedPool).append("; capture ").append(capture);
        if (captureCores.isEmpty()) {
            sb.append(" (shared pool)");
        }
        return sb.toString();
    }
}
