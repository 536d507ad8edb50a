package io.picket.cli.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picket.cli.PicketCommand;
import io.picket.cli.demo.DemoCapture;
import io.picket.sink.kafka.KraftBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * From {@code picket run} to a real single-node KRaft broker in this JVM: tenant acme ships to
 * Kafka with the default topic template {@code {tenant}.{path}}; every topic must hold exactly
 * the rows of acme's local log of that path (nothing failed, so no at-least-once duplicates),
 * keyed by the record's uid where it has one, and nothing of the other tenants.
 */
class KafkaEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    /** Rows (non-comment lines) per log path of a tenant's local TSV logs. */
    static Map<String, Long> rowsByPath(Path tenantDir) throws IOException {
        Map<String, Long> rows = new TreeMap<>();
        try (Stream<Path> files = Files.list(tenantDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                String name = f.getFileName().toString();
                long n = Files.readAllLines(f).stream().filter(l -> !l.startsWith("#")).count();
                rows.put(name.substring(0, name.length() - ".log".length()), n);
            }
        }
        return rows;
    }

    @Test
    void shouldDeliverEveryRowOfATenantToItsKafkaTopicsWhenTheBrokerIsUp() throws Exception {
        long t0 = System.nanoTime();
        DemoCapture.Result demo = DemoCapture.build(tmp.resolve("demo"));
        Path brokerDir = Files.createDirectories(tmp.resolve("kafka"));
        try (KraftBroker broker = new KraftBroker(brokerDir)) {
            broker.start();
            Path tenants = tmp.resolve("tenants.yaml");
            Files.writeString(tenants, """
                    tenants:
                      - id: acme
                        vlans: [1000]
                        sinks:
                          - {name: bus, type: kafka, bootstrap_servers: '%s', close_timeout: 20s}
                      - id: globex
                        vlans: [1001]
                      - id: initech
                        vlans: [1002]
                        vlan_tag: inner
                    """.formatted(broker.bootstrap()));
            Path logs = tmp.resolve("logs");
            long tRun = System.nanoTime();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            int status;
            try {
                System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                status = new CommandLine(new PicketCommand()).execute("run", "-r", demo.pcap().toString(), "--logs",
                        logs.toString(), "--tenants", tenants.toString(), "--workers", "1");
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
            long runMs = (System.nanoTime() - tRun) / 1_000_000;
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();

            Map<String, Long> expected = new TreeMap<>();
            rowsByPath(logs.resolve("acme")).forEach((path, n) -> {
                if (n > 0) {
                    expected.put("acme." + path, n);
                }
            });
            long total = expected.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isGreaterThan(50);

            Map<String, Long> received = new TreeMap<>();
            Map<String, Set<String>> ids = new HashMap<>();
            List<String> keyProblems = new ArrayList<>();
            long keyed = 0;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
                    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"),
                            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<String> picketTopics = topics.stream().filter(t -> !t.startsWith("__")).sorted().toList();
                assertThat(picketTopics).as("only acme ships, one topic per non-empty log path")
                        .containsExactlyInAnyOrderElementsOf(expected.keySet());
                List<TopicPartition> parts = new ArrayList<>();
                for (String t : picketTopics) {
                    for (PartitionInfo p : consumer.partitionsFor(t)) {
                        parts.add(new TopicPartition(t, p.partition()));
                    }
                }
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        received.merge(r.topic(), 1L, Long::sum);
                        Header id = r.headers().lastHeader("picket.id");
                        ids.computeIfAbsent(r.topic(), k -> new HashSet<>())
                                .add(id == null ? "?" : new String(id.value(), StandardCharsets.UTF_8));
                        JsonNode v = JSON.readTree(r.value());
                        JsonNode uid = v.get("uid");
                        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                        if (uid != null && uid.isTextual()) {
                            keyed++;
                            if (!uid.asText().equals(key)) {
                                keyProblems.add(r.topic() + ": uid " + uid.asText() + " key " + key);
                            }
                        } else if (key != null) {
                            keyProblems.add(r.topic() + ": no uid, key " + key);
                        }
                    }
                }
            }
            Map<String, Long> unique = new TreeMap<>();
            ids.forEach((t, s) -> unique.put(t, (long) s.size()));
            System.out.printf("kafka e2e: run %d ms, total %d ms, expected %s, received %s, unique ids %s, keyed %d%n",
                    runMs, (System.nanoTime() - t0) / 1_000_000, expected, received, unique, keyed);
            assertThat(received).isEqualTo(expected);
            assertThat(unique).as("no duplicates: nothing failed").isEqualTo(expected);
            assertThat(keyProblems).isEmpty();
            assertThat(keyed).isPositive();
        }
    }
}
