package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The bound between shards that read one input: within a group, never more than SKEW frames apart. */
class LockstepTest {

    @Test
    void shouldKeepAFastShardWithinTheSkewOfASlowOneWhenTheyShareTenants() throws Exception {
        Engine.Lockstep l = new Engine.Lockstep(List.of("pool", "pool"));
        int frames = 200_000;
        AtomicLong worst = new AtomicLong();
        Thread fast = Thread.ofPlatform().start(() -> {
            for (long f = Engine.Lockstep.STRIDE; f <= frames; f += Engine.Lockstep.STRIDE) {
                l.at(0, f);
                // after at() returns, the other shard was at most SKEW behind (or done)
                long other = l.published(1);
                if (other != Long.MAX_VALUE) {
                    worst.accumulateAndGet(f - other, Math::max);
                }
            }
            l.done(0);
        });
        Thread slow = Thread.ofPlatform().start(() -> {
            for (long f = Engine.Lockstep.STRIDE; f <= frames; f += Engine.Lockstep.STRIDE) {
                l.at(1, f);
                if ((f & 4095) == 0) {
                    LockSupport.parkNanos(50_000);
                }
            }
            l.done(1);
        });
        fast.join();
        slow.join();
        assertThat(worst.get()).isLessThanOrEqualTo(Engine.Lockstep.SKEW);
    }

    @Test
    void shouldNotHoldBackAShardWhenTheOtherIsInAnotherGroup() throws Exception {
        Engine.Lockstep l = new Engine.Lockstep(List.of("pool", "tenant a"));
        // shard 1 (a dedicated tenant) never reads: shard 0 of the pool must still get through
        CountDownLatch through = new CountDownLatch(1);
        Thread pool = readAll(l, through);
        assertThat(through.await(10, TimeUnit.SECONDS)).isTrue();
        pool.join();
    }

    @Test
    void shouldWaitForTheSlowestShardOfTheGroupUntilItIsDone() throws Exception {
        Engine.Lockstep l = new Engine.Lockstep(List.of("pool", "pool"));
        CountDownLatch through = new CountDownLatch(1);
        Thread fast = readAll(l, through);
        // the other shard has read nothing: the fast one stops at SKEW frames
        assertThat(through.await(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(l.published(0)).isLessThanOrEqualTo(Engine.Lockstep.SKEW + Engine.Lockstep.STRIDE);
        l.done(1);
        assertThat(through.await(10, TimeUnit.SECONDS)).isTrue();
        fast.join();
    }

    /** Shard 0 reading 100,000 frames as fast as the lockstep lets it, then counting {@code through} down. */
    private static Thread readAll(Engine.Lockstep l, CountDownLatch through) {
        return Thread.ofPlatform().start(() -> {
            for (long f = Engine.Lockstep.STRIDE; f <= 100_000; f += Engine.Lockstep.STRIDE) {
                l.at(0, f);
            }
            through.countDown();
        });
    }
}
