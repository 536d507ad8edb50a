package io.picket.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the tenants' policies come from: a folder with one bundle folder per tenant
 * ({@code DIR/<tenant>/signatures/*.sig}, {@code DIR/<tenant>/intel/*.dat},
 * {@code DIR/<tenant>/steering.yaml}, {@code notice.yaml}, {@code filters.yaml}), and/or Zeek-style
 * single files applied to every tenant ({@code --signatures}, {@code --intel}).
 * {@code logSteerProfile} adds the {@code steer_profile} column to conn.log
 * ({@code --log-steer-profile}). With {@code reload}, the policy folder is watched during the run
 * and a changed tenant bundle is reloaded and swapped in (see {@link PolicyWatcher}).
 */
public record PolicyConfig(Path policyDir, List<Path> signatureFiles, List<Path> intelFiles, boolean logSteerProfile,
                           boolean reload) {
    public static final PolicyConfig NONE = new PolicyConfig(null, List.of(), List.of());

    public PolicyConfig {
        signatureFiles = signatureFiles == null ? List.of() : List.copyOf(signatureFiles);
        intelFiles = intelFiles == null ? List.of() : List.copyOf(intelFiles);
    }

    /** A configuration without the steering column and without watching for changes. */
    public PolicyConfig(Path policyDir, List<Path> signatureFiles, List<Path> intelFiles) {
        this(policyDir, signatureFiles, intelFiles, false, false);
    }

    public boolean isEmpty() {
        return policyDir == null && signatureFiles.isEmpty() && intelFiles.isEmpty();
    }

    /** This configuration with the conn.log {@code steer_profile} column on or off. */
    public PolicyConfig withLogSteerProfile(boolean on) {
        return new PolicyConfig(policyDir, signatureFiles, intelFiles, on, reload);
    }

    /** This configuration with the policy folder watched (or not) during the run. */
    public PolicyConfig withReload(boolean on) {
        return new PolicyConfig(policyDir, signatureFiles, intelFiles, logSteerProfile, on);
    }
}
