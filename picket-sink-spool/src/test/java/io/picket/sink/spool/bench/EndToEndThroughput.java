package io.picket.sink.spool.bench;

import io.picket.log.LogRecord;
import io.picket.sink.spool.BatchOptions;
import io.picket.sink.spool.SinkCounters;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.SpoolOptions;
import io.picket.sink.spool.SpooledSink;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * End-to-end throughput of a {@link SpooledSink} in front of a real transport and a real receiver
 * on loopback, for the sink modules' {@code *ThroughputTest}s. One producer thread writes
 * {@code N} conn.log records (the pool of {@link SinkBenchmark}) and the clock runs from the
 * first {@code write} until the receiver reports the last arrival. The same options with a
 * transport that does nothing give the baseline (formatting + queue + spool), so the share of
 * the time per record the sink itself costs can be stated next to the network figure.
 *
 * <p>Options: those of {@link SinkBenchmark}'s {@code spool-fsync-never} case (queue holds every
 * record, default batch of 500 records / 200 ms linger, {@code fsync: never}).
 */
public final class EndToEndThroughput {
    /** Tenant the records are written for. */
    public static final String TENANT = "bench";

    /**
     * One measured run.
     *
     * @param sink case name
     * @param records records written
     * @param callerSeconds time the producer spent in {@code write}
     * @param totalSeconds first write to last arrival at the receiver
     * @param arrived records the receiver counted
     * @param dropped records the sink counted as dropped
     */
    public record Result(String sink, long records, double callerSeconds, double totalSeconds, long arrived,
            long dropped) {
        public double recordsPerSecond() {
            return records / totalSeconds;
        }

        public double microsPerRecord() {
            return totalSeconds * 1e6 / records;
        }
    }

    private EndToEndThroughput() {
    }

    /**
     * The sink options of every run: queue for all {@code records}, 8 GiB spool, {@code fsync: never},
     * default batch unless {@code -Dpicket.bench.batch=N} sets its record count.
     */
    public static SinkOptions options(String name, int records) {
        BatchOptions batch = BatchOptions.defaults();
        return SinkOptions.defaults(name)
                .withBatch(new BatchOptions(Integer.getInteger("picket.bench.batch", batch.maxRecords()),
                        Math.max(batch.maxBytes(), 1L << 20), batch.linger()))
                .withQueue(records + 1, 1L << 40)
                .withSpool(SpoolOptions.defaults().withMaxBytes(8L << 30, 64L << 20)
                        .withFsync(SpoolOptions.Fsync.NEVER, Duration.ofSeconds(1)));
    }

    /**
     * Writes {@code records} records through a sink on {@code transport} and waits until
     * {@code arrived} reaches {@code records} (or {@code timeout} passes; the result then shows
     * fewer arrivals). Closes the sink (and with it the transport) before returning.
     */
    public static Result run(String name, int records, SinkOptions options, Path dir, Transport transport,
            LongSupplier arrived, Duration timeout) throws IOException {
        LogRecord[] pool = SinkBenchmark.pool();
        try (SpooledSink sink = new SpooledSink(TENANT, options, dir, transport)) {
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                sink.write(TENANT, pool[i & (pool.length - 1)]);
            }
            long produced = System.nanoTime();
            long deadline = produced + timeout.toNanos();
            long got = arrived.getAsLong();
            while (got < records && System.nanoTime() < deadline) {
                sleep();
                got = arrived.getAsLong();
            }
            long done = System.nanoTime();
            SinkCounters c = sink.counters();
            return new Result(name, records, (produced - start) / 1e9, (done - start) / 1e9, got, c.droppedTotal());
        }
    }

    /** The baseline: same options, a transport that does nothing, done when all were delivered. */
    public static Result noop(int records, Path dir) throws IOException {
        NoopTransport t = new NoopTransport();
        return run("spool, no-op transport", records, options("noop", records), dir, t, t::delivered,
                Duration.ofSeconds(30));
    }

    /** One line: the figure, and how much of the time per record the no-op baseline accounts for. */
    public static String line(Result r, Result baseline) {
        return String.format(Locale.ROOT,
                "%-28s %8d records %6d arrived %10.0f records/s %7.2f us/rec (caller %.2f us/rec); "
                        + "spool+format baseline %.0f records/s = %.0f%% of the time per record",
                r.sink(), r.records(), r.arrived(), r.recordsPerSecond(), r.microsPerRecord(),
                r.callerSeconds() * 1e6 / r.records(), baseline.recordsPerSecond(),
                100.0 * baseline.microsPerRecord() / r.microsPerRecord());
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final class NoopTransport implements Transport {
        private volatile long delivered;

        @Override
        public void deliver(List<byte[]> batch) {
            delivered += batch.size(); // only the delivery thread writes
        }

        long delivered() {
            return delivered;
        }

        @Override
        public void close() {
        }
    }
}
