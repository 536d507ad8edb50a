package io.picket.sink.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A password or token named in the config by where it lives, never by its value: a file (read
 * at use, trailing newline removed) or an environment variable. {@link #toString()} shows only the
 * source, so a secret can be logged or put in an exception without leaking.
 */
public final class Secret {
    /** Where the value is read from. */
    public enum Source { FILE, ENV }

    private final Source source;
    private final String ref;
    private final UnaryOperator<String> env;

    private Secret(Source source, String ref, UnaryOperator<String> env) {
        this.source = Objects.requireNonNull(source);
        this.ref = Objects.requireNonNull(ref);
        this.env = env;
    }

    public static Secret file(Path path) {
        return new Secret(Source.FILE, path.toString(), null);
    }

    public static Secret env(String variable) {
        return new Secret(Source.ENV, variable, System::getenv);
    }

    /** An environment secret resolved through {@code env} instead of the process environment. */
    public static Secret env(String variable, UnaryOperator<String> env) {
        return new Secret(Source.ENV, variable, env);
    }

    public Source source() {
        return source;
    }

    /** The file path or variable name (not the value). */
    public String reference() {
        return ref;
    }

    /**
     * Reads the value now. Throws IllegalStateException when the variable is unset, or
     * UncheckedIOException when the file cannot be read; neither message contains the value.
     */
    public String reveal() {
        if (source == Source.ENV) {
            String v = env.apply(ref);
            if (v == null) {
                throw new IllegalStateException("environment variable " + ref + " is not set");
            }
            return v;
        }
        try {
            String v = Files.readString(Path.of(ref), StandardCharsets.UTF_8);
            int end = v.length();
            while (end > 0 && (v.charAt(end - 1) == '\n' || v.charAt(end - 1) == '\r')) {
                end--;
            }
            return v.substring(0, end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + ref, e);
        }
    }

    /** Whether the value can be read now (variable set, file readable). */
    public boolean available() {
        return source == Source.ENV ? env.apply(ref) != null : Files.isReadable(Path.of(ref));
    }

    @Override
    public String toString() {
        return "secret(" + source.name().toLowerCase(java.util.Locale.ROOT) + ":" + ref + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.source == source && s.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + ref.hashCode();
    }
}
