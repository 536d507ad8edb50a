package io.picket.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.bench.EndToEndThroughput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records per second from the first write to the last record read back by a consumer from the
 * real KRaft broker of {@link KraftBroker} on loopback, through
 * {@link io.picket.sink.spool.SpooledSink} (acks=all, idempotent producer); prints the figure
 * next to the no-op baseline. Broker start-up is outside the clock. Asserts only that every record
 * arrived.
 */
@Tag("benchmark")
class KafkaThroughputTest {
    private static final int N = Integer.getInteger("picket.bench.records", 50_000);

    @Test
    void shouldDeliverEveryRecordToTheBrokerWhenMeasuringThroughput() throws Exception {
        EndToEndThroughput.noop(N / 5, SinkTestSupport.tempDir("noop-warm"));
        EndToEndThroughput.Result base = EndToEndThroughput.noop(N, SinkTestSupport.tempDir("noop"));
        try (KraftBroker broker = new KraftBroker(SinkTestSupport.tempDir("kraft-bench"))) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("warm.conn", 1, (short) 1), new NewTopic("bench.conn", 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            run(broker, "warm", N / 5);
            EndToEndThroughput.Result r = run(broker, "bench", N);
            System.out.println(EndToEndThroughput.line(r, base));
            assertThat(r.arrived()).isEqualTo(N);
            assertThat(r.dropped()).isZero();
        }
    }

    /** Writes {@code n} records to topic {@code <prefix>.conn} while a consumer counts them. */
    private static EndToEndThroughput.Result run(KraftBroker broker, String prefix, int n) throws Exception {
        AtomicLong got = new AtomicLong();
        TopicPartition tp = new TopicPartition(prefix + ".conn", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            consumer.poll(Duration.ofMillis(100)); // connected and positioned before the clock starts
            Thread reader = Thread.ofPlatform().name("test-kafka-consumer").start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.get() < n && System.nanoTime() < deadline) {
                    got.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
                }
            });
            KafkaSinkConfig d = KafkaSinkConfig.of(EndToEndThroughput.options("kafka", n), broker.bootstrap());
            KafkaSinkConfig c = new KafkaSinkConfig(d.options(), d.bootstrapServers(), prefix + ".{path}", d.keyByUid(),
                    d.timestamp(), d.compression(), d.lingerMs(), d.deliveryTimeout(), d.requestTimeout(), d.maxBlock(),
                    d.properties(), d.secretProperties());
            EndToEndThroughput.Result r = EndToEndThroughput.run("Kafka (KRaft, acks=all)", n, c.options(),
                    SinkTestSupport.tempDir("kafka-bench"), new KafkaSinkProvider().open(EndToEndThroughput.TENANT, c),
                    got::get, Duration.ofSeconds(30));
            reader.join();
            return r;
        }
    }
}
