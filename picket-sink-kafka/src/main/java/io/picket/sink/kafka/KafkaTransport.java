package io.picket.sink.kafka;

import io.picket.sink.spool.DeliveryException;
import io.picket.sink.spool.Envelope;
import io.picket.sink.spool.RejectedException;
import io.picket.sink.spool.Secret;
import io.picket.sink.spool.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces each spooled record as one Kafka message: topic from the template, key = uid, value =
 * the formatted line, headers {@code picket.tenant}, {@code picket.path} and {@code picket.id}
 * (stable record id for consumers that drop duplicates). The producer is idempotent with
 * {@code acks=all}, so its own retries neither lose nor duplicate nor reorder within a partition.
 *
 * <p>A batch is delivered when every message's send is acknowledged. If any fails (after the
 * producer gave up at {@code delivery.timeout.ms}, or a send could not start within
 * {@code max.block.ms}) the whole batch is retried by the sink, so messages of that batch that
 * did succeed arrive twice: at-least-once, duplicates bounded by one batch per failure. Order is
 * kept per partition; with more than one partition per topic, per key (uid). Delivery thread of
 * the owning sink; {@link #close} may come from another thread.
 */
public final class KafkaTransport implements Transport {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String tenant;
    private final KafkaSinkConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Envelope view = new Envelope();
    private final Map<String, String> topics = new HashMap<>();
    private final byte[] tenantBytes;

    public KafkaTransport(String tenant, KafkaSinkConfig config) {
        this.tenant = tenant;
        this.config = config;
        this.tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
        this.producer = new KafkaProducer<>(producerProperties(tenant, config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer configuration: pass-through properties, then the settings the sink insists on. */
    static Properties producerProperties(String tenant, KafkaSinkConfig c) {
        Properties p = new Properties();
        p.putAll(c.properties());
        for (Map.Entry<String, Secret> e : c.secretProperties().entrySet()) {
            p.put(e.getKey(), e.getValue().reveal());
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compression());
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(c.lingerMs()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(c.deliveryTimeout().toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(c.requestTimeout().toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(c.maxBlock().toMillis()));
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "picket-" + tenant + "-" + c.name());
        return p;
    }

    @Override
    public void deliver(List<byte[]> batch) throws IOException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        int rejected = 0;
        try {
            for (byte[] rec : batch) {
                view.wrap(rec);
                String topic = topic(view);
                if (topic == null) {
                    rejected++;
                    continue;
                }
                long micros = view.timestampMicros();
                Long ts = config.timestamp() == KafkaSinkConfig.Timestamp.RECORD && micros != Envelope.NO_TIME
                        ? Math.floorDiv(micros, 1000L) : null;
                ProducerRecord<byte[], byte[]> pr = new ProducerRecord<>(topic, null, ts,
                        config.keyByUid() ? view.key() : null, view.body());
                pr.headers().add(new RecordHeader("picket.tenant", tenantBytes));
                pr.headers().add(new RecordHeader("picket.path", view.path().getBytes(StandardCharsets.UTF_8)));
                pr.headers().add(new RecordHeader("picket.id", view.recordId().getBytes(StandardCharsets.US_ASCII)));
                sent.add(producer.send(pr));
            }
        } catch (KafkaException e) {
            // Could not start a send (metadata or buffer wait over max.block.ms, producer closed).
            throw new DeliveryException("kafka send failed: " + e.getMessage(), null, e);
        }
        Throwable failure = null;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for kafka acknowledgements");
            }
        }
        if (failure != null) {
            throw new DeliveryException("kafka delivery failed: " + failure, null, failure);
        }
        if (rejected > 0) {
            throw new RejectedException(rejected, rejected + " records with a topic name Kafka does not accept");
        }
    }

    /** The topic for a record, or null when the rendered name is not a legal topic. */
    String topic(Envelope e) {
        String path = e.path();
        String t = topics.get(path);
        if (t == null) {
            t = config.topic().replace("{tenant}", tenant).replace("{path}", path);
            if (!TOPIC.matcher(t).matches() || t.equals(".") || t.equals("..")) {
                t = "";
            }
            topics.put(path, t);
        }
        return t.isEmpty() ? null : t;
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(1));
        } catch (KafkaException | IllegalStateException e) {
            // Closing while a send waits: the waiting thread gets an exception.
        }
    }
}
