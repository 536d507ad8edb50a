package io.picket.sink.spool;

/** Why a sink lost a record; every lost record is counted under exactly one cause. */
public enum DropCause {
    /** The in-memory queue in front of the spool was full (the spool thread fell behind). */
    QUEUE_FULL("queue_full"),
    /** The formatted record exceeded {@code spool.max_record_bytes}. */
    TOO_LARGE("too_large"),
    /** The record could not be formatted. */
    FORMAT_ERROR("format_error"),
    /** Written after the sink was closed. */
    CLOSED("closed"),
    /** Written for another tenant than the sink's own. */
    WRONG_TENANT("wrong_tenant"),
    /** The spool was full and the overflow policy is drop-newest. */
    SPOOL_FULL("spool_full"),
    /** The spool was full and the policy drop-oldest deleted records not yet sent. */
    SPOOL_EVICTED("spool_evicted"),
    /** The spool could not write the record (I/O error, e.g. disk full). */
    SPOOL_WRITE_ERROR("spool_write_error"),
    /** A record failed its CRC check when read back and the rest of its segment was skipped. */
    SPOOL_CORRUPT("spool_corrupt"),
    /** A torn record at the end of a segment, cut at recovery after a crash (one per segment). */
    SPOOL_TORN("spool_torn"),
    /** The destination refused the record for good. */
    REJECTED("rejected");

    private final String metricName;

    DropCause(String metricName) {
        this.metricName = metricName;
    }

    /** Name used in counters and documentation. */
    public String metricName() {
        return metricName;
    }
}
