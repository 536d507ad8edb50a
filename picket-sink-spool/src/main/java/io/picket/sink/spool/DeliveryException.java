package io.picket.sink.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** A batch could not be delivered now; it is retried, no earlier than {@link #retryAfter()} if given. */
public class DeliveryException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public DeliveryException(String message) {
        this(message, null, null);
    }

    public DeliveryException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** The wait the destination asked for (HTTP {@code Retry-After}), if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
