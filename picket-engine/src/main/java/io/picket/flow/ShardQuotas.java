package io.picket.flow;

/**
 * One shard's side of the {@link TenantQuotas}: admits new connections and reassembly buffers
 * per tenant and counts what was refused, by cause. Owned by the shard thread; allocation-free.
 * A refused connection's packet is dropped ({@code flow_quota}); a refused buffer becomes a
 * content gap of its connection ({@code reassembly_quota}).
 */
public final class ShardQuotas {
    private final TenantQuotas ledger;
    private final int[] flows;
    private final long[] held;
    private final long[] credit;
    private final long[] flowDrops;
    private final long[] bufferDrops;
    private final long[] bufferDropBytes;

    ShardQuotas(TenantQuotas ledger) {
        this.ledger = ledger;
        int n = ledger.tenantCount();
        flows = new int[n];
        held = new long[n];
        credit = new long[n];
        flowDrops = new long[n];
        bufferDrops = new long[n];
        bufferDropBytes = new long[n];
    }

    /** A shard view of a ledger without limits, for {@code tenants} tenants. */
    public static ShardQuotas unlimited(int tenants) {
        return TenantQuotas.unlimited(tenants).forShard();
    }

    private boolean known(int tenant) {
        return tenant >= 0 && tenant < flows.length;
    }

    /** A new connection of {@code tenant}: true if it may be tracked; false counts a {@code flow_quota} drop. */
    boolean admitFlow(int tenant) {
        if (!known(tenant)) {
            return true;
        }
        if (ledger.limitsFlows(tenant) && !ledger.takeFlow(tenant)) {
            flowDrops[tenant]++;
            return false;
        }
        flows[tenant]++;
        return true;
    }

    /** A connection admitted by {@link #admitFlow} was removed. */
    void releaseFlow(int tenant) {
        if (!known(tenant)) {
            return;
        }
        flows[tenant]--;
        if (ledger.limitsFlows(tenant)) {
            ledger.returnFlow(tenant);
        }
    }

    /**
     * {@code bytes} of {@code tenant} are to be buffered for reassembly: true if within quota;
     * false counts a {@code reassembly_quota} drop of that many bytes.
     */
    public boolean reserveBuffer(int tenant, int bytes) {
        if (!known(tenant)) {
            return true;
        }
        if (ledger.limitsBytes(tenant)) {
            if (credit[tenant] < bytes) {
                long need = bytes - credit[tenant];
                long got = ledger.lease(tenant, need, ledger.chunk(tenant));
                if (got == 0) {
                    bufferDrops[tenant]++;
                    bufferDropBytes[tenant] += bytes;
                    return false;
                }
                credit[tenant] += got;
            }
            credit[tenant] -= bytes;
        }
        held[tenant] += bytes;
        return true;
    }

    /** {@code bytes} buffered under {@link #reserveBuffer} were delivered or discarded. */
    public void releaseBuffer(int tenant, int bytes) {
        if (!known(tenant)) {
            return;
        }
        held[tenant] -= bytes;
        if (ledger.limitsBytes(tenant)) {
            credit[tenant] += bytes;
            long keep = ledger.chunk(tenant);
            if (credit[tenant] > 2 * keep) {
                ledger.giveBack(tenant, credit[tenant] - keep);
                credit[tenant] = keep;
            }
        }
    }

    /** The run-wide ledger this view draws on. */
    public TenantQuotas ledger() {
        return ledger;
    }

    /** Connections of {@code tenant} this shard tracks now. */
    public int flows(int tenant) {
        return flows[tenant];
    }

    /** Reassembly bytes of {@code tenant} this shard holds buffered now. */
    public long bufferedBytes(int tenant) {
        return held[tenant];
    }

    /** New connections refused (their packet dropped) because the tenant was at {@code max_flows}. */
    public long flowQuotaDrops(int tenant) {
        return flowDrops[tenant];
    }

    /** Segments not buffered (turned into content gaps) because the tenant was at {@code max_reassembly_bytes}. */
    public long reassemblyQuotaDrops(int tenant) {
        return bufferDrops[tenant];
    }

    /** Bytes of those segments. */
    public long reassemblyQuotaBytes(int tenant) {
        return bufferDropBytes[tenant];
    }
}
