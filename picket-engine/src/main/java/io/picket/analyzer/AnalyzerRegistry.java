package io.picket.analyzer;

import io.picket.analyzer.spi.AnalyzerProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The protocol analyzers of a run: every {@link AnalyzerProvider} on the class path (found with
 * {@link ServiceLoader}), optionally restricted to named ones (like Zeek's bare mode with a few
 * protocol scripts loaded). Immutable; shared by all shards.
 */
public final class AnalyzerRegistry {
    private final List<AnalyzerProvider> providers;

    private AnalyzerRegistry(List<AnalyzerProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** All providers on the class path, or only those named in {@code names} (null = all). */
    public static AnalyzerRegistry load(Set<String> names) {
        List<AnalyzerProvider> all = new ArrayList<>();
        for (AnalyzerProvider p : ServiceLoader.load(AnalyzerProvider.class)) {
            if (names == null || names.contains(p.name().toLowerCase(Locale.ROOT))) {
                all.add(p);
            }
        }
        all.sort(Comparator.comparing(AnalyzerProvider::name));
        return new AnalyzerRegistry(all);
    }

    public static AnalyzerRegistry of(List<AnalyzerProvider> providers) {
        return new AnalyzerRegistry(providers);
    }

    public List<AnalyzerProvider> providers() {
        return providers;
    }

    /** Names of all analyzers found on the class path. */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        for (AnalyzerProvider p : ServiceLoader.load(AnalyzerProvider.class)) {
            out.add(p.name());
        }
        out.sort(null);
        return out;
    }

    boolean any(boolean tcp) {
        for (AnalyzerProvider p : providers) {
            if (tcp ? p.tcp() : p.udp()) {
                return true;
            }
        }
        return false;
    }
}
