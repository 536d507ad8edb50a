package io.picket.log.writer;

import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link LogSink} that keeps every record in memory, per tenant and path, in arrival order.
 * For tests. Thread-safe; writes after {@link #close()} are ignored and counted as dropped.
 */
public final class MemoryLogSink implements LogSink {
    private final Map<String, Map<String, List<LogRecord>>> records = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    @Override
    public void write(String tenant, LogRecord record) {
        if (closed) {
            dropped.increment();
            return;
        }
        List<LogRecord> list = records.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(record.schema().path(), p -> new ArrayList<>());
        synchronized (list) {
            list.add(record);
        }
        counts.computeIfAbsent(tenant, t -> new LongAdder()).increment();
    }

    @Override
    public long recordsWritten(String tenant) {
        LongAdder c = counts.get(tenant);
        return c == null ? 0 : c.sum();
    }

    /** A snapshot of the records of one tenant's stream, in arrival order. */
    public List<LogRecord> records(String tenant, String path) {
        Map<String, List<LogRecord>> byPath = records.get(tenant);
        List<LogRecord> list = byPath == null ? null : byPath.get(path);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Tenants that wrote at least one record, sorted. */
    public Set<String> tenants() {
        return new TreeSet<>(records.keySet());
    }

    /** Paths a tenant wrote to, sorted. */
    public Set<String> paths(String tenant) {
        Map<String, List<LogRecord>> byPath = records.get(tenant);
        return byPath == null ? Set.of() : new TreeSet<>(byPath.keySet());
    }

    public long recordsDropped() {
        return dropped.sum();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
