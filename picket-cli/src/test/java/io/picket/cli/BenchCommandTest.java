package io.picket.cli;

import static io.picket.cli.CliRun.picket;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code picket bench} on its own demo capture, whole and stage by stage. */
class BenchCommandTest {
    /** tenant, packets, bytes, Mpps, Gbit/s, connections, log records, drops. */
    private static final Pattern TENANT_ROW = Pattern.compile(
            "(?m)^(\\S+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d,]+)\\s+([\\d,]+)"
                    + "\\s+([\\d,]+)$");
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
        assertThat(whole.values()).allSatisfy(r -> assertThat(r[4]).as("no quota, no drops").isZero());
        assertThat(rows(read).values()).allSatisfy(r -> assertThat(r[0]).as("read alone selects no tenant").isZero());
        assertThat(decode.out()).contains("packets up to the decode stage only");
        for (Result r : List.of(all, decode, read)) {
            Matcher built = Pattern.compile("(?m)^built (\\S+): ").matcher(r.out());
            assertThat(built.find()).as(r.out()).isTrue();
            assertThat(Path.of(built.group(1)).getParent()).as("the capture built for the run is removed").doesNotExist();
        }
        assertThat(all.out()).doesNotContain("stage only");
    }

    @Test
    void shouldCountATenantsQuotaDropsInItsRowAndTheTotalWhenItIsOverItsFlowQuota(@TempDir Path dir)
            throws Exception {
        Path tenants = dir.resolve("tenants.yaml");
        Files.writeString(tenants, """
                tenants:
                  - id: acme
                    vlans: [1000]
                    max_flows: 1
                  - id: globex
                    vlans: [1001]
                """);
        Result r = picket("bench", "--demo-copies", "2", "--repeat", "1", "--tenants", tenants.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, long[]> rows = rows(r);
        assertThat(rows.get("acme")[4]).as("acme's flow-quota drops").isPositive();
        assertThat(rows.get("globex")[4]).isZero();
        assertThat(r.out()).contains("acme             drops by cause: flow_quota " + String.format("%,d", rows.get("acme")[4]));
        assertThat(r.out()).containsPattern("drops: " + String.format("%,d", rows.get("acme")[4]).replace(",", "\\,")
                + " \\(tenant quotas only");
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

    /** Tenant rows: packets, bytes, connections, log records, drops. */
    private static Map<String, long[]> rows(Result r) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        Matcher m = TENANT_ROW.matcher(r.out());
        while (m.find()) {
            long[] v = new long[5];
            int[] groups = {2, 3, 6, 7, 8};
            for (int i = 0; i < v.length; i++) {
                v[i] = Long.parseLong(m.group(groups[i]).replace(",", ""));
            }
            // the rate is the tenant's packets over the wall time, both printed rounded to 3 decimals:
            // it lies between what the ends of the wall time's rounding interval give
            double wall = wall(r);
            double low = v[0] / (wall + 0.0005) / 1e6 - 0.0005;
            double high = wall > 0.0005 ? v[0] / (wall - 0.0005) / 1e6 + 0.0005 : Double.MAX_VALUE;
            assertThat(Double.parseDouble(m.group(4))).as("Mpps of %s", m.group(1)).isBetween(low, high);
            rows.put(m.group(1), v);
        }
        return rows;
    }

    private static double wall(Result r) {
        Matcher m = Pattern.compile("(?m)^total: .* in ([\\d.]+) s wall").matcher(r.out());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
