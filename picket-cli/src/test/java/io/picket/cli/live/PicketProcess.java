package io.picket.cli.live;

import io.picket.capture.afpacket.TestNetwork;
import io.picket.cli.PicketCommand;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code picket} command run as a child JVM on the test classpath, its stdout and stderr
 * going to files next to its logs. Live runs start inside a {@link TestNetwork} through
 * {@code ip netns exec} (which execs, so {@link #pid()} is the JVM's own pid and signals reach
 * it). Test helper, used by the test thread that started it; {@link #close()} kills the child if
 * it is still running.
 */
final class PicketProcess implements AutoCloseable {
    private static final long POLL_MILLIS = 20;
    /** Whether env(1) can reset SIGINT to its default (coreutils 8.31+). */
    private static final boolean DEFAULT_SIGINT = envResetsSignals();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startNanos = System.nanoTime();

    private PicketProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code picket args...} behind {@code prefix} (e.g. {@code ip netns exec NS}), with
     * output in {@code outDir/name.out} and {@code outDir/name.err}.
     */
    static PicketProcess start(List<String> prefix, Path outDir, String name, List<String> args) throws IOException {
        Files.createDirectories(outDir);
        List<String> command = new ArrayList<>(prefix);
        if (!prefix.isEmpty() && DEFAULT_SIGINT) {
            // A JVM keeps SIGINT ignored when it inherits it ignored (e.g. from a shell's background
            // job); env resets it to the default so the child installs its handler.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(javaBinary());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(classPath());
        command.add(PicketCommand.class.getName());
        command.addAll(args);
        Path out = outDir.resolve(name + ".out");
        Path err = outDir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new PicketProcess(p, out, err);
    }

    /** Runs {@code picket args...} in this namespace to its end (at most a minute). */
    static PicketProcess runToEnd(Path outDir, String name, List<String> args) throws IOException {
        PicketProcess p = start(List.of(), outDir, name, args);
        p.awaitExit(Duration.ofMinutes(1));
        return p;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Seconds since the child was started. */
    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Waits until stderr contains {@code text}; fails with both outputs if the child exits or time runs out. */
    void awaitStderr(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stderr().contains(text)) {
            if (!process.isAlive() && !stderr().contains(text)) {
                throw new AssertionError("picket exited (" + process.exitValue() + ") before printing '" + text
                        + "'\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("picket did not print '" + text + "' within " + timeout + "\nstdout:\n"
                        + stdout() + "\nstderr:\n" + stderr());
            }
            TestNetwork.sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits until the child's CPU time (user + system, in clock ticks) stays the same over
     * {@code quiet}: a capture loop that has worked through everything only wakes for its poll
     * timeouts. Gives up silently after {@code timeout} (the caller's assertions then tell).
     */
    void awaitQuiet(Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = cpuTicks();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && process.isAlive()) {
            TestNetwork.sleep(50);
            long now = cpuTicks();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
                return;
            }
        }
    }

    /** Sends {@code SIGTERM} (through {@link Process#destroy()}) or {@code SIGINT} (through kill(1)). */
    void signal(String name) throws IOException, InterruptedException {
        switch (name) {
            case "TERM" -> process.destroy();
            case "INT" -> {
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid())).inheritIO().start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -INT " + pid() + " failed");
                }
            }
            default -> throw new IllegalArgumentException("signal " + name);
        }
    }

    /** Waits for the child to end and returns its exit status; kills it and fails on timeout. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("picket did not exit within " + timeout + "\nstdout:\n" + stdout()
                        + "\nstderr:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** Exit status of an ended child. */
    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(c -> c.endsWith("/java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The test classpath: surefire's real one when it runs from a manifest-only jar. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
