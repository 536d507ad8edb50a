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

    private final java.util.BitSet[] tcpPorts;
    private final java.util.BitSet[] udpPorts;

    private AnalyzerRegistry(List<AnalyzerProvider> providers) {
        this.providers = List.copyOf(providers);
        this.tcpPorts = new java.util.BitSet[this.providers.size()];
        this.udpPorts = new java.util.BitSet[this.providers.size()];
        for (int i = 0; i < this.providers.size(); i++) {
            tcpPorts[i] = bits(this.providers.get(i).tcpPorts());
            udpPorts[i] = bits(this.providers.get(i).udpPorts());
        }
    }

    private static java.util.BitSet bits(java.util.Set<Integer> ports) {
        java.util.BitSet b = new java.util.BitSet(65536);
        for (int p : ports) {
            if (p >= 0 && p < 65536) {
                b.set(p);
            }
        }
        return b;
    }

    /** Whether provider {@code index} starts on this responder port (no allocation). */
    boolean startsOnPort(int index, boolean tcp, int port) {
        return port >= 0 && port < 65536 && (tcp ? tcpPorts[index] : udpPorts[index]).get(port);
    }

    /** All providers on the class path, or only those named in {@code names} (null = all). */
    public static AnalyzerRegistry load(Set<String> names) {
        return load(names, java.util.Map.of());
    }

    /**
     * As {@link #load(Set)}, each provider configured with its options ({@code name.key=value}).
     *
     * @throws IllegalArgumentException for an option of an unknown analyzer or a bad value
     */
    public static AnalyzerRegistry load(Set<String> names, java.util.Map<String, String> options) {
        List<AnalyzerProvider> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (AnalyzerProvider p : ServiceLoader.load(AnalyzerProvider.class)) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (names == null || names.contains(name)) {
                java.util.Map<String, String> mine = new java.util.LinkedHashMap<>();
                for (java.util.Map.Entry<String, String> e : options.entrySet()) {
                    if (e.getKey().startsWith(name + ".")) {
                        mine.put(e.getKey().substring(name.length() + 1), e.getValue());
                    }
                }
                seen.add(name);
                all.add(p.configure(mine));
            }
        }
        for (String k : options.keySet()) {
            int dot = k.indexOf('.');
            if (dot < 0 || !seen.contains(k.substring(0, dot))) {
                throw new IllegalArgumentException("analyzer option '" + k + "' names no running analyzer");
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

    /** The provider named {@code name} (lower case), or null when it is not part of this run. */
    public AnalyzerProvider provider(String name) {
        for (int i = 0; i < providers.size(); i++) {
            if (providers.get(i).name().equals(name)) {
                return providers.get(i);
            }
        }
        return null;
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
