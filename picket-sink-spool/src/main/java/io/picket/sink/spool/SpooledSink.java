package io.picket.sink.spool;

import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's network log destination: formats records, keeps them in a durable {@link Spool}
 * and delivers them through a {@link Transport}, without ever blocking the caller.
 *
 * <p>Threads: {@link #write} runs on shard threads; it formats the record into an
 * {@link Envelope} (one {@link EnvelopeEncoder} per calling thread) and offers it to a bounded
 * in-memory queue, never waiting. A virtual <em>spool thread</em> drains the queue into the spool
 * and flushes it after each batch. A virtual <em>delivery thread</em> reads batches from the spool
 * cursor, hands them to the transport, and acknowledges a batch only after the transport returned;
 * a failed batch is retried, unchanged and in order, after an exponential back-off (capped,
 * honouring Retry-After). Each sink has its own queue, spool and threads, so a destination that
 * stalls affects only its own tenant sink: its spool fills up and then the overflow policy drops.
 *
 * <p>Guarantees: records leave in the order they were accepted (per sink, hence per log stream).
 * Delivery is at-least-once for records that reached the spool: a batch delivered but not yet
 * acknowledged when the process stops is sent again at the next start. Records still in the queue
 * or not yet forced to disk (fsync policy) can be lost by a crash, not by a failing destination.
 * Every record lost is counted under a {@link DropCause}.
 */
public final class SpooledSink implements LogSink {
    private static final int DRAIN_BATCH = 1024;
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String tenant;
    private final SinkOptions options;
    private final Spool spool;
    private final Transport transport;
    private final ArrayBlockingQueue<byte[]> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ThreadLocal<EnvelopeEncoder> encoders;
    private final LongAdder accepted = new LongAdder();
    private final EnumMap<DropCause, LongAdder> drops = new EnumMap<>(DropCause.class);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicInteger writing = new AtomicInteger();
    private final Thread spoolThread;
    private final Thread deliveryThread;
    private final long tornAtOpen;
    private volatile String lastError;
    private volatile boolean closed;
    private volatile boolean stopSpooling;
    private volatile boolean stopDelivery;

    /**
     * Opens the spool in {@code spoolDir} (recovering what a previous run left) and starts the
     * spool and delivery threads. The sink owns {@code transport} and closes it.
     */
    public SpooledSink(String tenant, SinkOptions options, Path spoolDir, Transport transport) throws IOException {
        this.tenant = Objects.requireNonNull(tenant);
        this.options = Objects.requireNonNull(options);
        this.transport = Objects.requireNonNull(transport);
        for (DropCause c : DropCause.values()) {
            drops.put(c, new LongAdder());
        }
        this.spool = Spool.open(spoolDir, options.spool());
        Spool.Stats s = spool.stats();
        this.tornAtOpen = s.tornRecords();
        this.queue = new ArrayBlockingQueue<>(options.queueRecords());
        this.encoders = ThreadLocal.withInitial(() -> new EnvelopeEncoder(options.format(), options.jsonTimestamps()));
        String base = "picket-sink-" + tenant + "-" + options.name();
        this.spoolThread = Thread.ofVirtual().name(base + "-spool").unstarted(this::spoolLoop);
        this.deliveryThread = Thread.ofVirtual().name(base + "-delivery").unstarted(this::deliveryLoop);
        spoolThread.start();
        deliveryThread.start();
    }

    public String tenant() {
        return tenant;
    }

    public String name() {
        return options.name();
    }

    public SinkOptions options() {
        return options;
    }

    /** Spool directory id, part of every record id ({@link Envelope#recordId()}). */
    public long spoolId() {
        return spool.id();
    }

    /**
     * Formats the record and queues it; never blocks. Drops and counts it when the sink is closed,
     * the tenant is not this sink's, the record cannot be formatted, is too large, or the queue is
     * full. Shard threads.
     */
    @Override
    public void write(String tenant, LogRecord record) {
        writing.incrementAndGet();
        try {
            if (closed) {
                drop(DropCause.CLOSED);
                return;
            }
            if (!this.tenant.equals(tenant)) {
                drop(DropCause.WRONG_TENANT);
                return;
            }
            byte[] env;
            try {
                env = encoders.get().encode(record);
            } catch (RuntimeException e) {
                drop(DropCause.FORMAT_ERROR);
                return;
            }
            if (env.length > options.spool().maxRecordBytes()) {
                drop(DropCause.TOO_LARGE);
                return;
            }
            if (queuedBytes.addAndGet(env.length) > options.queueBytes() || !queue.offer(env)) {
                queuedBytes.addAndGet(-env.length);
                drop(DropCause.QUEUE_FULL);
                return;
            }
            accepted.increment();
        } finally {
            writing.decrementAndGet();
        }
    }

    private void drop(DropCause cause) {
        drops.get(cause).increment();
    }

    /** Records accepted for {@code tenant} (zero for any other tenant). */
    @Override
    public long recordsWritten(String tenant) {
        return this.tenant.equals(tenant) ? accepted.sum() : 0;
    }

    /** A snapshot of the counters. Any thread. */
    public SinkCounters counters() {
        Spool.Stats s = spool.stats();
        Map<DropCause, Long> d = new EnumMap<>(DropCause.class);
        for (var e : drops.entrySet()) {
            d.put(e.getKey(), e.getValue().sum());
        }
        d.merge(DropCause.SPOOL_FULL, s.refusedFull(), Long::sum);
        d.merge(DropCause.SPOOL_EVICTED, s.evicted(), Long::sum);
        d.merge(DropCause.SPOOL_WRITE_ERROR, s.writeErrors(), Long::sum);
        d.merge(DropCause.SPOOL_CORRUPT, s.corrupt(), Long::sum);
        d.merge(DropCause.SPOOL_TORN, tornAtOpen, Long::sum);
        return new SinkCounters(tenant, options.name(), accepted.sum(), delivered.get(), retries.get(), d,
                queue.size(), s.bytes(), s.pendingRecords(), s.recoveredPending(), lastError);
    }

    // ------------------------------------------------------------------ spool thread

    private void spoolLoop() {
        List<byte[]> batch = new ArrayList<>(DRAIN_BATCH);
        long spoolId = spool.id();
        while (true) {
            byte[] first;
            try {
                first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                spool.flush();
                if (stopSpooling && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, DRAIN_BATCH - 1);
            for (byte[] env : batch) {
                queuedBytes.addAndGet(-env.length);
                Envelope.stamp(env, spoolId, spool.nextSequence());
                spool.append(env);
            }
            batch.clear();
            spool.flush();
        }
    }

    // ------------------------------------------------------------------ delivery thread

    private void deliveryLoop() {
        BatchOptions b = options.batch();
        long lingerNanos = b.linger().toNanos();
        List<byte[]> batch = new ArrayList<>(Math.min(b.maxRecords(), 4096));
        int attempt = 0;
        while (!stopDelivery) {
            try {
                if (batch.isEmpty() && !fill(batch, b, lingerNanos)) {
                    continue;
                }
                try {
                    transport.deliver(batch);
                    spool.ack();
                    delivered.addAndGet(batch.size());
                    batch.clear();
                    attempt = 0;
                } catch (RejectedException e) {
                    int rejected = Math.clamp(e.rejected(), 0, batch.size());
                    spool.ack();
                    drops.get(DropCause.REJECTED).add(rejected);
                    delivered.addAndGet(batch.size() - rejected);
                    lastError = describe(e);
                    batch.clear();
                    attempt = 0;
                } catch (IOException | RuntimeException e) {
                    if (stopDelivery) {
                        return;
                    }
                    retries.incrementAndGet();
                    lastError = describe(e);
                    Duration ra = e instanceof DeliveryException de ? de.retryAfter().orElse(null) : null;
                    long delay = options.retry().delayNanos(attempt, ra);
                    attempt = Math.min(attempt + 1, 62);
                    Thread.sleep(Duration.ofNanos(delay));
                }
            } catch (InterruptedException e) {
                // close() interrupts; the loop condition decides.
            }
        }
    }

    /** Reads a batch from the spool, lingering for more; false when nothing was read. */
    private boolean fill(List<byte[]> batch, BatchOptions b, long lingerNanos) throws InterruptedException {
        if (spool.read(batch, b.maxRecords(), b.maxBytes()) == 0) {
            spool.awaitReadable(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            return false;
        }
        long bytes = payloadBytes(batch);
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < b.maxRecords() && bytes < b.maxBytes() && !stopDelivery) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !spool.awaitReadable(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            int before = batch.size();
            if (spool.read(batch, b.maxRecords() - before, b.maxBytes() - bytes) == 0) {
                break;
            }
            for (int i = before; i < batch.size(); i++) {
                bytes += batch.get(i).length;
            }
        }
        return true;
    }

    private static long payloadBytes(List<byte[]> batch) {
        long n = 0;
        for (byte[] r : batch) {
            n += r.length;
        }
        return n;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * Stops accepting, moves everything queued into the spool, gives the delivery thread up to
     * {@code closeTimeout} to send what is pending, then stops it, closes the transport and the
     * spool. Undelivered records stay in the spool for the next start. Idempotent; blocks.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        while (writing.get() != 0) {
            Thread.onSpinWait();
        }
        stopSpooling = true;
        join(spoolThread, Duration.ofMinutes(1));
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        while (spool.pendingRecords() > 0 && System.nanoTime() < deadline && deliveryThread.isAlive()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopDelivery = true;
        deliveryThread.interrupt();
        transport.close();
        join(deliveryThread, Duration.ofSeconds(2));
        spool.close();
    }

    private static void join(Thread t, Duration max) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + max.toNanos();
        while (t.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
