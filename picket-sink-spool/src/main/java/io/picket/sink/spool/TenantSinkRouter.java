package io.picket.sink.spool;

import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fans each tenant's records out to that tenant's sinks (file sink, network sinks, ...). The
 * map is fixed at construction, so {@link #write} reads it without locks. Shard threads write;
 * {@link #close} closes every sink in parallel (so tenants' close timeouts do not add up).
 */
public final class TenantSinkRouter implements LogSink {
    private final Map<String, List<LogSink>> byTenant;
    private final Map<String, LongAdder> routed = new ConcurrentHashMap<>();
    private final LongAdder unrouted = new LongAdder();

    public TenantSinkRouter(Map<String, List<LogSink>> byTenant) {
        this.byTenant = Map.copyOf(byTenant.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
        for (String t : this.byTenant.keySet()) {
            routed.put(t, new LongAdder());
        }
    }

    @Override
    public void write(String tenant, LogRecord record) {
        List<LogSink> sinks = byTenant.get(tenant);
        if (sinks == null) {
            unrouted.increment();
            return;
        }
        routed.get(tenant).increment();
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).write(tenant, record);
        }
    }

    /** Records routed for the tenant (each goes to all its sinks). */
    @Override
    public long recordsWritten(String tenant) {
        LongAdder a = routed.get(tenant);
        return a == null ? 0 : a.sum();
    }

    /** Records of tenants without sinks. */
    public long recordsUnrouted() {
        return unrouted.sum();
    }

    /** Counters of every spooled sink of the tenant. */
    public List<SinkCounters> counters(String tenant) {
        List<SinkCounters> out = new ArrayList<>();
        for (LogSink s : byTenant.getOrDefault(tenant, List.of())) {
            if (s instanceof SpooledSink ss) {
                out.add(ss.counters());
            }
        }
        return out;
    }

    @Override
    public void close() {
        List<Thread> closers = new ArrayList<>();
        java.util.Set<LogSink> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (List<LogSink> sinks : byTenant.values()) {
            for (LogSink s : sinks) {
                if (seen.add(s)) { // a sink shared by tenants (the file sink) is closed once
                    closers.add(Thread.ofVirtual().name("picket-sink-close").start(s::close));
                }
            }
        }
        boolean interrupted = false;
        for (Thread t : closers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
