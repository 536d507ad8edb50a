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
 * Each instance is used by one thread at a time (a shard's, or the notice hub's under its lock),
 * so its counters are not shared; the wrapped sink is thread-safe. Shards write by tenant index.
 */
final class FilteringSink implements LogSink {
    private final LogSink sink;
    private final TenantPolicies policies;
    private final TenantStats[] stats;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] tenantIds;

    FilteringSink(LogSink sink, TenantPolicies policies, String[] tenantIds, TenantStats[] stats) {
        this.sink = sink;
        this.policies = policies;
        this.stats = stats;
        this.tenantIds = tenantIds;
        for (int i = 0; i < tenantIds.length; i++) {
            index.put(tenantIds[i], i);
        }
    }

    @Override
    public void write(String tenant, LogRecord record) {
        Integer t = index.get(tenant);
        if (t == null) {
            sink.write(tenant, record);
        } else {
            write(t, record);
        }
    }

    /** {@link #write(String, LogRecord)} for the tenant with index {@code t} (the shard's own calls). */
    void write(int t, LogRecord record) {
        String tenant = tenantIds[t];
        PolicyBundle b = policies.of(t);
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
