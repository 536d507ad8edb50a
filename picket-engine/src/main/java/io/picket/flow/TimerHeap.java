package io.picket.flow;

import java.util.Arrays;

/**
 * Min-heap of connection timers ordered by (time, insertion sequence): a 4-ary heap (half the
 * levels of a binary one, a node's children side by side in memory) whose sift steps move only
 * primitives: each entry's time, sequence and the slot where its payload (connection, kind and
 * generation, action) sits, so no reference is written per level and no GC write barrier runs.
 * Slots are reused through a free list threaded through the free slots' kind-and-generation entries
 * (no array of its own: 32 bytes per pending timer); scheduling allocates nothing once the arrays
 * have grown to the working set. Owned by one shard thread.
 */
final class TimerHeap {
    private static final int ARITY = 4;

    // heap order
    private double[] time = new double[1024];
    private long[] seq = new long[1024];
    private int[] slot = new int[1024];
    // by slot
    private Connection[] conn = new Connection[1024];
    private int[] kindGen = new int[1024];
    private Runnable[] action = new Runnable[1024];
    /** First free slot (its {@link #kindGen} entry links to the next one), -1 if none. */
    private int freeHead = -1;
    private int slotsUsed;

    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double peekTime() {
        return time[0];
    }

    Connection peekConn() {
        return conn[slot[0]];
    }

    /** Kind in the low 4 bits, generation above. */
    int peekKindGen() {
        return kindGen[slot[0]];
    }

    Runnable peekAction() {
        return action[slot[0]];
    }

    void add(double t, Connection c, int kind, int gen, Runnable a) {
        if (size == time.length) {
            grow();
        }
        int s = freeHead;
        if (s >= 0) {
            freeHead = kindGen[s];
        } else {
            s = slotsUsed++;
        }
        conn[s] = c;
        kindGen[s] = (gen << 4) | (kind & 0xF);
        action[s] = a;
        long q = nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) / ARITY;
            if (t < time[parent] || (t == time[parent] && q < seq[parent])) {
                time[i] = time[parent];
                seq[i] = seq[parent];
                slot[i] = slot[parent];
                i = parent;
            } else {
                break;
            }
        }
        time[i] = t;
        seq[i] = q;
        slot[i] = s;
    }

    private void grow() {
        int n = time.length * 2;
        time = Arrays.copyOf(time, n);
        seq = Arrays.copyOf(seq, n);
        slot = Arrays.copyOf(slot, n);
        conn = Arrays.copyOf(conn, n);
        kindGen = Arrays.copyOf(kindGen, n);
        action = Arrays.copyOf(action, n);
    }

    /** Removes the earliest timer. */
    void poll() {
        int gone = slot[0];
        conn[gone] = null;
        action[gone] = null;
        kindGen[gone] = freeHead;
        freeHead = gone;
        int last = --size;
        if (last == 0) {
            return;
        }
        double t = time[last];
        long q = seq[last];
        int s = slot[last];
        int i = 0;
        while (true) {
            int first = ARITY * i + 1;
            if (first >= last) {
                break;
            }
            int end = Math.min(first + ARITY, last);
            int best = first;
            double bt = time[first];
            long bq = seq[first];
            for (int c = first + 1; c < end; c++) {
                double ct = time[c];
                if (ct < bt || (ct == bt && seq[c] < bq)) {
                    best = c;
                    bt = ct;
                    bq = seq[c];
                }
            }
            if (bt < t || (bt == t && bq < q)) {
                time[i] = bt;
                seq[i] = bq;
                slot[i] = slot[best];
                i = best;
            } else {
                break;
            }
        }
        time[i] = t;
        seq[i] = q;
        slot[i] = s;
    }

    void clear() {
        Arrays.fill(conn, 0, slotsUsed, null);
        Arrays.fill(action, 0, slotsUsed, null);
        size = 0;
        freeHead = -1;
        slotsUsed = 0;
    }
}
