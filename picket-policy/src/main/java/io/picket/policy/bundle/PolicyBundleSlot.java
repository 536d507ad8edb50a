package io.picket.policy.bundle;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link PolicyBundle} of a tenant, swappable at run time: the control thread
 * publishes a freshly loaded bundle with {@link #swap}; shard threads read {@link #current()} when
 * a connection starts and keep using that bundle for the connection's lifetime (a bundle is
 * immutable, so old connections finish on the old policy). Thread-safe.
 */
public final class PolicyBundleSlot {
    private final AtomicReference<PolicyBundle> current;

    public PolicyBundleSlot(PolicyBundle initial) {
        current = new AtomicReference<>(initial);
    }

    /** The bundle new connections should use. */
    public PolicyBundle current() {
        return current.get();
    }

    /** Publishes a new bundle; returns the previous one. */
    public PolicyBundle swap(PolicyBundle next) {
        return current.getAndSet(java.util.Objects.requireNonNull(next));
    }
}
