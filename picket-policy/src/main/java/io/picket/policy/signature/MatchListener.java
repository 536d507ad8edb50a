package io.picket.policy.signature;

/**
 * Receives what a {@link ConnectionMatcher} decides, synchronously on the thread that fed it (the
 * shard thread). The data array is only valid during the call; copy what must be kept.
 */
public interface MatchListener {
    /**
     * A signature with an {@code event} action fired (Zeek's {@code signature_match}): {@code data}
     * is the content chunk that completed the match, empty for signatures without content
     * conditions or when the match was decided at the end of a connection.
     */
    void onMatch(String signatureId, String eventMessage, boolean isOrig, byte[] data, int offset, int length);

    /** A signature with an {@code enable "analyzer"} action fired. */
    default void onEnable(String signatureId, String analyzer, boolean isOrig) {
    }
}
