package io.picket.policy.signature;

/**
 * The content a signature pattern is matched against, as Zeek's {@code Rule::PatternType}: each
 * is a separate typed input that the engine feeds to a {@link ConnectionMatcher}.
 */
public enum PatternType {
    /** Raw payload: the reassembled TCP stream of a direction, or each UDP/ICMP datagram. */
    PAYLOAD("payload"),
    /** The unescaped URI of each HTTP request ({@code http-request}, alias {@code http}). */
    HTTP_REQUEST("http-request"),
    /** Each client HTTP header as {@code name: value} ({@code http-request-header}). */
    HTTP_REQUEST_HEADER("http-request-header"),
    /** Client HTTP bodies, decoded ({@code http-request-body}). */
    HTTP_REQUEST_BODY("http-request-body"),
    /** Each server HTTP header as {@code name: value} ({@code http-reply-header}). */
    HTTP_REPLY_HEADER("http-reply-header"),
    /** Server HTTP bodies, decoded ({@code http-reply-body}, alias {@code http-body}). */
    HTTP_REPLY_BODY("http-reply-body");

    private final String keyword;

    PatternType(String keyword) {
        this.keyword = keyword;
    }

    /** The signature language keyword. */
    public String keyword() {
        return keyword;
    }
}
