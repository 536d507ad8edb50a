package io.picket.affinity;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers {@code 0..1023} — what a Linux {@code cpu_set_t} (128 bytes)
 * holds. Its text form is the kernel's CPU list ({@code Cpus_allowed_list} in
 * {@code /proc/<pid>/status}, {@code taskset -c}): ascending, runs of two or more as
 * {@code first-last}, comma separated, e.g. {@code 0-3,6}; the empty set is the empty string.
 * {@link #parse} accepts that form plus unordered, overlapping items and spaces around items;
 * {@link #toString} always writes the canonical form, so {@code parse(s.toString()).equals(s)}.
 *
 * <p>Safe to share between threads. Built at startup from configuration, never on the packet
 * path.
 */
public final class CpuSet implements Iterable<Integer> {
    /** The highest CPU number plus one a set can hold: {@code CPU_SETSIZE} of glibc. */
    public static final int MAX_CPUS = 1024;

    /** {@code sizeof(cpu_set_t)}: 1024 bits. */
    static final long MASK_BYTES = MAX_CPUS / 8;

    private static final int WORDS = MAX_CPUS / Long.SIZE;
    /** cpu_set_t is an array of unsigned long in host order: CPU n is bit n % 64 of word n / 64. */
    private static final ValueLayout.OfLong MASK_WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final CpuSet EMPTY = new CpuSet(new long[WORDS]);

    private final long[] words;
    private final int size;

    private CpuSet(long[] words) {
        this.words = words;
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        this.size = n;
    }

    /** The set with no CPU. */
    public static CpuSet empty() {
        return EMPTY;
    }

    /**
     * The set of {@code cpus} (duplicates allowed).
     *
     * @throws IllegalArgumentException if a number is negative or not below {@link #MAX_CPUS}
     */
    public static CpuSet of(int... cpus) {
        long[] w = new long[WORDS];
        for (int cpu : cpus) {
            checkCpu(cpu);
            w[cpu >>> 6] |= 1L << cpu;
        }
        return new CpuSet(w);
    }

    /**
     * CPUs {@code first} to {@code last}, both included.
     *
     * @throws IllegalArgumentException if either is out of range or {@code last < first}
     */
    public static CpuSet range(int first, int last) {
        checkCpu(first);
        checkCpu(last);
        if (last < first) {
            throw new IllegalArgumentException("CPU range " + first + "-" + last + " is descending");
        }
        long[] w = new long[WORDS];
        setRange(w, first, last);
        return new CpuSet(w);
    }

    /**
     * Parses a CPU list such as {@code 0-3,6}. Items are single CPUs or inclusive ranges
     * {@code a-b}; they may come in any order and overlap. Blank text is the empty set.
     *
     * @throws IllegalArgumentException naming the offending item: not a number, a descending
     *     range, an empty item, or a CPU not below {@link #MAX_CPUS}
     */
    public static CpuSet parse(String text) {
        if (text.isBlank()) {
            return EMPTY;
        }
        long[] w = new long[WORDS];
        int start = 0;
        while (true) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 ? text.length() : comma;
            String item = text.substring(start, end).strip();
            int dash = item.indexOf('-');
            if (dash < 0) {
                int cpu = parseCpu(item, item, text);
                w[cpu >>> 6] |= 1L << cpu;
            } else {
                int first = parseCpu(item.substring(0, dash).strip(), item, text);
                int last = parseCpu(item.substring(dash + 1).strip(), item, text);
                if (last < first) {
                    throw new IllegalArgumentException(
                            "CPU list '" + text + "': range '" + item + "' is descending");
                }
                setRange(w, first, last);
            }
            if (comma < 0) {
                return new CpuSet(w);
            }
            start = comma + 1;
        }
    }

    private static int parseCpu(String digits, String item, String text) {
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("CPU list '" + text + "': empty item or range end");
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(
                        "CPU list '" + text + "': '" + item + "' is not a CPU number or range");
            }
            value = value * 10 + (c - '0');
            if (value >= MAX_CPUS) {
                throw new IllegalArgumentException("CPU list '" + text + "': CPU " + digits
                        + " is beyond the " + MAX_CPUS + " CPUs a cpu_set_t holds");
            }
        }
        return value;
    }

    private static void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException(
                    "CPU " + cpu + " is outside 0-" + (MAX_CPUS - 1) + " (a cpu_set_t holds " + MAX_CPUS + ")");
        }
    }

    private static void setRange(long[] w, int first, int last) {
        for (int cpu = first; cpu <= last; cpu++) {
            w[cpu >>> 6] |= 1L << cpu;
        }
    }

    /** Whether {@code cpu} is in the set; false for any number outside {@code 0..1023}. */
    public boolean contains(int cpu) {
        return cpu >= 0 && cpu < MAX_CPUS && (words[cpu >>> 6] & (1L << cpu)) != 0;
    }

    /** Whether every CPU of {@code other} is in this set. */
    public boolean containsAll(CpuSet other) {
        for (int i = 0; i < WORDS; i++) {
            if ((other.words[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the two sets share a CPU. */
    public boolean intersects(CpuSet other) {
        for (int i = 0; i < WORDS; i++) {
            if ((other.words[i] & words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The number of CPUs in the set. */
    public int size() {
        return size;
    }

    /** Whether the set has no CPU. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The lowest CPU at or above {@code from}, or -1 if there is none (as {@code BitSet.nextSetBit}). */
    public int next(int from) {
        int cpu = Math.max(from, 0);
        if (cpu >= MAX_CPUS) {
            return -1;
        }
        int i = cpu >>> 6;
        long w = words[i] & (-1L << cpu);
        while (true) {
            if (w != 0) {
                return (i << 6) + Long.numberOfTrailingZeros(w);
            }
            if (++i == WORDS) {
                return -1;
            }
            w = words[i];
        }
    }

    /**
     * The {@code index}-th lowest CPU (0 is the lowest).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public int nth(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("CPU index " + index + " of " + size + " in '" + this + "'");
        }
        int cpu = next(0);
        for (int k = 0; k < index; k++) {
            cpu = next(cpu + 1);
        }
        return cpu;
    }

    /** CPUs in this set or in {@code other}. */
    public CpuSet union(CpuSet other) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = words[i] | other.words[i];
        }
        return new CpuSet(w);
    }

    /** CPUs in both sets. */
    public CpuSet intersection(CpuSet other) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = words[i] & other.words[i];
        }
        return new CpuSet(w);
    }

    /** CPUs in this set but not in {@code other}. */
    public CpuSet minus(CpuSet other) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = words[i] & ~other.words[i];
        }
        return new CpuSet(w);
    }

    /** The CPUs in ascending order. */
    public IntStream stream() {
        return IntStream.iterate(next(0), cpu -> cpu >= 0, cpu -> next(cpu + 1));
    }

    /** The CPUs in ascending order. */
    public int[] toArray() {
        return stream().toArray();
    }

    /** Iterates the CPUs in ascending order. */
    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int cpu = CpuSet.this.next(0);

            @Override
            public boolean hasNext() {
                return cpu >= 0;
            }

            @Override
            public Integer next() {
                if (cpu < 0) {
                    throw new NoSuchElementException();
                }
                int current = cpu;
                cpu = CpuSet.this.next(cpu + 1);
                return current;
            }
        };
    }

    /** Writes the set as a {@code cpu_set_t} into the first {@link #MASK_BYTES} bytes of {@code mask}. */
    void writeMask(MemorySegment mask) {
        for (int i = 0; i < WORDS; i++) {
            mask.set(MASK_WORD, (long) i * Long.BYTES, words[i]);
        }
    }

    /** The set a {@code cpu_set_t} of {@link #MASK_BYTES} bytes holds. */
    static CpuSet fromMask(MemorySegment mask) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = mask.get(MASK_WORD, (long) i * Long.BYTES);
        }
        return new CpuSet(w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** The canonical CPU list, e.g. {@code 0-3,6}; empty for the empty set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int first = next(0);
        while (first >= 0) {
            int last = first;
            while (last + 1 < MAX_CPUS && contains(last + 1)) {
                last++;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(first);
            if (last > first) {
                sb.append('-').append(last);
            }
            first = next(last + 1);
        }
        return sb.toString();
    }
}
