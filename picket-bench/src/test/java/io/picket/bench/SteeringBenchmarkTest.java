package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.steering.Steering;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The steering benchmark's setup steers connections to both profiles through rules all over the
 * list, and the lookup allocates nothing (thread allocation counter over 200,000 lookups after
 * warm-up; the slack absorbs a one-off JIT event, a per-lookup allocation would be 3.2 MB).
 */
class SteeringBenchmarkTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldSteerToBothProfilesWithoutAllocatingWhenLookingUp() throws Exception {
        SteeringBenchmark b = new SteeringBenchmark();
        b.rules = 256;
        b.setup();
        assertThat(b.steering().rules().size()).isEqualTo(256);
        int[] perProfile = new int[2];
        for (int i = 0; i < 4096; i++) {
            perProfile[b.lookup()]++;
        }
        assertThat(perProfile[Steering.ENHANCED]).isGreaterThan(1000);
        assertThat(perProfile[Steering.NORMAL]).isGreaterThan(1000);

        THREADS.setThreadAllocatedMemoryEnabled(true);
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += b.lookup();
        }
        long allocated = io.picket.testing.Allocations.fewest(3, () -> {
            long profiles = 0;
            for (int i = 0; i < 200_000; i++) {
                profiles += b.lookup();
            }
            return profiles;
        });
        assertThat(sum + io.picket.testing.Allocations.sink()).isPositive();
        assertThat(allocated).as("bytes allocated by 200,000 lookups").isLessThanOrEqualTo(1024);
    }
}
