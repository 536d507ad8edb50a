package io.picket.analyzer.spi;

import java.lang.foreign.MemorySegment;

/**
 * Decides from the first payload bytes of a connection whether its protocol is spoken
 * (Zeek's DPD signatures). One instance per connection, owned by the shard thread. It sees
 * the beginning of each direction's stream (TCP, in order) or each datagram (UDP) until it
 * answers {@link #MATCH} or {@link #NO_MATCH}.
 */
public interface Detector {
    /** The protocol is present: activate the analyzer. */
    int MATCH = 1;
    /** The protocol is not present: stop asking. */
    int NO_MATCH = 2;
    /** Not decided yet: show me more data (of either direction). */
    int NEED_MORE = 0;

    /**
     * @param isOrig data from the originator
     * @param data memory holding the bytes (valid only during the call)
     * @param offset first byte
     * @param length number of bytes
     * @param streamOffset for TCP: offset of these bytes within the direction's stream
     *        (0 = its first byte); for UDP: 0
     */
    int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset);
}
