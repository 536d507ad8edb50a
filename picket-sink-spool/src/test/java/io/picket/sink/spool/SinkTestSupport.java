package io.picket.sink.spool;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Records with a sequence column, order checks and temp dirs, shared by the sink modules' tests. */
public final class SinkTestSupport {
    public static final LogSchema CONN = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("seq", ZeekType.COUNT),
            LogField.of("note", ZeekType.STRING));
    public static final LogSchema DNS = LogSchema.of("dns",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("seq", ZeekType.COUNT),
            LogField.of("query", ZeekType.STRING));

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final AtomicInteger DIRS = new AtomicInteger();

    private SinkTestSupport() {
    }

    /** A conn record: ts 1591367999.305988 + seq ms, uid C&lt;seq&gt;, the sequence number, a note. */
    public static LogRecord conn(long seq) {
        return new LogRecord(CONN).set(0, 1591367999.305988 + seq / 1000.0).set(1, "C" + seq).set(2, seq)
                .set(3, "note \"quoted\" ] \\ é " + seq);
    }

    public static LogRecord dns(long seq) {
        return new LogRecord(DNS).set(0, 1591367999.5).set(1, seq).set(2, "q" + seq + ".example");
    }

    /** The {@code "seq":N} value of a JSON line, or -1. */
    public static long seqOf(String text) {
        Matcher m = SEQ.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * What arrived, against 0..expected-1 sent in order: {@code unique} is how far the stream got
     * without a gap, {@code duplicates} counts records seen again (a replay after a reconnect),
     * {@code gaps} counts records that jumped ahead of a missing one.
     */
    public record OrderReport(int received, long unique, int duplicates, int gaps, long firstGapAt) {
        public boolean complete(long expected) {
            return unique == expected && gaps == 0;
        }
    }

    public static OrderReport check(List<Long> received) {
        long next = 0;
        int dups = 0;
        int gaps = 0;
        long firstGap = -1;
        for (long s : received) {
            if (s == next) {
                next++;
            } else if (s < next) {
                dups++;
            } else {
                gaps++;
                if (firstGap < 0) {
                    firstGap = next;
                }
            }
        }
        return new OrderReport(received.size(), next, dups, gaps, firstGap);
    }

    /** A fresh directory under java.io.tmpdir (target/tmp). */
    public static Path tempDir(String name) {
        try {
            Path root = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(root);
            return Files.createTempDirectory(root, name + "-" + DIRS.incrementAndGet() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until {@code cond} holds; fails with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier cond) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Options for tests: small spool, fsync per batch, fast retries, short linger. */
    public static SinkOptions fastOptions(String name) {
        return SinkOptions.defaults(name)
                .withSpool(SpoolOptions.defaults().withMaxBytes(64L << 20, 4L << 20)
                        .withFsync(SpoolOptions.Fsync.NEVER, Duration.ofSeconds(1)))
                .withBatch(new BatchOptions(256, 1L << 20, Duration.ofMillis(5)))
                .withRetry(new RetryOptions(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2)))
                .withCloseTimeout(Duration.ofSeconds(5));
    }
}
