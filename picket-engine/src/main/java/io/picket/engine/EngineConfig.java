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
 * @param workers number of shards (threads) processing packets; 1 = everything on the caller
 * @param policy the tenants' signatures and intel
 * @param logFiles rotation and compression of the local log files
 * @param analyzerOptions per-analyzer options, {@code name.key -> value} (e.g. {@code ssl.validation})
 * @param stage how far packets go ({@link Stage#ALL} but for measuring the stages' costs)
 */
public record EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
        Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
        Set<String> analyzers, int workers, PolicyConfig policy, LogFiles logFiles,
        java.util.Map<String, String> analyzerOptions, Stage stage) {

    /** How far each packet goes through the engine. */
    public enum Stage {
        /** Frames are read and counted, nothing else (the cost of the input). */
        READ,
        /** Frames are also decoded and given their tenant; no connections (the cost of decoding). */
        DECODE,
        /** The whole engine: connections, analyzers, logs. */
        ALL
    }

    public EngineConfig {
        inputs = List.copyOf(inputs);
        analyzers = analyzers == null ? null : Set.copyOf(analyzers);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        policy = policy == null ? PolicyConfig.NONE : policy;
        logFiles = logFiles == null ? LogFiles.NO_ROTATION : logFiles;
        analyzerOptions = analyzerOptions == null ? java.util.Map.of() : java.util.Map.copyOf(analyzerOptions);
        stage = stage == null ? Stage.ALL : stage;
    }

    public EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
            Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
            Set<String> analyzers, int workers, PolicyConfig policy, LogFiles logFiles) {
        this(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, workers, policy, logFiles, java.util.Map.of());
    }

    public EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
            Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
            Set<String> analyzers, int workers, PolicyConfig policy, LogFiles logFiles,
            java.util.Map<String, String> analyzerOptions) {
        this(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, workers, policy, logFiles, analyzerOptions, Stage.ALL);
    }

    public EngineConfig withAnalyzerOptions(java.util.Map<String, String> o) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, analyzers, workers, policy, logFiles, o, stage);
    }

    public EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
            Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
            Set<String> analyzers, int workers, PolicyConfig policy) {
        this(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, workers, policy, LogFiles.NO_ROTATION);
    }

    public EngineConfig withLogFiles(LogFiles f) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, analyzers, workers, policy, f, analyzerOptions, stage);
    }

    public EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
            Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
            Set<String> analyzers, int workers) {
        this(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, workers, PolicyConfig.NONE);
    }

    public EngineConfig withPolicy(PolicyConfig p) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, analyzers, workers, p, logFiles, analyzerOptions, stage);
    }

    public EngineConfig(List<Path> inputs, Path logDir, Path tenantsFile, boolean json, boolean jsonIsoTimestamps,
            Long uidSeed, boolean ignoreChecksums, boolean vlanKey, boolean logVlans, boolean communityId,
            Set<String> analyzers) {
        this(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, 1);
    }

    public EngineConfig withWorkers(int n) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, analyzers, n, policy, logFiles, analyzerOptions, stage);
    }

    /** A config with Zeek's defaults for the given inputs and log folder. */
    public static EngineConfig of(List<Path> inputs, Path logDir) {
        return new EngineConfig(inputs, logDir, null, false, false, null, false, false, false, false, null);
    }

    public EngineConfig withUidSeed(Long seed) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, seed, ignoreChecksums, vlanKey,
                logVlans, communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withIgnoreChecksums(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, v, vlanKey, logVlans,
                communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withVlanKey(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, v,
                logVlans, communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withLogVlans(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, v, communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withCommunityId(boolean v) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, v, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withAnalyzers(Set<String> a) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, a, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withTenants(Path file) {
        return new EngineConfig(inputs, logDir, file, json, jsonIsoTimestamps, uidSeed, ignoreChecksums, vlanKey,
                logVlans, communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withJson(boolean v, boolean iso) {
        return new EngineConfig(inputs, logDir, tenantsFile, v, iso, uidSeed, ignoreChecksums, vlanKey, logVlans,
                communityId, analyzers, workers, policy, logFiles, analyzerOptions, stage);
    }

    public EngineConfig withStage(Stage s) {
        return new EngineConfig(inputs, logDir, tenantsFile, json, jsonIsoTimestamps, uidSeed, ignoreChecksums,
                vlanKey, logVlans, communityId, analyzers, workers, policy, logFiles, analyzerOptions, s);
    }
}
