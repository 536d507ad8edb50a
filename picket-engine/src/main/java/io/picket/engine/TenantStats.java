package io.picket.engine;

/** Per-tenant counters of one run, written by the shard thread, read after the run. */
public final class TenantStats {
    public final String tenant;
    public long packets;
    public long bytes;
    public long ipPackets;
    public long nonIpPackets;
    public long droppedPackets;
    public long connections;
    public long weirds;
    /** Analyzer instances removed because they threw (contained to their connection). */
    public long analyzerFailures;
    /** Outcomes of the tenant's log filters (records kept, dropped, predicate errors). */
    public final io.picket.policy.filter.FilterCounts filters = new io.picket.policy.filter.FilterCounts();
    /** Exceptions thrown by the tenant's policy (runner, matcher, intel), each contained to its connection. */
    public long policyFailures;
    /** Exceptions per component ({@code policy}, {@code analyzer <name>}). */
    public final java.util.Map<String, Long> componentFailures = new java.util.TreeMap<>();
    /** Times one of the tenant's components was quarantined, and restarted after its backoff. */
    public long quarantines;
    public long restarts;
    /** Policy bundles swapped in during the run, and reloads rejected (the running bundle stayed). */
    public long policyReloads;
    public long policyReloadsRejected;
    /** Tenant-defined notice expressions ({@code notice.yaml} {@code notices:}) that failed to evaluate. */
    public long noticeErrors;
    /**
     * Payload bytes handed to the tenant's policy, and the wall time of all its policy work
     * (payload matching, HTTP content, intel sightings), measured around each call.
     */
    public long policyBytes;
    public long policyNanos;

    /** Packets dropped because they would have created a connection over the tenant's {@code max_flows}. */
    public long flowQuotaDrops;
    /**
     * TCP segments (and their bytes) not buffered because the tenant was at its
     * {@code max_reassembly_bytes}; each became a content gap of its connection.
     */
    public long reassemblyQuotaDrops;
    public long reassemblyQuotaBytes;
    /** Frames dropped at capture because their shard's queue was full ({@code --runmode autofp}). */
    public long queueFullDrops;
    /** Frames dropped at capture because the tenant had {@code max_queue_slots} frames in that shard's queue. */
    public long queueQuotaDrops;

    /** Everything dropped for the tenant, all causes together (packets, segments and frames). */
    public long drops() {
        return flowQuotaDrops + reassemblyQuotaDrops + queueFullDrops + queueQuotaDrops;
    }
    /**
     * The running signature bundle's combined automata: states built so far, transitions refused
     * for the tenant's DFA budget, and inputs that continued without the cache because of it.
     */
    public long signatureDfaStates;
    public long signatureDfaRefusals;
    public long signatureDfaSpills;
    /**
     * For a tenant with {@code max_flows} / {@code max_reassembly_bytes}: the most connections it
     * had tracked at once over all shards, and the most reassembly bytes leased to its shards at
     * once (an upper bound of what it held); 0 for unlimited tenants.
     */
    public long peakFlows;
    public long peakReassemblyBytes;

    public TenantStats(String tenant) {
        this.tenant = tenant;
    }
}
