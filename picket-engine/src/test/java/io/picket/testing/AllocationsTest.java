package io.picket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The allocation probe the no-allocation tests rely on sees allocations and their absence. */
class AllocationsTest {
    private static volatile Object kept;

    @Test
    void shouldCountWhatEveryRoundAllocatesAndNothingWhenNothingIs() {
        long fourKiB = Allocations.fewest(3, () -> {
            kept = new byte[4096];
            return ((byte[]) kept).length;
        });
        assertThat(fourKiB).isGreaterThanOrEqualTo(4096);
        long none = Allocations.fewest(3, () -> {
            long sum = 0;
            for (int i = 0; i < 100_000; i++) {
                sum += i;
            }
            return sum;
        });
        assertThat(none).isLessThan(1024);
        assertThat(Allocations.sink()).isNotZero();
    }
}
