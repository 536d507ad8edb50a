package io.picket.sink.spool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Back-off after a failed delivery: {@code initialBackoff * 2^attempt}, capped at
 * {@code maxBackoff}, each wait shortened by a random 0-25 % so that many tenants do not retry in
 * step. A destination's Retry-After replaces the computed wait, bounded by
 * {@code initialBackoff} and {@code maxRetryAfter}. Retries never stop while the sink is open.
 */
public record RetryOptions(Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryOptions {
        Objects.requireNonNull(initialBackoff);
        Objects.requireNonNull(maxBackoff);
        Objects.requireNonNull(maxRetryAfter);
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0
                || maxRetryAfter.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff, maxRetryAfter");
        }
    }

    /** 100 ms doubling to 30 s; Retry-After honoured up to 5 minutes. */
    public static RetryOptions defaults() {
        return new RetryOptions(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    /** Wait in nanoseconds before retry number {@code attempt} (0 = first retry). */
    public long delayNanos(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            long ra = retryAfter.toNanos();
            return Math.clamp(ra, initialBackoff.toNanos(), maxRetryAfter.toNanos());
        }
        long max = maxBackoff.toNanos();
        long d = initialBackoff.toNanos();
        for (int i = 0; i < attempt && d < max; i++) {
            d *= 2;
        }
        d = Math.min(d, max);
        return d - (long) (d * 0.25 * ThreadLocalRandom.current().nextDouble());
    }
}
