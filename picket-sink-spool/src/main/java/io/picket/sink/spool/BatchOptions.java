package io.picket.sink.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * How the delivery thread groups spooled records: a batch is sent when it has
 * {@code maxRecords} records or {@code maxBytes} payload bytes, or {@code linger} after its first
 * record was read, whichever comes first.
 */
public record BatchOptions(int maxRecords, long maxBytes, Duration linger) {
    public BatchOptions {
        Objects.requireNonNull(linger, "linger");
        if (maxRecords < 1 || maxBytes < 1 || linger.isNegative()) {
            throw new IllegalArgumentException("batch bounds must be positive");
        }
    }

    /** 500 records, 1 MiB, 200 ms. */
    public static BatchOptions defaults() {
        return new BatchOptions(500, 1L << 20, Duration.ofMillis(200));
    }
}
