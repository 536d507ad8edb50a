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
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Writes each tenant's logs as Zeek log files {@code DIR/<tenant>/<path>.log} (TSV or JSON), with
 * optional Zeek-style rotation and compression of rotated files.
 *
 * <p>Threads: {@link #write} is called from any number of shard threads and only enqueues the
 * record on a bounded queue; one platform writer thread ({@code picket-log-writer}) owned by
 * this sink drains the queue, opens each file lazily on its first record (writing the header),
 * formats and writes through a buffered stream, flushes whenever the queue runs empty, and does
 * every rotation. Compression of rotated files runs on a second thread
 * ({@code picket-log-compress}) so that it never stalls the writer. {@link #close} drains
 * everything accepted, ends every file ({@code #close} for TSV, with the clock's time) and, when
 * rotation is on, rotates them all as Zeek does at termination; it returns once compression is
 * done.
 *
 * <p>Rotation ({@link Rotation}): by interval, aligned like Zeek's
 * {@code Log::default_rotation_interval} (local midnight plus multiples of the interval,
 * {@code log_rotate_base_time = "0:00"}), and/or by size. A rotated file ends with its
 * {@code #close} line, is renamed to {@code <path>.<open time>.log} (Zeek's default
 * {@code Log::rotation_format_func}: {@code %Y-%m-%d-%H-%M-%S} local time, e.g.
 * {@code conn.2024-01-31-13-00-00.log}; a counter {@code .1}, {@code .2}... is inserted before
 * {@code .log} instead of overwriting a file of the same second) and, if configured, compressed
 * to {@code .log.gz}/{@code .log.zst}. The next file is opened on the next record, with a fresh
 * header. The open time in a name is the time of the previous rotation (or the first open), as
 * in Zeek. With rotation on, a non-empty {@code <path>.log} left by an earlier run is renamed
 * aside (open time = its creation time) instead of being truncated.
 *
 * <p>Time ({@link RotationClock}): with {@code WALL_CLOCK} (live capture) the options' clock
 * drives interval rotation, also while no record arrives. With {@code NETWORK_TIME} (trace files,
 * like Zeek's {@code -r}, whose rotation timer and file names run on network time) the caller
 * reports packet time through {@link #advanceNetworkTime}; the interval rotations and the times
 * in file names then follow the trace. {@code #open}/{@code #close} lines always carry the
 * clock's wall time, as Zeek's ASCII writer does. Names and alignment use the clock's zone.
 *
 * <p>Permissions: directories the sink creates and tenant directories get
 * {@link Options#directoryPermissions} (default {@code rwxr-x---}), every file it creates
 * {@link Options#filePermissions} (default {@code rw-r-----}), set exactly (not subject to the
 * umask); permissions for others are refused. Ignored on file systems without POSIX permissions.
 *
 * <p>Back-pressure: when the queue is full, {@code write} blocks the caller until the writer
 * frees a slot (no record is dropped while the writer is alive). Records written after close,
 * or while the writer thread is dead, are dropped and counted ({@link #recordsDropped}).
 *
 * <p>Failure: I/O errors and records that cannot be formatted are counted
 * ({@link #writeErrors}) and never reach the caller; a file whose write failed stops receiving
 * records until its next rotation. Rename and compression failures are counted
 * ({@link #rotationErrors}) and keep the data in place (plain file, or the active file, which is
 * then renamed aside on the next open). Tenant and path names must match
 * {@code [A-Za-z0-9][A-Za-z0-9._-]*}, else their records are dropped and counted as errors. All
 * records of a file are written with the header of its first record's schema.
 */
public final class FileLogSink implements LogSink {
    /** Output format of the files. */
    public enum Format {
        /** Zeek's default ASCII (TSV) logs with meta header and footer. */
        TSV,
        /** Zeek's JSON logs ({@code LogAscii::use_json=T}). */
        JSON
    }

    /** Compression of rotated files. */
    public enum Compression {
        /** Rotated files stay plain text. */
        NONE(""),
        /** gzip (java.util.zip, default level 6), suffix {@code .gz}. */
        GZIP(".gz"),
        /** zstd (zstd-jni, level 3), suffix {@code .zst}. */
        ZSTD(".zst");

        private final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }

        /** File name suffix added to {@code .log}. */
        public String suffix() {
            return suffix;
        }

        /** Whether this machine can use it (zstd needs its native library). */
        public boolean available() {
            return this != ZSTD || ZstdStreams.available();
        }
    }

    /** What time drives interval rotation and the open times in rotated file names. */
    public enum RotationClock {
        /** The options' clock (live capture). */
        WALL_CLOCK,
        /** Packet time reported through {@link #advanceNetworkTime} (trace files, Zeek's {@code -r}). */
        NETWORK_TIME
    }

    /**
     * Rotation settings.
     *
     * @param interval rotate when the aligned interval ends; {@link Duration#ZERO} for none,
     *     otherwise at least one second
     * @param maxBytes rotate before a record would take a file past this size; 0 for none. A
     *     file holds at least one record, so a single larger record makes a larger file
     * @param compression compression of rotated files
     * @param clock what time drives the interval and the names
     */
    public record Rotation(Duration interval, long maxBytes, Compression compression, RotationClock clock) {
        /** No rotation: one file per tenant and path, truncated at start (Zeek's default). */
        public static final Rotation NONE = new Rotation(Duration.ZERO, 0, Compression.NONE, RotationClock.WALL_CLOCK);

        public Rotation {
            Objects.requireNonNull(interval);
            Objects.requireNonNull(compression);
            Objects.requireNonNull(clock);
            if (interval.isNegative() || (!interval.isZero() && interval.compareTo(Duration.ofSeconds(1)) < 0)) {
                throw new IllegalArgumentException("rotation interval must be zero or at least 1s: " + interval);
            }
            if (maxBytes < 0) {
                throw new IllegalArgumentException("rotation maxBytes must not be negative: " + maxBytes);
            }
        }

        /** Rotation every {@code interval} on the wall clock, no size limit, no compression. */
        public static Rotation every(Duration interval) {
            return NONE.withInterval(interval);
        }

        /** Rotation whenever a file reaches {@code maxBytes}, no compression. */
        public static Rotation atSize(long maxBytes) {
            return NONE.withMaxBytes(maxBytes);
        }

        /** Whether any rotation is configured. */
        public boolean enabled() {
            return !interval.isZero() || maxBytes > 0;
        }

        public Rotation withInterval(Duration d) {
            return new Rotation(d, maxBytes, compression, clock);
        }

        public Rotation withMaxBytes(long bytes) {
            return new Rotation(interval, bytes, compression, clock);
        }

        public Rotation withCompression(Compression c) {
            return new Rotation(interval, maxBytes, c, clock);
        }

        public Rotation withClock(RotationClock c) {
            return new Rotation(interval, maxBytes, compression, c);
        }
    }

    /** {@code rwxr-x---}. */
    public static final Set<PosixFilePermission> DEFAULT_DIRECTORY_PERMISSIONS =
            Set.copyOf(PosixFilePermissions.fromString("rwxr-x---"));
    /** {@code rw-r-----}. */
    public static final Set<PosixFilePermission> DEFAULT_FILE_PERMISSIONS =
            Set.copyOf(PosixFilePermissions.fromString("rw-r-----"));

    /**
     * Sink options.
     *
     * @param format file format
     * @param jsonTimestamps time format for JSON ({@code LogAscii::json_timestamps})
     * @param clock source of the {@code #open}/{@code #close} wall-clock times, of wall-clock
     *     rotation, and the zone of names and alignment
     * @param queueCapacity records that may wait for the writer thread
     * @param rotation rotation and compression ({@link Rotation#NONE} for none)
     * @param directoryPermissions of directories the sink creates and of tenant directories;
     *     must include {@code rwx} for the owner and nothing for others
     * @param filePermissions of every file the sink creates; must include {@code rw} for the
     *     owner and nothing for others
     */
    public record Options(Format format, JsonFormat.Timestamps jsonTimestamps, Clock clock, int queueCapacity,
            Rotation rotation, Set<PosixFilePermission> directoryPermissions,
            Set<PosixFilePermission> filePermissions) {
        public Options {
            Objects.requireNonNull(format);
            Objects.requireNonNull(jsonTimestamps);
            Objects.requireNonNull(clock);
            Objects.requireNonNull(rotation);
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
            }
            directoryPermissions = checkPermissions(directoryPermissions, EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE), "directory");
            filePermissions = checkPermissions(filePermissions, EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE), "file");
        }

        /** Options without rotation and with the default permissions. */
        public Options(Format format, JsonFormat.Timestamps jsonTimestamps, Clock clock, int queueCapacity) {
            this(format, jsonTimestamps, clock, queueCapacity, Rotation.NONE, DEFAULT_DIRECTORY_PERMISSIONS,
                    DEFAULT_FILE_PERMISSIONS);
        }

        /** TSV, epoch JSON timestamps, the system clock in the default zone, 65536 queued records, no rotation. */
        public static Options defaults() {
            return new Options(Format.TSV, JsonFormat.Timestamps.EPOCH, Clock.systemDefaultZone(), 65536);
        }

        public Options withFormat(Format f) {
            return new Options(f, jsonTimestamps, clock, queueCapacity, rotation, directoryPermissions, filePermissions);
        }

        public Options withJsonTimestamps(JsonFormat.Timestamps t) {
            return new Options(format, t, clock, queueCapacity, rotation, directoryPermissions, filePermissions);
        }

        public Options withClock(Clock c) {
            return new Options(format, jsonTimestamps, c, queueCapacity, rotation, directoryPermissions, filePermissions);
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(format, jsonTimestamps, clock, capacity, rotation, directoryPermissions, filePermissions);
        }

        public Options withRotation(Rotation r) {
            return new Options(format, jsonTimestamps, clock, queueCapacity, r, directoryPermissions, filePermissions);
        }

        /** Permissions as {@code ls} shows them, e.g. {@code "rwxr-x---"} and {@code "rw-r-----"}. */
        public Options withPermissions(String directory, String file) {
            return new Options(format, jsonTimestamps, clock, queueCapacity, rotation,
                    PosixFilePermissions.fromString(directory), PosixFilePermissions.fromString(file));
        }

        private static Set<PosixFilePermission> checkPermissions(Set<PosixFilePermission> p,
                Set<PosixFilePermission> required, String what) {
            Objects.requireNonNull(p, what + " permissions");
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalArgumentException(what + " permissions must give others nothing: "
                        + PosixFilePermissions.toString(p));
            }
            if (!p.containsAll(required)) {
                throw new IllegalArgumentException(what + " permissions must include "
                        + PosixFilePermissions.toString(required) + " for the owner: " + PosixFilePermissions.toString(p));
            }
            return Set.copyOf(p);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int BATCH = 1024;
    /** Longest wait of an idle writer before it looks at the wall clock again (clock jumps). */
    private static final long MAX_IDLE_MILLIS = 500;
    /** Network time is published to the writer in steps of at least this much (seconds). */
    private static final double NETWORK_TIME_STEP = 0.001;
    private static final int MAX_COLLISIONS = 100_000;

    private final Path directory;
    private final Options options;
    private final ZoneId zone;
    private final double intervalSeconds;
    private final boolean networkClock;
    private final BlockingQueue<Item> queue;
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rotated = new LongAdder();
    private final LongAdder rotationErrors = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Latest network time reported (raw double bits); any thread writes the maximum. */
    private final AtomicLong networkTime = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final Object networkRotationLock = new Object();
    /**
     * Next network-time rotation: 0 until the first network time arrives, infinite without an
     * interval. Written under networkRotationLock.
     */
    private volatile double nextNetworkRotation;
    private final Thread writer;
    private volatile boolean closed;

    // Writer thread state.
    private final LogFormat format;
    private final LogBuffer buffer = new LogBuffer(4096);
    private final LogBuffer meta = new LogBuffer(512);
    private final Map<String, Map<String, OpenFile>> files = new HashMap<>();
    private final Set<String> preparedDirs = new HashSet<>();
    private final List<OpenFile> dirty = new ArrayList<>();
    private final boolean posix;
    private final FileAttribute<?>[] fileAttributes;
    private final FileAttribute<?>[] directoryAttributes;
    private final LogCompressor compressor;
    private double nextWallRotation;
    private double writerNetworkTime;

    public FileLogSink(Path directory) {
        this(directory, Options.defaults());
    }

    /**
     * Starts the writer (and, with compression, the compressor) thread.
     *
     * @throws IllegalStateException when zstd compression is configured but its native library
     *     cannot be loaded on this machine
     */
    public FileLogSink(Path directory, Options options) {
        this.directory = Objects.requireNonNull(directory);
        this.options = Objects.requireNonNull(options);
        Rotation rotation = options.rotation();
        if (!rotation.compression().available()) {
            throw new IllegalStateException("compression " + rotation.compression()
                    + " is not available on this machine (native library did not load)");
        }
        this.zone = options.clock().getZone();
        this.intervalSeconds = rotation.interval().toNanos() / 1e9;
        this.networkClock = rotation.clock() == RotationClock.NETWORK_TIME;
        this.nextNetworkRotation = intervalSeconds > 0 ? 0 : Double.POSITIVE_INFINITY;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.format = switch (options.format()) {
            case TSV -> new TsvFormat();
            case JSON -> new JsonFormat(options.jsonTimestamps());
        };
        this.posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.fileAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(options.filePermissions())}
                : new FileAttribute<?>[0];
        this.directoryAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(options.directoryPermissions())}
                : new FileAttribute<?>[0];
        this.compressor = rotation.compression() == Compression.NONE ? null
                : new LogCompressor(rotation.compression(), posix ? options.filePermissions() : null, rotationErrors);
        this.nextWallRotation = wallRotationEnabled()
                ? RotationSchedule.nextRotation(wallSeconds(), intervalSeconds, zone) : Double.POSITIVE_INFINITY;
        this.writer = Thread.ofPlatform().name("picket-log-writer").daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Queues the record; blocks while the queue is full (see class comment). */
    @Override
    public void write(String tenant, LogRecord record) {
        double nt = networkClock ? Double.longBitsToDouble(networkTime.get()) : 0;
        if (enqueue(new Rec(tenant, record, nt))) {
            accepted.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        }
    }

    /**
     * Reports the network time (epoch seconds of the packet being processed) for
     * {@link RotationClock#NETWORK_TIME} rotation; ignored with the wall clock. Any thread; the
     * largest time reported wins. Cheap when nothing is due (one volatile read, a write at most
     * once per millisecond of network time); when an interval boundary is crossed it queues a
     * rotation behind the records already written, blocking like {@link #write} if the queue is
     * full. Call it before writing the records of the packet (Zeek runs the rotation timer before
     * the packet's events), e.g. per packet or per batch of packets.
     */
    public void advanceNetworkTime(double epochSeconds) {
        if (!networkClock || !(epochSeconds > 0) || closed) {
            return;
        }
        long bits = networkTime.get();
        double current = Double.longBitsToDouble(bits);
        if (epochSeconds - current < NETWORK_TIME_STEP && epochSeconds < nextNetworkRotation) {
            return;
        }
        while (epochSeconds > current && !networkTime.compareAndSet(bits, Double.doubleToRawLongBits(epochSeconds))) {
            bits = networkTime.get();
            current = Double.longBitsToDouble(bits);
        }
        if (epochSeconds >= nextNetworkRotation) {
            boolean rotate;
            synchronized (networkRotationLock) {
                double due = nextNetworkRotation;
                if (epochSeconds < due) {
                    return;
                }
                nextNetworkRotation = RotationSchedule.nextRotation(epochSeconds, intervalSeconds, zone);
                // Like Zeek's first rotation timer, the first network time only schedules.
                rotate = due > 0;
            }
            if (rotate) {
                enqueue(new Tick(epochSeconds));
            }
        }
    }

    /**
     * Blocks until every record accepted before the call is written and flushed to the
     * operating system (not forced to the device). Returns at once after close. Any thread.
     */
    public void flush() {
        Flush f = new Flush(new CountDownLatch(1));
        if (!enqueue(f)) {
            return;
        }
        boolean interrupted = false;
        try {
            while (writer.isAlive()) {
                try {
                    if (f.done().await(10, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean enqueue(Item item) {
        inFlight.incrementAndGet();
        try {
            if (closed) {
                if (item instanceof Rec) {
                    dropped.increment();
                }
                return false;
            }
            if (!queue.offer(item) && !offerBlocking(item)) {
                if (item instanceof Rec) {
                    dropped.increment();
                }
                return false;
            }
            return true;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean offerBlocking(Item e) {
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

    /** Files rotated (renamed to their rotated name) so far. */
    public long rotations() {
        return rotated.sum();
    }

    /** Failed renames and compressions; the data stays in the plain or active file. */
    public long rotationErrors() {
        return rotationErrors.sum();
    }

    /**
     * Drains the queue, ends every file (rotating them when rotation is on), waits for the writer
     * and the compressor. Idempotent.
     */
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
                if (queue.offer(Stop.STOP, 10, TimeUnit.MILLISECONDS)) {
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
        List<Item> batch = new ArrayList<>(BATCH);
        try {
            boolean stop = false;
            while (!stop) {
                Item first = next();
                rotateIfWallIntervalEnded();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (Item e : batch) {
                    stop |= handle(e);
                }
                batch.clear();
                if (stop) {
                    // Writers finished before STOP was queued; take anything still behind it.
                    queue.drainTo(batch);
                    for (Item e : batch) {
                        handle(e);
                    }
                    batch.clear();
                }
                if (queue.isEmpty()) {
                    flushDirty();
                }
            }
        } finally {
            closeAll();
            // Release flush() callers whose requests were never reached.
            List<Item> rest = new ArrayList<>();
            queue.drainTo(rest);
            for (Item e : rest) {
                if (e instanceof Flush f) {
                    f.done().countDown();
                }
            }
        }
    }

    /** The next queued item, or null when the wall clock should be looked at first. */
    private Item next() {
        try {
            if (!wallRotationEnabled()) {
                return queue.take();
            }
            long wait = (long) Math.ceil((nextWallRotation - wallSeconds()) * 1000);
            return queue.poll(Math.clamp(wait, 1, MAX_IDLE_MILLIS), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            return null; // only close() stops the writer
        }
    }

    /** Handles one item; true for STOP. */
    private boolean handle(Item item) {
        switch (item) {
            case Rec r -> {
                if (r.networkTime() > writerNetworkTime) {
                    writerNetworkTime = r.networkTime();
                }
                writeRecord(r.tenant(), r.record());
            }
            case Tick t -> {
                if (t.time() > writerNetworkTime) {
                    writerNetworkTime = t.time();
                }
                rotateAll(t.time());
            }
            case Flush f -> {
                flushDirty();
                f.done().countDown();
            }
            case Stop s -> {
                return true;
            }
        }
        return false;
    }

    private boolean wallRotationEnabled() {
        return intervalSeconds > 0 && !networkClock;
    }

    private void rotateIfWallIntervalEnded() {
        if (!wallRotationEnabled()) {
            return;
        }
        double now = wallSeconds();
        if (now >= nextWallRotation) {
            rotateAll(now);
            nextWallRotation = RotationSchedule.nextRotation(now, intervalSeconds, zone);
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
        long max = options.rotation().maxBytes();
        if (max > 0 && f.rows > 0 && f.bytes + buffer.length() > max) {
            rotate(f, rotationSeconds());
            open(f, record.schema());
            if (f.failed) {
                errors.increment();
                return;
            }
        }
        try {
            buffer.writeTo(f.out);
            f.bytes += buffer.length();
            f.rows++;
            if (!f.dirty) {
                f.dirty = true;
                dirty.add(f);
            }
        } catch (IOException ex) {
            f.failed = true;
            errors.increment();
        }
    }

    /** The open file for the tenant's path (opening it if needed), or null for a bad name. */
    private OpenFile file(String tenant, LogSchema schema) {
        if (tenant == null) {
            return null;
        }
        Map<String, OpenFile> byPath = files.get(tenant);
        OpenFile f = byPath == null ? null : byPath.get(schema.path());
        if (f == null) {
            if (!NAME.matcher(tenant).matches() || !NAME.matcher(schema.path()).matches()) {
                return null;
            }
            f = new OpenFile(tenant, schema.path(), directory.resolve(tenant));
            files.computeIfAbsent(tenant, t -> new HashMap<>()).put(schema.path(), f);
            f.openTime = rotationSeconds();
        }
        if (f.out == null && !f.failed) {
            open(f, schema);
        }
        return f;
    }

    /** Opens the active file (truncated) and writes the header; marks the file failed on error. */
    private void open(OpenFile f, LogSchema schema) {
        try {
            prepareDirectory(f);
            Path active = f.active();
            boolean append = false;
            if (options.rotation().enabled() && Files.exists(active) && Files.size(active) > 0) {
                append = !moveAside(f, active);
            }
            Set<OpenOption> how = append
                    ? Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            OutputStream raw = Channels.newOutputStream(Files.newByteChannel(active, how, fileAttributes));
            f.out = new BufferedOutputStream(raw, 1 << 16);
            restrict(active, options.filePermissions(), true);
            f.bytes = append ? Files.size(active) : 0;
            f.rows = 0;
            meta.clear();
            format.header(schema, wallNow(), meta);
            meta.writeTo(f.out);
            f.bytes += meta.length();
        } catch (IOException | RuntimeException ex) {
            f.failed = true;
            closeQuietly(f);
            preparedDirs.remove(f.tenant); // look at the directory again on the next try
        }
    }

    /**
     * Sets the configured permissions. When that is refused (a file or directory the sink does
     * not own), a file that others could read is refused too; a directory is left as it is (the
     * files in it are still protected by their own permissions).
     */
    private void restrict(Path p, Set<PosixFilePermission> perms, boolean file) throws IOException {
        if (!posix) {
            return;
        }
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException e) {
            if (file) {
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
                if (now.contains(PosixFilePermission.OTHERS_READ) || now.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw e;
                }
            }
        }
    }

    private void prepareDirectory(OpenFile f) throws IOException {
        if (preparedDirs.contains(f.tenant)) {
            return;
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, directoryAttributes);
        }
        Files.createDirectories(f.dir, directoryAttributes);
        restrict(f.dir, options.directoryPermissions(), false);
        preparedDirs.add(f.tenant);
    }

    /** Renames a log left by an earlier run to a rotated name; false when that failed. */
    private boolean moveAside(OpenFile f, Path active) {
        double created;
        try {
            BasicFileAttributes a = Files.readAttributes(active, BasicFileAttributes.class);
            created = a.creationTime().toMillis() / 1000.0;
        } catch (IOException e) {
            created = f.openTime;
        }
        return rename(f, active, created);
    }

    /** Ends the file (footer, close) and renames it; the next record opens a new one. */
    private void rotate(OpenFile f, double closeTime) {
        if (f.out != null) {
            try {
                if (!f.failed) {
                    meta.clear();
                    format.footer(wallNow(), meta);
                    meta.writeTo(f.out);
                }
                f.out.close();
            } catch (IOException | RuntimeException ex) {
                errors.increment();
            }
            f.out = null;
            f.dirty = false;
            rename(f, f.active(), f.openTime);
        }
        f.failed = false;
        f.openTime = closeTime;
        f.bytes = 0;
        f.rows = 0;
    }

    private void rotateAll(double time) {
        for (Map<String, OpenFile> byPath : files.values()) {
            for (OpenFile f : byPath.values()) {
                rotate(f, time);
            }
        }
        dirty.clear();
    }

    /** Renames {@code src} to the first free rotated name and queues compression. */
    private boolean rename(OpenFile f, Path src, double openTime) {
        try {
            for (int n = 0; n < MAX_COLLISIONS; n++) {
                Path target = f.dir.resolve(RotationSchedule.rotatedName(f.path, openTime, zone, n));
                if (taken(target)) {
                    continue;
                }
                try {
                    Files.move(src, target);
                } catch (FileAlreadyExistsException raced) {
                    continue;
                }
                rotated.increment();
                if (compressor != null) {
                    compressor.submit(target);
                }
                return true;
            }
            rotationErrors.increment();
            return false;
        } catch (IOException | RuntimeException e) {
            rotationErrors.increment();
            return false;
        }
    }

    private static boolean taken(Path target) {
        if (Files.exists(target)) {
            return true;
        }
        String name = target.getFileName().toString();
        for (Compression c : Compression.values()) {
            if (c != Compression.NONE && (Files.exists(target.resolveSibling(name + c.suffix()))
                    || Files.exists(target.resolveSibling("." + name + c.suffix() + ".part")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Time for rotation decisions and names: the network time of the items handled so far when
     * configured and known (so it follows queue order, not the callers' latest time), else the clock.
     */
    private double rotationSeconds() {
        return networkClock && writerNetworkTime > 0 ? writerNetworkTime : wallSeconds();
    }

    private double wallSeconds() {
        Instant now = options.clock().instant();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    private ZonedDateTime wallNow() {
        return ZonedDateTime.ofInstant(options.clock().instant(), zone);
    }

    private void flushDirty() {
        for (OpenFile f : dirty) {
            f.dirty = false;
            if (!f.failed && f.out != null) {
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
        try {
            if (options.rotation().enabled()) {
                writerNetworkTime = Math.max(writerNetworkTime, Double.longBitsToDouble(networkTime.get()));
                rotateAll(rotationSeconds());
            } else {
                for (Map<String, OpenFile> byPath : files.values()) {
                    for (OpenFile f : byPath.values()) {
                        closeQuietly(f);
                    }
                }
            }
            files.clear();
            dirty.clear();
        } finally {
            if (compressor != null) {
                compressor.close();
            }
        }
    }

    private void closeQuietly(OpenFile f) {
        if (f.out == null) {
            return;
        }
        try {
            if (!f.failed) {
                meta.clear();
                format.footer(wallNow(), meta);
                meta.writeTo(f.out);
            }
            f.out.close();
        } catch (IOException | RuntimeException ex) {
            errors.increment();
        }
        f.out = null;
    }

    /** What travels from the callers to the writer thread. */
    private sealed interface Item permits Rec, Tick, Flush, Stop {
    }

    /** A record and the network time when it was written (0 with the wall clock). */
    private record Rec(String tenant, LogRecord record, double networkTime) implements Item {
    }

    /** An interval boundary crossed in network time. */
    private record Tick(double time) implements Item {
    }

    private record Flush(CountDownLatch done) implements Item {
    }

    private enum Stop implements Item {
        STOP
    }

    /** One tenant's log stream; touched by the writer thread only. */
    private static final class OpenFile {
        final String tenant;
        final String path;
        final Path dir;
        OutputStream out;
        boolean failed;
        boolean dirty;
        long bytes;
        long rows;
        /** Epoch seconds named in the rotated file (first open or previous rotation). */
        double openTime;

        OpenFile(String tenant, String path, Path dir) {
            this.tenant = tenant;
            this.path = path;
            this.dir = dir;
        }

        Path active() {
            return dir.resolve(path + ".log");
        }
    }
}
