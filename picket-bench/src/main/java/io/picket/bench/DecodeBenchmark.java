package io.picket.bench;

import io.picket.capture.RawPacket;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
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
 * {@link PacketDecoder#decode} of real frames, one frame per operation, cycling through the set
 * (see {@link FrameSet}). The decoder is the shard's: one instance, one reused {@link Packet}.
 * Frames sit off-heap as in a memory-mapped capture.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class DecodeBenchmark {

    /** Which frames: see the constants of {@link FrameSet}. */
    @Param({FrameSet.VLAN_TCP, FrameSet.QINQ_UDP, FrameSet.IPV6, FrameSet.MIX})
    public String frames;

    /** Verify IP and transport checksums (Zeek's default; false is Zeek's {@code -C}). */
    @Param({"true"})
    public boolean verifyChecksums;

    private RawPacket[] raw;
    private FrameSet set;
    private PacketDecoder decoder;
    private final Packet out = new Packet();
    private int next;

    @Setup
    public void setup() {
        set = FrameSet.named(frames);
        raw = set.frames();
        decoder = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(verifyChecksums),
                WeirdListener.NONE);
    }

    @Benchmark
    public int decode() {
        int i = next;
        RawPacket r = raw[i];
        next = i + 1 == raw.length ? 0 : i + 1;
        return decoder.decode(r, out);
    }
}
