package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The signature matcher benchmark's setup and operation: it matches (every tenth signature fires
 * once per connection), and once the combined automata's states are built a connection without
 * matches allocates its matcher and nothing per payload byte.
 */
class SignatureMatcherBenchmarkTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void shouldMatchAndAllocateNothingPerByteWhenStatesAreBuilt() throws Exception {
        for (int n : new int[] {1, 30, 300}) {
            SignatureMatcherBenchmark b = new SignatureMatcherBenchmark();
            b.signatures = n;
            b.setup();
            long before = b.connection();
            long after = b.connection();
            // signatures 0, 10, 20, ... end in "ack", which the payload holds once
            assertThat(after - before).as("%d signatures", n).isEqualTo((n + 9) / 10);
            // without matches (a match copies its chunk): only what a new connection needs
            b.quiet();
            assertThat(b.connection()).isEqualTo(after);
            for (int i = 0; i < 200; i++) {
                b.connection();
            }
            long bytes = allocated();
            int rounds = 200;
            for (int i = 0; i < rounds; i++) {
                b.connection();
            }
            double perConnection = (double) (allocated() - bytes) / rounds;
            // the matcher and its endpoint: no bytes per payload byte (1024 fed)
            assertThat(perConnection).as("%d signatures", n).isLessThan(2048);
        }
    }
}
