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
            try {
                configs.put(id, registry.parse(sinks, config.tenantsFile() + ": tenants[" + i + "].sinks"));
                any = true;
            } catch (SinkConfigException e) {
                problems.add(e.getMessage());
            }
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
            for (SinkConfig c : e.getValue()) {
                list.add(registry.open(e.getKey(), c, spoolRoot));
            }
            byTenant.put(e.getKey(), list);
        }
        return new TenantSinkRouter(byTenant);
    }
}
