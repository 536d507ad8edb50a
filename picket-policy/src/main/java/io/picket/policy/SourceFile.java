package io.picket.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One policy source: a display name used in error positions (e.g. {@code signatures/web.sig}) and
 * its text. Signature and intel files are byte oriented, so text read from disk is decoded as
 * ISO-8859-1 (one char per byte) and patterns keep their raw bytes. Immutable.
 */
public record SourceFile(String name, String text) {
    public SourceFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** Reads a file byte for byte (ISO-8859-1); the name is the given display name. */
    public static SourceFile read(Path path, String displayName) throws IOException {
        return new SourceFile(displayName, new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
    }

    public static SourceFile of(String name, String text) {
        return new SourceFile(name, text);
    }
}
