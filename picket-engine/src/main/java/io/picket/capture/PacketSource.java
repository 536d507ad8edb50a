package io.picket.capture;

/**
 * A source of captured frames: a pcap or pcapng file, several files merged by time, or a
 * live ring. Polled by one thread; implementations fill a caller-owned {@link RawPacket}
 * and allocate nothing per packet.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Fills {@code packet} with the next frame.
     *
     * @return true if a frame was read, false at the end of the input
     * @throws CaptureException on input that cannot be read further (corrupt header, I/O
     *         error); a truncated last record is not an error but ends the input with a warning
     */
    boolean next(RawPacket packet) throws CaptureException;

    /** Name of the source for messages (file path or interface name). */
    String name();

    /** Warnings collected while reading (e.g. a truncated last record); never null. */
    java.util.List<String> warnings();

    @Override
    void close();
}
