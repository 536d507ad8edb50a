package io.picket.bench;

import io.picket.analyzer.LikelyServerPorts;
import io.picket.flow.ConnTracker;
import io.picket.log.Uid;
import io.picket.tenant.TenantConfigException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ConnTracker#onPacket} (connection lookup or insert, TCP state and reassembly
 * bookkeeping, timers) over the decoded packets of the 8-tenant capture replayed with time
 * advancing (see {@link FlowReplay}): {@code steady} replays the same flows, {@code churn} new
 * ones every pass. No analyzers are attached; one packet per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ConnTrackerBenchmark {

    /** {@code steady} or {@code churn}. */
    @Param({"steady", "churn"})
    public String mode;

    private ConnTracker tracker;
    private FlowReplay replay;

    @Setup
    public void setup() throws TenantConfigException {
        replay = FlowReplay.of(FlowReplay.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
                TenantSelectBenchmark.eightTenants());
        tracker = newTracker();
        for (int i = 0; i < replay.prologue() + replay.size(); i++) {
            onPacket();
        }
    }

    /** A tracker with Zeek's defaults whose removed connections are dropped. */
    static ConnTracker newTracker() {
        LikelyServerPorts ports = LikelyServerPorts.zeekDefault();
        Uid.Generator uids = Uid.generator(1);
        return new ConnTracker(ConnTracker.Options.zeekDefaults(ports::isTcp, ports::isUdp), c -> {
        }, ConnTracker.UidSource.of(uids));
    }

    @Benchmark
    public void onPacket() {
        int i = replay.next();
        tracker.onPacket(replay.tenant(i), replay.packet(i));
    }

    ConnTracker tracker() {
        return tracker;
    }
}
