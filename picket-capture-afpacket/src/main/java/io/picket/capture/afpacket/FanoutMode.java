package io.picket.capture.afpacket;

/**
 * How the kernel spreads frames over the sockets of one PACKET_FANOUT group. Immutable.
 */
public enum FanoutMode {
    /**
     * PACKET_FANOUT_HASH: by the kernel's symmetric flow hash, so both directions of a
     * connection reach the same socket. The mode for flow analysis.
     */
    HASH(0),
    /** PACKET_FANOUT_LB: round robin; splits connections, only for per-packet work. */
    LOAD_BALANCE(1),
    /** PACKET_FANOUT_CPU: by the CPU that received the frame (follows NIC RSS queues). */
    CPU(2),
    /** PACKET_FANOUT_QM: by the NIC receive queue recorded in the frame. */
    QUEUE_MAPPING(5);

    private final int kernelValue;

    FanoutMode(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** The PACKET_FANOUT_* constant. */
    public int kernelValue() {
        return kernelValue;
    }
}
