package io.picket.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins real threads; every pin happens on a fresh platform thread so the test runner's stay as they were. */
class AffinityTest {

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Affinity.supported(), "sched_setaffinity is reachable");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "procfs is mounted");
    }

    /** {@code Cpus_allowed_list:} of {@code /proc/self/task/<tid>/status}. */
    private static CpuSet procAllowed(String statusPath) throws IOException {
        for (String line : Files.readAllLines(Path.of(statusPath))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return CpuSet.parse(line.substring("Cpus_allowed_list:".length()));
            }
        }
        throw new AssertionError("no Cpus_allowed_list in " + statusPath);
    }

    private static CpuSet procAllowed(int tid) throws IOException {
        return procAllowed("/proc/self/task/" + tid + "/status");
    }

    /** Field 39 of {@code /proc/self/task/<tid>/stat}: the CPU the thread last ran on. */
    private static int procLastCpu(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] afterComm = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(afterComm[39 - 3]); // fields 3.. follow "pid (comm) "
    }

    private static <T> T onFreshThread(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicReference<Error> error = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("affinity-test").start(() -> {
            try {
                result.set(body.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Error e) {
                error.set(e);
            }
        });
        t.join();
        if (error.get() != null) {
            throw error.get();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    record Observed(CpuSet before, CpuSet procPinned, CpuSet kernelPinned, int lastCpu,
            CpuSet procRestored, CpuSet kernelRestored) {
    }

    @Test
    void shouldRunOnlyOnThatCpuWhenFreshThreadIsPinnedToEachAvailableCpu() throws Exception {
        CpuSet available = Affinity.available();
        for (int cpu : available.toArray()) {
            Observed o = onFreshThread(() -> {
                int tid = Affinity.currentTid();
                CpuSet before = Affinity.currentThreadAffinity();
                Affinity.pinCurrentThread(CpuSet.of(cpu));
                CpuSet procPinned = procAllowed(tid);
                CpuSet kernelPinned = Affinity.currentThreadAffinity();
                Thread.yield();
                int lastCpu = procLastCpu(tid);
                Affinity.pinCurrentThread(before);
                return new Observed(before, procPinned, kernelPinned, lastCpu, procAllowed(tid),
                        Affinity.currentThreadAffinity());
            });

            assertThat(o.before()).as("a fresh thread inherits the process's CPUs").isEqualTo(available);
            assertThat(o.procPinned()).as("/proc Cpus_allowed_list after pinning to %d", cpu).isEqualTo(CpuSet.of(cpu));
            assertThat(o.kernelPinned()).as("sched_getaffinity after pinning to %d", cpu).isEqualTo(CpuSet.of(cpu));
            assertThat(o.lastCpu()).as("the CPU the pinned thread ran on").isEqualTo(cpu);
            assertThat(o.procRestored()).as("/proc after restoring").isEqualTo(available);
            assertThat(o.kernelRestored()).as("sched_getaffinity after restoring").isEqualTo(available);
        }
    }

    @Test
    void shouldMatchProcStatusWhenAskedForAvailableCpus() throws IOException {
        CpuSet available = Affinity.available();

        assertThat(available).isEqualTo(procAllowed("/proc/self/status"));
        assertThat(available.size()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void shouldNotNarrowAvailableCpusWhenAThreadIsPinned() throws Exception {
        CpuSet available = Affinity.available();
        CpuSet seen = onFreshThread(() -> {
            Affinity.pinCurrentThread(CpuSet.of(available.nth(0)));
            return Affinity.available();
        });

        assertThat(seen).isEqualTo(available);
    }

    @Test
    void shouldGiveEachThreadItsOwnTidWhenAskedFromTwoThreads() throws Exception {
        int mine = Affinity.currentTid();
        int other = onFreshThread(Affinity::currentTid);

        assertThat(mine).isPositive().isNotEqualTo(other);
        assertThat(other).isPositive();
        assertThat(Path.of("/proc/self/task/" + mine)).isDirectory();
    }

    @Test
    void shouldFailWithEinvalAndLeaveAffinityWhenCpuIsOutOfRange() throws Exception {
        int offline = CpuSet.MAX_CPUS - 1;
        assumeFalse(Affinity.available().contains(offline), "CPU 1023 is not online here");

        Object[] outcome = onFreshThread(() -> {
            CpuSet before = Affinity.currentThreadAffinity();
            AffinityException e = catchThrowableOfType(AffinityException.class,
                    () -> Affinity.pinCurrentThread(CpuSet.of(offline)));
            return new Object[] {e, before, Affinity.currentThreadAffinity(), Affinity.currentTid()};
        });

        AffinityException e = (AffinityException) outcome[0];
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(22);
        assertThat(e.cpus()).isEqualTo(CpuSet.of(offline));
        assertThat(e.getMessage())
                .isEqualTo("sched_setaffinity(tid " + outcome[3] + ", cpus 1023): Invalid argument (EINVAL)");
        assertThat(outcome[2]).as("affinity unchanged").isEqualTo(outcome[1]);
    }

    @Test
    void shouldRestorePreviousAffinityWhenOnlyPartOfTheSetIsOnline() throws Exception {
        int offline = CpuSet.MAX_CPUS - 1;
        assumeFalse(Affinity.available().contains(offline), "CPU 1023 is not online here");
        CpuSet asked = CpuSet.of(Affinity.available().nth(0), offline);

        Object[] outcome = onFreshThread(() -> {
            CpuSet before = Affinity.currentThreadAffinity();
            AffinityException e = catchThrowableOfType(AffinityException.class,
                    () -> Affinity.pinCurrentThread(asked));
            return new Object[] {e, before, Affinity.currentThreadAffinity()};
        });

        AffinityException e = (AffinityException) outcome[0];
        assertThat(e).isNotNull();
        assertThat(e.errno()).isZero();
        assertThat(e.getMessage()).contains("the kernel applied only " + Affinity.available().nth(0))
                .contains("CPUs 1023 are offline");
        assertThat(outcome[2]).as("affinity put back").isEqualTo(outcome[1]);
    }

    @Test
    void shouldRefuseWhenSetIsEmpty() {
        assertThatThrownBy(() -> Affinity.pinCurrentThread(CpuSet.empty()))
                .isInstanceOf(AffinityException.class).hasMessageContaining("no CPU to pin to");
    }

    @Test
    void shouldRefuseWhenCallerIsVirtualThread() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Affinity.pinCurrentThread(Affinity.available());
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();

        assertThat(thrown.get()).isInstanceOf(AffinityException.class).hasMessageContaining("virtual thread");
    }

    @Test
    void shouldDescribeErrnoWithStrerrorWhenKernelRefuses() {
        assertThat(Affinity.describe(22)).isEqualTo("Invalid argument (EINVAL)");
        assertThat(Affinity.describe(3)).isEqualTo("No such process (ESRCH)");
        assertThat(Affinity.describe(7)).endsWith("(errno 7)");
    }
}
