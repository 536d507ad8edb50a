package io.picket.engine;

import io.picket.capture.RawPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Single-producer, single-consumer queue of copied frames from one live capture thread to one
 * shard ({@code --runmode autofp}): a byte ring in native memory holding, back to back and
 * 8-byte aligned, a fixed header (lengths, timestamp, link type, out-of-band VLAN tag, tenant) and
 * the frame bytes. A copy, because the kernel gets its ring block back as soon as the capture
 * thread moves on.
 *
 * <p>The producer never waits: {@link #offer} answers {@link #QUEUED}, {@link #FULL} (no room in
 * the ring) or {@link #OVER_QUOTA} (the frame's tenant already has its {@code max_queue_slots}
 * frames waiting here), and the caller counts the drop for that tenant. Frames waiting per tenant
 * are the producer's count of frames queued minus the consumer's count of frames released, each
 * array written by one side only. Nothing is allocated per frame; the consumer's
 * {@link RawPacket} is a window into the ring, valid until {@link #release()}.
 */
final class FrameRing {
    static final int QUEUED = 0;
    static final int FULL = 1;
    static final int OVER_QUOTA = 2;

    private static final int HEADER = 48;
    private static final int WRAP = -1;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private final MemorySegment buf;
    private final long capacity;
    /** Per tenant index (last slot: frames of no tenant), frames queued: producer only. */
    private final long[] queued;
    /** Per tenant index, frames released: consumer only (release store, read by the producer). */
    private final AtomicLongArray released;
    /** Interface names by index: appended by the producer before the frame that uses them is published. */
    private final String[] names = new String[64];
    private int nameCount;

    @SuppressWarnings("unused")
    private volatile long head;
    @SuppressWarnings("unused")
    private volatile long tail;
    private volatile boolean closed;
    private long consumerRecord;
    private int consumerTenant;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(FrameRing.class, "head", long.class);
            TAIL = l.findVarHandle(FrameRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param bytes   ring size (rounded up to a multiple of 8; at least one largest frame)
     * @param tenants number of tenant indexes (frames of no tenant are counted apart)
     */
    FrameRing(long bytes, int tenants) {
        this.capacity = Math.max(1 << 16, (bytes + 7) & ~7L);
        this.buf = Arena.ofAuto().allocate(capacity, 8);
        this.queued = new long[tenants + 1];
        this.released = new AtomicLongArray(tenants + 1);
    }

    /** Frames of {@code tenant} (an index, or -1 for none) waiting in the ring. Producer thread. */
    long waiting(int tenant) {
        int t = slot(tenant);
        return queued[t] - released.get(t);
    }

    private int slot(int tenant) {
        return tenant < 0 || tenant >= queued.length - 1 ? queued.length - 1 : tenant;
    }

    /**
     * Producer: copies {@code p} (of tenant index {@code tenant}, -1 for none) into the ring
     * unless the tenant has {@code quota} frames waiting (-1: no quota) or there is no room.
     */
    int offer(RawPacket p, int tenant, long quota) {
        int t = slot(tenant);
        if (quota >= 0 && queued[t] - released.get(t) >= quota) {
            return OVER_QUOTA;
        }
        long size = (HEADER + (long) p.capturedLength + 7) & ~7L;
        if (size > capacity / 2) {
            return FULL;
        }
        long tl = (long) TAIL.getOpaque(this);
        long hd = (long) HEAD.getAcquire(this);
        long at = tl % capacity;
        long toEnd = capacity - at;
        long need = toEnd < size ? toEnd + size : size;
        if (capacity - (tl - hd) < need) {
            return FULL;
        }
        if (toEnd < size) {
            buf.set(INT, at, WRAP);
            tl += toEnd;
            at = 0;
        }
        int name = nameIndex(p.interfaceName);
        buf.set(INT, at, (int) size);
        buf.set(INT, at + 4, p.capturedLength);
        buf.set(INT, at + 8, p.wireLength);
        buf.set(INT, at + 12, p.linkType);
        buf.set(LONG, at + 16, p.tsSeconds);
        buf.set(INT, at + 24, p.tsNanos);
        buf.set(INT, at + 28, p.outOfBandVlanTci);
        buf.set(INT, at + 32, p.interfaceId);
        buf.set(INT, at + 36, name);
        buf.set(INT, at + 40, t);
        MemorySegment.copy(p.segment, p.offset, buf, at + HEADER, p.capturedLength);
        queued[t]++;
        TAIL.setRelease(this, tl + size);
        return QUEUED;
    }

    private int nameIndex(String name) {
        for (int i = 0; i < nameCount; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        if (nameCount < names.length) {
            names[nameCount] = name;
            return nameCount++;
        }
        return -1;
    }

    /** Producer: no more frames will come. */
    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Consumer: fills {@code into} with the next frame and returns true, or returns false when the
     * ring is empty (now). The frame stays valid until {@link #release()}.
     */
    boolean poll(RawPacket into) {
        long hd = (long) HEAD.getOpaque(this);
        long tl = (long) TAIL.getAcquire(this);
        if (hd >= tl) {
            return false;
        }
        long at = hd % capacity;
        int size = buf.get(INT, at);
        if (size == WRAP) {
            hd += capacity - at;
            HEAD.setRelease(this, hd);
            at = 0;
            size = buf.get(INT, 0);
        }
        consumerRecord = size;
        into.segment = buf;
        into.offset = at + HEADER;
        into.capturedLength = buf.get(INT, at + 4);
        into.wireLength = buf.get(INT, at + 8);
        into.linkType = buf.get(INT, at + 12);
        into.tsSeconds = buf.get(LONG, at + 16);
        into.tsNanos = buf.get(INT, at + 24);
        into.outOfBandVlanTci = buf.get(INT, at + 28);
        into.interfaceId = buf.get(INT, at + 32);
        int name = buf.get(INT, at + 36);
        into.interfaceName = name >= 0 ? names[name] : null;
        consumerTenant = buf.get(INT, at + 40);
        into.sourcePosition = hd;
        return true;
    }

    /** Consumer: the frame of the last {@link #poll} is done. */
    void release() {
        released.lazySet(consumerTenant, released.get(consumerTenant) + 1);
        HEAD.setRelease(this, (long) HEAD.getOpaque(this) + consumerRecord);
    }
}
