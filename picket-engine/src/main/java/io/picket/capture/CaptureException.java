package io.picket.capture;

/**
 * Input that cannot be read: names the source, the byte offset and the problem in one line.
 */
public final class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long offset;

    public CaptureException(String source, long offset, String problem) {
        super(source + ": offset " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    public CaptureException(String source, long offset, String problem, Throwable cause) {
        super(source + ": offset " + offset + ": " + problem, cause);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }
}
