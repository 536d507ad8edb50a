package io.picket.policy.filter;

/**
 * Outcomes of a tenant's log filters: records kept and dropped (of logs that have filters) and
 * predicate evaluation errors (each such record is kept). Mutable, owned by one shard thread;
 * summed after the run.
 */
public final class FilterCounts {
    long kept;
    long dropped;
    long errors;

    /** Records of filtered logs that were written. */
    public long kept() {
        return kept;
    }

    /** Records a filter dropped. */
    public long dropped() {
        return dropped;
    }

    /** Predicate evaluations that failed (the record was kept). */
    public long errors() {
        return errors;
    }

    /** Adds another shard's counts to these. */
    public void add(FilterCounts other) {
        kept += other.kept;
        dropped += other.dropped;
        errors += other.errors;
    }
}
