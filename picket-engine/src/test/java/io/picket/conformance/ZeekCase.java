package io.picket.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picket.engine.EngineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One vendored Zeek conformance case ({@code src/test/resources/zeek/<case>/}): the trace, the
 * expected logs and the engine options its {@code case.json} implies (checksums, bare mode
 * analyzers, VLAN key and logging). Test-only.
 */
record ZeekCase(String name, Path dir, JsonNode json) {

    static Path root() {
        try {
            return Path.of(ZeekCase.class.getResource("/zeek/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ZeekCase load(String name) throws IOException {
        Path dir = root().resolve(name);
        try (InputStream in = Files.newInputStream(dir.resolve("case.json"))) {
            return new ZeekCase(name, dir, new ObjectMapper().readTree(in));
        }
    }

    Path trace() {
        return dir.resolve(json.path("trace").asText("trace.pcap"));
    }

    Path expected(String file) {
        return dir.resolve("expected").resolve(file);
    }

    List<String> expectedFiles() {
        List<String> out = new ArrayList<>();
        for (JsonNode l : json.path("logs")) {
            out.add(Path.of(l.path("file").asText()).getFileName().toString());
        }
        return out;
    }

    String command() {
        return json.path("zeek_command").asText();
    }

    boolean bare() {
        return json.path("mode").asText().startsWith("bare");
    }

    /** The analyzers Zeek had loaded: the base/protocols scripts in bare mode, all otherwise. */
    Set<String> analyzers() {
        if (!bare()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode s : json.path("scripts_loaded")) {
            String script = s.asText();
            if (script.startsWith("base/protocols/")) {
                String proto = script.substring("base/protocols/".length());
                if (proto.equals("tunnels")) {
                    out.addAll(List.of("teredo", "ayiya", "gtpv1", "vxlan", "geneve"));
                } else if (!proto.equals("conn")) {
                    out.add(proto);
                }
            }
        }
        return out;
    }

    /** The case's input files ({@code inputs/*.sig} as signatures, {@code inputs/*.dat} as intel). */
    io.picket.engine.PolicyConfig policy() {
        List<Path> sigs = new ArrayList<>();
        List<Path> intel = new ArrayList<>();
        Path in = dir.resolve("inputs");
        if (Files.isDirectory(in)) {
            try (var s = Files.list(in)) {
                for (Path p : s.sorted().toList()) {
                    if (p.toString().endsWith(".sig")) {
                        sigs.add(p);
                    } else if (p.toString().endsWith(".dat")) {
                        intel.add(p);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return new io.picket.engine.PolicyConfig(null, sigs, intel);
    }

    EngineConfig config(Path logDir) {
        String cmd = command();
        return EngineConfig.of(List.of(trace()), logDir)
                .withPolicy(policy())
                .withUidSeed(1L)
                .withIgnoreChecksums(json.path("checksums").asText().startsWith("ignored"))
                .withVlanKey(cmd.contains("conn_key/vlan_fivetuple"))
                .withLogVlans(cmd.contains("conn/vlan-logging"))
                .withAnalyzers(analyzers())
                .withAnalyzerOptions(analyzerOptions(cmd));
    }

    /**
     * The run options matching the Zeek that wrote the baselines (9.1.0-dev): multicast DNS
     * messages one row each ({@code dns.multicast=standalone}; Picket's default is Zeek 8.2's
     * pairing), certificate validation when the script asked for it.
     */
    java.util.Map<String, String> analyzerOptions(String cmd) {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        if (cmd.contains("validate-certs")) {
            o.put("ssl.validation", "jdk");
        }
        Set<String> names = analyzers();
        if (names == null || names.contains("dns")) {
            o.put("dns.multicast", "standalone");
        }
        return o;
    }
}
