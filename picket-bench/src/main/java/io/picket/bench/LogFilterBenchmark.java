package io.picket.bench;

import io.picket.flow.ConnLog;
import io.picket.log.LogRecord;
import io.picket.policy.Limits;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.filter.FilterCounts;
import io.picket.policy.filter.LogFilters;
import java.util.Map;
import java.util.Set;
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
 * A tenant's log filter ({@code filters.yaml}, CEL predicates) applied to conn.log records, one
 * record per operation, as the shard applies it when it writes the record. Eight records with
 * different ports, states and addresses are cycled so that both outcomes occur.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class LogFilterBenchmark {

    /** The filter of each case, as a one-line conn filter of filters.yaml. */
    private static final Map<String, String> CASES = Map.of(
            "state", "drop: conn_state == \"S0\"",
            "ports", "pred: id.resp_p == 80 || id.resp_p == 443",
            "typical", "drop: id.orig_h.startsWith(\"10.\") && duration != null && duration < 0.5",
            "regex", "pred: service != null && service.matches(\"^(http|ssl|dns)$\")",
            "exclude", "exclude: [tunnel_parents, ip_proto, missed_bytes]");

    @Param({"state", "ports", "typical", "regex", "exclude"})
    public String filter;

    private LogFilters filters;
    private LogRecord[] records;
    private final FilterCounts counts = new FilterCounts();
    private int next;

    @Setup
    public void setup() throws PolicyException {
        filters = LogFilters.parse(SourceFile.of("filters.yaml", "conn:\n  - name: b\n    " + CASES.get(filter) + "\n"),
                Limits.DEFAULT, Map.of("conn", ConnLog.BASE));
        records = new LogRecord[8];
        String[] states = {"SF", "S0", "REJ", "SF"};
        String[] services = {"http", null, "ssl", "dns"};
        int[] ports = {80, 443, 53, 22};
        for (int i = 0; i < records.length; i++) {
            records[i] = new LogRecord(ConnLog.BASE).set(0, 1_717_200_000.0 + i).set(1, "CsA2qO1IAhaW8GC9xg")
                    .set(2, (i % 2 == 0 ? "10.0.0." : "192.168.1.") + i).set(3, 40_000 + i)
                    .set(4, "93.184.216.34").set(5, ports[i % 4]).set(6, "tcp").set(7, services[i % 4])
                    .set(8, i == 3 ? null : 0.25 * i).set(9, 100L * i).set(10, 2000L * i).set(11, states[i % 4])
                    .set(12, true).set(13, false).set(14, 0L).set(15, "ShADadfF").set(16, 6L).set(17, 400L)
                    .set(18, 5L).set(19, 2300L).set(20, Set.of()).set(21, 6L);
        }
    }

    @Benchmark
    public LogRecord apply() {
        LogRecord r = records[next];
        next = (next + 1) & 7;
        return filters.apply(r, counts);
    }
}
