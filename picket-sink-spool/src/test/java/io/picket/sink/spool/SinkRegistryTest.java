package io.picket.sink.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkRegistryTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record TestConfig(SinkOptions options, String target, Secret token) implements SinkConfig {
        @Override
        public String type() {
            return "test";
        }
    }

    static final class TestProvider implements SinkProvider {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public SinkConfig parse(SinkOptions common, ConfigReader r) {
            return new TestConfig(common, r.requiredString("target"), r.secret("token"));
        }

        @Override
        public Transport open(String tenant, SinkConfig config) {
            return new Transport() {
                @Override
                public void deliver(List<byte[]> batch) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final SinkRegistry REGISTRY = SinkRegistry.of(List.of(new TestProvider()),
            name -> name.equals("TEST_TOKEN") ? "s3cr3t" : null);

    static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }

    @Test
    void shouldParseEveryCommonOptionWhenGiven() throws Exception {
        List<SinkConfig> list = REGISTRY.parse(yaml("""
                - name: siem
                  type: test
                  target: here
                  token: {env: TEST_TOKEN}
                  format: tsv
                  json_timestamps: iso8601
                  queue_records: 1000
                  queue_bytes: 8MiB
                  spool: {max_bytes: 2GiB, segment_bytes: 128MiB, max_record_bytes: 512KiB, overflow: drop_newest,
                          fsync: batch, fsync_interval: 250ms}
                  batch: {max_records: 100, max_bytes: 256KiB, linger: 50ms}
                  retry: {initial_backoff: 50ms, max_backoff: 10s, max_retry_after: 2m}
                  close_timeout: 3s
                """), "tenants[0].sinks");
        TestConfig c = (TestConfig) list.getFirst();
        SinkOptions o = c.options();
        assertThat(o.name()).isEqualTo("siem");
        assertThat(o.format()).isEqualTo(SinkFormat.TSV);
        assertThat(o.jsonTimestamps()).isEqualTo(io.picket.log.format.JsonFormat.Timestamps.ISO8601);
        assertThat(o.queueRecords()).isEqualTo(1000);
        assertThat(o.queueBytes()).isEqualTo(8L << 20);
        assertThat(o.spool()).isEqualTo(new SpoolOptions(2L << 30, 128L << 20, 512 << 10, SpoolOptions.Overflow.DROP_NEWEST,
                SpoolOptions.Fsync.BATCH, Duration.ofMillis(250)));
        assertThat(o.batch()).isEqualTo(new BatchOptions(100, 256L << 10, Duration.ofMillis(50)));
        assertThat(o.retry()).isEqualTo(new RetryOptions(Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofMinutes(2)));
        assertThat(o.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.token().reveal()).isEqualTo("s3cr3t");
        assertThat(c.token().toString()).doesNotContain("s3cr3t").isEqualTo("secret(env:TEST_TOKEN)");
    }

    @Test
    void shouldUseDefaultsWhenOnlyNameAndTypeAreGiven() throws Exception {
        SinkConfig c = REGISTRY.parseOne(yaml("{name: a, type: test, target: x}"), "s");
        SinkOptions d = SinkOptions.defaults("a");
        assertThat(c.options()).isEqualTo(d);
    }

    @Test
    void shouldReportEveryProblemWithItsPathWhenConfigIsWrong() throws Exception {
        assertThatThrownBy(() -> REGISTRY.parse(yaml("""
                - name: Bad Name
                  type: test
                  spool: {max_bytes: lots, overflow: drop_random, fsync_intervall: 1s}
                  batch: {linger: 5}
                  token: inline-secret
                  colour: blue
                - name: b
                  type: carrier-pigeon
                - {name: c, type: test, target: x, token: {env: UNSET_VAR}}
                - {name: c, type: test, target: y}
                - {name: c, type: test, target: z, token: {file: /nonexistent/token}}
                """), "tenants[0].sinks"))
                .isInstanceOfSatisfying(SinkConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "tenants[0].sinks[0].name: must match [a-z0-9][a-z0-9_-]{0,62} (it names the spool directory), got Bad Name",
                        "tenants[0].sinks[0].spool.max_bytes: expected a size like 64MiB, got \"lots\"",
                        "tenants[0].sinks[0].spool.overflow: expected one of drop_oldest, drop_newest, got \"drop_random\"",
                        "tenants[0].sinks[0].spool.fsync_intervall: unknown option (known here: max_bytes, max_record_bytes, "
                                + "segment_bytes, overflow, fsync, fsync_interval)",
                        "tenants[0].sinks[0].batch.linger: expected a duration with a unit (250ms, 5s, 2m, 1h), got 5",
                        "tenants[0].sinks[0].target: required",
                        "tenants[0].sinks[0].token: secrets are not written inline: use {file: PATH} or {env: NAME}",
                        "tenants[0].sinks[0].colour: unknown option (known here: type, name, format, json_timestamps, "
                                + "queue_records, queue_bytes, spool, batch, retry, close_timeout, target, token)",
                        "tenants[0].sinks[1].type: unknown sink type carrier-pigeon (known: test)",
                        "tenants[0].sinks[2].token: environment variable UNSET_VAR is not set",
                        "tenants[0].sinks[4].token: secret file /nonexistent/token does not exist or is not readable",
                        "tenants[0].sinks[3].name: sink name c used twice in this tenant",
                        "tenants[0].sinks[4].name: sink name c used twice in this tenant"))
                .hasMessageNotContaining("inline-secret");
    }

    @Test
    void shouldRejectSpoolSmallerThanTwoSegmentsWhenSizesConflict() throws Exception {
        assertThatThrownBy(() -> REGISTRY.parseOne(yaml(
                "{name: a, type: test, target: x, spool: {max_bytes: 10MiB, segment_bytes: 8MiB}}"), "s"))
                .hasMessageContaining("s.spool.segment_bytes: maxBytes 10485760 must be at least twice segmentBytes 8388608");
    }

    @Test
    void shouldOpenSpooledSinkInTenantDirectoryWhenRegistryOpens() throws Exception {
        Path root = SinkTestSupport.tempDir("registry");
        Path tokenFile = root.resolve("token");
        Files.writeString(tokenFile, "from-file\n");
        SinkConfig c = REGISTRY.parseOne(yaml("{name: siem, type: test, target: x, token: {file: " + tokenFile + "}}"), "s");
        assertThat(((TestConfig) c).token().reveal()).isEqualTo("from-file");
        try (SpooledSink sink = REGISTRY.open("acme", c, root)) {
            sink.write("acme", SinkTestSupport.conn(1));
            SinkTestSupport.await("delivered", Duration.ofSeconds(5), () -> sink.counters().delivered() == 1);
        }
        assertThat(root.resolve("acme/siem/cursor")).exists();
        assertThat(Map.of()).isEmpty();
    }
}
