package io.picket.sink.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpooledSinkTest {

    /** Collects the seq of every delivered record; fails the first {@code failures} calls. */
    static final class CollectingTransport implements Transport {
        final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        final List<Long> recordIds = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        volatile int failures;
        volatile IOException failure = new IOException("destination down");
        final Envelope view = new Envelope();

        @Override
        public void deliver(List<byte[]> batch) throws IOException {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            for (byte[] b : batch) {
                view.wrap(b);
                seqs.add(SinkTestSupport.seqOf(new String(view.body(), StandardCharsets.UTF_8)));
                recordIds.add(view.sequence());
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldDeliverAllRecordsInOrderWhenTransportSucceeds() throws IOException {
        CollectingTransport t = new CollectingTransport();
        Path dir = SinkTestSupport.tempDir("sink-ok");
        int n = 20_000;
        try (SpooledSink sink = new SpooledSink("acme", SinkTestSupport.fastOptions("test"), dir, t)) {
            for (int i = 0; i < n; i++) {
                sink.write("acme", i % 3 == 0 ? SinkTestSupport.dns(i) : SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("delivery", Duration.ofSeconds(10), () -> sink.counters().delivered() == n);
            SinkCounters c = sink.counters();
            assertThat(c.accepted()).isEqualTo(n);
            assertThat(c.droppedTotal()).isZero();
            assertThat(c.spoolPending()).isZero();
        }
        assertThat(SinkTestSupport.check(t.seqs).complete(n)).isTrue();
        assertThat(t.seqs).hasSize(n);
        assertThat(t.recordIds).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldRetryWithBackoffAndLoseNothingWhenTransportFailsForAWhile() throws IOException {
        CollectingTransport t = new CollectingTransport();
        t.failures = 5;
        Path dir = SinkTestSupport.tempDir("sink-retry");
        int n = 3000;
        long start = System.nanoTime();
        try (SpooledSink sink = new SpooledSink("acme", SinkTestSupport.fastOptions("test"), dir, t)) {
            for (int i = 0; i < n; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("delivery", Duration.ofSeconds(10), () -> sink.counters().delivered() == n);
            assertThat(sink.counters().retries()).isEqualTo(5);
            assertThat(sink.counters().lastError()).contains("destination down");
        }
        // Back-off 20, 40, 80, 160, 200 ms (less up to 25 % jitter): at least 0.75 * 500 ms.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(370));
        assertThat(t.seqs).hasSize(n);
        assertThat(SinkTestSupport.check(t.seqs).complete(n)).isTrue();
    }

    @Test
    void shouldWaitRetryAfterWhenDestinationAsksForIt() throws IOException {
        CollectingTransport t = new CollectingTransport();
        t.failures = 1;
        t.failure = new DeliveryException("429", Duration.ofMillis(600), null);
        long start = System.nanoTime();
        try (SpooledSink sink = new SpooledSink("acme", SinkTestSupport.fastOptions("test"), SinkTestSupport.tempDir("sink-ra"), t)) {
            sink.write("acme", SinkTestSupport.conn(0));
            SinkTestSupport.await("delivery", Duration.ofSeconds(5), () -> sink.counters().delivered() == 1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void shouldCountRejectedRecordsAndGoOnWhenDestinationRefusesSome() throws IOException {
        Transport t = new Transport() {
            @Override
            public void deliver(List<byte[]> batch) throws IOException {
                throw new RejectedException(1, "mapping conflict");
            }

            @Override
            public void close() {
            }
        };
        try (SpooledSink sink = new SpooledSink("acme", SinkTestSupport.fastOptions("test"), SinkTestSupport.tempDir("sink-rej"), t)) {
            sink.write("acme", SinkTestSupport.conn(0));
            sink.write("acme", SinkTestSupport.conn(1));
            SinkTestSupport.await("acknowledged", Duration.ofSeconds(5), () -> sink.counters().spoolPending() == 0
                    && sink.counters().accepted() == 2 && sink.counters().queuedRecords() == 0
                    && sink.counters().dropped(DropCause.REJECTED) + sink.counters().delivered() == 2);
            assertThat(sink.counters().dropped(DropCause.REJECTED)).isPositive();
        }
    }

    @Test
    void shouldDeliverSpooledRecordsAfterRestartWhenDestinationWasDown() throws IOException {
        Path dir = SinkTestSupport.tempDir("sink-restart");
        CollectingTransport down = new CollectingTransport();
        down.failures = Integer.MAX_VALUE;
        int n = 5000;
        SinkOptions o = SinkTestSupport.fastOptions("test").withCloseTimeout(Duration.ofMillis(100));
        try (SpooledSink sink = new SpooledSink("acme", o, dir, down)) {
            for (int i = 0; i < n; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("spooled", Duration.ofSeconds(5), () -> sink.counters().spoolPending() == n);
        }
        CollectingTransport up = new CollectingTransport();
        try (SpooledSink sink = new SpooledSink("acme", o, dir, up)) {
            assertThat(sink.counters().recoveredPending()).isEqualTo(n);
            SinkTestSupport.await("delivery", Duration.ofSeconds(10), () -> sink.counters().delivered() == n);
        }
        assertThat(up.seqs).hasSize(n);
        assertThat(SinkTestSupport.check(up.seqs).complete(n)).isTrue();
    }

    @Test
    void shouldNotSlowTenantBWhenTenantATransportBlocksForever() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicLong aCalls = new AtomicLong();
        Transport stuck = new Transport() {
            @Override
            public void deliver(List<byte[]> batch) throws IOException {
                aCalls.incrementAndGet();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("closed");
                }
            }

            @Override
            public void close() {
            }
        };
        CollectingTransport b = new CollectingTransport();
        int n = 50_000;
        SinkOptions o = SinkTestSupport.fastOptions("siem").withCloseTimeout(Duration.ofMillis(50));
        SpooledSink sinkA = new SpooledSink("a", o, SinkTestSupport.tempDir("sink-a"), stuck);
        SpooledSink sinkB = new SpooledSink("b", o, SinkTestSupport.tempDir("sink-b"), b);
        TenantSinkRouter router = new TenantSinkRouter(java.util.Map.of("a", List.of(sinkA), "b", List.of(sinkB)));
        long worstWriteNanos = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            router.write("a", SinkTestSupport.conn(i));
            router.write("b", SinkTestSupport.conn(i));
            worstWriteNanos = Math.max(worstWriteNanos, System.nanoTime() - t0);
        }
        SinkTestSupport.await("tenant b delivered", Duration.ofSeconds(10), () -> sinkB.counters().delivered() == n);
        Duration bTime = Duration.ofNanos(System.nanoTime() - start);
        SinkCounters a = sinkA.counters();
        System.out.printf("isolation: tenant b delivered %d records in %d ms while tenant a was stuck in %d call with %d records"
                + " spooled; slowest write pair %d us%n", n, bTime.toMillis(), aCalls.get(), a.spoolPending(), worstWriteNanos / 1000);
        assertThat(aCalls.get()).isEqualTo(1);
        assertThat(a.accepted()).isEqualTo(n);
        assertThat(a.delivered()).isZero();
        assertThat(bTime).isLessThan(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(worstWriteNanos)).isLessThan(Duration.ofSeconds(1));
        assertThat(SinkTestSupport.check(b.seqs).complete(n)).isTrue();
        long closeStart = System.nanoTime();
        router.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).isLessThan(Duration.ofSeconds(3));
        // A's records are still in its spool for the next start.
        assertThat(sinkA.counters().spoolPending()).isEqualTo(n);
    }

    @Test
    void shouldDropAndCountInsteadOfBlockingWhenQueueIsFull() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        CollectingTransport t = new CollectingTransport();
        SinkOptions o = SinkTestSupport.fastOptions("test").withQueue(100, 1L << 20);
        int n = 200_000;
        try (SpooledSink sink = new SpooledSink("acme", o, SinkTestSupport.tempDir("sink-full"), t)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            SinkCounters c = sink.counters();
            assertThat(c.accepted() + c.dropped(DropCause.QUEUE_FULL)).isEqualTo(n);
            System.out.printf("queue: %d accepted, %d dropped queue_full in %d ms%n", c.accepted(), c.dropped(DropCause.QUEUE_FULL), ms);
            sink.write("other", SinkTestSupport.conn(0));
            assertThat(sink.counters().dropped(DropCause.WRONG_TENANT)).isEqualTo(1);
            SinkTestSupport.await("delivery", Duration.ofSeconds(10), () -> sink.counters().delivered() == c.accepted());
        }
        release.countDown();
    }
}
