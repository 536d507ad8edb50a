package io.picket.flow;

import java.lang.foreign.MemorySegment;

/**
 * What the connection stage hands to the analyzer stage for one connection: in-order TCP
 * stream bytes, content gaps and ends of streams, UDP datagrams, and the removal of the
 * connection. Created when the connection is created (after any role flip); called on the
 * shard thread. Data arguments are valid only during the call.
 */
public interface ConnectionObserver {

    /** True while someone (an analyzer or a detector) still wants this connection's payload. */
    boolean wantsPayload();

    void onStream(boolean isOrig, MemorySegment data, long offset, int length);

    void onGap(boolean isOrig, long length);

    void onEndOfStream(boolean isOrig);

    void onDatagram(boolean isOrig, MemorySegment data, long offset, int length);

    /**
     * The first packet of a direction of a TCP, UDP or ICMP connection, before its payload is handed on
     * ({@code p}'s header fields and segment are valid during the call).
     */
    default void onFirstPacket(boolean isOrig, io.picket.decode.Packet p) {
    }

    /**
     * One ICMP message's payload, after the 8-byte ICMP header (Zeek's ICMP analyzer hands it to
     * the signature engine); valid during the call.
     */
    default void onIcmp(boolean isOrig, MemorySegment data, long offset, int length) {
    }

    /** The connection is being removed; called before its conn.log record is built. */
    void onRemove();

    /** Creates the observer of a new connection, or returns null if nothing observes it. */
    @FunctionalInterface
    interface Factory {
        ConnectionObserver create(Connection c);

        Factory NONE = c -> null;
    }
}
