package io.picket.cli;

import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.PacketSource;
import io.picket.capture.PcapWriter;
import io.picket.capture.RawPacket;
import io.picket.cli.demo.DemoCapture;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import io.picket.engine.TenantStats;
import io.picket.log.LogRecord;
import io.picket.log.LogSink;
import io.picket.tenant.TenantConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code picket bench}: the end-to-end throughput harness. Runs a capture through the whole
 * engine (decode, tenants, connections, analyzers, log records) with N workers and prints
 * packets/s, Gbit/s, CPU seconds and peak memory, per tenant and in total. Log records are
 * counted and dropped unless {@code --logs} is given (then they are written as usual).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure end-to-end throughput on a capture (or on copies of the bundled demo traffic).")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "Capture file(s) to measure.")
    List<Path> inputs;

    @Option(names = "--demo-copies", paramLabel = "K", defaultValue = "200",
            description = "Without --read: build a capture of K time-shifted copies of the demo traffic with "
                    + "distinct addresses per copy (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Shards (default 1).")
    int workers;

    @Option(names = "--tenants", paramLabel = "FILE", description = "tenants.yaml (default: the demo's with "
            + "--demo-copies, else one tenant).")
    Path tenants;

    @Option(names = "--analyzers", paramLabel = "LIST", split = ",", description = "Analyzers (default: all).")
    List<String> analyzers;

    @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "all",
            converter = StageConverter.class,
            description = "How far packets go: read (frames only), decode (and tenant selection, no "
                    + "connections) or all (default) -- to measure what each stage costs.")
    EngineConfig.Stage stage;

    /** {@code read|decode|all}, with the valid values named when another is given. */
    static final class StageConverter implements picocli.CommandLine.ITypeConverter<EngineConfig.Stage> {
        @Override
        public EngineConfig.Stage convert(String value) {
            for (EngineConfig.Stage s : EngineConfig.Stage.values()) {
                if (s.name().equalsIgnoreCase(value)) {
                    return s;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown stage '" + value + "': expected read, decode or all");
        }
    }

    @Option(names = "--logs", paramLabel = "DIR", description = "Write the logs here instead of counting them.")
    Path logs;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3",
            description = "Measured runs after one warm-up run (default ${DEFAULT-VALUE}); the median is reported.")
    int repeat;

    /** Counts records per tenant and drops them: measures the engine, not the disk. */
    static final class CountingSink implements LogSink {
        private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public void write(String tenant, LogRecord record) {
            counts.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        }

        @Override
        public long recordsWritten(String tenant) {
            LongAdder a = counts.get(tenant);
            return a == null ? 0 : a.sum();
        }

        @Override
        public void close() {
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Path built = null;
        try {
            Path tenantsFile = tenants;
            List<Path> files = inputs;
            if (files == null || files.isEmpty()) {
                Path dir = Files.createTempDirectory("picket-bench");
                built = dir;
                DemoCapture.Result demo = DemoCapture.build(dir);
                Path big = dir.resolve("bench-demo.pcap");
                long frames = replicate(demo.pcap(), big, copies);
                out.printf("built %s: %,d frames (%d copies of the demo traffic; removed at the end)%n", big, frames,
                        copies);
                files = List.of(big);
                if (tenantsFile == null) {
                    tenantsFile = demo.tenantsYaml();
                }
            }
            Set<String> an = analyzers == null ? null : new LinkedHashSet<>(analyzers);
            EngineConfig cfg = new EngineConfig(files, logs == null ? Path.of("unused") : logs, tenantsFile, false,
                    false, 1L, true, false, false, false, an, workers).withStage(stage);
            double[] walls = new double[repeat];
            double[] cpus = new double[repeat];
            RunSummary last = null;
            java.util.Map<String, double[]> threadCpu = new java.util.TreeMap<>();
            for (int i = -1; i < repeat; i++) {
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                RunSummary s = logs == null ? Engine.run(cfg, new CountingSink(), ProgressListener.NONE)
                        : Engine.run(cfg, ProgressListener.NONE);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                if (i >= 0) {
                    walls[i] = wall;
                    cpus[i] = cpu;
                    last = s;
                    int run = i;
                    s.threadCpuSeconds().forEach((name, sec) ->
                            threadCpu.computeIfAbsent(name, k -> new double[repeat])[run] = sec);
                }
            }
            java.util.Arrays.sort(walls);
            java.util.Arrays.sort(cpus);
            double wall = walls[repeat / 2];
            double cpu = cpus[repeat / 2];
            out.printf("%nworkers %d, %d measured runs (median), files in page cache%s%n", workers, repeat,
                    stage == EngineConfig.Stage.ALL ? "" : ", packets up to the " + stage.name().toLowerCase(java.util.Locale.ROOT)
                            + " stage only");
            out.printf("%-16s %12s %14s %8s %8s %12s %12s %10s%n", "tenant", "packets", "bytes", "Mpps", "Gbit/s",
                    "connections", "log records", "drops");
            for (TenantStats t : last.tenants()) {
                out.printf(Locale.ROOT, "%-16s %,12d %,14d %8.3f %8.3f %,12d %,12d %,10d%n", t.tenant, t.packets,
                        t.bytes, t.packets / wall / 1e6, t.bytes * 8 / wall / 1e9, t.connections,
                        last.logLines().getOrDefault(t.tenant, 0L), t.drops());
            }
            for (TenantStats t : last.tenants()) {
                Summary.dropsByCause(t, out);
            }
            out.printf("%-16s %,12d %,14d%n", "(unassigned)", last.unassignedPackets(), last.unassignedBytes());
            out.printf(Locale.ROOT, "total: %,d packets, %,d bytes in %.3f s wall, %.3f s CPU%n", last.packets(),
                    last.bytes(), wall, cpu);
            long drops = last.tenants().stream().mapToLong(TenantStats::drops).sum();
            out.printf(Locale.ROOT, "rate: %.3f Mpps, %.3f Gbit/s; drops: %,d (tenant quotas only: file input "
                    + "waits for the engine, never drops for speed)%n",
                    last.packets() / wall / 1e6, last.bytes() * 8 / wall / 1e9, drops);
            StringBuilder threads = new StringBuilder();
            threadCpu.forEach((name, secs) -> {
                java.util.Arrays.sort(secs);
                threads.append(threads.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f s",
                        name.replace("picket-", ""), secs[repeat / 2]));
            });
            out.printf(Locale.ROOT, "packet threads CPU (median): %s%n", threads);
            out.printf(Locale.ROOT, "peak memory: heap %.1f MiB, process RSS %s%n", peakHeapMiB(), peakRss());
            return 0;
        } catch (CaptureException | TenantConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("picket bench: " + e.getMessage());
            return 1;
        } finally {
            if (built != null) {
                deleteTree(built);
            }
        }
    }

    /** Removes the folder of the capture built for the run; what cannot be removed stays, with a warning. */
    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("picket bench: could not remove " + dir + ": " + e.getMessage());
        }
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static double peakHeapMiB() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }

    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }

    /**
     * Writes {@code copies} copies of {@code in}: copy k shifted by k times the capture's span
     * (so copies follow each other) and with the third byte of every IPv4 address XORed with
     * k's low bits, so every copy's flows are distinct. Checksums are not fixed (the harness runs
     * with checksum checks off, as the reference method does).
     */
    static long replicate(Path in, Path out, int copies) throws IOException, CaptureException {
        long frames = 0;
        long firstSec = -1;
        long lastSec = 0;
        try (PacketSource src = CaptureFiles.open(in)) {
            RawPacket r = new RawPacket();
            while (src.next(r)) {
                if (firstSec < 0) {
                    firstSec = r.tsSeconds;
                }
                lastSec = r.tsSeconds;
            }
        }
        long span = lastSec - firstSec + 1;
        try (PcapWriter w = new PcapWriter(out, 1, 262144)) {
            byte[] buf = new byte[262144];
            for (int k = 0; k < copies; k++) {
                try (PacketSource src = CaptureFiles.open(in)) {
                    RawPacket r = new RawPacket();
                    while (src.next(r)) {
                        int n = r.capturedLength;
                        java.lang.foreign.MemorySegment.copy(r.segment, ValueLayout.JAVA_BYTE, r.offset, buf, 0, n);
                        rewrite(buf, n, k);
                        w.write(r.tsSeconds + k * span, r.tsNanos / 1000, buf, 0, n, r.wireLength);
                        frames++;
                    }
                }
            }
        }
        return frames;
    }

    private static void rewrite(byte[] f, int n, int k) {
        int pos = 12;
        if (n < 14) {
            return;
        }
        int et = ((f[pos] & 0xFF) << 8) | (f[pos + 1] & 0xFF);
        pos = 14;
        while ((et == 0x8100 || et == 0x88a8 || et == 0x9100) && pos + 4 <= n) {
            et = ((f[pos + 2] & 0xFF) << 8) | (f[pos + 3] & 0xFF);
            pos += 4;
        }
        if (et == 0x0800 && pos + 20 <= n) {
            byte x = (byte) (k & 0xFF);
            byte y = (byte) ((k >>> 8) & 0xFF);
            if (!multicastOrBroadcast(f, pos + 12)) {
                f[pos + 14] ^= x;
                f[pos + 13] ^= y;
            }
            if (!multicastOrBroadcast(f, pos + 16)) {
                f[pos + 18] ^= x;
                f[pos + 17] ^= y;
            }
        }
    }

    private static boolean multicastOrBroadcast(byte[] f, int at) {
        int first = f[at] & 0xFF;
        return first >= 224 || (f[at + 3] & 0xFF) == 255;
    }
}
