package io.picket.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The windows of a file read by positional reads, the next one read on a helper thread while the
 * reader works through the current one: the copy out of the page cache (a tenth of a
 * connections-only run when the reading thread did it) runs on another core.
 *
 * <p>Two buffers take turns. The helper reads the stretch after the current window into the other
 * buffer behind {@link #HEADROOM} bytes; when the reader moves on, the unread tail of the current
 * window (a record cut by the window's end) is copied into that headroom, just before the bytes
 * that continue it, so the new window is contiguous in that buffer (the reader addresses it from
 * the buffer's start, the bytes before the tail unused). A tail longer than the headroom or a
 * record longer than a window is read on the reader's thread instead.
 *
 * <p>Used by one reader thread at a time (not necessarily the one that opened it); the helper is
 * a thread of this reader's own, started with the first read ahead, handed its work through
 * volatile fields (nothing is allocated per window). {@link #close} waits for a read in flight, so the buffers can be freed, and ends the helper.
 */
final class ReadAhead implements AutoCloseable {
    /** Room before the read-ahead bytes for the current window's unread tail. */
    static final int HEADROOM = 64 * 1024;

    private static final int IDLE = 0;
    private static final int REQUESTED = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;
    private static final int CLOSED = 4;

    private final String name;
    private final FileChannel channel;
    private final long size;
    private final Arena arena;
    private final MemorySegment[] buffers = new MemorySegment[2];
    /** Per buffer: all of it, and the part after the headroom (made once per buffer, not per read). */
    private final ByteBuffer[] wholeViews = new ByteBuffer[2];
    private final ByteBuffer[] aheadViews = new ByteBuffer[2];
    /** The buffer the current window is in (-1 before the first). */
    private int current = -1;

    // Hand-off with the helper: the reader writes the request, then state; the helper the result, then state.
    private volatile int state = IDLE;
    private long requestFrom;
    private int requestBuffer;
    private long result;
    private IOException failure;
    private Thread helper;
    /** The thread waiting in {@link #await} (a source may be opened on one thread and read on another). */
    private volatile Thread reader;
    /** Tests only: nanoseconds each read ahead waits first, so readers must wait for it. */
    static volatile long slowHelperForTests;

    ReadAhead(String name, FileChannel channel, long size, Arena arena, int windowBytes) {
        this.name = name;
        this.channel = channel;
        this.size = size;
        this.arena = arena;
        for (int i = 0; i < 2; i++) {
            setBuffer(i, arena.allocate((long) windowBytes + HEADROOM, 64));
        }
    }

    private void setBuffer(int i, MemorySegment b) {
        buffers[i] = b;
        wholeViews[i] = b.asByteBuffer();
        aheadViews[i] = b.asSlice(HEADROOM).asByteBuffer();
    }

    /** The buffer the window {@link #next} last made is in. */
    MemorySegment window() {
        return buffers[current];
    }

    /**
     * Makes the window starting at file position {@code from}: the {@code keep} bytes at
     * {@code tailOffset} of the current window {@code window} (which ends at {@code from + keep}),
     * then as much of the file as the buffer holds; at least {@code need} bytes unless the file
     * ends first. The previous window's bytes are invalid afterwards.
     *
     * @return the offset of file position {@code from} in {@link #window()}; the window ends at
     *         file position {@link #windowEnd()}
     * @throws IOException if a read fails (the helper's read is reported here)
     */
    long next(MemorySegment window, long tailOffset, long from, long keep, long need) throws IOException {
        long readFrom = from + keep;
        int s = state;
        if (s != IDLE && requestFrom == readFrom && keep <= HEADROOM) {
            long got = await();
            if (keep + got >= need || readFrom + got >= size) {
                int b = requestBuffer;
                if (keep > 0) {
                    MemorySegment.copy(window, tailOffset, buffers[b], HEADROOM - keep, keep);
                }
                current = b;
                windowEnd = readFrom + got;
                readAheadFrom(windowEnd);
                return HEADROOM - keep;
            }
        } else if (s != IDLE) {
            awaitQuietly();
        }
        // On this thread: the tail first, then the file after it, into the buffer not in use.
        int target = current == 0 ? 1 : 0;
        MemorySegment b = buffers[target];
        if (need > b.byteSize()) {
            b = arena.allocate(Math.max(need, 2 * b.byteSize()), 64);
            setBuffer(target, b);
        }
        if (keep > 0) {
            MemorySegment.copy(window, tailOffset, b, 0, keep);
        }
        long got = read(wholeViews[target], keep, readFrom);
        current = target;
        windowEnd = readFrom + got;
        readAheadFrom(windowEnd);
        return 0;
    }

    private long windowEnd;

    /** File position just past the window {@link #next} last made. */
    long windowEnd() {
        return windowEnd;
    }

    private long read(ByteBuffer into, long at, long filePosition) throws IOException {
        long start = at;
        int capacity = into.capacity();
        while (at < capacity && filePosition + (at - start) < size) {
            into.limit(capacity).position((int) at);
            int n = channel.read(into, filePosition + (at - start));
            if (n < 0) {
                break;
            }
            at += n;
        }
        return at - start;
    }

    private void readAheadFrom(long from) {
        if (from >= size) {
            return;
        }
        if (helper == null) {
            helper = Thread.ofPlatform().daemon().name("picket-read-ahead " + name).start(this::helperLoop);
        }
        requestFrom = from;
        requestBuffer = current == 0 ? 1 : 0;
        state = REQUESTED;
        LockSupport.unpark(helper);
    }

    private void helperLoop() {
        while (true) {
            int s = state;
            if (s == CLOSED) {
                return;
            }
            if (s != REQUESTED) {
                LockSupport.park(this);
                continue;
            }
            try {
                if (slowHelperForTests > 0) {
                    LockSupport.parkNanos(slowHelperForTests);
                }
                result = read(aheadViews[requestBuffer], 0, requestFrom);
                state = DONE;
            } catch (IOException e) {
                failure = e;
                state = FAILED;
            }
            LockSupport.unpark(reader);
        }
    }

    /** Waits for the read ahead in flight and returns its byte count. */
    private long await() throws IOException {
        reader = Thread.currentThread(); // before reading the state: the helper unparks whoever it finds after
        int s;
        int spins = 0;
        while ((s = state) == REQUESTED) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        state = IDLE;
        if (s == FAILED) {
            IOException e = failure;
            failure = null;
            throw e;
        }
        return result;
    }

    private void awaitQuietly() {
        try {
            await();
        } catch (IOException e) {
            // read again on the reader's thread, which reports it
        }
    }

    /** Waits for a read in flight, so the buffers may be freed, and ends the helper. */
    @Override
    public void close() {
        if (state != IDLE) {
            awaitQuietly();
        }
        if (helper != null) {
            state = CLOSED;
            LockSupport.unpark(helper);
        }
    }
}
