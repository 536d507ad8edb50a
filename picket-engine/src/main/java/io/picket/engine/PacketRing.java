package io.picket.engine;

import io.picket.capture.RawPacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Single-producer, single-consumer ring of pre-allocated {@link RawPacket} slots between the
 * capture thread and one shard. The producer copies a frame descriptor (not the bytes: file
 * input stays memory-mapped until the shards are done) into the next slot; nothing is
 * allocated per packet. A full ring makes the producer wait (file input loses nothing).
 */
final class PacketRing {
    private final RawPacket[] slots;
    private final int mask;
    @SuppressWarnings("unused")
    private volatile long head;
    @SuppressWarnings("unused")
    private volatile long tail;
    private volatile boolean closed;
    private volatile Thread consumer;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(PacketRing.class, "head", long.class);
            TAIL = l.findVarHandle(PacketRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    PacketRing(int capacity) {
        int cap = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        slots = new RawPacket[cap];
        for (int i = 0; i < cap; i++) {
            slots[i] = new RawPacket();
        }
        mask = cap - 1;
    }

    /** Producer: copies {@code p} into the ring, waiting while it is full. */
    void put(RawPacket p) {
        long t = (long) TAIL.getOpaque(this);
        int spins = 0;
        while (t - (long) HEAD.getAcquire(this) >= slots.length) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        slots[(int) (t & mask)].copyFrom(p);
        TAIL.setRelease(this, t + 1);
        Thread c = consumer;
        if (c != null && (t & 63) == 0) {
            LockSupport.unpark(c);
        }
    }

    /** Producer: no more packets will come. */
    void close() {
        closed = true;
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    /**
     * Consumer: the next slot, or null when the ring is closed and drained. The slot stays
     * valid until {@link #release()}.
     */
    RawPacket take() {
        consumer = Thread.currentThread();
        long h = (long) HEAD.getOpaque(this);
        int spins = 0;
        while (h >= (long) TAIL.getAcquire(this)) {
            if (closed && h >= (long) TAIL.getAcquire(this)) {
                return null;
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
        return slots[(int) (h & mask)];
    }

    /** Consumer: the slot returned by {@link #take()} is done. */
    void release() {
        HEAD.setRelease(this, (long) HEAD.getOpaque(this) + 1);
    }
}
