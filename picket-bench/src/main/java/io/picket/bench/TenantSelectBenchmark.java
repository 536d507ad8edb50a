package io.picket.bench;

import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.tenant.TenantConfigException;
import io.picket.tenant.TenantSelector;
import io.picket.tenant.TenantsConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TenantSelector#select} with the 8-tenant configuration on the decoded frames of the
 * 8-tenant capture (every frame, as the shard selects before looking at the decode result), one
 * packet per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class TenantSelectBenchmark {

    private TenantSelector selector;
    private Packet[] packets;
    private int next;

    @Setup
    public void setup() throws TenantConfigException {
        selector = eightTenants();
        packets = decodeAll(FrameSet.named(FrameSet.MIX));
    }

    /** The selector of {@code tenants-8.yaml}. */
    static TenantSelector eightTenants() throws TenantConfigException {
        return new TenantSelector(TenantsConfig.parse(Traces.tenantsYaml(), Traces.TENANTS_8));
    }

    /** Every frame of {@code set} decoded into its own packet (whatever the decode result). */
    static Packet[] decodeAll(FrameSet set) {
        PacketDecoder d = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
        Packet[] out = new Packet[set.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Packet();
            d.decode(set.frame(i), out[i]);
        }
        return out;
    }

    @Benchmark
    public int select() {
        int i = next;
        Packet p = packets[i];
        next = i + 1 == packets.length ? 0 : i + 1;
        return selector.select(p);
    }
}
