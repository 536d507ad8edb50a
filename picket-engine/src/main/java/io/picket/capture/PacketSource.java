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

    /** {@link #poll} result: a frame was read. */
    int PACKET = 1;
    /** {@link #poll} result: nothing arrived within the timeout (live sources). */
    int TIMEOUT = 0;
    /** {@link #poll} result: the input ended or the source was stopped. */
    int STOPPED = -1;

    /**
     * Like {@link #next} but gives up after {@code timeoutMillis} without a frame, so the caller
     * can advance timers while a live link is quiet. Files never time out.
     */
    default int poll(RawPacket packet, int timeoutMillis) throws CaptureException {
        return next(packet) ? PACKET : STOPPED;
    }

    /** Asks a live source to end; {@link #next} then returns false. Any thread may call it. */
    default void stop() {
    }

    /** Name of the source for messages (file path or interface name). */
    String name();

    /** Warnings collected while reading (e.g. a truncated last record); never null. */
    java.util.List<String> warnings();

    @Override
    void close();
}
