package io.picket.capture.afpacket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Sends whole Ethernet frames, bytes as given (tags included), out of one interface through an
 * AF_PACKET SOCK_RAW socket that receives nothing (protocol 0). Open it inside the interface's
 * namespace; afterwards one thread at a time may send. Test helper.
 */
final class RawSender implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = Libc.newErrnoState(arena);
    private final MemorySegment buffer = arena.allocate(65536, 16);
    private final MemorySegment address = arena.allocate(Libc.SOCKADDR_LL_SIZE, 4);
    private final String interfaceName;
    private final int fd;
    private long sent;

    private RawSender(String interfaceName) {
        this.interfaceName = interfaceName;
        fd = Libc.socket(state, Libc.AF_PACKET, Libc.SOCK_RAW, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket: " + Libc.describe(Libc.errno(state)));
        }
        int ifindex = Libc.ifNameToIndex(state, arena.allocateFrom(interfaceName));
        if (ifindex == 0) {
            throw new IllegalStateException(interfaceName + ": " + Libc.describe(Libc.errno(state)));
        }
        Libc.sockaddrLl(address, ifindex, 0);
        address.set(ValueLayout.JAVA_BYTE, 11, (byte) 6); // sll_halen
    }

    /** Opens a sender on {@code interfaceName} of the calling thread's namespace. */
    static RawSender open(String interfaceName) {
        return new RawSender(interfaceName);
    }

    /** Sends {@code frame} as is. */
    void send(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        MemorySegment.copy(frame, 0, address, ValueLayout.JAVA_BYTE, 12, 6); // sll_addr: destination MAC
        long n = Libc.sendto(state, fd, buffer, frame.length, 0, address, (int) Libc.SOCKADDR_LL_SIZE);
        if (n != frame.length) {
            throw new IllegalStateException(interfaceName + ": sendto of " + frame.length + " bytes returned " + n
                    + ": " + Libc.describe(Libc.errno(state)));
        }
        sent++;
    }

    long sent() {
        return sent;
    }

    @Override
    public void close() {
        Libc.close(state, fd);
        arena.close();
    }
}
