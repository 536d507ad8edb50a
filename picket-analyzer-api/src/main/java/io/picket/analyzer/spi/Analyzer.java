package io.picket.analyzer.spi;

import java.lang.foreign.MemorySegment;

/**
 * One protocol analyzer attached to one connection. Called only on the shard thread that owns
 * the connection; never concurrently. Must not throw on any input: malformed data is reported
 * through {@link AnalyzerContext#weird} or {@link AnalyzerContext#violation}. Data arguments are
 * valid only during the call (copy what must be kept).
 */
public interface Analyzer {

    /** TCP: the next in-order bytes of one direction's stream. */
    default void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
    }

    /** TCP: {@code length} bytes of one direction's stream were never seen (a content gap). */
    default void onGap(boolean isOrig, long length) {
    }

    /** TCP: one direction ended (FIN/RST seen and everything before it delivered). */
    default void onEndOfStream(boolean isOrig) {
    }

    /** UDP: one datagram's payload. */
    default void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
    }

    /** The connection is being removed: log whatever is still pending. */
    default void onConnectionDone() {
    }
}
