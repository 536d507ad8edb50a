package io.picket.capture.afpacket;

/**
 * Kernel counters of one AF_PACKET socket since it was opened (PACKET_STATISTICS,
 * struct tpacket_stats_v3), summed by the source because the kernel resets them on every read.
 * Immutable.
 *
 * @param packets frames that passed the socket's filter, including the dropped ones (the kernel
 *        adds drops to tp_packets)
 * @param drops frames lost because no ring block was free (user space too slow)
 * @param freezeQueueCount times the ring froze because every block was held by user space
 */
public record AfPacketStats(long packets, long drops, long freezeQueueCount) {

    /** Frames that reached the ring: {@link #packets()} minus {@link #drops()}. */
    public long received() {
        return packets - drops;
    }
}
