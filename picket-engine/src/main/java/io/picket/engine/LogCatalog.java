package io.picket.engine;

import io.picket.analyzer.AnalyzerRegistry;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.flow.ConnLog;
import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.policy.intel.IntelLog;
import io.picket.policy.signature.SignatureLog;
import io.picket.tunnel.TunnelLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schemas of every log a run can write (path to schema, with the optional columns the run's
 * options add), so that tenant log filters are checked against them before the first packet.
 * Built once at start; immutable.
 */
final class LogCatalog {
    private LogCatalog() {
    }

    static Map<String, LogSchema> of(EngineConfig config) {
        Map<String, LogSchema> out = new LinkedHashMap<>();
        out.put("conn", new ConnLog(config.vlanKey(), config.logVlans(), config.communityId() ? c -> null : null,
                (t, hi, lo) -> null, config.policy().logSteerProfile() ? c -> null : null).schema());
        put(out, config, WeirdLog.SCHEMA);
        put(out, config, TunnelLog.SCHEMA);
        put(out, config, SignatureLog.SCHEMA);
        put(out, config, IntelLog.SCHEMA);
        put(out, config, io.picket.policy.notice.NoticeLog.SCHEMA);
        AnalyzerRegistry all;
        try {
            all = AnalyzerRegistry.load(null, config.analyzerOptions());
        } catch (IllegalArgumentException e) {
            all = AnalyzerRegistry.load(null);
        }
        for (AnalyzerProvider p : all.providers()) {
            for (LogSchema s : p.logs()) {
                put(out, config, s);
            }
        }
        return Map.copyOf(out);
    }

    /** As {@link Shard#schema}: connection-keyed logs gain the VLAN context columns with {@code vlanKey}. */
    private static void put(Map<String, LogSchema> out, EngineConfig config, LogSchema s) {
        out.putIfAbsent(s.path(), config.vlanKey() && s.indexOf("id.resp_p") >= 0
                ? s.withAfter("id.resp_p", LogField.of("id.ctx.vlan", ZeekType.INT),
                        LogField.of("id.ctx.inner_vlan", ZeekType.INT))
                : s);
    }
}
