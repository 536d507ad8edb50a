package io.picket.affinity;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * CPU affinity of the calling thread through the C library ({@code sched_setaffinity(2)},
 * {@code sched_getaffinity(2)}, {@code gettid(2)}), called with the FFM linker. Every method acts
 * on the thread that calls it: a shard or capture thread pins itself first thing in its run loop,
 * before it starts any thread of its own (Linux threads inherit their creator's affinity).
 *
 * <p>Startup-only: each call allocates a small confined arena. Where the C library or native
 * access is missing ({@link #supported()} false), pinning fails with {@link AffinityException},
 * {@link #available()} falls back to {@code 0..availableProcessors-1} and {@link #currentTid()}
 * returns -1. Needs {@code --enable-native-access} for this code's module (the CLI jar's manifest
 * grants it).
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class Affinity {
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code int sched_setaffinity(pid_t, size_t, const cpu_set_t *)}, errno captured. */
    private static final MethodHandle SET_AFFINITY;
    /** {@code int sched_getaffinity(pid_t, size_t, cpu_set_t *)}, errno captured. */
    private static final MethodHandle GET_AFFINITY;
    /** {@code pid_t gettid(void)}; null if the C library predates it. */
    private static final MethodHandle GETTID;
    /** {@code char *strerror(int)}. */
    private static final MethodHandle STRERROR;
    /** Why affinity cannot be set here, or null when it can. */
    private static final String UNSUPPORTED;
    /** The process's CPUs when this class was first used. */
    private static final CpuSet PROCESS_CPUS;

    static {
        MethodHandle set = null;
        MethodHandle get = null;
        MethodHandle gettid = null;
        MethodHandle strerror = null;
        String unsupported = null;
        try {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            FunctionDescriptor affinity = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
            set = linker.downcallHandle(find(linker, "sched_setaffinity"), affinity, errno);
            get = linker.downcallHandle(find(linker, "sched_getaffinity"), affinity, errno);
            strerror = linker.downcallHandle(find(linker, "strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
            gettid = linker.defaultLookup().find("gettid")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            unsupported = "CPU affinity is not available on this platform (" + e.getMessage() + ")";
            set = null;
            get = null;
        }
        SET_AFFINITY = set;
        GET_AFFINITY = get;
        GETTID = gettid;
        STRERROR = strerror;
        UNSUPPORTED = unsupported;
        PROCESS_CPUS = readProcessCpus();
    }

    private Affinity() {
    }

    private static MemorySegment find(Linker linker, String name) {
        return linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("C library has no " + name));
    }

    /** Whether threads can be pinned here (Linux with a C library the FFM linker reaches). */
    public static boolean supported() {
        return UNSUPPORTED == null;
    }

    /**
     * Pins the calling platform thread to {@code cpus}: from now on the kernel runs it only there.
     * Checks the result with {@code sched_getaffinity}; if the kernel applied fewer CPUs than asked
     * (some offline or outside the process's cpuset), puts the previous affinity back and fails.
     *
     * @throws AffinityException if {@code cpus} is empty, the caller is a virtual thread, the
     *     kernel refuses (e.g. EINVAL when no CPU of the set is online) or applies only part of
     *     the set; the thread's affinity is then unchanged
     */
    public static void pinCurrentThread(CpuSet cpus) throws AffinityException {
        Objects.requireNonNull(cpus, "cpus");
        int tid = currentTid();
        String call = "sched_setaffinity(tid " + tid + ", cpus " + (cpus.isEmpty() ? "(none)" : cpus) + ")";
        if (UNSUPPORTED != null) {
            throw new AffinityException(call + ": " + UNSUPPORTED, cpus, 0);
        }
        if (Thread.currentThread().isVirtual()) {
            throw new AffinityException(call + ": a virtual thread cannot be pinned (its carrier would be)", cpus, 0);
        }
        if (cpus.isEmpty()) {
            throw new AffinityException(call + ": no CPU to pin to", cpus, 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment mask = arena.allocate(CpuSet.MASK_BYTES, Long.BYTES);
            CpuSet before = getAffinity(0, state, mask);
            cpus.writeMask(mask);
            if (setAffinity(state, mask) != 0) {
                int errno = errno(state);
                throw new AffinityException(call + ": " + describe(errno), cpus, errno);
            }
            CpuSet after = getAffinity(0, state, mask);
            if (!after.equals(cpus)) {
                before.writeMask(mask);
                setAffinity(state, mask);
                throw new AffinityException(call + ": the kernel applied only "
                        + (after.isEmpty() ? "(none)" : after) + "; CPUs " + cpus.minus(after)
                        + " are offline or outside this process's cpuset; affinity left at " + before, cpus, 0);
            }
        }
    }

    /**
     * The CPUs the calling thread may run on, from {@code sched_getaffinity(0)}; {@link #available()}
     * where affinity is not supported.
     *
     * @throws IllegalStateException if the kernel refuses (a machine with more than 1024 possible
     *     CPUs: EINVAL)
     */
    public static CpuSet currentThreadAffinity() {
        if (UNSUPPORTED != null) {
            return PROCESS_CPUS;
        }
        try (Arena arena = Arena.ofConfined()) {
            return getAffinity(0, arena.allocate(CAPTURE_LAYOUT), arena.allocate(CpuSet.MASK_BYTES, Long.BYTES));
        }
    }

    /** The calling thread's kernel id (its {@code /proc/self/task/<tid>}), or -1 if unknown. */
    public static int currentTid() {
        if (GETTID == null) {
            return -1;
        }
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError("gettid failed", t);
        }
    }

    /**
     * The CPUs this process may use: {@code sched_getaffinity} of the process (its main thread, as
     * {@code Cpus_allowed_list} in {@code /proc/self/status} shows it), read once when this class is
     * first used, so threads pinned later do not narrow it. Reflects {@code taskset} and cgroup
     * cpusets, not CPU quotas. Falls back to {@code 0..Runtime.availableProcessors()-1}.
     */
    public static CpuSet available() {
        return PROCESS_CPUS;
    }

    private static CpuSet readProcessCpus() {
        int fallback = Math.min(Runtime.getRuntime().availableProcessors(), CpuSet.MAX_CPUS);
        if (UNSUPPORTED == null) {
            try (Arena arena = Arena.ofConfined()) {
                CpuSet cpus = getAffinity((int) ProcessHandle.current().pid(),
                        arena.allocate(CAPTURE_LAYOUT), arena.allocate(CpuSet.MASK_BYTES, Long.BYTES));
                if (!cpus.isEmpty()) {
                    return cpus;
                }
            } catch (IllegalStateException e) {
                // more CPUs than a cpu_set_t holds: count them instead
            }
        }
        return CpuSet.range(0, fallback - 1);
    }

    private static int setAffinity(MemorySegment state, MemorySegment mask) {
        try {
            return (int) SET_AFFINITY.invokeExact(state, 0, CpuSet.MASK_BYTES, mask);
        } catch (Throwable t) {
            throw new AssertionError("sched_setaffinity call failed", t);
        }
    }

    private static CpuSet getAffinity(int pid, MemorySegment state, MemorySegment mask) {
        mask.fill((byte) 0);
        int result;
        try {
            result = (int) GET_AFFINITY.invokeExact(state, pid, CpuSet.MASK_BYTES, mask);
        } catch (Throwable t) {
            throw new AssertionError("sched_getaffinity call failed", t);
        }
        if (result != 0) {
            throw new IllegalStateException("sched_getaffinity(" + pid + "): " + describe(errno(state)));
        }
        return CpuSet.fromMask(mask);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** strerror(3) text for {@code errno} with its symbolic name, e.g. {@code Invalid argument (EINVAL)}. */
    static String describe(int errno) {
        String text = "errno " + errno;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            if (!s.equals(MemorySegment.NULL)) {
                text = s.reinterpret(1024).getString(0);
            }
        } catch (Throwable t) {
            // keep the number
        }
        String name = switch (errno) {
            case 1 -> "EPERM";
            case 3 -> "ESRCH";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            default -> null;
        };
        return name == null ? text + " (errno " + errno + ")" : text + " (" + name + ")";
    }
}
