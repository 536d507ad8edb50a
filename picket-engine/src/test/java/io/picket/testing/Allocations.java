package io.picket.testing;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/** Bytes the calling thread allocates while code runs: for the tests that a steady path allocates nothing. */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** What the measured work returned, kept so that the compiler cannot drop the work. */
    private static long sink;

    private Allocations() {
    }

    /** Bytes the calling thread has allocated so far. */
    public static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * The fewest bytes the calling thread allocated in one of {@code rounds} runs of {@code work}:
     * a one-off runtime event (a compilation, a deoptimization) lands in one round, an allocation
     * per call in every one. {@code work} returns a value computed from what it did.
     */
    public static long fewest(int rounds, LongSupplier work) {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long before = allocated();
            sink += work.getAsLong();
            fewest = Math.min(fewest, allocated() - before);
        }
        return fewest;
    }

    /** The values the measured work returned, summed (for messages). */
    public static long sink() {
        return sink;
    }
}
