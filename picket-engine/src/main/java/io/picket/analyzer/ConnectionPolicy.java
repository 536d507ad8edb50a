package io.picket.analyzer;

import io.picket.analyzer.spi.HttpContentObserver;
import java.lang.foreign.MemorySegment;

/**
 * The tenant policy's view of one connection (signatures over the payload, intel over what the
 * analyzers saw). Fed by the connection's analyzer stage on the shard thread.
 */
public interface ConnectionPolicy {
    /** True while payload still matters (signature matching has not reached its depth). */
    boolean wantsPayload();

    void onStream(boolean isOrig, MemorySegment data, long offset, int length);

    void onDatagram(boolean isOrig, MemorySegment data, long offset, int length);

    /** Zeek's {@code Intel::seen} from an analyzer. */
    /** {@link #onSeen} of an indicator in a file of the connection (intel.log's file columns, null when unset). */
    default void onSeen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
            String fileDesc) {
        onSeen(indicator, indicatorType, where);
    }

    /** Whether {@link #onSeen} can match anything (the tenant has intel). */
    default boolean wantsSeen() {
        return true;
    }

    void onSeen(String indicator, String indicatorType, String where);

    /**
     * Where HTTP analyzers hand request URIs, headers and bodies, or null when the policy has no
     * use for them (no signature with an HTTP content condition). Fixed for the connection.
     */
    default HttpContentObserver httpContent() {
        return null;
    }

    /**
     * True if the analyzer (registry name, e.g. {@code http}) may attach to the connection, by
     * port or by detection; the tenant's steering profile decides. Asked once per analyzer when
     * the connection starts.
     */
    default boolean allowsAnalyzer(String analyzer) {
        return true;
    }

    /**
     * The headers of a direction's first packet: the IP header at {@code ipOffset}, the transport
     * header at {@code transportOffset}, up to {@code end} in {@code packet} (valid during the call).
     */
    default void onFirstPacket(boolean isOrig, int ipProto, MemorySegment packet, long ipOffset, long transportOffset,
            long end) {
    }

    /** One ICMP message's payload (after the ICMP header), for signatures; valid during the call. */
    default void onIcmp(boolean isOrig, MemorySegment data, long offset, int length) {
    }

    /** The connection is removed: decide what was pending. */
    void onRemove();
}
