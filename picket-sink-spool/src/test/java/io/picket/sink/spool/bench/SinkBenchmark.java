package io.picket.sink.spool.bench;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.LogSink;
import io.picket.log.ZeekType;
import io.picket.log.writer.FileLogSink;
import io.picket.sink.spool.SinkCounters;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.SpoolOptions;
import io.picket.sink.spool.SpooledSink;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Throughput of the log sinks, without JMH: one producer thread writes {@code N} conn.log
 * records (a pool of 1024 distinct, pre-built records) into each sink and the time until the
 * sink has finished with all of them is measured. Each case runs once on {@code N/4} records to
 * warm up the JIT, then {@code rounds} times measured; the best round is reported (the machine
 * may be shared, and the best round is the one least disturbed).
 *
 * <ul>
 *   <li>{@code file-tsv}, {@code file-json}: {@link FileLogSink} (no rotation); done when
 *       {@code close()} returned (everything written and closed).
 *   <li>{@code spool-fsync-*}: {@link SpooledSink} with a transport that does nothing, so the
 *       figure is the cost of formatting, the queue and the on-disk spool with that fsync policy;
 *       done when every record was delivered (acknowledged in the spool). Its queue holds all
 *       records, so the caller never sees a full queue.
 * </ul>
 *
 * <p>Usage: {@code SinkBenchmark [records [rounds [work dir]]]} (default 1 000 000 records,
 * 3 rounds, a temp dir).
 */
public final class SinkBenchmark {
    /** A conn.log-shaped schema (Zeek's default columns). */
    static final LogSchema CONN = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("service", ZeekType.STRING),
            LogField.of("duration", ZeekType.INTERVAL),
            LogField.of("orig_bytes", ZeekType.COUNT),
            LogField.of("resp_bytes", ZeekType.COUNT),
            LogField.of("conn_state", ZeekType.STRING),
            LogField.of("local_orig", ZeekType.BOOL),
            LogField.of("local_resp", ZeekType.BOOL),
            LogField.of("missed_bytes", ZeekType.COUNT),
            LogField.of("history", ZeekType.STRING),
            LogField.of("orig_pkts", ZeekType.COUNT),
            LogField.of("orig_ip_bytes", ZeekType.COUNT),
            LogField.of("resp_pkts", ZeekType.COUNT),
            LogField.of("resp_ip_bytes", ZeekType.COUNT),
            LogField.of("tunnel_parents", ZeekType.SET_STRING));
    private static final String TENANT = "bench";
    private static final int POOL = 1024;

    /**
     * One measured case.
     *
     * @param sink case name
     * @param records records written
     * @param callerSeconds time the producer spent in {@code write}
     * @param totalSeconds time until the sink had finished with every record
     * @param dropped records the sink lost (should be zero)
     */
    public record Result(String sink, long records, double callerSeconds, double totalSeconds, long dropped) {
        public double recordsPerSecond() {
            return records / totalSeconds;
        }

        public double callerNanosPerRecord() {
            return callerSeconds * 1e9 / records;
        }
    }

    private SinkBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = args.length > 2 ? Files.createDirectories(Path.of(args[2]))
                : Files.createTempDirectory("picket-sink-bench");
        System.out.print(table(run(records, rounds, work)));
    }

    /** Runs every case with {@code records} records under {@code work}, keeping the best of {@code rounds}. */
    public static List<Result> run(int records, int rounds, Path work) throws IOException {
        LogRecord[] pool = pool();
        List<Result> results = new ArrayList<>();
        for (String name : List.of("file-tsv", "file-json", "spool-fsync-never", "spool-fsync-interval",
                "spool-fsync-batch")) {
            runCase(name, Math.max(1, records / 4), pool, work.resolve(name + "-warmup"));
            deleteTree(work.resolve(name + "-warmup"));
            Result best = null;
            for (int r = 0; r < rounds; r++) {
                Result res = runCase(name, records, pool, work.resolve(name + "-" + r));
                deleteTree(work.resolve(name + "-" + r));
                if (best == null || res.totalSeconds() < best.totalSeconds()) {
                    best = res;
                }
            }
            results.add(best);
        }
        return results;
    }

    /** The results as a fixed-width text table. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s %10s %14s %16s %8s%n", "sink", "records", "records/s",
                "caller ns/rec", "dropped"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-22s %10d %14.0f %16.0f %8d%n", r.sink(), r.records(),
                    r.recordsPerSecond(), r.callerNanosPerRecord(), r.dropped()));
        }
        return sb.toString();
    }

    private static Result runCase(String name, int records, LogRecord[] pool, Path dir) throws IOException {
        Files.createDirectories(dir);
        return switch (name) {
            case "file-tsv" -> file(name, FileLogSink.Format.TSV, records, pool, dir);
            case "file-json" -> file(name, FileLogSink.Format.JSON, records, pool, dir);
            case "spool-fsync-never" -> spool(name, SpoolOptions.Fsync.NEVER, records, pool, dir);
            case "spool-fsync-interval" -> spool(name, SpoolOptions.Fsync.INTERVAL, records, pool, dir);
            case "spool-fsync-batch" -> spool(name, SpoolOptions.Fsync.BATCH, records, pool, dir);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Result file(String name, FileLogSink.Format format, int records, LogRecord[] pool, Path dir) {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withFormat(format));
        long start = System.nanoTime();
        produce(sink, records, pool);
        long produced = System.nanoTime();
        sink.close();
        long done = System.nanoTime();
        return new Result(name, records, (produced - start) / 1e9, (done - start) / 1e9,
                sink.recordsDropped() + sink.writeErrors() + (records - sink.recordsWritten(TENANT)));
    }

    private static Result spool(String name, SpoolOptions.Fsync fsync, int records, LogRecord[] pool, Path dir)
            throws IOException {
        SinkOptions options = SinkOptions.defaults("bench")
                .withQueue(records + 1, 1L << 40)
                .withSpool(SpoolOptions.defaults().withMaxBytes(8L << 30, 64L << 20)
                        .withFsync(fsync, Duration.ofSeconds(1)));
        SpooledSink sink = new SpooledSink(TENANT, options, dir, new NoopTransport());
        try {
            long start = System.nanoTime();
            produce(sink, records, pool);
            long produced = System.nanoTime();
            SinkCounters c = sink.counters();
            while (c.delivered() + c.droppedTotal() < records) {
                Thread.onSpinWait();
                sleepQuietly();
                c = sink.counters();
            }
            long done = System.nanoTime();
            return new Result(name, records, (produced - start) / 1e9, (done - start) / 1e9, c.droppedTotal());
        } finally {
            sink.close();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void produce(LogSink sink, int records, LogRecord[] pool) {
        for (int i = 0; i < records; i++) {
            sink.write(TENANT, pool[i & (POOL - 1)]);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Distinct realistic conn records (addresses, ports, byte counts and histories vary). */
    static LogRecord[] pool() {
        LogRecord[] pool = new LogRecord[POOL];
        String[] states = {"SF", "S0", "REJ", "RSTO", "OTH", "SHR"};
        String[] histories = {"ShADadFf", "S", "ShR", "ShADadR", "Dd", "ShADdaFf"};
        for (int i = 0; i < POOL; i++) {
            pool[i] = new LogRecord(CONN)
                    .set(0, 1704067200.061052 + i * 0.013)
                    .set(1, "C" + Integer.toString(0x10000000 + i * 7919, 36) + "x9kQ2")
                    .set(2, "10.0." + (i % 200) + "." + (1 + i % 250))
                    .set(3, 32768 + i * 31 % 28000)
                    .set(4, i % 3 == 0 ? "2001:db8::" + Integer.toHexString(i) : "192.0.2." + (i % 254 + 1))
                    .set(5, i % 2 == 0 ? 443 : 53)
                    .set(6, i % 2 == 0 ? "tcp" : "udp")
                    .set(7, i % 2 == 0 ? "ssl" : "dns")
                    .set(8, i % 5 == 0 ? null : 0.000123 * i)
                    .set(9, (long) i * 37)
                    .set(10, (long) i * 1013)
                    .set(11, states[i % states.length])
                    .set(12, true)
                    .set(13, false)
                    .set(14, 0L)
                    .set(15, histories[i % histories.length])
                    .set(16, (long) (i % 40 + 1))
                    .set(17, (long) i * 37 + 40L * (i % 40 + 1))
                    .set(18, (long) (i % 30 + 1))
                    .set(19, (long) i * 1013 + 40L * (i % 30 + 1))
                    .set(20, Set.of());
        }
        return pool;
    }

    private static final class NoopTransport implements Transport {
        @Override
        public void deliver(List<byte[]> batch) {
            // Delivery is free: the figure is the sink's own cost.
        }

        @Override
        public void close() {
        }
    }
}
