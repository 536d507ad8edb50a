package io.picket.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the tenants' policies come from: a folder with one bundle folder per tenant
 * ({@code DIR/<tenant>/signatures/*.sig}, {@code DIR/<tenant>/intel/*.dat},
 * {@code DIR/<tenant>/steering.yaml}), and/or Zeek-style single files applied to every tenant
 * ({@code --signatures}, {@code --intel}). {@code logSteerProfile} adds the {@code steer_profile}
 * column to conn.log ({@code --log-steer-profile}).
 */
public record PolicyConfig(Path policyDir, List<Path> signatureFiles, List<Path> intelFiles, boolean logSteerProfile) {
    public static final PolicyConfig NONE = new PolicyConfig(null, List.of(), List.of());

    public PolicyConfig(Path policyDir, List<Path> signatureFiles, List<Path> intelFiles) {
        this(policyDir, signatureFiles, intelFiles, false);
    }

    /** This configuration with the conn.log {@code steer_profile} column on or off. */
    public PolicyConfig withLogSteerProfile(boolean on) {
        return new PolicyConfig(policyDir, signatureFiles, intelFiles, on);
    }

    public PolicyConfig {
        signatureFiles = signatureFiles == null ? List.of() : List.copyOf(signatureFiles);
        intelFiles = intelFiles == null ? List.of() : List.copyOf(intelFiles);
    }

    public boolean isEmpty() {
        return policyDir == null && signatureFiles.isEmpty() && intelFiles.isEmpty();
    }
}
