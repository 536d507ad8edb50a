package io.picket.sink.spool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link SinkBenchmark} on a small count so it stays quick in the normal build; a longer
 * run: {@code -Dpicket.bench.records=2000000} or the class's {@code main}.
 */
@Tag("benchmark")
class SinkBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void shouldMeasureEverySinkWithoutLosingRecordsWhenRunQuickly() throws Exception {
        int records = Integer.getInteger("picket.bench.records", 200_000);
        List<SinkBenchmark.Result> results = SinkBenchmark.run(records, 1, dir);
        System.out.print(SinkBenchmark.table(results));
        assertThat(results).extracting(SinkBenchmark.Result::sink).containsExactly("file-tsv", "file-json",
                "spool-fsync-never", "spool-fsync-interval", "spool-fsync-batch");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.records()).isEqualTo(records);
            assertThat(r.dropped()).isZero();
            assertThat(r.recordsPerSecond()).isPositive();
        });
    }
}
