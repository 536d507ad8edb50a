package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conn.log conformance at scale: the 16 MiB multi-tenant benchmark capture (42,752 packets,
 * about 1,560 connections of 20+ protocols on VLANs 1000/1001) run through the engine the way
 * Zeek 8.2.2 ran it ({@code zeek -C -r}: checksums ignored, all default analyzers, one tenant)
 * and compared field by field with Zeek's logs in {@code src/test/resources/zeek-bench/}.
 * One method per Zeek run variant; each prints its table and requires at least 99% of the
 * compared fields to match.
 */
class BenchConnConformanceTest {

    /** The target share of matching conn.log fields. */
    static final double TARGET_PERCENT = 99.0;

    @TempDir
    Path tmp;

    private BenchConnComparison run(String variant, Path capture, UnaryOperator<EngineConfig> options, boolean json)
            throws Exception {
        Path logDir = tmp.resolve(variant.isEmpty() ? "top" : variant);
        EngineConfig cfg = options.apply(EngineConfig.of(List.of(capture), logDir)
                .withUidSeed(1L)
                .withIgnoreChecksums(true));
        long t0 = System.nanoTime();
        RunSummary summary = Engine.run(cfg, ProgressListener.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        Path actualFile = logDir.resolve("default").resolve("conn.log");
        assertThat(actualFile).exists();
        Path expectedFile = BenchCapture.resources().resolve(variant).resolve("conn.log.gz");
        BenchLog exp = json ? BenchLog.readJson(expectedFile) : BenchLog.readTsv(expectedFile);
        BenchLog act = json ? BenchLog.readJson(actualFile) : BenchLog.readTsv(actualFile);
        BenchConnComparison cmp = new BenchConnComparison(variant.isEmpty() ? "TSV (zeek -C -r)" : variant, exp, act);
        System.out.printf("engine: %d packets in %.2f s (%s)%n", summary.packets(), secs, capture.getFileName());
        System.out.print(cmp.table());
        Path details = BenchCapture.workDir().resolve((variant.isEmpty() ? "tsv" : variant) + "-mismatches.txt");
        Files.writeString(details, cmp.details());
        System.out.println("all differing cells: " + details);
        return cmp;
    }

    @Test
    void shouldMatchZeekConnLogWhenRunningBenchCaptureAsTsv() throws Exception {
        BenchConnComparison cmp = run("", BenchCapture.distinct(), c -> c, false);

        assertThat(cmp.missingColumns).as("columns missing").isEmpty();
        assertThat(cmp.overall()).as(cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
    }

    @Test
    void shouldMatchZeekJsonConnLogWhenRunningBenchCaptureAsJson() throws Exception {
        BenchConnComparison cmp = run("json", BenchCapture.distinct(), c -> c.withJson(true, false), true);
        List<String> examples = new ArrayList<>();
        int[] text = cmp.textCheck(Integer.MAX_VALUE, examples);
        System.out.printf("exact JSON text (uid, service dropped) of paired rows whose values all agree:"
                + " %d/%d identical%n", text[1], text[0]);
        examples.forEach(l -> System.out.println("  " + l));

        assertThat(cmp.missingColumns).as("keys never written").isEmpty();
        assertThat(text[0]).as("rows checked textually").isGreaterThanOrEqualTo(300);
        assertThat(text[1]).as("identical JSON lines; differing: %s", examples).isEqualTo(text[0]);
        assertThat(cmp.overall()).as(cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
    }

    @Test
    void shouldMatchCommunityIdAndVlanColumnsWhenLoggingThem() throws Exception {
        BenchConnComparison cmp = run("community-id-vlan", BenchCapture.distinct(),
                c -> c.withCommunityId(true).withLogVlans(true), false);

        assertThat(cmp.missingColumns).as("columns missing").isEmpty();
        for (String col : List.of("community_id", "vlan", "inner_vlan")) {
            assertThat(cmp.columnPercent(col)).as(col + "\n" + cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
        }
        assertThat(cmp.overall()).as(cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
    }

    @Test
    void shouldKeepSameTuplesApartPerVlanWhenVlanIsPartOfTheKey() throws Exception {
        BenchConnComparison cmp = run("shared-ip-vlan-key", BenchCapture.shared(), c -> c.withVlanKey(true), false);

        assertThat(cmp.missingColumns).as("columns missing").isEmpty();
        assertThat(cmp.columnPercent("id.ctx.vlan")).as(cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
        assertThat(cmp.overall()).as(cmp.table()).isGreaterThanOrEqualTo(TARGET_PERCENT);
    }

    @Test
    void shouldRebuildVendoredCapturesWhenUnpacking() throws Exception {
        assertThat(BenchCapture.sha256(BenchCapture.distinct())).isEqualTo(BenchCapture.DISTINCT_SHA256);
        assertThat(BenchCapture.sha256(BenchCapture.shared())).isEqualTo(BenchCapture.SHARED_SHA256);
        assertThat(Files.size(BenchCapture.distinct())).isEqualTo(19_026_650L);
    }
}
