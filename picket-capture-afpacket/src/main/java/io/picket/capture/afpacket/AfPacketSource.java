package io.picket.capture.afpacket;

import static io.picket.capture.afpacket.Libc.S32;
import static io.picket.capture.afpacket.Libc.U16;

import io.picket.capture.CaptureException;
import io.picket.capture.LinkTypes;
import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Live capture from one Linux interface through an AF_PACKET socket with a memory-mapped
 * TPACKET_V3 receive ring, driven through the FFM API (no JNI, no libpcap).
 *
 * <p>The kernel fills fixed-size blocks with frames and hands a block to user space by setting its
 * status to TP_STATUS_USER; this source walks the block's frames and gives the block back
 * (TP_STATUS_KERNEL) once all of them were returned and the following call begins. Every
 * {@link RawPacket} points into the ring: it stays valid until the next call of {@link #next} or
 * {@link #poll} on this source and must be copied if needed longer. Nothing is allocated per frame.
 *
 * <p>Frames arrive as Ethernet (link type 1), or as raw IP (101) from interfaces without a link
 * layer such as tun; other hardware types are refused at open. The kernel removes the outermost 802.1Q/802.1ad tag
 * from the bytes on receive; its TCI is delivered in {@link RawPacket#outOfBandVlanTci} (-1 when
 * the frame had no tag), so tenant selection and Zeek's {@code vlan} field must use that field.
 * An inner tag of a QinQ frame stays in the bytes.
 *
 * <p>Threads: {@link #next}, {@link #poll} and {@link #close} belong to one polling thread;
 * {@link #stop()} and {@link #stats()} may be called from any thread. Setup failures (no such
 * interface, interface down, missing CAP_NET_RAW, ring allocation) and unexpected socket errors
 * while polling raise {@link CaptureException} naming the interface and the errno text. An
 * interface that goes down while capturing is not an error: it is counted
 * ({@link #interfaceDownEvents()}), reported in {@link #warnings()}, and capture resumes when the
 * link is up again.
 */
public final class AfPacketSource implements PacketSource {
    /** {@link #poll} result: {@code packet} was filled. */
    public static final int PACKET = 1;
    /** {@link #poll} result: no frame arrived within the timeout. */
    public static final int TIMEOUT = 0;
    /** {@link #poll} result: the source was stopped or closed. */
    public static final int STOPPED = -1;

    // struct tpacket_block_desc: version, offset_to_priv, then struct tpacket_hdr_v1.
    private static final long BD_BLOCK_STATUS = 8;
    private static final long BD_NUM_PKTS = 12;
    private static final long BD_OFFSET_TO_FIRST_PKT = 16;
    // struct tpacket3_hdr.
    private static final long TP_NEXT_OFFSET = 0;
    private static final long TP_SEC = 4;
    private static final long TP_NSEC = 8;
    private static final long TP_SNAPLEN = 12;
    private static final long TP_LEN = 16;
    private static final long TP_STATUS = 20;
    private static final long TP_MAC = 24;
    private static final long TP_VLAN_TCI = 32;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_VLAN_VALID = 0x10;
    private static final int MAX_DOWN_WARNINGS = 10;
    /** Atomic access to block_status, which the kernel and this thread hand back and forth. */
    private static final VarHandle BLOCK_STATUS = ValueLayout.JAVA_INT.varHandle();

    private final AfPacketConfig config;
    private final String name;
    private final int ifindex;
    private final int linkType;
    private final Arena arena;
    private final MemorySegment ring;
    private final int fd;
    private final long blockSize;
    private final int blockCount;
    // Owned by the polling thread.
    private final MemorySegment errnoState;
    private final MemorySegment pollFd;
    private final MemorySegment soError;
    private final MemorySegment soErrorLength;
    private int blockIndex;
    private long blockOffset;
    private boolean holdingBlock;
    private int packetsLeft;
    private long packetOffset;
    private long delivered;
    private long truncated;
    private long interfaceDownEvents;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    // Guarded by lock.
    private final Object lock = new Object();
    private boolean closed;
    private long statPackets;
    private long statDrops;
    private long statFreezes;

    private volatile boolean stopped;

    private AfPacketSource(AfPacketConfig config, int ifindex, int linkType, Arena arena, MemorySegment errnoState,
                           int fd, MemorySegment ring) {
        this.config = config;
        this.linkType = linkType;
        this.name = config.interfaceName();
        this.ifindex = ifindex;
        this.arena = arena;
        this.errnoState = errnoState;
        this.fd = fd;
        this.ring = ring;
        this.blockSize = config.blockSize();
        this.blockCount = config.blockCount();
        this.pollFd = arena.allocate(Libc.POLLFD_SIZE, 8);
        pollFd.set(S32, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) (Libc.POLLIN | Libc.POLLERR));
        this.soError = arena.allocate(4, 4);
        this.soErrorLength = arena.allocate(4, 4);
    }

    /**
     * Opens the socket, sets up and maps the ring, attaches the filter, enables promiscuous mode,
     * binds to the interface and joins the fanout group, in that order (the socket receives
     * nothing before it is bound, so no frame of another interface or before the filter gets in).
     * Must run in the network namespace of the interface (the socket stays bound to it).
     *
     * @throws CaptureException naming the interface, the failed step and the errno text
     */
    @SuppressWarnings("restricted") // reinterpret of the mmap'ed ring; needs --enable-native-access
    public static AfPacketSource open(AfPacketConfig config) throws CaptureException {
        String name = config.interfaceName();
        Arena arena = Arena.ofShared();
        MemorySegment state = Libc.newErrnoState(arena);
        int fd = -1;
        try {
            fd = Libc.socket(state, Libc.AF_PACKET, Libc.SOCK_RAW, 0);
            if (fd < 0) {
                int errno = Libc.errno(state);
                String hint = errno == Libc.EPERM || errno == Libc.EACCES
                        ? "; capture needs CAP_NET_RAW (run as root or grant the capability)"
                        : "";
                throw fail(name, "cannot open an AF_PACKET socket: " + Libc.describe(errno) + hint);
            }
            int ifindex = Libc.ifNameToIndex(state, arena.allocateFrom(name));
            if (ifindex == 0) {
                int errno = Libc.errno(state);
                throw fail(name, errno == Libc.ENODEV || errno == Libc.ENXIO
                        ? "no such interface: " + Libc.describe(errno)
                        : "cannot look up the interface: " + Libc.describe(errno));
            }
            MemorySegment intValue = arena.allocate(4, 4);
            intValue.set(S32, 0, Libc.TPACKET_V3);
            check(state, Libc.setsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_VERSION, intValue, 4), name,
                    "cannot select TPACKET_V3 (kernel 3.2 or newer needed)");
            if (config.ignoreOutgoing()) {
                intValue.set(S32, 0, 1);
                check(state, Libc.setsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_IGNORE_OUTGOING, intValue, 4),
                        name, "cannot ignore outgoing frames (kernel 4.20 or newer needed)");
            }
            MemorySegment req = arena.allocate(Libc.TPACKET_REQ3_SIZE, 4);
            req.set(S32, 0, config.blockSize());
            req.set(S32, 4, config.blockCount());
            req.set(S32, 8, config.frameSize());
            req.set(S32, 12, config.frameCount());
            req.set(S32, 16, config.blockTimeoutMillis());
            req.set(S32, 20, 0); // tp_sizeof_priv
            req.set(S32, 24, 0); // tp_feature_req_word
            if (Libc.setsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_RX_RING, req, (int) Libc.TPACKET_REQ3_SIZE) != 0) {
                int errno = Libc.errno(state);
                throw fail(name, "cannot set up a receive ring of " + config.blockCount() + " blocks of "
                        + config.blockSize() + " bytes: " + Libc.describe(errno)
                        + (errno == Libc.ENOMEM ? "; the kernel lacks memory for it, use fewer or smaller blocks" : ""));
            }
            long size = config.ringBytes();
            long address = Libc.mmap(state, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (address == -1L) {
                throw fail(name, "cannot map the receive ring of " + size + " bytes: "
                        + Libc.describe(Libc.errno(state)));
            }
            MemorySegment ring = MemorySegment.ofAddress(address).reinterpret(size, arena, s -> unmap(s, size));
            if (config.filter() != null) {
                attachFilter(arena, state, fd, name, config.filter());
            }
            if (config.promiscuous()) {
                MemorySegment mreq = arena.allocate(Libc.PACKET_MREQ_SIZE, 4);
                mreq.set(S32, 0, ifindex);
                mreq.set(U16, 4, (short) Libc.PACKET_MR_PROMISC);
                check(state, Libc.setsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_ADD_MEMBERSHIP, mreq,
                        (int) Libc.PACKET_MREQ_SIZE), name, "cannot enable promiscuous mode");
            }
            MemorySegment sll = arena.allocate(Libc.SOCKADDR_LL_SIZE, 4);
            Libc.sockaddrLl(sll, ifindex, Libc.ETH_P_ALL);
            if (Libc.bind(state, fd, sll, (int) Libc.SOCKADDR_LL_SIZE) != 0) {
                int errno = Libc.errno(state);
                throw fail(name, errno == Libc.ENETDOWN
                        ? "interface is down: " + Libc.describe(errno)
                        : "cannot bind to the interface: " + Libc.describe(errno));
            }
            // A bind to a down interface succeeds but leaves ENETDOWN pending and receives nothing.
            MemorySegment length = arena.allocate(4, 4);
            length.set(S32, 0, 4);
            intValue.set(S32, 0, 0);
            check(state, Libc.getsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_ERROR, intValue, length), name,
                    "cannot read the socket error after bind");
            if (intValue.get(S32, 0) == Libc.ENETDOWN) {
                throw fail(name, "interface is down: " + Libc.describe(Libc.ENETDOWN) + "; bring it up first");
            }
            length.set(S32, 0, (int) Libc.SOCKADDR_LL_SIZE);
            check(state, Libc.getsockname(state, fd, sll, length), name, "cannot read the interface's hardware type");
            int hardwareType = sll.get(U16, 8) & 0xFFFF;
            int linkType = switch (hardwareType) {
                case Libc.ARPHRD_ETHER, Libc.ARPHRD_LOOPBACK -> LinkTypes.ETHERNET;
                case Libc.ARPHRD_NONE -> LinkTypes.RAW;
                default -> throw fail(name, "hardware type " + hardwareType
                        + " (ARPHRD_*) is not supported; Ethernet, loopback and tun-like (raw IP) interfaces are");
            };
            if (config.fanout()) {
                int flags = config.fanoutDefrag() ? Libc.PACKET_FANOUT_FLAG_DEFRAG : 0;
                intValue.set(S32, 0, config.fanoutGroup() | ((config.fanoutMode().kernelValue() | flags) << 16));
                check(state, Libc.setsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_FANOUT, intValue, 4), name,
                        "cannot join fanout group " + config.fanoutGroup() + " (" + config.fanoutMode()
                                + "); every member needs the same mode and flags");
            }
            return new AfPacketSource(config, ifindex, linkType, arena, state, fd, ring);
        } catch (CaptureException | RuntimeException | Error e) {
            arena.close(); // unmaps the ring if it was mapped
            if (fd >= 0) {
                closeDescriptor(fd);
            }
            throw e;
        }
    }

    private static void attachFilter(Arena arena, MemorySegment state, int fd, String name, BpfProgram program)
            throws CaptureException {
        List<BpfProgram.Instruction> insns = program.instructions();
        MemorySegment code = arena.allocate(8L * insns.size(), 8);
        for (int i = 0; i < insns.size(); i++) {
            BpfProgram.Instruction insn = insns.get(i);
            long at = 8L * i;
            code.set(U16, at, (short) insn.code());
            code.set(ValueLayout.JAVA_BYTE, at + 2, (byte) insn.jt());
            code.set(ValueLayout.JAVA_BYTE, at + 3, (byte) insn.jf());
            code.set(S32, at + 4, insn.k());
        }
        MemorySegment fprog = arena.allocate(Libc.SOCK_FPROG_SIZE, 8);
        fprog.set(U16, 0, (short) insns.size());
        fprog.set(ValueLayout.ADDRESS, 8, code);
        check(state, Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog,
                (int) Libc.SOCK_FPROG_SIZE), name, "cannot attach the BPF filter of " + insns.size()
                + " instructions (rejected by the kernel's verifier?)");
    }

    private static void unmap(MemorySegment ring, long size) {
        try (Arena a = Arena.ofConfined()) {
            Libc.munmap(Libc.newErrnoState(a), ring.address(), size);
        }
    }

    private static void closeDescriptor(int fd) {
        try (Arena a = Arena.ofConfined()) {
            Libc.close(Libc.newErrnoState(a), fd);
        }
    }

    private static void check(MemorySegment state, int rc, String name, String step) throws CaptureException {
        if (rc != 0) {
            throw fail(name, step + ": " + Libc.describe(Libc.errno(state)));
        }
    }

    private static CaptureException fail(String name, String problem) {
        return new CaptureException(name, 0, problem);
    }

    /**
     * Fills {@code packet} with the next frame, waiting in poll(2) as long as needed.
     *
     * @return true with a frame; false once {@link #stop()} was called (seen at the next block
     *         boundary or poll timeout) or the source was closed
     * @throws CaptureException if poll(2) or the socket reports an unexpected error
     */
    @Override
    public boolean next(RawPacket packet) throws CaptureException {
        int pollTimeout = config.pollTimeoutMillis();
        while (true) {
            int result = poll(packet, pollTimeout);
            if (result != TIMEOUT) {
                return result == PACKET;
            }
        }
    }

    /**
     * Fills {@code packet} with the next frame if one arrives within {@code timeoutMillis}
     * (0 or less does not wait). Lets a capture loop run idle work (timers) between frames.
     *
     * @return {@link #PACKET}, {@link #TIMEOUT} or {@link #STOPPED}
     * @throws CaptureException if poll(2) or the socket reports an unexpected error
     */
    public int poll(RawPacket packet, int timeoutMillis) throws CaptureException {
        if (packetsLeft == 0) {
            releaseBlock();
            if (stopped) {
                return STOPPED;
            }
            if (!acquireBlock()) {
                waitForBlock(Math.max(0, timeoutMillis));
                if (stopped) {
                    return STOPPED;
                }
                if (!acquireBlock()) {
                    return TIMEOUT;
                }
            }
        }
        readPacket(packet);
        return PACKET;
    }

    private boolean acquireBlock() {
        while (true) {
            int status = (int) BLOCK_STATUS.getAcquire(ring, blockOffset + BD_BLOCK_STATUS);
            if ((status & TP_STATUS_USER) == 0) {
                return false;
            }
            holdingBlock = true;
            packetsLeft = ring.get(S32, blockOffset + BD_NUM_PKTS);
            packetOffset = blockOffset + Integer.toUnsignedLong(ring.get(S32, blockOffset + BD_OFFSET_TO_FIRST_PKT));
            if (packetsLeft > 0) {
                return true;
            }
            packetsLeft = 0;
            releaseBlock();
        }
    }

    private void releaseBlock() {
        if (holdingBlock) {
            BLOCK_STATUS.setRelease(ring, blockOffset + BD_BLOCK_STATUS, TP_STATUS_KERNEL);
            holdingBlock = false;
            blockIndex = blockIndex + 1 == blockCount ? 0 : blockIndex + 1;
            blockOffset = blockIndex * blockSize;
        }
    }

    private void readPacket(RawPacket packet) {
        long h = packetOffset;
        int status = ring.get(S32, h + TP_STATUS);
        int snaplen = ring.get(S32, h + TP_SNAPLEN);
        int len = ring.get(S32, h + TP_LEN);
        int mac = ring.get(U16, h + TP_MAC) & 0xFFFF;
        assert h + mac + snaplen <= blockOffset + blockSize : "frame crosses its block";
        packet.segment = ring;
        packet.offset = h + mac;
        packet.capturedLength = snaplen;
        packet.wireLength = len;
        packet.tsSeconds = Integer.toUnsignedLong(ring.get(S32, h + TP_SEC));
        packet.tsNanos = ring.get(S32, h + TP_NSEC);
        packet.linkType = linkType;
        packet.interfaceId = 0;
        packet.interfaceName = name;
        packet.outOfBandVlanTci = (status & TP_STATUS_VLAN_VALID) != 0
                ? ring.get(S32, h + TP_VLAN_TCI) & 0xFFFF
                : -1;
        packet.sourcePosition = delivered++;
        if (snaplen < len && truncated++ == 0 && config.filter() == null) {
            warnings.add(name + ": frames longer than a ring block (" + blockSize
                    + " bytes) are truncated; raise the block size or turn off GRO/LRO on the interface");
        }
        packetOffset = h + Integer.toUnsignedLong(ring.get(S32, h + TP_NEXT_OFFSET));
        packetsLeft--;
    }

    private void waitForBlock(int timeoutMillis) throws CaptureException {
        pollFd.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) 0);
        int rc = Libc.poll(errnoState, pollFd, 1, timeoutMillis);
        if (rc < 0) {
            int errno = Libc.errno(errnoState);
            if (errno == Libc.EINTR) {
                return;
            }
            throw new CaptureException(name, delivered, "poll failed: " + Libc.describe(errno));
        }
        short revents = pollFd.get(ValueLayout.JAVA_SHORT_UNALIGNED, 6);
        if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0) {
            soErrorLength.set(S32, 0, 4);
            soError.set(S32, 0, 0);
            Libc.getsockopt(errnoState, fd, Libc.SOL_SOCKET, Libc.SO_ERROR, soError, soErrorLength);
            int error = soError.get(S32, 0);
            if (error == Libc.ENETDOWN) {
                // Reading SO_ERROR cleared it; the kernel re-attaches the socket when the link is up again.
                if (interfaceDownEvents++ < MAX_DOWN_WARNINGS) {
                    warnings.add(name + ": interface went down after " + delivered
                            + " frames; capture resumes when it is up again");
                }
                return;
            }
            if (error != 0 || (revents & Libc.POLLNVAL) != 0) {
                throw new CaptureException(name, delivered, "socket error: "
                        + (error != 0 ? Libc.describe(error) : "invalid descriptor"));
            }
        }
    }

    /**
     * Makes {@link #next} return false at its next block boundary or poll timeout (at most
     * {@link AfPacketConfig#pollTimeoutMillis()} later); frames still in the ring are not returned.
     * Callable from any thread, e.g. a signal or shutdown handler.
     */
    public void stop() {
        stopped = true;
    }

    /** Tells whether {@link #stop()} or {@link #close()} was called. */
    public boolean isStopped() {
        return stopped;
    }

    /**
     * Kernel counters since the socket was opened; after {@link #close()} the last values read.
     * Callable from any thread.
     *
     * @throws IllegalStateException if the kernel refuses PACKET_STATISTICS (not expected)
     */
    public AfPacketStats stats() {
        synchronized (lock) {
            if (!closed) {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment state = Libc.newErrnoState(a);
                    MemorySegment value = a.allocate(Libc.TPACKET_STATS_V3_SIZE, 4);
                    MemorySegment length = a.allocate(4, 4);
                    length.set(S32, 0, (int) Libc.TPACKET_STATS_V3_SIZE);
                    if (Libc.getsockopt(state, fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, value, length) != 0) {
                        throw new IllegalStateException(name + ": PACKET_STATISTICS failed: "
                                + Libc.describe(Libc.errno(state)));
                    }
                    statPackets += Integer.toUnsignedLong(value.get(S32, 0));
                    statDrops += Integer.toUnsignedLong(value.get(S32, 4));
                    statFreezes += Integer.toUnsignedLong(value.get(S32, 8));
                }
            }
            return new AfPacketStats(statPackets, statDrops, statFreezes);
        }
    }

    /** Frames returned by {@link #next}/{@link #poll} so far. Polling thread. */
    public long packetsDelivered() {
        return delivered;
    }

    /**
     * Frames returned with fewer bytes than on the wire: cut by the filter's return value, or
     * longer than a ring block (then also a warning). Polling thread.
     */
    public long packetsTruncated() {
        return truncated;
    }

    /**
     * Times the interface went down while capturing (the source keeps polling and receives again
     * once the interface is up; each event also adds a warning, the first ten). Polling thread.
     */
    public long interfaceDownEvents() {
        return interfaceDownEvents;
    }

    /**
     * Link type of every frame: {@link LinkTypes#ETHERNET} for Ethernet and loopback interfaces,
     * {@link LinkTypes#RAW} for interfaces without a link-layer header (tun, WireGuard).
     */
    public int linkType() {
        return linkType;
    }

    /** Interface index the socket is bound to. */
    public int interfaceIndex() {
        return ifindex;
    }

    /** The settings this source was opened with. */
    public AfPacketConfig config() {
        return config;
    }

    /** The interface name. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Reads the final statistics, unmaps the ring and closes the socket; idempotent. Call from the
     * polling thread (or after it finished): the last {@link RawPacket} becomes invalid, and
     * closing while another thread is inside {@link #next} fails with IllegalStateException.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                stats();
            } catch (IllegalStateException e) {
                warnings.add(e.getMessage());
            }
            closed = true;
            stopped = true;
            packetsLeft = 0;
            holdingBlock = false;
            arena.close();
            closeDescriptor(fd);
        }
    }
}
