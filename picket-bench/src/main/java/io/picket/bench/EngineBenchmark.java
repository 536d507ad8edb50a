package io.picket.bench;

import io.picket.capture.CaptureException;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import io.picket.tenant.TenantConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Engine#run} end to end on a capture file with one worker and a {@link CountingSink}:
 * read, decode, tenant selection, connections, TCP reassembly and stream delivery, the analyzers,
 * conn.log/weird.log and analyzer log records. One operation is one whole run over
 * {@code copies} back-to-back copies of the trace (each 400 s after the previous one, so every
 * flow of a copy has timed out before the next; the frame count is printed at setup). An
 * operation takes milliseconds, so warm-up and measurement iterations are 2 s.
 *
 * <p>{@code run} is {@code trace/analyzers}: trace {@code mix} (the 8-tenant capture with
 * {@code tenants-8.yaml}), {@code wikipedia} or {@code ssh} (one tenant), or {@code steady}: the
 * 8-tenant capture's flows kept alive for {@code copies} passes ({@link FlowReplay#steadyCapture},
 * read with checksums ignored, as its TCP checksums are not fixed); analyzers {@code all},
 * {@code none} or one analyzer's name. The difference between {@code x/<name>} and
 * {@code x/none} is the cost of that analyzer, stream delivery included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class EngineBenchmark {

    /** {@code trace/analyzers}. */
    @Param({"mix/all", "mix/none", "wikipedia/dns", "wikipedia/none", "ssh/ssh", "ssh/none", "steady/all",
            "steady/none"})
    public String run;

    /** Copies of the trace in the capture file (passes for {@code steady}). */
    @Param({"8"})
    public int copies;

    private static final long COPY_GAP_MICROS = 400_000_000L;

    private Path dir;
    private EngineConfig config;
    private long frames;

    @Setup
    public void setup() throws IOException, TenantConfigException {
        int slash = run.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("run must be trace/analyzers: " + run);
        }
        String trace = run.substring(0, slash);
        String analyzers = run.substring(slash + 1);
        dir = Files.createTempDirectory("picket-bench");
        List<Traces.Frame> all = switch (trace) {
            case "mix" -> Traces.repeat(Traces.eightTenants(), copies, COPY_GAP_MICROS);
            case "wikipedia" -> Traces.repeat(Traces.read(Traces.WIKIPEDIA), copies, COPY_GAP_MICROS);
            case "ssh" -> Traces.repeat(Traces.read(Traces.SSH), copies, COPY_GAP_MICROS);
            case "steady" -> FlowReplay.steadyCapture(TenantSelectBenchmark.eightTenants(), copies);
            default -> throw new IllegalArgumentException("unknown trace " + trace);
        };
        frames = all.size();
        Path pcap = dir.resolve(trace + ".pcap");
        Traces.writePcap(pcap, all);
        Path tenants = null;
        if (trace.equals("mix") || trace.equals("steady")) {
            tenants = dir.resolve(Traces.TENANTS_8);
            Files.writeString(tenants, Traces.tenantsYaml(), StandardCharsets.UTF_8);
        }
        Set<String> an = switch (analyzers) {
            case "all" -> null;
            case "none" -> Set.of();
            default -> Set.of(analyzers);
        };
        config = new EngineConfig(List.of(pcap), dir.resolve("logs"), tenants, false, false, 1L,
                trace.equals("steady"), false, false, false, an, 1);
        System.out.printf("%n%s: %d frames per operation%n", run, frames);
    }

    @Benchmark
    public RunSummary engine() throws CaptureException, TenantConfigException, IOException {
        return Engine.run(config, new CountingSink(), ProgressListener.NONE);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Frames in the capture file of one operation. */
    long frames() {
        return frames;
    }
}
