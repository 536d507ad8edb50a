package io.picket.policy.intel;

import java.util.Arrays;

/**
 * Binary prefix trie over 128-bit addresses (IPv4 as IPv4-mapped): {@link #lookup} walks at most
 * 128 nodes and reports every stored prefix containing the address, shortest first. Built once,
 * then read-only and safe to share between threads.
 */
final class AddressTrie {
    private int[] zero = new int[64];
    private int[] one = new int[64];
    private int[] value = new int[64];
    private int nodes = 1;

    AddressTrie() {
        zero[0] = -1;
        one[0] = -1;
        value[0] = -1;
    }

    /** Stores {@code v} at the prefix (masked address, length 0..128); returns the previous value or -1. */
    int put(long hi, long lo, int length, int v) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            boolean bit = bit(hi, lo, i);
            int next = bit ? one[n] : zero[n];
            if (next < 0) {
                next = newNode();
                if (bit) {
                    one[n] = next;
                } else {
                    zero[n] = next;
                }
            }
            n = next;
        }
        int old = value[n];
        value[n] = v;
        return old;
    }

    /** Value stored at exactly this prefix, or -1. */
    int get(long hi, long lo, int length) {
        int n = 0;
        for (int i = 0; i < length && n >= 0; i++) {
            n = bit(hi, lo, i) ? one[n] : zero[n];
        }
        return n < 0 ? -1 : value[n];
    }

    /** Values of all prefixes containing the address, shortest prefix first; returns the count. */
    int lookup(long hi, long lo, int[] out) {
        int count = 0;
        int n = 0;
        for (int i = 0; ; i++) {
            if (value[n] >= 0 && count < out.length) {
                out[count++] = value[n];
            }
            if (i == 128) {
                break;
            }
            n = bit(hi, lo, i) ? one[n] : zero[n];
            if (n < 0) {
                break;
            }
        }
        return count;
    }

    /** Whether any stored prefix contains the address; allocates nothing. */
    boolean containsAny(long hi, long lo) {
        int n = 0;
        for (int i = 0; ; i++) {
            if (value[n] >= 0) {
                return true;
            }
            if (i == 128) {
                return false;
            }
            n = bit(hi, lo, i) ? one[n] : zero[n];
            if (n < 0) {
                return false;
            }
        }
    }

    private static boolean bit(long hi, long lo, int i) {
        return i < 64 ? ((hi >>> (63 - i)) & 1) != 0 : ((lo >>> (127 - i)) & 1) != 0;
    }

    private int newNode() {
        if (nodes == zero.length) {
            int n = nodes * 2;
            zero = Arrays.copyOf(zero, n);
            one = Arrays.copyOf(one, n);
            value = Arrays.copyOf(value, n);
        }
        zero[nodes] = -1;
        one[nodes] = -1;
        value[nodes] = -1;
        return nodes++;
    }
}
