package io.picket.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.picket.log.LogSink;
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
 * The log destinations of every tenant: the local file sink for all of them, plus the network
 * sinks a tenant lists under {@code sinks:} in tenants.yaml (syslog, http, kafka; each spooled
 * on disk under the spool root). All sink lists are validated before the run starts.
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

    static LogSink build(EngineConfig config, LogSink fileSink, Path spoolRoot) throws IOException {
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
            byTenant.put(e.getKey(), list);
        }
        return new TenantSinkRouter(byTenant);
    }
}
