package io.picket.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the tenants' policies come from: a folder with one bundle folder per tenant
 * ({@code DIR/<tenant>/signatures/*.sig}, {@code DIR/<tenant>/intel/*.dat}), and/or Zeek-style
 * single files applied to every tenant ({@code --signatures}, {@code --intel}).
 */
public record PolicyConfig(Path policyDir, List<Path> signatureFiles, List<Path> intelFiles) {
    public static final PolicyConfig NONE = new PolicyConfig(null, List.of(), List.of());

    public PolicyConfig {
        signatureFiles = signatureFiles == null ? List.of() : List.copyOf(signatureFiles);
        intelFiles = intelFiles == null ? List.of() : List.copyOf(intelFiles);
    }

    public boolean isEmpty() {
        return policyDir == null && signatureFiles.isEmpty() && intelFiles.isEmpty();
    }
}
