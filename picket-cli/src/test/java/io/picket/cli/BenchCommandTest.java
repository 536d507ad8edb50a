package io.picket.cli;

import static io.picket.cli.CliRun.picket;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.CliRun.Result;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code picket bench} on its own demo capture, whole and stage by stage. */
class BenchCommandTest {
    private static final Pattern TENANT_ROW = Pattern.compile(
            "(?m)^(\\S+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)$");
    private static final Pattern TOTAL = Pattern.compile("(?m)^total: ([\\d,]+) packets");

    @Test
    void shouldStopPacketsAfterTheStageGivenWhenMeasuringStages() {
        Result all = bench("all");
        Result decode = bench("decode");
        Result read = bench("read");

        long packets = total(all);
        assertThat(packets).isPositive();
        assertThat(total(decode)).isEqualTo(packets);
        assertThat(total(read)).isEqualTo(packets);

        Map<String, long[]> whole = rows(all);
        Map<String, long[]> decoded = rows(decode);
        assertThat(whole).isNotEmpty();
        assertThat(decoded.keySet()).isEqualTo(whole.keySet());
        for (Map.Entry<String, long[]> e : whole.entrySet()) {
            long[] d = decoded.get(e.getKey());
            assertThat(d[0]).as("packets of %s", e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(d[2]).as("decoding alone makes no connections").isZero();
            assertThat(d[3]).as("nor log records").isZero();
        }
        assertThat(whole.values()).anySatisfy(r -> assertThat(r[2]).isPositive());
        assertThat(rows(read).values()).allSatisfy(r -> assertThat(r[0]).as("read alone selects no tenant").isZero());
        assertThat(decode.out()).contains("packets up to the decode stage only");
        assertThat(all.out()).doesNotContain("stage only");
    }

    @Test
    void shouldNameTheStagesWhenTheStageIsUnknown() {
        Result r = picket("bench", "--demo-copies", "1", "--repeat", "1", "--stage", "analyze");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("unknown stage 'analyze': expected read, decode or all");
    }

    private static Result bench(String stage) {
        Result r = picket("bench", "--demo-copies", "2", "--repeat", "1", "--stage", stage);
        assertThat(r.status()).as(r.err()).isZero();
        return r;
    }

    private static long total(Result r) {
        Matcher m = TOTAL.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** Tenant rows: packets, bytes, connections, log records. */
    private static Map<String, long[]> rows(Result r) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        Matcher m = TENANT_ROW.matcher(r.out());
        while (m.find()) {
            long[] v = new long[4];
            for (int i = 0; i < 4; i++) {
                v[i] = Long.parseLong(m.group(i + 2).replace(",", ""));
            }
            rows.put(m.group(1), v);
        }
        return rows;
    }
}
