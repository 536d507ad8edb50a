package io.picket.cli;

import io.picket.capture.CaptureException;
import io.picket.cli.demo.DemoCapture;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.RunSummary;
import io.picket.tenant.TenantConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code picket demo}: builds a multi-tenant capture from bundled real traffic (four tenants on
 * VLANs, one of them QinQ, two with the same IP addresses, plus unassigned traffic) and runs it
 * through the engine with the bundled tenants.yaml.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the bundled multi-tenant demo: build demo.pcap from bundled real traffic, run it, "
                + "print a per-tenant summary.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Folder for demo.pcap, tenants.yaml and the logs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--format", paramLabel = "tsv|json", defaultValue = "tsv", description = "Log format.")
    String format;

    /** Adds an HTTP NDJSON sink to tenant acme in the demo's tenants.yaml. */
    private static void addNetworkSink(Path tenantsYaml, String url) throws IOException {
        String yaml = java.nio.file.Files.readString(tenantsYaml);
        String marker = "  - id: acme\n";
        int at = yaml.indexOf(marker);
        if (at < 0) {
            return;
        }
        String sink = "    sinks:\n      - {name: collector, type: http, api: ndjson, url: '" + url + "'}\n";
        yaml = yaml.substring(0, at + marker.length()) + sink + yaml.substring(at + marker.length());
        java.nio.file.Files.writeString(tenantsYaml, yaml);
    }

    @Override
    public Integer call() {
        PrintStream o = System.out;
        try {
            DemoCapture.Result demo = DemoCapture.build(out);
            o.println("Picket demo: " + demo.totalPackets() + " packets of real traffic for "
                    + demo.tenants().size() + " tenants (+" + demo.unassignedPackets()
                    + " packets on a VLAN no tenant owns)");
            o.printf("  %-10s %-36s %-22s %8s%n", "tenant", "tags", "traffic", "packets");
            for (DemoCapture.Tenant t : demo.tenants()) {
                o.printf("  %-10s %-36s %-22s %8d%n", t.id(), t.vlans(), t.traffic(), t.packets());
            }
            o.println("  capture: " + demo.pcap().toAbsolutePath());
            try (DemoCollector collector = DemoCollector.start()) {
                addNetworkSink(demo.tenantsYaml(), collector.url());
                o.println("  tenants: " + demo.tenantsYaml().toAbsolutePath());
                o.println("  acme also ships its logs to an HTTP NDJSON collector at " + collector.url()
                        + " (a network sink, spooled on disk)");
                Path policy = io.picket.cli.demo.DemoPolicies.write(out.resolve("policy"));
                o.println("  policies: " + policy.toAbsolutePath() + " (acme: a signature, an intel item and a "
                        + "notice of its own; umbrella: log filters)");
                o.println();
                o.println("Running...");
                Path logs = out.resolve("logs");
                EngineConfig cfg = EngineConfig.of(List.of(demo.pcap()), logs).withTenants(demo.tenantsYaml())
                        .withJson("json".equalsIgnoreCase(format), false).withCommunityId(true).withLogVlans(true)
                        .withPolicy(new io.picket.engine.PolicyConfig(policy, List.of(), List.of()));
                RunSummary s = Engine.run(cfg, Progress.to(System.err));
                Summary.print(s, o);
                o.printf("network sink: the collector received %,d of acme's log records (%s)%n",
                        collector.records(), collector.byPath());
            }
            return 0;
        } catch (CaptureException | TenantConfigException | io.picket.engine.Engine.PolicyLoadException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("picket demo: " + e.getMessage());
            return 1;
        }
    }
}
