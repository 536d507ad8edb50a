package io.picket.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.picket.sink.spool.SinkConfigException;
import io.picket.sink.spool.SinkCounters;
import io.picket.sink.spool.SinkRegistry;
import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.SpooledSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class KafkaSinkTest {

    @Test
    void shouldDeliverAllRecordsWhenBrokerStopsAndRestartsMidRun() throws Exception {
        int n = 20_000;
        long t0 = System.nanoTime();
        try (KraftBroker broker = new KraftBroker(SinkTestSupport.tempDir("kraft"))) {
            broker.start();
            long startedMs = (System.nanoTime() - t0) / 1_000_000;
            KafkaSinkConfig c = KafkaSinkConfig.of(SinkTestSupport.fastOptions("kafka")
                    .withCloseTimeout(Duration.ofSeconds(5)), broker.bootstrap());
            long stoppedMs;
            long spooledWhileDown;
            SinkCounters counters;
            try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("kafka-spool"),
                    new KafkaSinkProvider().open("acme", c))) {
                for (int i = 0; i < n / 2; i++) {
                    sink.write("acme", i % 4 == 3 ? SinkTestSupport.dns(i) : SinkTestSupport.conn(i));
                }
                SinkTestSupport.await("first half delivered", Duration.ofSeconds(30), () -> sink.counters().delivered() > n / 4);
                long down = System.nanoTime();
                broker.stop();
                for (int i = n / 2; i < n; i++) {
                    sink.write("acme", i % 4 == 3 ? SinkTestSupport.dns(i) : SinkTestSupport.conn(i));
                }
                SinkTestSupport.await("spooled", Duration.ofSeconds(10), () -> sink.counters().queuedRecords() == 0);
                spooledWhileDown = sink.counters().spoolPending();
                broker.start();
                stoppedMs = (System.nanoTime() - down) / 1_000_000;
                SinkTestSupport.await("all delivered", Duration.ofSeconds(40), () -> sink.counters().delivered() == n);
                counters = sink.counters();
            }
            List<Long> conn = new ArrayList<>();
            List<Long> dns = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> sample = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("acme.conn", "acme.dns"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                java.util.Set<Long> distinct = new java.util.HashSet<>();
                while (distinct.size() < n && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        long seq = SinkTestSupport.seqOf(new String(r.value(), StandardCharsets.UTF_8));
                        (r.topic().equals("acme.conn") ? conn : dns).add(seq);
                        distinct.add(seq);
                        if (sample.size() < 2 && r.topic().equals("acme.conn")) {
                            sample.add(r);
                        }
                    }
                }
            }
            // Each topic holds its own records, each once, in the order they were written.
            List<Long> expectConn = new ArrayList<>();
            List<Long> expectDns = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                (i % 4 == 3 ? expectDns : expectConn).add(i);
            }
            long dupConn = conn.size() - conn.stream().distinct().count();
            long dupDns = dns.size() - dns.stream().distinct().count();
            System.out.printf("kafka: broker up in %d ms; %d sent, %d arrived (conn %d, dns %d), %d duplicates, "
                    + "%d spooled while the broker was down %d ms, %d sink retries, total %d ms%n", startedMs, n,
                    conn.size() + dns.size(), conn.size(), dns.size(), dupConn + dupDns, spooledWhileDown, stoppedMs,
                    counters.retries(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(conn.stream().distinct().toList()).isEqualTo(expectConn);
            assertThat(dns.stream().distinct().toList()).isEqualTo(expectDns);
            // The batch in flight when the broker went away may be written twice by the producer's
            // own retry, and every sink retry may repeat one batch.
            assertThat(dupConn + dupDns).isLessThanOrEqualTo((counters.retries() + 1L) * c.options().batch().maxRecords());
            assertThat(counters.droppedTotal()).isZero();
            assertThat(spooledWhileDown).isPositive();
            ConsumerRecord<byte[], byte[]> first = sample.getFirst();
            assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("C0");
            assertThat(first.timestamp()).isEqualTo(1591367999305L);
            assertThat(new String(first.headers().lastHeader("picket.tenant").value(), StandardCharsets.UTF_8)).isEqualTo("acme");
            assertThat(new String(first.headers().lastHeader("picket.id").value(), StandardCharsets.UTF_8)).endsWith("-0");
        }
    }

    @Test
    void shouldParseKafkaOptionsAndRefuseOwnedPropertiesWhenConfigured() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SinkRegistry reg = SinkRegistry.of(List.of(new KafkaSinkProvider()), v -> v.equals("JAAS") ? "secret-jaas" : null);
        KafkaSinkConfig c = (KafkaSinkConfig) reg.parseOne(json.readTree("""
                {"name": "k", "type": "kafka", "bootstrap_servers": "k1:9093,k2:9093", "topic": "zeek.{tenant}.{path}",
                 "compression": "zstd", "timestamp": "send", "key_by_uid": false,
                 "properties": {"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
                                "sasl.jaas.config": {"env": "JAAS"}}}"""), "s");
        assertThat(c.topic()).isEqualTo("zeek.{tenant}.{path}");
        assertThat(c.properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.toString()).doesNotContain("secret-jaas");
        var p = KafkaTransport.producerProperties("acme", c);
        assertThat(p).containsEntry("sasl.jaas.config", "secret-jaas").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("compression.type", "zstd")
                .containsEntry("client.id", "picket-acme-k");
        assertThatThrownBy(() -> reg.parseOne(json.readTree("""
                {"name": "k", "type": "kafka", "bootstrap_servers": "k1", "topic": "{tenant}/{path}",
                 "properties": {"acks": "1"}}"""), "s"))
                .isInstanceOfSatisfying(SinkConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "s.bootstrap_servers: expected host:port[,host:port...], got k1",
                        "s.topic: may hold only letters, digits, . _ - and the placeholders {tenant} and {path}",
                        "s.properties.acks: set by the sink (idempotent, acks=all) or by its own option"));
    }
}
