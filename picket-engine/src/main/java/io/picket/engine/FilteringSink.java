package io.picket.engine;

import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import io.picket.policy.bundle.PolicyBundle;
import java.util.HashMap;
import java.util.Map;

/**
 * One shard's view of the log sink: applies each tenant's log filters ({@code filters.yaml}) to
 * every record the shard writes for it (conn, weird, analyzer logs, signatures, intel, ...) and
 * counts the outcomes in the tenant's {@link TenantStats}. Before the filters, hands each record
 * of a tenant with a policy to {@link NoticeHub#record} (tenant-defined notices). Per log record,
 * never per packet.
 * Owned by the shard thread (the counters are not shared); the wrapped sink is thread-safe.
 */
final class FilteringSink implements LogSink {
    private final LogSink sink;
    private final TenantPolicies policies;
    private final TenantStats[] stats;
    private final Map<String, Integer> index = new HashMap<>();

    FilteringSink(LogSink sink, TenantPolicies policies, String[] tenantIds, TenantStats[] stats) {
        this.sink = sink;
        this.policies = policies;
        this.stats = stats;
        for (int i = 0; i < tenantIds.length; i++) {
            index.put(tenantIds[i], i);
        }
    }

    @Override
    public void write(String tenant, LogRecord record) {
        Integer t = index.get(tenant);
        PolicyBundle b = t == null ? null : policies.of(t);
        if (b != null) {
            policies.notices().record(t, record); // tenant-defined notices see every record, before filters
        }
        if (b == null || b.filters().isEmpty()) {
            sink.write(tenant, record);
            return;
        }
        LogRecord out = b.filters().apply(record, stats[t].filters);
        if (out != null) {
            sink.write(tenant, out);
        }
    }

    @Override
    public long recordsWritten(String tenant) {
        return sink.recordsWritten(tenant);
    }

    @Override
    public void close() {
        sink.close();
    }
}
