package io.picket.sink.kafka;

import io.picket.sink.spool.ConfigReader;
import io.picket.sink.spool.Secret;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkOptions;
import io.picket.sink.spool.SinkProvider;
import io.picket.sink.spool.Transport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code type: kafka}: options and transport for an idempotent Kafka producer. */
public final class KafkaSinkProvider implements SinkProvider {
    /** Producer settings the sink owns; setting them under {@code properties} is an error. */
    static final Set<String> OWNED = Set.of("bootstrap.servers", "enable.idempotence", "acks", "key.serializer",
            "value.serializer", "transactional.id", "compression.type", "linger.ms", "delivery.timeout.ms",
            "request.timeout.ms", "max.block.ms");
    private static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final Pattern TOPIC_LITERAL = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final Pattern SERVERS = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");

    @Override
    public String type() {
        return KafkaSinkConfig.TYPE;
    }

    @Override
    public SinkConfig parse(SinkOptions common, ConfigReader r) {
        String servers = r.requiredString("bootstrap_servers");
        if (servers != null && !SERVERS.matcher(servers).matches()) {
            r.problem("bootstrap_servers", "expected host:port[,host:port...], got " + servers);
        }
        String topic = r.string("topic", "{tenant}.{path}");
        String literal = topic.replace("{tenant}", "").replace("{path}", "");
        if (!TOPIC_LITERAL.matcher(literal).matches() || literal.contains("{")) {
            r.problem("topic", "may hold only letters, digits, . _ - and the placeholders {tenant} and {path}");
        }
        boolean keyByUid = r.bool("key_by_uid", true);
        KafkaSinkConfig.Timestamp ts = r.choice("timestamp", KafkaSinkConfig.Timestamp.class, KafkaSinkConfig.Timestamp.RECORD);
        String compression = r.string("compression", "none");
        if (!COMPRESSIONS.contains(compression)) {
            r.problem("compression", "expected one of " + String.join(", ", COMPRESSIONS) + ", got " + compression);
        }
        int linger = r.integer("linger_ms", 5, 0, 60_000);
        Duration delivery = r.duration("delivery_timeout", Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofHours(24));
        Duration request = r.duration("request_timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1));
        Duration block = r.duration("max_block", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1));
        if (delivery.toMillis() < request.toMillis() + linger) {
            r.problem("delivery_timeout", "must be at least request_timeout + linger_ms");
        }
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.stringOrSecretMap("properties").entrySet()) {
            if (OWNED.contains(e.getKey())) {
                r.problem("properties." + e.getKey(), "set by the sink (idempotent, acks=all) or by its own option");
            } else if (e.getValue() instanceof Secret s) {
                secrets.put(e.getKey(), s);
            } else {
                props.put(e.getKey(), (String) e.getValue());
            }
        }
        if (common == null || servers == null) {
            return null;
        }
        return new KafkaSinkConfig(common, servers, topic, keyByUid, ts, compression, linger, delivery, request, block,
                props, secrets);
    }

    @Override
    public Transport open(String tenant, SinkConfig config) {
        return new KafkaTransport(tenant, (KafkaSinkConfig) config);
    }
}
