package io.picket.log.writer;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.LogSink;
import io.picket.log.format.JsonFormat;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.LogFormat;
import io.picket.log.format.TsvFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Writes each tenant's logs as Zeek log files {@code DIR/<tenant>/<path>.log} (TSV or JSON).
 *
 * <p>Threads: {@link #write} is called from any number of shard threads and only enqueues the
 * record on a bounded queue; one platform writer thread ({@code picket-log-writer}) owned by
 * this sink drains the queue, opens each file lazily on its first record (truncating it and
 * writing the header), formats and writes through a buffered stream, and flushes whenever the
 * queue runs empty. {@link #close} drains everything accepted, writes the footer
 * ({@code #close} for TSV) with the clock's time and closes every file.
 *
 * <p>Back-pressure: when the queue is full, {@code write} blocks the caller until the writer
 * frees a slot (no record is dropped while the writer is alive). Records written after close,
 * or while the writer thread is dead, are dropped and counted ({@link #recordsDropped}).
 *
 * <p>Failure: I/O errors and records that cannot be formatted are counted
 * ({@link #writeErrors}) and never reach the caller; a file whose write failed stops receiving
 * records. Tenant and path names must match {@code [A-Za-z0-9][A-Za-z0-9._-]*}, else their
 * records are dropped and counted as errors. All records of a path are written with the header
 * of the first record's schema.
 */
public final class FileLogSink implements LogSink {
    /** Output format of the files. */
    public enum Format {
        /** Zeek's default ASCII (TSV) logs with meta header and footer. */
        TSV,
        /** Zeek's JSON logs ({@code LogAscii::use_json=T}). */
        JSON
    }

    /**
     * Sink options.
     *
     * @param format file format
     * @param jsonTimestamps time format for JSON ({@code LogAscii::json_timestamps})
     * @param clock source of the {@code #open}/{@code #close} wall-clock times and their zone
     * @param queueCapacity records that may wait for the writer thread
     */
    public record Options(Format format, JsonFormat.Timestamps jsonTimestamps, Clock clock, int queueCapacity) {
        public Options {
            Objects.requireNonNull(format);
            Objects.requireNonNull(jsonTimestamps);
            Objects.requireNonNull(clock);
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
            }
        }

        /** TSV, epoch JSON timestamps, the system clock in the default zone, 65536 queued records. */
        public static Options defaults() {
            return new Options(Format.TSV, JsonFormat.Timestamps.EPOCH, Clock.systemDefaultZone(), 65536);
        }

        public Options withFormat(Format f) {
            return new Options(f, jsonTimestamps, clock, queueCapacity);
        }

        public Options withJsonTimestamps(JsonFormat.Timestamps t) {
            return new Options(format, t, clock, queueCapacity);
        }

        public Options withClock(Clock c) {
            return new Options(format, jsonTimestamps, c, queueCapacity);
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(format, jsonTimestamps, clock, capacity);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Entry STOP = new Entry(null, null);
    private static final int BATCH = 1024;

    private final Path directory;
    private final Options options;
    private final BlockingQueue<Entry> queue;
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closed;

    // Writer thread state.
    private final LogFormat format;
    private final LogBuffer buffer = new LogBuffer(4096);
    private final Map<String, Map<String, OpenFile>> files = new HashMap<>();
    private final List<OpenFile> dirty = new ArrayList<>();

    public FileLogSink(Path directory) {
        this(directory, Options.defaults());
    }

    public FileLogSink(Path directory, Options options) {
        this.directory = Objects.requireNonNull(directory);
        this.options = Objects.requireNonNull(options);
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.format = switch (options.format()) {
            case TSV -> new TsvFormat();
            case JSON -> new JsonFormat(options.jsonTimestamps());
        };
        this.writer = Thread.ofPlatform().name("picket-log-writer").daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Queues the record; blocks while the queue is full (see class comment). */
    @Override
    public void write(String tenant, LogRecord record) {
        inFlight.incrementAndGet();
        try {
            if (closed) {
                dropped.increment();
                return;
            }
            Entry e = new Entry(tenant, record);
            if (!queue.offer(e) && !offerBlocking(e)) {
                dropped.increment();
                return;
            }
            accepted.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean offerBlocking(Entry e) {
        boolean interrupted = false;
        try {
            while (writer.isAlive()) {
                try {
                    if (queue.offer(e, 10, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public long recordsWritten(String tenant) {
        LongAdder c = accepted.get(tenant);
        return c == null ? 0 : c.sum();
    }

    /** Records refused because the sink was closed or its writer thread had died. */
    public long recordsDropped() {
        return dropped.sum();
    }

    /** Records lost to I/O errors, formatting errors or invalid tenant/path names. */
    public long writeErrors() {
        return errors.sum();
    }

    /** Drains the queue, writes footers and closes all files; waits for the writer. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                joinWriter();
                return;
            }
            closed = true;
        }
        while (inFlight.get() != 0) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                if (queue.offer(STOP, 10, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        joinWriter();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ writer thread

    private void run() {
        List<Entry> batch = new ArrayList<>(BATCH);
        try {
            boolean stop = false;
            while (!stop) {
                Entry first;
                try {
                    first = queue.take();
                } catch (InterruptedException ie) {
                    continue; // only close() stops the writer
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (Entry e : batch) {
                    if (e == STOP) {
                        stop = true;
                    } else {
                        writeRecord(e.tenant(), e.record());
                    }
                }
                batch.clear();
                if (stop) {
                    // Writers finished before STOP was queued; take anything still behind it.
                    queue.drainTo(batch);
                    for (Entry e : batch) {
                        if (e != STOP) {
                            writeRecord(e.tenant(), e.record());
                        }
                    }
                    batch.clear();
                }
                if (queue.isEmpty()) {
                    flushDirty();
                }
            }
        } finally {
            closeAll();
        }
    }

    private void writeRecord(String tenant, LogRecord record) {
        OpenFile f = file(tenant, record.schema());
        if (f == null || f.failed) {
            errors.increment();
            return;
        }
        buffer.clear();
        try {
            format.row(record, buffer);
        } catch (RuntimeException ex) {
            errors.increment();
            return;
        }
        try {
            buffer.writeTo(f.out);
            if (!f.dirty) {
                f.dirty = true;
                dirty.add(f);
            }
        } catch (IOException ex) {
            f.failed = true;
            errors.increment();
        }
    }

    private OpenFile file(String tenant, LogSchema schema) {
        Map<String, OpenFile> byPath = files.computeIfAbsent(tenant, t -> new HashMap<>());
        OpenFile f = byPath.get(schema.path());
        if (f != null) {
            return f;
        }
        if (tenant == null || !NAME.matcher(tenant).matches() || !NAME.matcher(schema.path()).matches()) {
            return null;
        }
        f = new OpenFile();
        byPath.put(schema.path(), f);
        try {
            Path dir = directory.resolve(tenant);
            Files.createDirectories(dir);
            f.out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(schema.path() + ".log"),
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                    1 << 16);
            buffer.clear();
            format.header(schema, now(), buffer);
            buffer.writeTo(f.out);
        } catch (IOException | RuntimeException ex) {
            f.failed = true;
        }
        return f;
    }

    private ZonedDateTime now() {
        Clock clock = options.clock();
        return ZonedDateTime.ofInstant(clock.instant(), clock.getZone());
    }

    private void flushDirty() {
        for (OpenFile f : dirty) {
            f.dirty = false;
            if (!f.failed) {
                try {
                    f.out.flush();
                } catch (IOException ex) {
                    f.failed = true;
                    errors.increment();
                }
            }
        }
        dirty.clear();
    }

    private void closeAll() {
        for (Map<String, OpenFile> byPath : files.values()) {
            for (OpenFile f : byPath.values()) {
                if (f.out == null) {
                    continue;
                }
                try {
                    if (!f.failed) {
                        buffer.clear();
                        format.footer(now(), buffer);
                        buffer.writeTo(f.out);
                    }
                    f.out.close();
                } catch (IOException | RuntimeException ex) {
                    errors.increment();
                }
            }
        }
        files.clear();
        dirty.clear();
    }

    private record Entry(String tenant, LogRecord record) {
    }

    /** One open log file; touched by the writer thread only. */
    private static final class OpenFile {
        OutputStream out;
        boolean failed;
        boolean dirty;
    }
}
