package io.picket.tenant;

/**
 * Resource quotas of one tenant from {@code tenants.yaml}; {@link #UNLIMITED} where absent.
 *
 * @param maxFlows           concurrent tracked connections of the tenant over all shards, or -1
 * @param maxReassemblyBytes bytes of out-of-order TCP data the tenant's connections may hold
 *                           buffered over all shards, or -1
 * @param maxQueueSlots      frames of the tenant waiting in any one shard's queue (live capture
 *                           with a hand-off, {@code --runmode autofp}), or -1
 * @param policy             what the tenant's policy bundle may hold and cost (signatures, DFA
 *                           states, intel entries, payload depth, filters, notices)
 */
public record TenantLimits(long maxFlows, long maxReassemblyBytes, long maxQueueSlots,
        io.picket.policy.Limits policy) {
    /** No limit on a resource. */
    public static final long UNLIMITED = -1;
    /** Today's behaviour: nothing limited. */
    public static final TenantLimits NONE = new TenantLimits(UNLIMITED, UNLIMITED, UNLIMITED,
            io.picket.policy.Limits.DEFAULT);

    /** Rejects negative limits other than {@link #UNLIMITED}. */
    public TenantLimits {
        if (maxFlows < UNLIMITED || maxReassemblyBytes < UNLIMITED || maxQueueSlots < UNLIMITED) {
            throw new IllegalArgumentException("negative limit");
        }
        if (policy == null) {
            policy = io.picket.policy.Limits.DEFAULT;
        }
    }

    /** Flow, reassembly and queue limits, the default policy limits. */
    public TenantLimits(long maxFlows, long maxReassemblyBytes, long maxQueueSlots) {
        this(maxFlows, maxReassemblyBytes, maxQueueSlots, io.picket.policy.Limits.DEFAULT);
    }

    /** Flow and reassembly limits, queue slots unlimited. */
    public TenantLimits(long maxFlows, long maxReassemblyBytes) {
        this(maxFlows, maxReassemblyBytes, UNLIMITED);
    }

    public boolean limitsFlows() {
        return maxFlows != UNLIMITED;
    }

    public boolean limitsQueueSlots() {
        return maxQueueSlots != UNLIMITED;
    }

    public boolean limitsReassembly() {
        return maxReassemblyBytes != UNLIMITED;
    }
}
