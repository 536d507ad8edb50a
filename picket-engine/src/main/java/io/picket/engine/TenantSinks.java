package io.picket.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.picket.log.LogSink;
import io.picket.log.format.JsonFormat;
import io.picket.log.writer.FileLogSink;
import io.picket.sink.spool.ConfigReader;
import io.picket.sink.spool.SinkConfig;
import io.picket.sink.spool.SinkConfigException;
import io.picket.sink.spool.SinkRegistry;
import io.picket.sink.spool.TenantSinkRouter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log destinations of every tenant: the local file sink for all of them, plus the sinks a
 * tenant lists under {@code sinks:} in tenants.yaml: network sinks (syslog, http, kafka; each
 * spooled on disk under the spool root) and extra file sinks ({@code type: file}, a directory,
 * format and rotation of the tenant's choosing). All sink lists are validated before the run starts.
 */
final class TenantSinks {
    private TenantSinks() {
    }

    /** Thrown when a tenant's {@code sinks:} list is invalid; the message lists every problem. */
    static final class Invalid extends IOException {
        private static final long serialVersionUID = 1L;

        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A sink's log filter: {@code logs: [conn, dns]} ships only those logs, {@code exclude_logs:
     * [weird]} all but those. Log names are Zeek's paths.
     */
    private static java.util.function.Predicate<String> logFilter(JsonNode include, JsonNode exclude, String at,
            List<String> problems) {
        java.util.Set<String> inc = names(include, at + ".logs", problems);
        java.util.Set<String> exc = names(exclude, at + ".exclude_logs", problems);
        if (inc != null && exc != null) {
            problems.add(at + ": give either logs or exclude_logs, not both");
        }
        if (inc != null) {
            return inc::contains;
        }
        if (exc != null) {
            return p -> !exc.contains(p);
        }
        return p -> true;
    }

    private static java.util.Set<String> names(JsonNode n, String at, List<String> problems) {
        if (n == null || n.isNull()) {
            return null;
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        if (!n.isArray()) {
            problems.add(at + ": must be a list of log names, e.g. [conn, dns]");
            return out;
        }
        for (JsonNode x : n) {
            if (!x.isTextual() || !x.asText().matches("[a-z0-9_]+")) {
                problems.add(at + ": bad log name " + x);
            } else {
                out.add(x.asText());
            }
        }
        return out;
    }

    private record FileSinkSpec(Path dir, FileLogSink.Options options, java.util.function.Predicate<String> filter) {
    }

    /** Forwards only the records whose log path passes the filter. */
    private record FilteredSink(LogSink sink, java.util.function.Predicate<String> filter) implements LogSink {
        @Override
        public void write(String tenant, io.picket.log.LogRecord record) {
            if (filter.test(record.schema().path())) {
                sink.write(tenant, record);
            }
        }

        @Override
        public long recordsWritten(String tenant) {
            return sink.recordsWritten(tenant);
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    /**
     * Parses a {@code type: file} entry: a tenant's extra copy of its logs in a directory of its
     * choosing, in its own format, with its own rotation. Null when the entry has problems.
     */
    private static FileLogSink.Options fileOptions(JsonNode item, String at, EngineConfig config, List<String> problems,
            Path[] dir) {
        List<String> mine = new ArrayList<>();
        ConfigReader r = ConfigReader.of(item, at, mine, System::getenv);
        r.string("type", "file");
        String name = r.requiredString("name");
        if (name != null && !io.picket.sink.spool.SinkOptions.NAME.matcher(name).matches()) {
            r.problem("name", "must match " + io.picket.sink.spool.SinkOptions.NAME.pattern() + ", got " + name);
        }
        String d = r.requiredString("dir");
        FileLogSink.Format format = r.choice("format", FileLogSink.Format.class, FileLogSink.Format.TSV);
        JsonFormat.Timestamps ts = r.choice("json_timestamps", JsonFormat.Timestamps.class, JsonFormat.Timestamps.EPOCH);
        java.time.Duration interval = r.duration("rotate_interval", java.time.Duration.ZERO, java.time.Duration.ZERO,
                java.time.Duration.ofDays(7));
        long size = r.bytes("rotate_size", 0, 0, 1L << 50);
        FileLogSink.Compression compress = r.choice("compress", FileLogSink.Compression.class,
                FileLogSink.Compression.NONE);
        if (!compress.available()) {
            r.problem("compress", compress.name().toLowerCase(java.util.Locale.ROOT)
                    + " is not available on this machine (its native library did not load)");
        }
        if (size > 0 && size < 4096) {
            r.problem("rotate_size", "must be 0 (off) or at least 4 KiB, got " + size);
        }
        if (compress != FileLogSink.Compression.NONE && interval.isZero() && size == 0) {
            r.problem("compress", "compresses rotated files; set rotate_interval or rotate_size too");
        }
        r.finish();
        problems.addAll(mine);
        if (!mine.isEmpty()) {
            return null;
        }
        Path p = Path.of(d);
        dir[0] = p.isAbsolute() ? p : config.logDir().resolve(p);
        if (dir[0].normalize().equals(config.logDir().normalize())) {
            problems.add(at + ".dir: is the run's own log folder; choose another directory");
            return null;
        }
        FileLogSink.Options o = FileLogSink.Options.defaults().withFormat(format).withJsonTimestamps(ts);
        if (!interval.isZero() || size > 0) {
            o = o.withRotation(FileLogSink.Rotation.NONE.withInterval(interval).withMaxBytes(size)
                    .withCompression(compress)
                    .withClock(config.inputs().isEmpty() ? FileLogSink.RotationClock.WALL_CLOCK
                            : FileLogSink.RotationClock.NETWORK_TIME));
        }
        return o;
    }

    static LogSink build(EngineConfig config, LogSink fileSink, Path spoolRoot) throws IOException {
        return build(config, fileSink, spoolRoot, new ArrayList<>());
    }

    /**
     * Builds every tenant's sinks. File sinks that rotate on network time are added to
     * {@code networkClocks} (the reader feeds them packet time).
     */
    static LogSink build(EngineConfig config, LogSink fileSink, Path spoolRoot,
            List<java.util.function.DoubleConsumer> networkClocks) throws IOException {
        if (config.tenantsFile() == null) {
            return fileSink;
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(config.tenantsFile().toFile());
        JsonNode tenants = root == null ? null : root.get("tenants");
        if (tenants == null || !tenants.isArray()) {
            return fileSink;
        }
        SinkRegistry registry = SinkRegistry.installed();
        Map<String, List<SinkConfig>> configs = new LinkedHashMap<>();
        Map<String, List<java.util.function.Predicate<String>>> filters = new LinkedHashMap<>();
        Map<String, List<FileSinkSpec>> files = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < tenants.size(); i++) {
            JsonNode t = tenants.get(i);
            String id = t.path("id").asText();
            JsonNode sinks = t.get("sinks");
            if (sinks == null || sinks.isNull()) {
                configs.put(id, List.of());
                continue;
            }
            String where = config.tenantsFile() + ": tenants[" + i + "].sinks";
            if (!sinks.isArray()) {
                problems.add(where + ": must be a list of sinks");
                continue;
            }
            List<SinkConfig> list = new ArrayList<>();
            List<java.util.function.Predicate<String>> preds = new ArrayList<>();
            for (int k = 0; k < sinks.size(); k++) {
                JsonNode item = sinks.get(k).deepCopy();
                String at = where + "[" + k + "]";
                java.util.function.Predicate<String> filter = x -> true;
                if (item instanceof com.fasterxml.jackson.databind.node.ObjectNode obj) {
                    filter = logFilter(obj.remove("logs"), obj.remove("exclude_logs"), at, problems);
                }
                if ("file".equals(item.path("type").asText())) {
                    Path[] dir = new Path[1];
                    FileLogSink.Options o = fileOptions(item, at, config, problems, dir);
                    if (o != null) {
                        files.computeIfAbsent(id, x -> new ArrayList<>()).add(new FileSinkSpec(dir[0], o, filter));
                    }
                    continue;
                }
                try {
                    list.add(registry.parseOne(item, at));
                    preds.add(filter);
                } catch (SinkConfigException e) {
                    problems.add(e.getMessage());
                }
            }
            configs.put(id, list);
            filters.put(id, preds);
            any = true;
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("\n", problems), null);
        }
        if (!any) {
            return fileSink;
        }
        Map<String, List<LogSink>> byTenant = new LinkedHashMap<>();
        for (Map.Entry<String, List<SinkConfig>> e : configs.entrySet()) {
            List<LogSink> list = new ArrayList<>();
            list.add(fileSink);
            List<java.util.function.Predicate<String>> preds = filters.getOrDefault(e.getKey(), List.of());
            for (int k = 0; k < e.getValue().size(); k++) {
                LogSink sink = registry.open(e.getKey(), e.getValue().get(k), spoolRoot);
                list.add(k < preds.size() ? new FilteredSink(sink, preds.get(k)) : sink);
            }
            for (FileSinkSpec f : files.getOrDefault(e.getKey(), List.of())) {
                FileLogSink sink = new FileLogSink(f.dir(), f.options());
                if (f.options().rotation().enabled()
                        && f.options().rotation().clock() == FileLogSink.RotationClock.NETWORK_TIME) {
                    networkClocks.add(sink::advanceNetworkTime);
                }
                list.add(new FilteredSink(sink, f.filter()));
            }
            byTenant.put(e.getKey(), list);
        }
        return new TenantSinkRouter(byTenant);
    }
}
