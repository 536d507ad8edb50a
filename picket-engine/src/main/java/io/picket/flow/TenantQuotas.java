package io.picket.flow;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Run-wide ledger of the per-tenant quotas ({@code max_flows}, {@code max_reassembly_bytes}),
 * shared by all shards; each shard works through its own {@link ShardQuotas}. Flows are counted
 * exactly: one atomic add per connection created or removed of a limited tenant. Reassembly
 * bytes are leased to shards in chunks, so buffering a segment touches the shared counter only
 * when the shard's lease runs out or grows too large; the sum of all leases never exceeds the
 * limit. Unlimited tenants never touch the shared counters. Thread-safe.
 */
public final class TenantQuotas {
    /** Largest lease chunk a shard takes or keeps spare (bytes). */
    static final long MAX_CHUNK = 64 * 1024;

    private final long[] maxFlows;
    private final long[] maxBytes;
    private final long[] chunk;
    private final AtomicLongArray flows;
    private final AtomicLongArray peakFlows;
    private final AtomicLongArray leased;
    private final AtomicLongArray peakLeased;

    /**
     * @param maxFlows           per tenant index, the flow limit or -1 (unlimited)
     * @param maxReassemblyBytes per tenant index, the byte limit or -1 (unlimited)
     */
    public TenantQuotas(long[] maxFlows, long[] maxReassemblyBytes) {
        if (maxFlows.length != maxReassemblyBytes.length) {
            throw new IllegalArgumentException("one limit of each kind per tenant");
        }
        int n = maxFlows.length;
        this.maxFlows = maxFlows.clone();
        this.maxBytes = maxReassemblyBytes.clone();
        this.chunk = new long[n];
        for (int t = 0; t < n; t++) {
            chunk[t] = Math.max(1, Math.min(MAX_CHUNK, maxBytes[t] / 64));
        }
        this.flows = new AtomicLongArray(n);
        this.peakFlows = new AtomicLongArray(n);
        this.leased = new AtomicLongArray(n);
        this.peakLeased = new AtomicLongArray(n);
    }

    /** No tenant limited (today's behaviour). */
    public static TenantQuotas unlimited(int tenants) {
        long[] none = new long[tenants];
        java.util.Arrays.fill(none, -1);
        return new TenantQuotas(none, none);
    }

    /** The quotas of {@code tenants} in index order. */
    public static TenantQuotas of(java.util.List<io.picket.tenant.Tenant> tenants) {
        long[] f = new long[tenants.size()];
        long[] b = new long[tenants.size()];
        for (int t = 0; t < f.length; t++) {
            f[t] = tenants.get(t).limits().maxFlows();
            b[t] = tenants.get(t).limits().maxReassemblyBytes();
        }
        return new TenantQuotas(f, b);
    }

    public int tenantCount() {
        return maxFlows.length;
    }

    /** A new view for one shard (call once per shard, on any thread). */
    public ShardQuotas forShard() {
        return new ShardQuotas(this);
    }

    public long maxFlows(int tenant) {
        return maxFlows[tenant];
    }

    public long maxReassemblyBytes(int tenant) {
        return maxBytes[tenant];
    }

    /** Tracked connections of a limited tenant now, over all shards (0 for unlimited tenants). */
    public long flows(int tenant) {
        return flows.get(tenant);
    }

    /** Most tracked connections a limited tenant had at once (never above its limit). */
    public long peakFlows(int tenant) {
        return peakFlows.get(tenant);
    }

    /**
     * Most reassembly bytes leased to the shards of a limited tenant at once: an upper bound of
     * what it held buffered, never above its limit.
     */
    public long peakReassemblyBytes(int tenant) {
        return peakLeased.get(tenant);
    }

    boolean limitsFlows(int tenant) {
        return maxFlows[tenant] >= 0;
    }

    boolean limitsBytes(int tenant) {
        return maxBytes[tenant] >= 0;
    }

    long chunk(int tenant) {
        return chunk[tenant];
    }

    /** Takes one flow slot of a limited tenant; false (nothing taken) at the limit. */
    boolean takeFlow(int tenant) {
        long now = flows.incrementAndGet(tenant);
        if (now > maxFlows[tenant]) {
            flows.decrementAndGet(tenant);
            return false;
        }
        if (now > peakFlows.get(tenant)) {
            peakFlows.accumulateAndGet(tenant, now, Math::max);
        }
        return true;
    }

    void returnFlow(int tenant) {
        flows.decrementAndGet(tenant);
    }

    /** Leases between {@code need} and {@code want} bytes of a limited tenant; 0 if not even {@code need} is left. */
    long lease(int tenant, long need, long want) {
        long limit = maxBytes[tenant];
        while (true) {
            long cur = leased.get(tenant);
            long avail = limit - cur;
            if (avail < need) {
                return 0;
            }
            long g = Math.min(Math.max(need, want), avail);
            if (leased.compareAndSet(tenant, cur, cur + g)) {
                if (cur + g > peakLeased.get(tenant)) {
                    peakLeased.accumulateAndGet(tenant, cur + g, Math::max);
                }
                return g;
            }
        }
    }

    void giveBack(int tenant, long bytes) {
        leased.addAndGet(tenant, -bytes);
    }
}
