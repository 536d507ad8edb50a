package io.picket.tenant;

/**
 * Resource quotas of one tenant from {@code tenants.yaml}; {@link #UNLIMITED} where absent.
 *
 * @param maxFlows           concurrent tracked connections of the tenant over all shards, or -1
 * @param maxReassemblyBytes bytes of out-of-order TCP data the tenant's connections may hold
 *                           buffered over all shards, or -1
 */
public record TenantLimits(long maxFlows, long maxReassemblyBytes) {
    /** No limit on a resource. */
    public static final long UNLIMITED = -1;
    /** Today's behaviour: nothing limited. */
    public static final TenantLimits NONE = new TenantLimits(UNLIMITED, UNLIMITED);

    /** Rejects negative limits other than {@link #UNLIMITED}. */
    public TenantLimits {
        if (maxFlows < UNLIMITED || maxReassemblyBytes < UNLIMITED) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    public boolean limitsFlows() {
        return maxFlows != UNLIMITED;
    }

    public boolean limitsReassembly() {
        return maxReassemblyBytes != UNLIMITED;
    }
}
