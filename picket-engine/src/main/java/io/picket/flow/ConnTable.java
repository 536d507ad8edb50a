package io.picket.flow;

/**
 * Primitive open-addressing connection table: keys of {@value #KEY_LONGS} longs stored side by
 * side in one array, linear probing, backward-shift deletion. Key words: tenant/proto/context,
 * the two addresses (128 bits each) and the two ports, canonically ordered so both directions
 * of a flow find the same slot. Owned by one shard thread.
 */
final class ConnTable {
    static final int KEY_LONGS = 6;

    private long[] keys;
    private Connection[] values;
    private int mask;
    private int size;
    private final int maxSize;

    ConnTable(int initialCapacity, int maxSize) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        keys = new long[cap * KEY_LONGS];
        values = new Connection[cap];
        mask = cap - 1;
        this.maxSize = maxSize;
    }

    int size() {
        return size;
    }

    /** Bytes of the two arrays' elements, with {@code referenceBytes} per reference. */
    long bytes(int referenceBytes) {
        return (long) keys.length * Long.BYTES + (long) values.length * referenceBytes;
    }

    private static int hash(long[] k, int off) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < KEY_LONGS; i++) {
            h ^= k[off + i];
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }

    private boolean equalsAt(int slot, long[] k) {
        int base = slot * KEY_LONGS;
        for (int i = 0; i < KEY_LONGS; i++) {
            if (keys[base + i] != k[i]) {
                return false;
            }
        }
        return true;
    }

    Connection get(long[] k) {
        int slot = hash(k, 0) & mask;
        while (values[slot] != null) {
            if (equalsAt(slot, k)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /**
     * Inserts {@code c} under key {@code k} (copied into the table) and records the key's hash in
     * {@code c.keyHash} for {@link #remove}; returns false if the table is full.
     */
    boolean put(long[] k, Connection c) {
        if (size + 1 > (values.length >> 2) * 3) {
            if (values.length * 2L > maxSize * 2L || values.length >= (1 << 29)) {
                if (size + 1 >= values.length) {
                    return false;
                }
            } else {
                grow();
            }
        }
        int h = hash(k, 0);
        int slot = h & mask;
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        c.keyHash = h;
        System.arraycopy(k, 0, keys, slot * KEY_LONGS, KEY_LONGS);
        values[slot] = c;
        size++;
        return true;
    }

    void remove(Connection c) {
        int slot = c.keyHash & mask;
        while (values[slot] != null) {
            if (values[slot] == c) {
                deleteSlot(slot);
                size--;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void deleteSlot(int slot) {
        int hole = slot;
        int i = (slot + 1) & mask;
        while (values[i] != null) {
            int home = hash(keys, i * KEY_LONGS) & mask;
            // Move entry i into the hole if its home is not cyclically in (hole, i].
            boolean inRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!inRange) {
                System.arraycopy(keys, i * KEY_LONGS, keys, hole * KEY_LONGS, KEY_LONGS);
                values[hole] = values[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Connection[] oldValues = values;
        int cap = oldValues.length * 2;
        keys = new long[cap * KEY_LONGS];
        values = new Connection[cap];
        mask = cap - 1;
        for (int s = 0; s < oldValues.length; s++) {
            if (oldValues[s] != null) {
                int slot = hash(oldKeys, s * KEY_LONGS) & mask;
                while (values[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(oldKeys, s * KEY_LONGS, keys, slot * KEY_LONGS, KEY_LONGS);
                values[slot] = oldValues[s];
            }
        }
    }

    /** All live connections (for the end-of-input flush). */
    java.util.List<Connection> all() {
        java.util.List<Connection> out = new java.util.ArrayList<>(size);
        for (Connection c : values) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }
}
