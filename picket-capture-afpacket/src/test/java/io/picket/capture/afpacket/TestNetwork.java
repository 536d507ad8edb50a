package io.picket.capture.afpacket;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network namespace with a veth pair {@code va}/{@code vb} (MTU 9000, IPv6 off so
 * the kernel sends nothing by itself), a second pair {@code vc}/{@code vd} left down, loopback up
 * and, where the kernel has tun, a tun device {@code tn0}. Code
 * runs inside it on a fresh platform thread that enters the namespace with setns(2): sockets
 * created there stay in the namespace and may then be used from any thread. Test helper; the
 * creating thread owns it and {@link #close()} deletes the namespace (a JVM shutdown hook does so
 * too if the test never gets there). Shared with the CLI's live tests through this module's test
 * jar: frames sent out of {@link #SEND_LINK} arrive on {@link #CAPTURE_LINK}.
 */
public final class TestNetwork implements AutoCloseable {
    /** The side frames are sent from. */
    public static final String SEND_LINK = "va";
    /** The side Picket captures on. */
    public static final String CAPTURE_LINK = "vb";

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle OPEN = Libc.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS =
            Libc.downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final String name;
    private final Thread cleanup;
    private boolean closed;

    private TestNetwork(String name) {
        this.name = name;
        // Deletes the namespace even if the JVM exits before the test class finishes.
        this.cleanup = new Thread(() -> run("ip", "netns", "del", name));
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Creates the namespace and links, or aborts the calling test class with the reason. */
    public static TestNetwork create() {
        Assumptions.assumeTrue(hasCapabilities(),
                "needs root (CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN) for AF_PACKET and netns");
        Result version = run("ip", "-V");
        Assumptions.assumeTrue(version.code == 0, () -> "needs iproute2's ip: " + version.output);
        String name = "picket-t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Result add = run("ip", "netns", "add", name);
        Assumptions.assumeTrue(add.code == 0, () -> "cannot create a network namespace: " + add.output);
        TestNetwork net = new TestNetwork(name);
        try {
            net.require("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            net.require("ip", "-n", name, "link", "add", "va", "type", "veth", "peer", "name", "vb");
            net.require("ip", "-n", name, "link", "set", "va", "mtu", "9000");
            net.require("ip", "-n", name, "link", "set", "vb", "mtu", "9000");
            net.require("ip", "-n", name, "link", "set", "va", "up");
            net.require("ip", "-n", name, "link", "set", "vb", "up");
            net.require("ip", "-n", name, "link", "add", "vc", "type", "veth", "peer", "name", "vd");
            net.require("ip", "-n", name, "link", "set", "lo", "up");
            // A tun device (no link layer) when the kernel offers them; tests needing it check for it.
            if (run("ip", "-n", name, "tuntap", "add", "dev", "tn0", "mode", "tun").code == 0) {
                net.require("ip", "-n", name, "link", "set", "tn0", "up");
            }
            net.awaitUp("va");
            net.awaitUp("vb");
            Assumptions.assumeTrue(Files.exists(net.nsPath()), "no " + net.nsPath());
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Frames the kernel counted as received on {@code link} (its rx_packets). */
    public long rxPackets(String link) {
        return Long.parseLong(require("ip", "netns", "exec", name, "cat",
                "/sys/class/net/" + link + "/statistics/rx_packets").strip());
    }

    /** Tells whether the namespace has {@code link}. */
    public boolean hasLink(String link) {
        return run("ip", "-n", name, "link", "show", link).code == 0;
    }

    /** Runs {@code ip -n NAME args...} and returns its output, failing the test when it fails. */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return require(command.toArray(String[]::new));
    }

    /**
     * Waits until {@code link} reports operational state UP. The kernel's link watch applies a
     * carrier change up to a second later, and until then the sending side drops frames silently.
     */
    public void awaitUp(String link) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!ip("link", "show", link).contains("state UP")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(link + " did not come up: " + ip("link", "show", link));
            }
            sleep(10);
        }
    }

    /** Sleeps, turning an interrupt into an unchecked failure of the test. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code task} on a new platform thread inside the namespace and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.newErrnoState(arena);
                int home = open(state, arena, "/proc/thread-self/ns/net");
                int target = open(state, arena, nsPath().toString());
                try {
                    if (setns(state, target) != 0) {
                        throw new IllegalStateException("setns " + name + ": " + Libc.describe(Libc.errno(state)));
                    }
                    try {
                        return task.call();
                    } finally {
                        setns(state, home);
                    }
                } finally {
                    Libc.close(state, target);
                    Libc.close(state, home);
                }
            }
        });
        Thread.ofPlatform().name("netns-" + name).daemon().start(future);
        try {
            return future.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static int setns(MemorySegment state, int fd) {
        try {
            return (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int open(MemorySegment state, Arena arena, String path) {
        int fd;
        try {
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (fd < 0) {
            throw new IllegalStateException("open " + path + ": " + Libc.describe(Libc.errno(state)));
        }
        return fd;
    }

    private Path nsPath() {
        return Path.of("/run/netns", name);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            run("ip", "netns", "del", name);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook deletes nothing more
            }
        }
    }

    private String require(String... command) {
        Result r = run(command);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** CAP_NET_RAW (13), CAP_NET_ADMIN (12) and CAP_SYS_ADMIN (21) in this process's effective set. */
    private static boolean hasCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    long needed = 1L << 13 | 1L << 12 | 1L << 21;
                    return (caps & needed) == needed;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
