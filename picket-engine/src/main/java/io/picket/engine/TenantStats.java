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

    public TenantStats(String tenant) {
        this.tenant = tenant;
    }
}
