package io.picket.sink.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A bounded, durable FIFO of byte records for one (tenant, sink), kept in one directory:
 * append-only segment files {@code <base sequence>.seg}, a read cursor file {@code cursor} and a
 * {@code lock} file that keeps a second process out.
 *
 * <p>Layout (big-endian): a segment starts with {@code "PKSG"}, version 1 and its base sequence
 * (16 bytes), then records {@code [u32 length][u32 CRC32C of length bytes and payload][payload]}.
 * Every record has a sequence number: its segment's base plus its index. The cursor file holds two
 * 32-byte slots written alternately ({@code "PKCR"}, CRC32C, generation, acknowledged sequence,
 * spool id), so a torn cursor write leaves the previous slot valid.
 *
 * <p>Recovery ({@link #open}): every segment is scanned and checked record by record; the first
 * record whose length or CRC is wrong and everything after it is truncated and counted
 * ({@link Stats#tornRecords}, {@link Stats#tornBytes}); a segment with a bad header is renamed to
 * {@code *.corrupt}. Reading resumes at the acknowledged sequence, so records handed out but not
 * acknowledged before a crash are read again (at-least-once).
 *
 * <p>Threads: one <em>appending</em> thread calls {@link #append}, {@link #flush}; one
 * <em>reading</em> thread calls {@link #read}, {@link #ack}, {@link #awaitReadable}; {@link #stats}
 * and {@link #close} may be called from any thread. A lock guards the shared state; reads copy
 * from the page cache under it, and forcing to the device happens outside it where possible.
 * Appended records become readable at the next {@link #flush} (or when the write buffer fills).
 *
 * <p>Failure: I/O errors while writing drop the buffered records and count them
 * ({@link Stats#writeErrors}); a CRC mismatch found while reading skips the rest of that segment
 * and counts the records skipped ({@link Stats#corrupt}). Neither is thrown.
 */
public final class Spool implements AutoCloseable {
    /** {@link #append} result: the spool was full and the overflow policy refused the record. */
    public static final long REFUSED_FULL = -1;
    /** {@link #append} result: the record could not be written (I/O error, counted). */
    public static final long FAILED = -2;

    private static final int SEGMENT_MAGIC = 0x504b5347; // "PKSG"
    private static final int SEGMENT_VERSION = 1;
    private static final int CURSOR_MAGIC = 0x504b4352; // "PKCR"
    private static final int CURSOR_SLOT = 32;
    /** Recovery refuses lengths above this whatever the options say (they may have changed). */
    private static final int HARD_MAX_RECORD = 256 << 20;
    private static final int HEADER = SpoolOptions.SEGMENT_HEADER_BYTES;
    private static final int REC = SpoolOptions.RECORD_HEADER_BYTES;
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.seg");
    private static final int WRITE_BUFFER = 256 << 10;
    private static final int READ_BUFFER = 256 << 10;

    /** Counters and gauges of one spool; a consistent snapshot. */
    public record Stats(long spoolId, long bytes, long pendingRecords, long appended, long refusedFull, long evicted,
            long corrupt, long writeErrors, long tornRecords, long tornBytes, long corruptSegments,
            long recoveredPending) {
    }

    private final Path dir;
    private final SpoolOptions options;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final FileChannel cursorChannel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readableCond = lock.newCondition();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final CRC32C crc = new CRC32C();
    private final CRC32C readCrc = new CRC32C();
    private final ByteBuffer cursorBuf = ByteBuffer.allocate(CURSOR_SLOT).order(ByteOrder.BIG_ENDIAN);
    private final long spoolId;

    // Guarded by lock.
    private long cursorGeneration;
    private long ackSeq;
    private long readSeq;
    private Segment readSegment;
    private long readOffset;
    private long inflight;
    private long nextSeq;
    private long totalBytes;
    private long pending;
    private boolean closed;
    private long appended;
    private long refusedFull;
    private long evicted;
    private long corrupt;
    private long writeErrors;
    private long tornRecords;
    private long tornBytes;
    private long corruptSegments;
    private long recoveredPending;

    // Appending thread (and lock when published).
    private Segment active;
    private final ByteBuffer writeBuf = ByteBuffer.allocate(WRITE_BUFFER).order(ByteOrder.BIG_ENDIAN);
    private long activeWritten;
    private int bufferedRecords;
    private boolean unforced;
    private long lastForceNanos = System.nanoTime();

    // Reading thread (under lock).
    private ByteBuffer readBuf = ByteBuffer.allocate(READ_BUFFER).order(ByteOrder.BIG_ENDIAN);
    private Segment windowSegment;
    private long windowStart;
    private int windowLength;

    private Spool(Path dir, SpoolOptions options, FileChannel lockChannel, FileLock fileLock,
            FileChannel cursorChannel, long spoolId) {
        this.dir = dir;
        this.options = options;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.cursorChannel = cursorChannel;
        this.spoolId = spoolId;
    }

    /**
     * Opens (creating if needed) the spool in {@code dir} and recovers it: checks every record,
     * truncates a torn tail, positions reading at the acknowledged cursor. Fails if another
     * process or another open {@code Spool} holds the directory.
     */
    public static Spool open(Path dir, SpoolOptions options) throws IOException {
        Objects.requireNonNull(options);
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fileLock;
        try {
            fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        }
        if (fileLock == null) {
            lockChannel.close();
            throw new IOException("spool directory is in use by another sink: " + dir);
        }
        FileChannel cursor = null;
        try {
            cursor = FileChannel.open(dir.resolve("cursor"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long[] slot = readCursor(cursor);
            long id = slot != null ? slot[2] : new SecureRandom().nextLong() & Long.MAX_VALUE;
            Spool spool = new Spool(dir, options, lockChannel, fileLock, cursor, id);
            spool.recover(slot);
            return spool;
        } catch (IOException | RuntimeException e) {
            if (cursor != null) {
                cursor.close();
            }
            fileLock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** Random id chosen when the directory was first used; with a sequence it names a record for good. */
    public long id() {
        return spoolId;
    }

    public Path directory() {
        return dir;
    }

    public SpoolOptions options() {
        return options;
    }

    /** Sequence number the next appended record gets. Appending thread. */
    public long nextSequence() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ appending thread

    /**
     * Appends one record. Returns its sequence number, {@link #REFUSED_FULL} when the spool is full
     * and the policy is drop-newest, or {@link #FAILED} when it could not be written. Appending
     * thread; the record becomes readable at the next {@link #flush}.
     *
     * @throws IllegalArgumentException if {@code len} is 0 or above {@code maxRecordBytes}
     */
    public long append(byte[] src, int off, int len) {
        if (len < 1 || len > options.maxRecordBytes()) {
            throw new IllegalArgumentException("record length " + len + " outside 1.." + options.maxRecordBytes());
        }
        int need = REC + len;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("spool closed: " + dir);
            }
            if (activeWritten + need > options.segmentBytes() && active.count + bufferedRecords > 0) {
                if (!roll()) {
                    writeErrors++;
                    return FAILED;
                }
            }
            while (totalBytes + need > options.maxBytes()) {
                if (options.overflow() == SpoolOptions.Overflow.DROP_NEWEST || !evictOldest()) {
                    refusedFull++;
                    return REFUSED_FULL;
                }
            }
            if (writeBuf.remaining() < need) {
                flushBuffer();
                if (writeBuf.remaining() < need) {
                    // A record larger than the buffer goes straight to the file.
                    return appendDirect(src, off, len);
                }
            }
            crc.reset();
            writeBuf.putInt(len);
            crc.update(writeBuf.array(), writeBuf.position() - 4, 4);
            crc.update(src, off, len);
            writeBuf.putInt((int) crc.getValue());
            writeBuf.put(src, off, len);
            bufferedRecords++;
            activeWritten += need;
            totalBytes += need;
            appended++;
            return nextSeq++;
        } finally {
            lock.unlock();
        }
    }

    public long append(byte[] record) {
        return append(record, 0, record.length);
    }

    private long appendDirect(byte[] src, int off, int len) {
        ByteBuffer one = ByteBuffer.allocate(REC + len).order(ByteOrder.BIG_ENDIAN);
        crc.reset();
        one.putInt(len);
        crc.update(one.array(), 0, 4);
        crc.update(src, off, len);
        one.putInt((int) crc.getValue()).put(src, off, len).flip();
        try {
            writeFully(active.writer, one, active.size);
        } catch (IOException e) {
            truncateQuietly(active);
            writeErrors++;
            return FAILED;
        }
        active.size += REC + len;
        active.count++;
        activeWritten += REC + len;
        totalBytes += REC + len;
        pending++;
        appended++;
        unforced = true;
        readableCond.signalAll();
        return nextSeq++;
    }

    /**
     * Makes appended records readable and forces them to the device as the fsync policy says
     * (every call for {@code BATCH}, when the interval has passed for {@code INTERVAL}).
     * Appending thread; call it after each batch and when idle.
     */
    public void flush() {
        FileChannel toForce = null;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flushBuffer();
            if (unforced && forceDue()) {
                toForce = active.writer;
                unforced = false;
                lastForceNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
        if (toForce != null) {
            try {
                toForce.force(false);
            } catch (IOException e) {
                // Closed by close() meanwhile, or a device error: the data is in the page cache.
            }
        }
    }

    private boolean forceDue() {
        return switch (options.fsync()) {
            case BATCH -> true;
            case INTERVAL -> System.nanoTime() - lastForceNanos >= options.fsyncInterval().toNanos();
            case NEVER -> false;
        };
    }

    /** Writes the buffer to the active segment and publishes it. Under lock. */
    private void flushBuffer() {
        if (writeBuf.position() == 0) {
            return;
        }
        writeBuf.flip();
        int bytes = writeBuf.remaining();
        try {
            writeFully(active.writer, writeBuf, active.size);
            active.size += bytes;
            active.count += bufferedRecords;
            pending += bufferedRecords;
            unforced = true;
            readableCond.signalAll();
        } catch (IOException e) {
            truncateQuietly(active);
            writeErrors += bufferedRecords;
            appended -= bufferedRecords;
            nextSeq -= bufferedRecords;
            totalBytes -= bytes;
            activeWritten = active.size;
        } finally {
            bufferedRecords = 0;
            writeBuf.clear();
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private void truncateQuietly(Segment s) {
        try {
            s.writer.truncate(s.size);
        } catch (IOException ignored) {
            // The unpublished tail is ignored by readers and cut again at recovery.
        }
    }

    /** Seals the active segment and starts a new one. Under lock, appending thread. */
    private boolean roll() {
        flushBuffer();
        if (options.fsync() != SpoolOptions.Fsync.NEVER && unforced) {
            try {
                active.writer.force(false);
            } catch (IOException ignored) {
                // Still in the page cache.
            }
        }
        Segment next;
        try {
            next = createSegment(nextSeq);
        } catch (IOException e) {
            return false;
        }
        closeQuietly(active.writer);
        active.writer = null;
        unforced = false;
        segments.put(next.base, next);
        active = next;
        activeWritten = next.size;
        totalBytes += next.size;
        return true;
    }

    private Segment createSegment(long base) throws IOException {
        Path path = dir.resolve(segmentName(base));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
            h.putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putLong(base).flip();
            writeFully(ch, h, 0);
            if (options.fsync() != SpoolOptions.Fsync.NEVER) {
                ch.force(true);
                forceDirectory();
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        Segment s = new Segment(base, path);
        s.size = HEADER;
        s.writer = ch;
        return s;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported on every platform; the file data itself is forced.
        }
    }

    /** Drops the oldest segment to make room. Under lock, appending thread. */
    private boolean evictOldest() {
        Segment oldest = segments.firstEntry().getValue();
        if (oldest == active) {
            if (active.count + bufferedRecords == 0 || !roll()) {
                return false;
            }
            oldest = segments.firstEntry().getValue();
        }
        segments.pollFirstEntry();
        long lost = readSeq < oldest.end() ? oldest.end() - Math.max(readSeq, oldest.base) : 0;
        if (readSegment == oldest) {
            readSegment = segments.firstEntry().getValue();
            readOffset = HEADER;
            readSeq = readSegment.base;
        }
        evicted += lost;
        pending -= lost;
        deleteSegment(oldest);
        return true;
    }

    private void deleteSegment(Segment s) {
        totalBytes -= s.size;
        closeQuietly(s.reader);
        closeQuietly(s.writer);
        s.reader = null;
        s.writer = null;
        if (windowSegment == s) {
            windowSegment = null;
        }
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException ignored) {
            // A leftover file is scanned and dropped as acknowledged at the next open.
        }
    }

    // ------------------------------------------------------------------ reading thread

    /**
     * Copies up to {@code maxRecords} pending records, in order, into {@code out}: at least one if
     * any is readable, then more while their payloads add up to at most {@code maxBytes}. They stay
     * pending until {@link #ack}. Reading thread. Returns the number added.
     */
    public int read(List<byte[]> out, int maxRecords, long maxBytes) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            int n = 0;
            long bytes = 0;
            while (n < maxRecords) {
                Segment s = readSegment;
                if (readOffset >= s.size) {
                    Map.Entry<Long, Segment> next = segments.higherEntry(s.base);
                    if (next == null) {
                        break;
                    }
                    closeQuietly(s.reader);
                    s.reader = null;
                    readSegment = next.getValue();
                    readOffset = HEADER;
                    readSeq = readSegment.base;
                    continue;
                }
                if (!window(s, readOffset, REC)) {
                    skipRest(s);
                    continue;
                }
                int at = (int) (readOffset - windowStart);
                int len = readBuf.getInt(at);
                int sum = readBuf.getInt(at + 4);
                if (len < 1 || len > HARD_MAX_RECORD || readOffset + REC + len > s.size) {
                    skipRest(s);
                    continue;
                }
                if (n > 0 && bytes + len > maxBytes) {
                    break;
                }
                if (!window(s, readOffset, REC + len)) {
                    skipRest(s);
                    continue;
                }
                at = (int) (readOffset - windowStart);
                readCrc.reset();
                readCrc.update(readBuf.array(), at, 4);
                readCrc.update(readBuf.array(), at + REC, len);
                if ((int) readCrc.getValue() != sum) {
                    skipRest(s);
                    continue;
                }
                byte[] rec = new byte[len];
                System.arraycopy(readBuf.array(), at + REC, rec, 0, len);
                out.add(rec);
                n++;
                bytes += len;
                readOffset += REC + len;
                readSeq++;
                inflight++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The records from the read position to the end of a damaged segment are lost. */
    private void skipRest(Segment s) {
        long lost = Math.max(0, s.end() - readSeq);
        corrupt += lost;
        pending -= lost;
        readOffset = s.size;
        readSeq = s.end();
    }

    /** Makes [offset, offset+n) of segment s available in readBuf. Under lock. */
    private boolean window(Segment s, long offset, int n) {
        if (windowSegment == s && offset >= windowStart && offset + n <= windowStart + windowLength) {
            return true;
        }
        if (offset + n > s.size) {
            return false;
        }
        if (readBuf.capacity() < n) {
            readBuf = ByteBuffer.allocate(Math.max(n, readBuf.capacity() * 2)).order(ByteOrder.BIG_ENDIAN);
        }
        try {
            if (s.reader == null) {
                s.reader = FileChannel.open(s.path, StandardOpenOption.READ);
            }
            readBuf.clear();
            readBuf.limit((int) Math.min(readBuf.capacity(), s.size - offset));
            long pos = offset;
            while (readBuf.hasRemaining()) {
                int r = s.reader.read(readBuf, pos);
                if (r < 0) {
                    break;
                }
                pos += r;
            }
            windowSegment = s;
            windowStart = offset;
            windowLength = readBuf.position();
            return windowLength >= n;
        } catch (IOException e) {
            windowSegment = null;
            return false;
        }
    }

    /**
     * Acknowledges every record handed out by {@link #read} so far: moves the persisted cursor past
     * them and deletes segments that hold only acknowledged records. Reading thread.
     */
    public void ack() {
        boolean force;
        lock.lock();
        try {
            if (closed || (inflight == 0 && ackSeq == readSeq)) {
                return;
            }
            ackSeq = readSeq;
            pending -= inflight;
            inflight = 0;
            writeCursor();
            while (!segments.isEmpty() && segments.firstEntry().getValue() != readSegment) {
                deleteSegment(segments.pollFirstEntry().getValue());
            }
            force = options.fsync() == SpoolOptions.Fsync.BATCH;
        } finally {
            lock.unlock();
        }
        if (force) {
            try {
                cursorChannel.force(false);
            } catch (IOException ignored) {
                // A lost cursor update means redelivery, never loss.
            }
        }
    }

    /** Waits until a record is readable, the spool closes or the time is up. Reading thread. */
    public boolean awaitReadable(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!closed && !readableLocked() && nanos > 0) {
                nanos = readableCond.awaitNanos(nanos);
            }
            return !closed && readableLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean readableLocked() {
        return readOffset < readSegment.size || readSegment != segments.lastEntry().getValue();
    }

    // ------------------------------------------------------------------ any thread

    /** A consistent snapshot of the counters. Any thread. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(spoolId, totalBytes, pending, appended, refusedFull, evicted, corrupt, writeErrors,
                    tornRecords, tornBytes, corruptSegments, recoveredPending);
        } finally {
            lock.unlock();
        }
    }

    /** Records appended and readable but not yet acknowledged. Any thread. */
    public long pendingRecords() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes buffered records, forces data and cursor (unless fsync is {@code NEVER}) and releases
     * the directory. Unacknowledged records are read again after the next {@link #open}. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flushBuffer();
            boolean sync = options.fsync() != SpoolOptions.Fsync.NEVER;
            if (sync && active.writer != null) {
                try {
                    active.writer.force(false);
                } catch (IOException ignored) {
                    // Nothing more can be done at close.
                }
            }
            writeCursor();
            if (sync) {
                try {
                    cursorChannel.force(false);
                } catch (IOException ignored) {
                    // Redelivery at worst.
                }
            }
            closed = true;
            for (Segment s : segments.values()) {
                closeQuietly(s.reader);
                closeQuietly(s.writer);
            }
            closeQuietly(cursorChannel);
            try {
                fileLock.release();
            } catch (IOException ignored) {
                // Released with the channel.
            }
            closeQuietly(lockChannel);
            readableCond.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ cursor and recovery

    private void writeCursor() {
        long gen = ++cursorGeneration;
        cursorBuf.clear();
        cursorBuf.putInt(CURSOR_MAGIC).putInt(0).putLong(gen).putLong(ackSeq).putLong(spoolId);
        CRC32C c = new CRC32C();
        c.update(cursorBuf.array(), 8, CURSOR_SLOT - 8);
        cursorBuf.putInt(4, (int) c.getValue());
        cursorBuf.flip();
        try {
            writeFully(cursorChannel, cursorBuf, (gen & 1) * CURSOR_SLOT);
        } catch (IOException ignored) {
            // The previous slot stays valid: redelivery, never loss.
        }
    }

    /** {generation, ackSeq, spoolId} of the newest valid slot, or null. */
    private static long[] readCursor(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * CURSOR_SLOT).order(ByteOrder.BIG_ENDIAN);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // fill
        }
        long[] best = null;
        for (int slot = 0; slot < 2; slot++) {
            int o = slot * CURSOR_SLOT;
            if (b.position() < o + CURSOR_SLOT || b.getInt(o) != CURSOR_MAGIC) {
                continue;
            }
            CRC32C c = new CRC32C();
            c.update(b.array(), o + 8, CURSOR_SLOT - 8);
            if ((int) c.getValue() != b.getInt(o + 4)) {
                continue;
            }
            long gen = b.getLong(o + 8);
            if (best == null || gen > best[0]) {
                best = new long[] {gen, b.getLong(o + 16), b.getLong(o + 24)};
            }
        }
        return best;
    }

    private void recover(long[] cursorSlot) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort(null);
        for (int i = 0; i < files.size(); i++) {
            Segment s = recoverSegment(files.get(i));
            if (s != null) {
                segments.put(s.base, s);
            }
        }
        cursorGeneration = cursorSlot == null ? 0 : cursorSlot[0];
        long cursor = cursorSlot == null ? -1 : cursorSlot[1];
        if (segments.isEmpty()) {
            Segment s = createSegment(Math.max(0, cursor));
            s.writer.close();
            s.writer = null;
            segments.put(s.base, s);
        }
        Segment first = segments.firstEntry().getValue();
        Segment last = segments.lastEntry().getValue();
        ackSeq = Math.clamp(cursor, first.base, last.end());
        // Segments holding only acknowledged records (left by a crash between cursor write and delete).
        while (segments.size() > 1 && segments.firstEntry().getValue().end() <= ackSeq) {
            Segment s = segments.pollFirstEntry().getValue();
            Files.deleteIfExists(s.path);
        }
        for (Segment s : segments.values()) {
            totalBytes += s.size;
            if (s.end() > ackSeq) {
                pending += s.end() - Math.max(s.base, ackSeq);
            }
        }
        recoveredPending = pending;
        // Reading starts at the first unacknowledged record.
        readSegment = segments.firstEntry().getValue();
        readOffset = HEADER;
        readSeq = readSegment.base;
        if (ackSeq > readSeq) {
            readOffset = offsetOf(readSegment, ackSeq - readSegment.base);
            readSeq = ackSeq;
        }
        last = segments.lastEntry().getValue();
        nextSeq = last.end();
        active = last;
        active.writer = FileChannel.open(last.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        activeWritten = last.size;
        writeCursor();
    }

    /** Byte offset of the record with the given index (already validated by recovery). */
    private long offsetOf(Segment s, long index) throws IOException {
        long pos = HEADER;
        ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            for (long i = 0; i < index; i++) {
                h.clear();
                while (h.hasRemaining() && ch.read(h, pos + h.position()) > 0) {
                    // fill
                }
                pos += REC + h.getInt(0);
            }
        }
        return pos;
    }

    /** Validates one segment file, truncating a damaged tail; null if unusable (moved aside). */
    private Segment recoverSegment(Path path) throws IOException {
        long base = Long.parseLong(path.getFileName().toString().substring(0, 20));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // fill
            }
            if (size < HEADER || h.getInt(0) != SEGMENT_MAGIC || h.getInt(4) != SEGMENT_VERSION || h.getLong(8) != base) {
                if (size < HEADER) {
                    // Torn while being created: nothing in it.
                    tornBytes += size;
                    ch.close();
                    Files.deleteIfExists(path);
                    return null;
                }
                corruptSegments++;
                ch.close();
                Files.move(path, path.resolveSibling(path.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
                return null;
            }
            Segment s = new Segment(base, path);
            ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER).order(ByteOrder.BIG_ENDIAN);
            long bufStart = 0;
            int bufLen = 0;
            long pos = HEADER;
            long count = 0;
            CRC32C c = new CRC32C();
            while (true) {
                if (pos + REC > size) {
                    break;
                }
                if (pos < bufStart || pos + REC > bufStart + bufLen) {
                    bufStart = pos;
                    bufLen = fill(ch, buf, pos, size);
                }
                int len = buf.getInt((int) (pos - bufStart));
                int sum = buf.getInt((int) (pos - bufStart) + 4);
                if (len < 1 || len > HARD_MAX_RECORD || pos + REC + len > size) {
                    break;
                }
                if (pos + REC + len > bufStart + bufLen) {
                    if (buf.capacity() < REC + len) {
                        buf = ByteBuffer.allocate(REC + len).order(ByteOrder.BIG_ENDIAN);
                    }
                    bufStart = pos;
                    bufLen = fill(ch, buf, pos, size);
                }
                int at = (int) (pos - bufStart);
                c.reset();
                c.update(buf.array(), at, 4);
                c.update(buf.array(), at + REC, len);
                if ((int) c.getValue() != sum) {
                    break;
                }
                count++;
                pos += REC + len;
            }
            if (pos < size) {
                tornRecords++;
                tornBytes += size - pos;
                ch.truncate(pos);
                ch.force(true);
            }
            s.size = pos;
            s.count = count;
            return s;
        }
    }

    private static int fill(FileChannel ch, ByteBuffer buf, long pos, long size) throws IOException {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), size - pos));
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        return buf.position();
    }

    static String segmentName(long base) {
        return String.format("%020d.seg", base);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing a read or already-forced channel.
            }
        }
    }

    /** One segment file. Fields guarded by the spool lock. */
    private static final class Segment {
        final long base;
        final Path path;
        /** Published bytes, header included. */
        long size;
        /** Published records. */
        long count;
        FileChannel reader;
        FileChannel writer;

        Segment(long base, Path path) {
            this.base = base;
            this.path = path;
        }

        long end() {
            return base + count;
        }
    }
}
