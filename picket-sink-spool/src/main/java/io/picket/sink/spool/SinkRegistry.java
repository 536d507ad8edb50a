package io.picket.sink.spool;

import com.fasterxml.jackson.databind.JsonNode;
import io.picket.log.format.JsonFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The sink types known to this process, their config parser and their factory. The
 * {@code tenants.yaml} loader calls {@link #parse} for each tenant's {@code sinks:} list at startup
 * and {@link #open} for each entry. Immutable; any thread.
 */
public final class SinkRegistry {
    private static final long KIB = 1L << 10;
    private static final long MAX_SIZE = 1L << 50;

    private final Map<String, SinkProvider> providers = new LinkedHashMap<>();
    private final UnaryOperator<String> env;

    private SinkRegistry(Iterable<SinkProvider> list, UnaryOperator<String> env) {
        for (SinkProvider p : list) {
            providers.putIfAbsent(p.type(), p);
        }
        this.env = env;
    }

    /** The providers on the class path ({@link java.util.ServiceLoader}). */
    public static SinkRegistry installed() {
        return new SinkRegistry(ServiceLoader.load(SinkProvider.class, SinkRegistry.class.getClassLoader()),
                System::getenv);
    }

    /** Exactly these providers; secrets from {@code env: NAME} are looked up with {@code env}. */
    public static SinkRegistry of(List<SinkProvider> providers, UnaryOperator<String> env) {
        return new SinkRegistry(providers, env);
    }

    public Set<String> types() {
        return providers.keySet();
    }

    /**
     * Parses a {@code sinks:} list (null or missing means none). {@code path} prefixes every
     * problem (e.g. {@code tenants[0].sinks}). Throws with every problem found.
     */
    public List<SinkConfig> parse(JsonNode sinks, String path) throws SinkConfigException {
        List<String> problems = new ArrayList<>();
        List<SinkConfig> out = new ArrayList<>();
        if (sinks == null || sinks.isNull() || sinks.isMissingNode()) {
            return out;
        }
        if (!sinks.isArray()) {
            throw new SinkConfigException(List.of(path + ": expected a list of sinks, got " + ConfigReader.describe(sinks)));
        }
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode item : sinks) {
            String where = path + "[" + i++ + "]";
            int before = problems.size();
            SinkConfig c = parseOne(item, where, problems);
            JsonNode name = item.get("name");
            if (name != null && name.isTextual() && !names.add(name.asText())) {
                problems.add(where + ".name: sink name " + name.asText() + " used twice in this tenant");
            }
            if (c != null && problems.size() == before) {
                out.add(c);
            }
        }
        if (!problems.isEmpty()) {
            throw new SinkConfigException(problems);
        }
        return out;
    }

    /** Parses one sink entry. */
    public SinkConfig parseOne(JsonNode item, String where) throws SinkConfigException {
        List<String> problems = new ArrayList<>();
        SinkConfig c = parseOne(item, where, problems);
        if (!problems.isEmpty()) {
            throw new SinkConfigException(problems);
        }
        return c;
    }

    private SinkConfig parseOne(JsonNode item, String where, List<String> problems) {
        ConfigReader r = ConfigReader.of(item, where, problems, env);
        String type = r.requiredString("type");
        SinkProvider provider = type == null ? null : providers.get(type);
        if (type != null && provider == null) {
            r.problem("type", "unknown sink type " + type + " (known: " + String.join(", ", providers.keySet()) + ")");
        }
        SinkOptions common = common(r);
        if (provider == null) {
            return null;
        }
        SinkConfig c = provider.parse(common, r);
        r.finish();
        return c;
    }

    private static SinkOptions common(ConfigReader r) {
        SinkOptions d = SinkOptions.defaults("x");
        String name = r.requiredString("name");
        if (name != null && !SinkOptions.NAME.matcher(name).matches()) {
            r.problem("name", "must match " + SinkOptions.NAME.pattern() + " (it names the spool directory), got " + name);
            name = null;
        }
        SinkFormat format = r.choice("format", SinkFormat.class, SinkFormat.JSON);
        JsonFormat.Timestamps ts = r.choice("json_timestamps", JsonFormat.Timestamps.class, JsonFormat.Timestamps.EPOCH);
        int queueRecords = r.integer("queue_records", d.queueRecords(), 1, 1 << 24);
        long queueBytes = r.bytes("queue_bytes", d.queueBytes(), 64 * KIB, MAX_SIZE);

        SpoolOptions sd = SpoolOptions.defaults();
        ConfigReader s = r.child("spool");
        long maxBytes = s.bytes("max_bytes", sd.maxBytes(), 1L << 20, MAX_SIZE);
        long segDefault = Math.min(sd.segmentBytes(), maxBytes / 4);
        int maxRecord = (int) s.bytes("max_record_bytes", sd.maxRecordBytes(), 256, 64L << 20);
        long segment = s.bytes("segment_bytes", Math.max(segDefault, 2L * maxRecord), 64 * KIB, MAX_SIZE);
        SpoolOptions.Overflow overflow = s.choice("overflow", SpoolOptions.Overflow.class, sd.overflow());
        SpoolOptions.Fsync fsync = s.choice("fsync", SpoolOptions.Fsync.class, sd.fsync());
        Duration fsyncInterval = s.duration("fsync_interval", sd.fsyncInterval(), Duration.ofMillis(1), Duration.ofMinutes(10));
        SpoolOptions spool = null;
        try {
            spool = new SpoolOptions(maxBytes, segment, maxRecord, overflow, fsync, fsyncInterval);
        } catch (IllegalArgumentException e) {
            s.problem("segment_bytes", e.getMessage());
        }
        s.finish();

        BatchOptions bd = BatchOptions.defaults();
        ConfigReader b = r.child("batch");
        BatchOptions batch = new BatchOptions(b.integer("max_records", bd.maxRecords(), 1, 1_000_000),
                b.bytes("max_bytes", bd.maxBytes(), KIB, 1L << 30),
                b.duration("linger", bd.linger(), Duration.ZERO, Duration.ofMinutes(1)));
        b.finish();

        RetryOptions rd = RetryOptions.defaults();
        ConfigReader rr = r.child("retry");
        Duration initial = rr.duration("initial_backoff", rd.initialBackoff(), Duration.ofMillis(1), Duration.ofMinutes(10));
        Duration max = rr.duration("max_backoff", rd.maxBackoff(), Duration.ofMillis(1), Duration.ofHours(1));
        Duration maxRa = rr.duration("max_retry_after", rd.maxRetryAfter(), Duration.ofMillis(1), Duration.ofHours(1));
        RetryOptions retry = null;
        try {
            retry = new RetryOptions(initial, max, maxRa);
        } catch (IllegalArgumentException e) {
            rr.problem("max_backoff", "must be at least initial_backoff (as must max_retry_after)");
        }
        rr.finish();
        Duration closeTimeout = r.duration("close_timeout", d.closeTimeout(), Duration.ZERO, Duration.ofMinutes(10));
        if (name == null || spool == null || retry == null) {
            return null;
        }
        return new SinkOptions(name, format, ts, queueRecords, queueBytes, spool, batch, retry, closeTimeout);
    }

    /**
     * Opens one tenant's sink: spool in {@code spoolRoot/<tenant>/<name>}, transport from its
     * provider, threads started. Control thread, at startup.
     */
    public SpooledSink open(String tenant, SinkConfig config, Path spoolRoot) throws IOException {
        SinkProvider p = providers.get(config.type());
        if (p == null) {
            throw new IllegalArgumentException("no provider for sink type " + config.type());
        }
        Transport t = p.open(tenant, config);
        try {
            return new SpooledSink(tenant, config.options(), spoolRoot.resolve(tenant).resolve(config.name()), t);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }
}
