package io.picket.analyzer.spi;

/**
 * Receives the parts of HTTP messages that Zeek's HTTP analyzer hands to the signature engine
 * ({@code http-request}, {@code http-request-header}, {@code http-reply-header},
 * {@code http-request-body}, {@code http-reply-body} conditions). Obtained once per connection
 * from {@link AnalyzerContext#httpContent()}; absent when nothing of the tenant's policy looks at
 * HTTP content, so analyzers skip the calls entirely. Called on the shard thread that owns the
 * connection; byte arrays are valid only during the call and are not modified.
 */
public interface HttpContentObserver {

    /** A request line was parsed: its unescaped URI ({@code Rule::HTTP_REQUEST}). */
    void request(byte[] unescapedUri, int offset, int length);

    /**
     * One header of a request ({@code isOrig}) or reply: name and value as bounds in {@code line}
     * ({@code Rule::HTTP_REQUEST_HEADER} / {@code HTTP_REPLY_HEADER}, matched as {@code name: value}).
     */
    void header(boolean isOrig, byte[] line, int nameFrom, int nameTo, int valueFrom, int valueTo);

    /**
     * A chunk of a decoded entity body ({@code Rule::HTTP_REQUEST_BODY} / {@code HTTP_REPLY_BODY});
     * {@code first} marks the entity's first chunk (beginning of data, matching restarts).
     */
    void body(boolean isOrig, byte[] data, int offset, int length, boolean first);

    /** The end of an entity (end of data for the body patterns of that direction). */
    void bodyEnd(boolean isOrig);
}
