package io.picket.bench;

import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A log sink that counts records per tenant and drops them, so an engine benchmark measures the
 * engine and not the log writers. Thread-safe (shard threads call {@link #write}).
 */
public final class CountingSink implements LogSink {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public void write(String tenant, LogRecord record) {
        counts.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        total.increment();
    }

    @Override
    public long recordsWritten(String tenant) {
        LongAdder a = counts.get(tenant);
        return a == null ? 0 : a.sum();
    }

    /** Records of every tenant. */
    public long total() {
        return total.sum();
    }

    @Override
    public void close() {
    }
}
