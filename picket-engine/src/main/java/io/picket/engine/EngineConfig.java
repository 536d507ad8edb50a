package io.picket.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything one run of the engine needs: inputs, where the logs go and how Zeek-compatible
 * behaviour is configured. Immutable.
 *
 * @param inputs capture files, read merged in timestamp order
 * @param logDir logs are written to {@code logDir/<tenant>/<path>.log}
 * @param tenantsFile tenants.yaml, or null: every packet belongs to tenant {@code default}
 * @param json write Zeek JSON instead of TSV
 * @param jsonIsoTimestamps with JSON: {@code ts} as ISO 8601 instead of epoch seconds
 * @param uidSeed seed for reproducible uids, or null for random ones
 * @param ignoreChecksums Zeek's {@code -C}
 * @param vlanKey VLAN ids are part of the connection key ({@code conn_key/vlan_fivetuple})
 * @param logVlans conn.log gains {@code vlan}/{@code inner_vlan} ({@code vlan-logging})
 * @param communityId conn.log gains {@code community_id}
 * @param analyzers analyzers to run (lower-case names), or null for all
 */
public record EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
        Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
        Set<String> analyzers) {

    public EngineConfig {
        inputs = List.copyOf(inputs);
        analyzers = analyzers == null ? null : Set.copyOf(analyzers);
    }

    /** A config with Zeek's defaults for the given inputs and log folder. */
    public static EngineConfig of(List<Path> inputs, Path logDir) {
        return new EngineConfig(inputs, logDir, null, false, false, null, false, false, false, false, null);
    }

    public EngineConfig withUidSeed(Long seed) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, seed, ignoreChecksums, vlanKey,
                logVlans, communityId, analyzers);
    }

    public EngineConfig withIgnoreChecksums(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, v, vlanKey, logVlans,
                communityId, analyzers);
    }

    public EngineConfig withVlanKey(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, v,
                logVlans, communityId, analyzers);
    }

    public EngineConfig withLogVlans(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, v, communityId, analyzers);
    }

    public EngineConfig withCommunityId(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, v, analyzers);
    }

    public EngineConfig withAnalyzers(Set<String> a) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, a);
    }

    public EngineConfig withTenants(Path file) {
        return new EngineConfig(inputs, logDir, file, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey,
                logVlans, communityId, analyzers);
    }

    public EngineConfig withJson(boolean v, boolean iso) {
        return new EngineConfig(inputs, logDir, tenantsFile, v, iso, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers);
    }
}
