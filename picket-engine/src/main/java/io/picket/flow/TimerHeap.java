package io.picket.flow;

import java.util.Arrays;

/**
 * Binary min-heap of connection timers ordered by (time, insertion sequence), in parallel
 * primitive arrays: scheduling allocates nothing once the arrays have grown to the working set.
 * Owned by one shard thread.
 */
final class TimerHeap {
    private double[] time = new double[1024];
    private long[] seq = new long[1024];
    private Connection[] conn = new Connection[1024];
    private int[] kindGen = new int[1024];
    private Runnable[] action = new Runnable[1024];
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
        return conn[0];
    }

    /** Kind in the low 4 bits, generation above. */
    int peekKindGen() {
        return kindGen[0];
    }

    Runnable peekAction() {
        return action[0];
    }

    void add(double t, Connection c, int kind, int gen, Runnable a) {
        if (size == time.length) {
            int n = size * 2;
            time = Arrays.copyOf(time, n);
            seq = Arrays.copyOf(seq, n);
            conn = Arrays.copyOf(conn, n);
            kindGen = Arrays.copyOf(kindGen, n);
            action = Arrays.copyOf(action, n);
        }
        int i = size++;
        long s = nextSeq++;
        int kg = (gen << 4) | (kind & 0xF);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (less(t, s, parent)) {
                move(parent, i);
                i = parent;
            } else {
                break;
            }
        }
        time[i] = t;
        seq[i] = s;
        conn[i] = c;
        kindGen[i] = kg;
        action[i] = a;
    }

    private boolean less(double t, long s, int j) {
        return t < time[j] || (t == time[j] && s < seq[j]);
    }

    private void move(int from, int to) {
        time[to] = time[from];
        seq[to] = seq[from];
        conn[to] = conn[from];
        kindGen[to] = kindGen[from];
        action[to] = action[from];
    }

    void poll() {
        int last = --size;
        double t = time[last];
        long s = seq[last];
        Connection c = conn[last];
        int kg = kindGen[last];
        Runnable a = action[last];
        conn[last] = null;
        action[last] = null;
        if (last == 0) {
            return;
        }
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && (time[right] < time[child] || (time[right] == time[child] && seq[right] < seq[child]))) {
                child = right;
            }
            if (time[child] < t || (time[child] == t && seq[child] < s)) {
                move(child, i);
                i = child;
            } else {
                break;
            }
        }
        time[i] = t;
        seq[i] = s;
        conn[i] = c;
        kindGen[i] = kg;
        action[i] = a;
    }

    void clear() {
        Arrays.fill(conn, 0, size, null);
        Arrays.fill(action, 0, size, null);
        size = 0;
    }
}
