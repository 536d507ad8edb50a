package io.picket.cli.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network namespace holding one veth pair {@code va}/{@code vb} (MTU 9000, both up,
 * IPv6 off and no addresses, so the kernel itself sends nothing): frames sent out of {@code va}
 * arrive on {@code vb}, where picket captures. Test helper, owned by the test class that creates
 * it; {@link #close()} deletes the namespace, and a JVM shutdown hook does so too if the class
 * never gets there.
 */
final class LiveNetwork implements AutoCloseable {
    /** The side frames are sent from. */
    static final String SEND_LINK = "va";
    /** The side picket captures on. */
    static final String CAPTURE_LINK = "vb";

    private final String name;
    private final Thread cleanup;
    private boolean closed;

    private LiveNetwork(String name) {
        this.name = name;
        this.cleanup = new Thread(() -> run("ip", "netns", "del", name));
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Creates the namespace and links, or aborts the calling test class with the reason. */
    static LiveNetwork create() {
        Assumptions.assumeTrue(hasCapabilities(),
                "live capture tests need root (CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN for AF_PACKET and netns)");
        Result ip = run("ip", "-V");
        Assumptions.assumeTrue(ip.code == 0, () -> "live capture tests need iproute2's ip: " + ip.output);
        String name = "picket-live-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Result add = run("ip", "netns", "add", name);
        Assumptions.assumeTrue(add.code == 0, () -> "cannot create a network namespace: " + add.output);
        LiveNetwork net = new LiveNetwork(name);
        try {
            net.require("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            net.ip("link", "add", SEND_LINK, "mtu", "9000", "type", "veth", "peer", "name", CAPTURE_LINK, "mtu", "9000");
            net.ip("link", "set", "lo", "up");
            net.ip("link", "set", SEND_LINK, "up");
            net.ip("link", "set", CAPTURE_LINK, "up");
            net.awaitUp(SEND_LINK);
            net.awaitUp(CAPTURE_LINK);
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /** The command prefix that runs a program inside the namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Frames the kernel counted as received on {@code link} (its rx_packets). */
    long rxPackets(String link) {
        return Long.parseLong(require("ip", "netns", "exec", name, "cat",
                "/sys/class/net/" + link + "/statistics/rx_packets").strip());
    }

    /** Runs {@code ip -n NAME args...} and returns its output, failing when it fails. */
    String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return require(command.toArray(String[]::new));
    }

    /**
     * Waits until {@code link} reports operational state UP: the kernel's link watch applies a
     * carrier change up to a second later, and until then veth drops what is sent.
     */
    private void awaitUp(String link) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!ip("link", "show", link).contains("state UP")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(link + " did not come up: " + ip("link", "show", link));
            }
            sleep(10);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            run("ip", "netns", "del", name);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook deletes it
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
