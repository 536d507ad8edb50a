package io.picket.log;

import java.security.SecureRandom;

/**
 * Zeek's unique ids: {@code C...} for connections, {@code F...} for files.
 *
 * <p>Zeek draws 96 random bits as two 64-bit words, shifts the first right by 32, prints each
 * word in base 62 (digits {@code 0-9a-zA-Z}) least-significant digit first without padding and
 * concatenates prefix and both words ({@code src/UID.cc}, {@code util.cc uitoa_n}); ids are
 * typically 16-18 characters, e.g. {@code CHhAvVGS1DHFjwGM9}.
 *
 * <p>{@link Generator}s are cheap and not thread-safe: each thread (a shard, a file analyzer)
 * owns its own. A seeded generator is deterministic; the default one is seeded from
 * {@link SecureRandom}.
 */
public final class Uid {
    private static final char[] DIGITS =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private static final SecureRandom SEEDS = new SecureRandom();

    private Uid() {
    }

    /** A deterministic generator: the same seed yields the same id sequence. */
    public static Generator generator(long seed) {
        return new Generator(seed);
    }

    /** A generator with a fresh random seed. */
    public static Generator generator() {
        long seed;
        synchronized (SEEDS) {
            seed = SEEDS.nextLong();
        }
        return new Generator(seed);
    }

    /**
     * Formats an id from Zeek's two 64-bit words: {@code prefix}, then {@code word0 >>> 32} and
     * {@code word1} in base 62, least-significant digit first.
     */
    public static String format(char prefix, long word0, long word1) {
        char[] buf = new char[1 + 6 + 11];
        buf[0] = prefix;
        int n = appendBase62(buf, 1, word0 >>> 32);
        n = appendBase62(buf, n, word1);
        return new String(buf, 0, n);
    }

    private static int appendBase62(char[] buf, int at, long v) {
        if (v < 0) {
            long q = Long.divideUnsigned(v, 62);
            buf[at++] = DIGITS[(int) (v - q * 62)];
            v = q;
        }
        do {
            buf[at++] = DIGITS[(int) (v % 62)];
            v /= 62;
        } while (v != 0);
        return at;
    }

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** The id a {@link Generator} in state {@code state} produces next (see {@link Generator#reserve}). */
    public static String fromState(char prefix, long state) {
        return format(prefix, mix(state + GAMMA), mix(state + 2 * GAMMA));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Produces ids from a SplitMix64 stream. Owned by one thread. */
    public static final class Generator {
        private long state;

        private Generator(long seed) {
            this.state = seed;
        }

        /** A connection uid ({@code C...}). */
        public String connection() {
            return next('C');
        }

        /** A file id ({@code F...}). */
        public String file() {
            return next('F');
        }

        /** An id with the given prefix. */
        public String next(char prefix) {
            return fromState(prefix, reserve());
        }

        /**
         * Advances past the next id without formatting it and returns the generator state it is
         * made from: {@link Uid#fromState(char, long)} with that state yields exactly the id
         * {@link #next(char)} would have returned (callers that may never need the id keep 8
         * bytes instead of a String).
         */
        public long reserve() {
            long s = state;
            state = s + 2 * GAMMA;
            return s;
        }
    }
}
