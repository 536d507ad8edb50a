package io.picket.sink.kafka;

import io.picket.sink.spool.Secret;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka destination ({@code type: kafka}). See the module README for every option.
 *
 * @param options common sink options
 * @param bootstrapServers {@code host:port,...}
 * @param topic topic template ({@code {tenant}}, {@code {path}})
 * @param keyByUid use the record's uid as message key (records without one have no key)
 * @param timestamp which time the message carries
 * @param compression producer compression ({@code none}, {@code gzip}, {@code snappy}, {@code lz4}, {@code zstd})
 * @param lingerMs producer linger
 * @param deliveryTimeout how long the producer retries one message before the batch fails
 * @param requestTimeout producer request timeout
 * @param maxBlock how long a send may wait for metadata or buffer space
 * @param properties further producer properties passed through (security.protocol, ssl.*, sasl.*, ...)
 * @param secretProperties producer properties whose values are secrets (e.g. sasl.jaas.config)
 */
public record KafkaSinkConfig(SinkOptions options, String bootstrapServers, String topic, boolean keyByUid,
        Timestamp timestamp, String compression, int lingerMs, Duration deliveryTimeout, Duration requestTimeout,
        Duration maxBlock, Map<String, String> properties, Map<String, Secret> secretProperties) implements SinkConfig {

    public static final String TYPE = "kafka";

    /** Message timestamp. */
    public enum Timestamp {
        /** The record's {@code ts} (CreateTime), or the send time when it has none. */
        RECORD,
        /** The time the message is sent. */
        SEND
    }

    public KafkaSinkConfig {
        Objects.requireNonNull(options);
        Objects.requireNonNull(bootstrapServers);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(timestamp);
        Objects.requireNonNull(compression);
        properties = Map.copyOf(properties);
        secretProperties = Map.copyOf(secretProperties);
    }

    /** Topic {@code {tenant}.{path}}, uid keys, record time, no compression, 120 s delivery timeout. */
    public static KafkaSinkConfig of(SinkOptions options, String bootstrapServers) {
        return new KafkaSinkConfig(options, bootstrapServers, "{tenant}.{path}", true, Timestamp.RECORD, "none", 5,
                Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of(), Map.of());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
