package io.picket.analyzer.ssl;

/**
 * Internal signal that a message does not fit its binpac type (Zeek reports it as
 * {@code Binpac exception: ...} through an analyzer violation). Never leaves the analyzer;
 * carries no stack trace.
 */
final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ParseError(String message) {
        super(message, null, false, false);
    }

    /** binpac's {@code out_of_bound} wording. */
    static ParseError outOfBound(String where, long needed, long available) {
        return new ParseError("binpac exception: out_of_bound: " + where + ": " + needed + " > " + available);
    }
}
