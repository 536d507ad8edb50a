package io.picket.sink.spool;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one tenant sink's counters.
 *
 * @param tenant owning tenant
 * @param sink sink name
 * @param accepted records taken by {@code write} (queued for the spool)
 * @param delivered records the destination confirmed
 * @param retries failed delivery attempts (each one retried after a back-off)
 * @param dropped lost records by cause (every cause present, zero if none)
 * @param queuedRecords records in memory waiting for the spool thread
 * @param spoolBytes bytes of the spool's segment files
 * @param spoolPending records in the spool not yet acknowledged
 * @param recoveredPending records found pending in the spool when the sink opened
 * @param lastError the last delivery error (no secrets), or null
 */
public record SinkCounters(String tenant, String sink, long accepted, long delivered, long retries,
        Map<DropCause, Long> dropped, long queuedRecords, long spoolBytes, long spoolPending, long recoveredPending,
        String lastError) {

    public SinkCounters {
        EnumMap<DropCause, Long> all = new EnumMap<>(DropCause.class);
        for (DropCause c : DropCause.values()) {
            all.put(c, dropped.getOrDefault(c, 0L));
        }
        dropped = java.util.Collections.unmodifiableMap(all);
    }

    public long dropped(DropCause cause) {
        return dropped.get(cause);
    }

    public long droppedTotal() {
        long n = 0;
        for (long v : dropped.values()) {
            n += v;
        }
        return n;
    }
}
