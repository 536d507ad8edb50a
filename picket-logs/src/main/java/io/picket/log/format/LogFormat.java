package io.picket.log.format;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.time.ZonedDateTime;

/**
 * Turns log records into the bytes of one log file: a header when the file opens, one line per
 * record, a footer when it closes. Implementations append into a caller-owned, reused
 * {@link LogBuffer} and keep scratch state, so an instance belongs to one writer thread.
 * Values of an unexpected Java type are written as their {@code toString()} text rather than
 * failing.
 */
public interface LogFormat {
    /** Appends the file header (may be nothing); {@code openTime} is local wall-clock time. */
    void header(LogSchema schema, ZonedDateTime openTime, LogBuffer out);

    /** Appends one record as one line, newline included. */
    void row(LogRecord record, LogBuffer out);

    /** Appends the file footer (may be nothing); {@code closeTime} is local wall-clock time. */
    void footer(ZonedDateTime closeTime, LogBuffer out);
}
