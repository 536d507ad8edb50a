package io.picket.affinity;

import java.util.Objects;

/**
 * Where one tenant's shards run: {@code dedicated} to {@code cores} no other Picket thread uses,
 * or shared (the default) in the pool every shared tenant can burst into, with no cores of its
 * own. {@link CorePlan#of} checks the placements against each other and the machine.
 *
 * @param tenant the tenant id, as in {@code tenants.yaml}
 * @param dedicated whether the tenant has cores of its own
 * @param cores the tenant's cores when dedicated; empty when shared (null is read as empty)
 */
public record TenantPlacement(String tenant, boolean dedicated, CpuSet cores) {

    public TenantPlacement {
        Objects.requireNonNull(tenant, "tenant");
        cores = cores == null ? CpuSet.empty() : cores;
    }

    /** {@code tenant} with {@code cores} of its own. */
    public static TenantPlacement dedicated(String tenant, CpuSet cores) {
        return new TenantPlacement(tenant, true, cores);
    }

    /** {@code tenant} in the shared pool. */
    public static TenantPlacement shared(String tenant) {
        return new TenantPlacement(tenant, false, CpuSet.empty());
    }
}
