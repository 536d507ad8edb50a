package io.picket.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N workers give the same log records as one worker (as a multiset; uids aside). Connections
 * inside tunnels are left out: each is tracked on its tunnel's shard, so an inner flow seen
 * through two tunnels is split (documented limit of the sharding).
 */
class WorkersEquivalenceTest {

    @TempDir
    Path tmp;

    private static List<String> records(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log") && !p.endsWith("tunnel.log")).sorted()
                    .toList()) {
                ZeekLog log = ZeekLog.read(f);
                int parents = log.columns().indexOf("tunnel_parents");
                List<Integer> keep = new ArrayList<>();
                for (int i = 0; i < log.columns().size(); i++) {
                    String c = log.columns().get(i);
                    // x509.log logs a certificate once per run: with several shards the first copy
                    // logged may be a later one, so its ts is not compared
                    boolean x509Ts = f.endsWith("x509.log") && c.equals("ts");
                    if (!c.equals("uid") && !c.equals("tunnel_parents") && !c.endsWith("fuids") && !c.equals("fuid")
                            && !c.endsWith("_fuid") // kerberos.log client_cert_fuid, server_cert_fuid
                            && !x509Ts) {
                        keep.add(i);
                    }
                }
                String name = dir.relativize(f).toString();
                for (List<String> row : log.rows()) {
                    if (parents >= 0 && !row.get(parents).equals("-")) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder(name);
                    for (int i : keep) {
                        sb.append('\t').append(row.get(i));
                    }
                    out.add(sb.toString());
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    private void assertSame(EngineConfig base, String name) throws Exception {
        Path one = tmp.resolve(name + "-1");
        Path three = tmp.resolve(name + "-3");
        RunSummary s1 = Engine.run(base.withWorkers(1), ProgressListener.NONE);
        EngineConfig c3 = new EngineConfig(base.inputs(), three, base.tenantsFile(), base.json(),
                base.jsonIsoTimestamps(), base.uidSeed(), base.ignoreChecksums(), base.vlanKey(), base.logVlans(),
                base.communityId(), base.analyzers(), 3);
        RunSummary s3 = Engine.run(c3, ProgressListener.NONE);
        assertThat(s3.packets()).isEqualTo(s1.packets());
        List<String> r1 = records(one);
        List<String> r3 = records(three);
        assertThat(r1).isNotEmpty();
        assertThat(r3).as(name).containsExactlyElementsOf(r1);
    }

    @Test
    void shouldWriteTheSameRecordsWithThreeWorkersAsWithOneOnTheBenchCapture() throws Exception {
        assertSame(EngineConfig.of(List.of(BenchCapture.distinct()), tmp.resolve("bench-1")).withUidSeed(5L)
                .withIgnoreChecksums(true), "bench");
    }

    @Test
    void shouldWriteTheSameRecordsWithThreeWorkersOnTheZeekCases() throws Exception {
        for (String name : List.of("wikipedia-default", "ssh-basic", "teredo-tunnel", "vlan-collisions-vlan-aware",
                "tcp-rej-pop3")) {
            ZeekCase zc = ZeekCase.load(name);
            EngineConfig c = zc.config(tmp.resolve(name + "-1"));
            assertSame(c, name);
        }
    }
}
