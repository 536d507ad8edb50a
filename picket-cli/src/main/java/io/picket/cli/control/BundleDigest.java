package io.picket.cli.control;

import io.picket.engine.PolicyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content digest of a tenant's policy bundle sources: SHA-256 over every regular file under
 * {@code DIR/<tenant>/} (relative path and bytes, in path order, links followed) and the run-wide
 * {@code --signatures}/{@code --intel} files. Computed on the control thread from what is on
 * disk; a file that cannot be read makes the digest null instead of failing.
 */
final class BundleDigest {
    private BundleDigest() {
    }

    /**
     * {@code sha256:<hex>} of {@code tenant}'s sources (the run-wide files alone for a null
     * tenant); null when there are none or they cannot be read.
     */
    static String of(PolicyConfig cfg, String tenant) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            int files = 0;
            if (cfg.policyDir() != null && tenant != null) {
                Path dir = cfg.policyDir().resolve(tenant);
                if (Files.isDirectory(dir)) {
                    List<Path> inDir;
                    try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
                        inDir = s.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path f : inDir) {
                        add(md, "tenant/" + dir.relativize(f), f);
                        files++;
                    }
                }
            }
            for (Path f : cfg.signatureFiles()) {
                add(md, "signatures " + f, f);
                files++;
            }
            for (Path f : cfg.intelFiles()) {
                add(md, "intel " + f, f);
                files++;
            }
            if (files == 0) {
                return null;
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException | UncheckedIOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void add(MessageDigest md, String name, Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(content.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(content);
    }
}
