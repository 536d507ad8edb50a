package io.picket.cli.live;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Sends whole Ethernet frames, bytes as given (VLAN tags included), out of an interface of a
 * named network namespace: a fresh platform thread enters the namespace with setns(2), opens an
 * AF_PACKET SOCK_RAW socket that receives nothing (protocol 0) and writes every frame with
 * sendto(2). Test helper (the same approach as the afpacket module's test sender, kept apart so
 * that module stays untouched); stateless, callable from any thread. A failing call raises
 * {@link IllegalStateException} naming the call and the errno.
 */
@SuppressWarnings("restricted") // native access is this class's purpose; surefire runs with --enable-native-access
final class NetnsFrameSender {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int ENOBUFS = 105;
    /** struct sockaddr_ll: family, protocol (big-endian), ifindex, hatype, pkttype, halen, addr[8]. */
    private static final long SOCKADDR_LL_SIZE = 20;
    private static final int MAX_FRAME = 65536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKET =
            downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX =
            downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private NetnsFrameSender() {
    }

    /**
     * Sends {@code frames} in order out of {@code ifname} in namespace {@code netns}, pausing a
     * millisecond every 64 frames so the peer's backlog queue never overflows, and returns the
     * number sent (all of them, or an exception). Retries a frame the kernel refused with ENOBUFS.
     */
    static long send(String netns, String ifname, List<byte[]> frames) throws Exception {
        FutureTask<Long> task = new FutureTask<>(() -> sendInNamespace(netns, ifname, frames));
        Thread.ofPlatform().name("picket-live-sender").daemon().start(task);
        try {
            return task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static long sendInNamespace(String netns, String ifname, List<byte[]> frames) throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int nsFd = (int) call(OPEN, state, arena.allocateFrom("/run/netns/" + netns), O_RDONLY | O_CLOEXEC, 0);
            check(nsFd >= 0, state, "open /run/netns/" + netns);
            int rc = (int) call(SETNS, state, nsFd, CLONE_NEWNET);
            call(CLOSE, state, nsFd);
            check(rc == 0, state, "setns " + netns);
            // This thread now lives in the namespace and ends with the task: nothing to restore.
            int fd = (int) call(SOCKET, state, AF_PACKET, SOCK_RAW, 0);
            check(fd >= 0, state, "socket(AF_PACKET)");
            try {
                int ifindex = (int) call(IF_NAMETOINDEX, state, arena.allocateFrom(ifname));
                check(ifindex != 0, state, "if_nametoindex " + ifname);
                MemorySegment address = arena.allocate(SOCKADDR_LL_SIZE, 4);
                address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET); // sll_family
                address.set(ValueLayout.JAVA_INT, 4, ifindex);             // sll_ifindex
                address.set(ValueLayout.JAVA_BYTE, 11, (byte) 6);          // sll_halen
                MemorySegment buffer = arena.allocate(MAX_FRAME, 16);
                long sent = 0;
                for (byte[] frame : frames) {
                    MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
                    MemorySegment.copy(frame, 0, address, ValueLayout.JAVA_BYTE, 12, 6); // sll_addr: destination MAC
                    long n;
                    int retries = 0;
                    while ((n = (long) call(SENDTO, state, fd, buffer, (long) frame.length, 0, address,
                            (int) SOCKADDR_LL_SIZE)) < 0 && errno(state) == ENOBUFS && retries++ < 100) {
                        Thread.sleep(1);
                    }
                    check(n == frame.length, state, "sendto " + ifname + " of frame " + sent + " (" + frame.length
                            + " bytes) returned " + n);
                    sent++;
                    if (sent % 64 == 0) {
                        Thread.sleep(1);
                    }
                }
                return sent;
            } finally {
                call(CLOSE, state, fd);
            }
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new AssertionError("C library has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static Object call(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new AssertionError("downcall failed: " + t, t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static void check(boolean ok, MemorySegment state, String what) {
        if (!ok) {
            throw new IllegalStateException(what + ": errno " + errno(state));
        }
    }
}
