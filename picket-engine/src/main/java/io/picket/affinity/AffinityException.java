package io.picket.affinity;

/**
 * A thread could not be pinned: names the thread id, the CPUs asked for and the reason, with the
 * kernel's {@code strerror} text and errno name when the kernel refused ({@code
 * sched_setaffinity(tid 4711, cpus 1023): Invalid argument (EINVAL)}). Thrown at startup by the
 * thread being pinned, never on the packet path.
 */
public final class AffinityException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient CpuSet cpus;
    private final int errno;

    /** A refusal for {@code cpus}; {@code errno} is the kernel's, or 0 if the check was ours. */
    public AffinityException(String message, CpuSet cpus, int errno) {
        super(message);
        this.cpus = cpus;
        this.errno = errno;
    }

    /** The CPUs the thread was to be pinned to. */
    public CpuSet cpus() {
        return cpus;
    }

    /** The kernel's errno (22 is EINVAL), or 0 when Picket refused before asking the kernel. */
    public int errno() {
        return errno;
    }
}
