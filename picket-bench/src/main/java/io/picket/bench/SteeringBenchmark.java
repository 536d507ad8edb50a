package io.picket.bench;

import io.picket.policy.IpAddress;
import io.picket.policy.Limits;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.steering.Steering;
import java.util.SplittableRandom;
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
 * {@link Steering#profileFor}, the lookup the shard makes once per new connection: {@code rules}
 * rules (each a protocol, two IPv4 and one IPv6 responder prefix, a port and a port range; every
 * fourth both-directions), over 4096 connections of which about half match some rule (spread over
 * the whole list) and the rest fall through to the default. One connection per operation; run
 * with {@code -prof gc} to see the allocation (0 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class SteeringBenchmark {
    private static final int CONNECTIONS = 4096;

    @Param({"16", "256"})
    public int rules;

    private Steering steering;
    private int[] proto;
    private long[] origHi, origLo, respHi, respLo;
    private int[] origPort, respPort;
    private int next;

    @Setup
    public void setup() throws PolicyException {
        steering = Steering.parse(SourceFile.of("steering.yaml", yaml(rules)), Limits.DEFAULT);
        SplittableRandom rnd = new SplittableRandom(42);
        proto = new int[CONNECTIONS];
        origHi = new long[CONNECTIONS];
        origLo = new long[CONNECTIONS];
        respHi = new long[CONNECTIONS];
        respLo = new long[CONNECTIONS];
        origPort = new int[CONNECTIONS];
        respPort = new int[CONNECTIONS];
        long[] a = new long[2];
        for (int i = 0; i < CONNECTIONS; i++) {
            int r = rnd.nextInt(rules);
            boolean hit = rnd.nextBoolean();
            proto[i] = r % 2 == 0 ? 6 : 17;
            IpAddress.parse("10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256), a);
            origHi[i] = a[0];
            origLo[i] = a[1];
            // rule r's first prefix is 172.(16 + r / 256).(r % 256).0/24; a miss uses 192.0.2.x
            String resp = hit ? "172." + (16 + r / 256) + "." + (r % 256) + "." + rnd.nextInt(256)
                    : "192.0.2." + rnd.nextInt(256);
            IpAddress.parse(resp, a);
            respHi[i] = a[0];
            respLo[i] = a[1];
            origPort[i] = 1024 + rnd.nextInt(60000);
            respPort[i] = hit ? 8000 + rnd.nextInt(100) : 443;
        }
    }

    /** {@code n} rules as steering.yaml text. */
    static String yaml(int n) {
        StringBuilder sb = new StringBuilder("rules:\n");
        for (int r = 0; r < n; r++) {
            sb.append("  - profile: ").append(r % 3 == 0 ? "normal" : "enhanced").append('\n')
                    .append("    proto: ").append(r % 2 == 0 ? "tcp" : "udp").append('\n')
                    .append("    resp_nets: [172.").append(16 + r / 256).append('.').append(r % 256)
                    .append(".0/24, 198.18.").append(r % 256).append(".0/24, \"2001:db8:")
                    .append(Integer.toHexString(r)).append("::/48\"]\n")
                    .append("    resp_ports: [").append(r).append(", \"8000-8099\"]\n");
            if (r % 4 == 0) {
                sb.append("    both_directions: true\n");
            }
        }
        sb.append("default: normal\n");
        return sb.toString();
    }

    /** The profile of the next connection. */
    @Benchmark
    public int lookup() {
        int i = next;
        next = (i + 1) & (CONNECTIONS - 1);
        return steering.profileFor(proto[i], origHi[i], origLo[i], origPort[i], respHi[i], respLo[i], respPort[i]);
    }

    Steering steering() {
        return steering;
    }
}
