package io.picket.sink.spool;

import java.io.IOException;

/**
 * The destination refused {@link #rejected()} records of the batch for good (malformed for it,
 * e.g. a mapping conflict) and took the others. The sink acknowledges the batch and counts the
 * refused records as dropped ({@link DropCause#REJECTED}); they are not retried.
 */
public class RejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int rejected;

    public RejectedException(int rejected, String message) {
        super(message);
        this.rejected = rejected;
    }

    public int rejected() {
        return rejected;
    }
}
