package io.picket.capture.afpacket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Settings of one AF_PACKET TPACKET_V3 capture socket. Immutable; {@code withXxx} methods return
 * changed copies. Start from {@link #of(String)}.
 *
 * @param interfaceName interface to capture (1 to 15 bytes, IFNAMSIZ)
 * @param blockSize bytes per ring block: a power of two, at least 4096 (a page); bounds the
 *        largest frame the ring can hold
 * @param blockCount number of ring blocks; the ring is {@code blockSize * blockCount} bytes
 * @param frameSize tp_frame_size, a multiple of 16 between 80 and {@code blockSize}; TPACKET_V3
 *        packs frames of any size into a block, the kernel only checks this value
 * @param blockTimeoutMillis tp_retire_blk_tov: the kernel hands a partly filled block to user
 *        space after this many milliseconds (0 lets the kernel choose); bounds capture latency
 * @param pollTimeoutMillis how long {@link AfPacketSource#next} waits in poll(2) before it looks
 *        at {@link AfPacketSource#stop()} again (1 or more)
 * @param promiscuous put the interface into promiscuous mode while the socket is open
 * @param ignoreOutgoing skip frames this host sends (PACKET_IGNORE_OUTGOING)
 * @param fanoutGroup PACKET_FANOUT group id 0..65535, or -1 for no fanout
 * @param fanoutMode how a fanout group spreads frames (ignored without a group)
 * @param fanoutDefrag PACKET_FANOUT_FLAG_DEFRAG: reassemble IPv4 fragments before hashing (the
 *        socket then receives the reassembled datagram, not the fragments)
 * @param filter classic BPF program attached before the socket is bound, or null for none
 */
public record AfPacketConfig(
        String interfaceName,
        int blockSize,
        int blockCount,
        int frameSize,
        int blockTimeoutMillis,
        int pollTimeoutMillis,
        boolean promiscuous,
        boolean ignoreOutgoing,
        int fanoutGroup,
        FanoutMode fanoutMode,
        boolean fanoutDefrag,
        BpfProgram filter) {

    /**
     * Default block size: 256 KiB. The kernel hands a block over when it is full or when the block
     * timeout passes, so at low rates each block holds only a timeout's worth of frames: many small
     * blocks let the ring ride out seconds of a stalled reader (JIT warm-up, a GC pause) where a
     * few large ones would hold well under a second.
     */
    public static final int DEFAULT_BLOCK_SIZE = 1 << 18;
    /** Default block count: 512, a 128 MiB ring (5 s of 10 ms block timeouts at low rates). */
    public static final int DEFAULT_BLOCK_COUNT = 512;
    /** Default tp_frame_size. */
    public static final int DEFAULT_FRAME_SIZE = 2048;
    /** Default block retire timeout in milliseconds. */
    public static final int DEFAULT_BLOCK_TIMEOUT_MILLIS = 10;
    /** Default poll timeout in milliseconds. */
    public static final int DEFAULT_POLL_TIMEOUT_MILLIS = 100;
    /** Largest ring this class accepts: 16 GiB. */
    public static final long MAX_RING_BYTES = 1L << 34;

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public AfPacketConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(fanoutMode, "fanoutMode");
        int nameBytes = interfaceName.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > 15 || interfaceName.indexOf('\0') >= 0
                || interfaceName.indexOf('/') >= 0 || interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes without '/' or NUL: '"
                    + interfaceName + "'");
        }
        if (blockSize < 4096 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least 4096 bytes: "
                    + blockSize);
        }
        if (blockCount < 1) {
            throw new IllegalArgumentException("block count must be positive: " + blockCount);
        }
        if ((long) blockSize * blockCount > MAX_RING_BYTES) {
            throw new IllegalArgumentException("ring of " + blockCount + " blocks of " + blockSize
                    + " bytes exceeds " + MAX_RING_BYTES + " bytes");
        }
        if (frameSize < 80 || frameSize > blockSize || (frameSize & 15) != 0) {
            throw new IllegalArgumentException("frame size must be a multiple of 16 between 80 and the block size: "
                    + frameSize);
        }
        if ((long) (blockSize / frameSize) * blockCount > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("too many frames in the ring: frame size " + frameSize + " too small");
        }
        if (blockTimeoutMillis < 0) {
            throw new IllegalArgumentException("block timeout must not be negative: " + blockTimeoutMillis);
        }
        if (pollTimeoutMillis < 1) {
            throw new IllegalArgumentException("poll timeout must be at least 1 ms: " + pollTimeoutMillis);
        }
        if (fanoutGroup < -1 || fanoutGroup > 0xFFFF) {
            throw new IllegalArgumentException("fanout group must be 0..65535 or -1 for none: " + fanoutGroup);
        }
    }

    /** Defaults for {@code interfaceName}: 256 KiB x 512 ring, promiscuous, no fanout, no filter. */
    public static AfPacketConfig of(String interfaceName) {
        return new AfPacketConfig(interfaceName, DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_COUNT, DEFAULT_FRAME_SIZE,
                DEFAULT_BLOCK_TIMEOUT_MILLIS, DEFAULT_POLL_TIMEOUT_MILLIS, true, false, -1, FanoutMode.HASH,
                false, null);
    }

    /** Ring size in bytes. */
    public long ringBytes() {
        return (long) blockSize * blockCount;
    }

    /** tp_frame_nr: frames per block times blocks. */
    public int frameCount() {
        return (blockSize / frameSize) * blockCount;
    }

    /** Tells whether the socket joins a fanout group. */
    public boolean fanout() {
        return fanoutGroup >= 0;
    }

    public AfPacketConfig withRing(int newBlockSize, int newBlockCount) {
        return new AfPacketConfig(interfaceName, newBlockSize, newBlockCount, Math.min(frameSize, newBlockSize),
                blockTimeoutMillis, pollTimeoutMillis, promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode,
                fanoutDefrag, filter);
    }

    public AfPacketConfig withFrameSize(int newFrameSize) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, newFrameSize, blockTimeoutMillis,
                pollTimeoutMillis, promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode, fanoutDefrag, filter);
    }

    public AfPacketConfig withBlockTimeoutMillis(int millis) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, millis, pollTimeoutMillis,
                promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode, fanoutDefrag, filter);
    }

    public AfPacketConfig withPollTimeoutMillis(int millis) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis, millis,
                promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode, fanoutDefrag, filter);
    }

    public AfPacketConfig withPromiscuous(boolean on) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis,
                pollTimeoutMillis, on, ignoreOutgoing, fanoutGroup, fanoutMode, fanoutDefrag, filter);
    }

    public AfPacketConfig withIgnoreOutgoing(boolean on) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis,
                pollTimeoutMillis, promiscuous, on, fanoutGroup, fanoutMode, fanoutDefrag, filter);
    }

    /** Joins fanout group {@code group} (0..65535) in {@code mode}. */
    public AfPacketConfig withFanout(int group, FanoutMode mode) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis,
                pollTimeoutMillis, promiscuous, ignoreOutgoing, group, mode, fanoutDefrag, filter);
    }

    public AfPacketConfig withFanoutDefrag(boolean on) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis,
                pollTimeoutMillis, promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode, on, filter);
    }

    /** Attaches {@code program}, or none when null. */
    public AfPacketConfig withFilter(BpfProgram program) {
        return new AfPacketConfig(interfaceName, blockSize, blockCount, frameSize, blockTimeoutMillis,
                pollTimeoutMillis, promiscuous, ignoreOutgoing, fanoutGroup, fanoutMode, fanoutDefrag, program);
    }
}
