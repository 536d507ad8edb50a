package io.picket.cli;

import io.picket.capture.CaptureException;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.LogFiles;
import io.picket.engine.PolicyConfig;
import io.picket.engine.RunSummary;
import io.picket.tenant.TenantConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code picket run}: reads capture files and writes every tenant's Zeek-compatible logs. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read capture files (pcap/pcapng) and write each tenant's logs to DIR/<tenant>/<path>.log.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--read"}, paramLabel = "FILE",
            description = "Capture file to read (repeatable; several files are read in timestamp order).")
    List<Path> inputs;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Capture live from this interface with AF_PACKET TPACKET_V3 (repeatable; needs "
                    + "CAP_NET_RAW). With --workers N, N sockets share the interface through kernel fanout. "
                    + "SIGINT/SIGTERM stop the capture and flush every tenant's logs.")
    List<String> interfaces;

    @Option(names = "--logs", paramLabel = "DIR", required = true, description = "Folder for the logs.")
    Path logDir;

    @Option(names = "--tenants", paramLabel = "FILE",
            description = "tenants.yaml (VLANs, interfaces, local networks). Without it every packet belongs "
                    + "to tenant 'default'.")
    Path tenants;

    @Option(names = "--format", paramLabel = "tsv|json", defaultValue = "tsv",
            description = "Log format: Zeek TSV (default) or Zeek JSON.")
    String format;

    @Option(names = "--json-timestamps", paramLabel = "epoch|iso8601", defaultValue = "epoch",
            description = "With --format json: ts as epoch seconds (default) or ISO 8601.")
    String jsonTimestamps;

    @Option(names = "--uid-seed", paramLabel = "N", description = "Seed for reproducible connection uids.")
    Long uidSeed;

    @Option(names = {"-C", "--ignore-checksums"}, description = "Do not verify IP/TCP/UDP/ICMP checksums (Zeek -C).")
    boolean ignoreChecksums;

    @Option(names = "--conn-key", paramLabel = "five-tuple|vlan", defaultValue = "five-tuple",
            description = "Connection key: five-tuple (Zeek default) or vlan (adds id.ctx.vlan/inner_vlan, as "
                    + "policy/frameworks/conn_key/vlan_fivetuple).")
    String connKey;

    @Option(names = "--log-vlans", description = "Add vlan and inner_vlan to conn.log (policy/protocols/conn/vlan-logging).")
    boolean logVlans;

    @Option(names = "--community-id", description = "Add community_id (Community ID v1) to conn.log.")
    boolean communityId;

    @Option(names = "--analyzers", paramLabel = "LIST", split = ",",
            description = "Protocol analyzers to run (default: all), e.g. http,dns. Like Zeek's bare mode, this "
                    + "also decides which ports count as likely server ports.")
    List<String> analyzers;

    @Option(names = "--policy", paramLabel = "DIR",
            description = "Tenant policy bundles: DIR/<tenant>/signatures/*.sig, intel/*.dat, notice.yaml, "
                    + "filters.yaml and steering.yaml, validated as a whole before the run and reloaded when they "
                    + "change.")
    Path policyDir;

    @Option(names = "--log-steer-profile",
            description = "Add steer_profile to conn.log: the steering profile (normal or enhanced) each connection "
                    + "was sent to by its tenant's steering.yaml (unset for tenants without one).")
    boolean logSteerProfile;

    @Option(names = "--no-policy-reload",
            description = "Do not watch the --policy folder: bundles stay as loaded at the start. By default a "
                    + "changed tenant folder is reloaded during the run and swapped in when valid.")
    boolean noPolicyReload;

    @Option(names = {"-s", "--signatures"}, paramLabel = "FILE",
            description = "Zeek signature file for every tenant (repeatable; Zeek's -s).")
    List<Path> signatureFiles;

    @Option(names = "--intel", paramLabel = "FILE",
            description = "Zeek Intel framework file for every tenant (repeatable; Intel::read_files).")
    List<Path> intelFiles;

    @Option(names = "--rotate-interval", paramLabel = "DURATION",
            description = "Rotate the local log files every DURATION (e.g. 1h, 15m; aligned to local midnight as "
                    + "Zeek's Log::default_rotation_interval; network time for files, wall clock live). Rotated "
                    + "files are named <path>.<open time>.log.")
    String rotateInterval;

    @Option(names = "--rotate-size", paramLabel = "SIZE", description = "Also rotate a log file once it reaches "
            + "SIZE (e.g. 100MiB, 1GiB).")
    String rotateSize;

    @Option(names = "--compress", paramLabel = "gzip|zstd", description = "Compress rotated log files.")
    String compress;

    @Option(names = "--analyzer-option", paramLabel = "NAME.KEY=VALUE",
            description = "An analyzer option (repeatable), e.g. ssl.validation=jdk (validate server certificates "
                    + "against the JDK's roots: ssl.log validation_status), ssl.validation=/path/roots.pem, "
                    + "ssl.ja3=true, ssl.ja4=true, dns.multicast=paired|standalone (mDNS/LLMNR rows: paired by "
                    + "trans_id as Zeek 8, the default, or one per message as Zeek 9).")
    java.util.Map<String, String> analyzerOptions;

    @Option(names = "--ring-size", paramLabel = "SIZE", defaultValue = "128MiB",
            description = "Live capture: memory of each socket's AF_PACKET receive ring (default: ${DEFAULT-VALUE}).")
    String ringSize;

    @Option(names = "--ring-block-size", paramLabel = "SIZE", defaultValue = "256KiB",
            description = "Live capture: size of one ring block, a power of two of at least 4KiB (default: "
                    + "${DEFAULT-VALUE}). The kernel passes a block on when it is full or after 10 ms, so smaller "
                    + "blocks let the ring hold more time at low rates.")
    String ringBlockSize;

    @Option(names = "--workers", paramLabel = "N",
            description = "Shards (threads) processing packets; default: the available cores. Flows are routed by a "
                    + "symmetric hash of tenant and addresses; results equal one worker's (uids aside; with "
                    + "--uid-seed, uids repeat for the same N).")
    Integer workers;

    @Option(names = "--runmode", paramLabel = "MODE", defaultValue = "workers",
            description = "Live capture: workers (default: each AF_PACKET socket's thread is a shard; --workers N "
                    + "sockets per interface in a fanout group) or autofp (--capture-threads sockets per interface "
                    + "route and copy frames into the queues of --workers shard threads; a tenant over its "
                    + "max_queue_slots, or a full queue, loses its own frames, counted).")
    String runmode;

    @Option(names = "--capture-threads", paramLabel = "N", defaultValue = "1",
            description = "With --runmode autofp: capture threads (sockets in one fanout group) per interface "
                    + "(default: ${DEFAULT-VALUE}); they run on tenants.yaml capture_cores when given.")
    int captureThreads;

    @Option(names = "--queue-size", paramLabel = "SIZE", defaultValue = "32MiB",
            description = "With --runmode autofp: bytes of each capture thread's queue to each shard (frames are "
                    + "copied; default: ${DEFAULT-VALUE}).")
    String queueSize;

    @Option(names = "--control", paramLabel = "[HOST:]PORT",
            description = "Serve the HTTP control API (JSON) during the run: POST /v1/policies/reload, POST "
                    + "/v1/tenants/ID/policies/reload, GET /v1/status. A bare PORT listens on loopback only "
                    + "(127.0.0.1); port 0 picks a free one. Off by default; no authentication.")
    String control;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("tsv") && !fmt.equals("json")) {
            err.println("picket run: --format must be tsv or json, not '" + format + "'");
            return 2;
        }
        String key = connKey.toLowerCase(Locale.ROOT);
        if (!key.equals("five-tuple") && !key.equals("vlan")) {
            err.println("picket run: --conn-key must be five-tuple or vlan, not '" + connKey + "'");
            return 2;
        }
        String jts = jsonTimestamps.toLowerCase(Locale.ROOT);
        if (!jts.equals("epoch") && !jts.equals("iso8601")) {
            err.println("picket run: --json-timestamps must be epoch or iso8601, not '" + jsonTimestamps + "'");
            return 2;
        }
        boolean live = interfaces != null && !interfaces.isEmpty();
        boolean files = inputs != null && !inputs.isEmpty();
        if (live == files) {
            err.println("picket run: give either --read FILE... or --interface IF...");
            return 2;
        }
        if (files) {
            for (Path p : inputs) {
                if (!Files.isRegularFile(p)) {
                    err.println(p + ": offset 0: no such file");
                    return 2;
                }
            }
        }
        Set<String> an = null;
        if (analyzers != null) {
            an = new LinkedHashSet<>();
            for (String a : analyzers) {
                if (!a.isBlank()) {
                    an.add(a.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        LogFiles logFiles;
        try {
            logFiles = new LogFiles(rotateInterval == null ? null : Sizes.duration(rotateInterval),
                    rotateSize == null ? 0 : Sizes.bytes(rotateSize), compress == null ? "none" : compress);
        } catch (IllegalArgumentException e) {
            err.println("picket run: " + e.getMessage());
            return 2;
        }
        if (!logFiles.compression().equals("none") && !logFiles.compression().equals("gzip")
                && !logFiles.compression().equals("zstd")) {
            err.println("picket run: --compress must be gzip or zstd, not '" + compress + "'");
            return 2;
        }
        int n = workers == null ? (live ? 1 : Runtime.getRuntime().availableProcessors()) : workers;
        if (n < 1 || n > 256) {
            err.println("picket run: --workers must be between 1 and 256, not " + n);
            return 2;
        }
        if (!runmode.equals("workers") && !runmode.equals("autofp")) {
            err.println("picket run: --runmode must be workers or autofp, not '" + runmode + "'");
            return 2;
        }
        if (runmode.equals("autofp") && !live) {
            err.println("picket run: --runmode autofp is for live capture (--interface); files are read by every "
                    + "shard itself");
            return 2;
        }
        if (captureThreads < 1 || captureThreads > 64) {
            err.println("picket run: --capture-threads must be between 1 and 64, not " + captureThreads);
            return 2;
        }
        long ringBytes;
        long blockBytes;
        long queueBytes;
        try {
            ringBytes = Sizes.bytes(ringSize);
            blockBytes = Sizes.bytes(ringBlockSize);
            queueBytes = Sizes.bytes(queueSize);
        } catch (IllegalArgumentException e) {
            err.println("picket run: " + e.getMessage());
            return 2;
        }
        if (blockBytes < 4096 || blockBytes > (1 << 30) || Long.bitCount(blockBytes) != 1) {
            err.println("picket run: --ring-block-size must be a power of two from 4KiB to 1GiB, not '"
                    + ringBlockSize + "'");
            return 2;
        }
        if (queueBytes < (1 << 16) || queueBytes > (1L << 34)) {
            err.println("picket run: --queue-size must be from 64KiB to 16GiB, not '" + queueSize + "'");
            return 2;
        }
        if (ringBytes < blockBytes || ringBytes % blockBytes != 0 || ringBytes > (1L << 34)) {
            err.println("picket run: --ring-size must be a multiple of --ring-block-size (" + ringBlockSize
                    + ") of at most 16GiB, not '" + ringSize + "'");
            return 2;
        }
        EngineConfig cfg = new EngineConfig(files ? inputs : List.of(), logDir, tenants, fmt.equals("json"),
                jts.equals("iso8601"), uidSeed, ignoreChecksums, key.equals("vlan"), logVlans, communityId, an, n,
                new PolicyConfig(policyDir, signatureFiles, intelFiles).withLogSteerProfile(logSteerProfile)
                        .withReload(!noPolicyReload), logFiles, analyzerOptions);
        io.picket.cli.control.ControlAddress controlAddress = null;
        if (control != null) {
            try {
                controlAddress = io.picket.cli.control.ControlAddress.parse(control);
            } catch (IllegalArgumentException e) {
                err.println("picket run: " + e.getMessage());
                return 2;
            }
        }
        io.picket.cli.control.ControlServer controlServer = null;
        try {
            Files.createDirectories(logDir);
            if (controlAddress != null) {
                controlServer = io.picket.cli.control.ControlServer.start(controlAddress, cfg.policy(), err::println);
                err.println("control API: listening on " + controlServer.url());
            }
            RunSummary s = live
                    ? (runmode.equals("autofp")
                            ? Live.runAutofp(cfg, interfaces, captureThreads, queueBytes, (int) blockBytes,
                                    (int) (ringBytes / blockBytes), err)
                            : Live.run(cfg, interfaces, n, (int) blockBytes, (int) (ringBytes / blockBytes), err))
                    : Engine.run(cfg, Progress.to(err));
            for (String w : s.warnings()) {
                err.println("warning: " + w);
            }
            Summary.print(s, System.out);
            return 0;
        } catch (CaptureException | TenantConfigException | Engine.PolicyLoadException | Engine.InvalidSinks | Engine.InvalidCores
                | Engine.InvalidAnalyzerOption e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("picket run: " + e.getMessage());
            return 1;
        } finally {
            if (controlServer != null) {
                controlServer.close();
            }
        }
    }
}
