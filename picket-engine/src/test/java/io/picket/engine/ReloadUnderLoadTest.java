package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.writer.FileLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swaps tenant a's bundle 100 times (and b's now and then) while traffic flows through two
 * workers, with rejected invalid versions in between: every tenant's logs equal a run without
 * reloads, as a multiset (no record lost or duplicated). Reloads run on their own thread; the
 * shard only asks for the next one every 8th connection of a (and waits when four are pending,
 * so all of them happen while packets flow).
 */
class ReloadUnderLoadTest {

    @TempDir
    Path tmp;

    @AfterEach
    void unhook() {
        Containment.policyDecorator = null;
    }

    private static final String V2 = "# version 2: same rules, other comment\n\n" + PolicyTraffic.SIGNATURES + "\n\n";
    private static final String BROKEN = "signature attack-uri {\n  payload /unterminated\n}\n";

    private RunSummary run(Path pcap, Path policy, Path logs) throws Exception {
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        EngineConfig cfg = EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withUidSeed(11L).withWorkers(2).withPolicy(new PolicyConfig(policy, List.of(), List.of()));
        return Engine.run(cfg, new FileLogSink(logs), ProgressListener.NONE);
    }

    @Test
    void shouldLoseAndDuplicateNoRecordWhenBundleIsSwapped100TimesUnderLoad() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 1500, 0.01);
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(policy, "b", PolicyTraffic.SIGNATURES, PolicyTraffic.INTEL);
        Path plain = tmp.resolve("plain");
        run(pcap, policy, plain);

        Semaphore requests = new Semaphore(0);
        Semaphore inflight = new Semaphore(4);
        AtomicInteger connectionsOfA = new AtomicInteger();
        AtomicBoolean flowing = new AtomicBoolean(true);
        Containment.policyDecorator = (tenant, p) -> {
            if (tenant.equals("a") && connectionsOfA.incrementAndGet() % 8 == 0 && flowing.get()) {
                inflight.acquireUninterruptibly();
                requests.release();
            }
            return p;
        };
        AtomicInteger swapped = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger otherSwaps = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> rejectedErrors = new ArrayList<>();
        Path sig = policy.resolve("a/signatures/attack.sig");
        Thread reloader = Thread.ofPlatform().name("test-reloader").start(() -> {
            try {
                int step = 0;
                while (swapped.get() < 100) {
                    if (!requests.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        if (!flowing.get()) {
                            return;
                        }
                        continue;
                    }
                    boolean broken = step % 4 == 3;
                    Files.writeString(sig, broken ? BROKEN : step % 2 == 0 ? V2 : PolicyTraffic.SIGNATURES);
                    for (PolicyReload r : step % 10 == 9 ? Engine.reloadPolicies() : Engine.reloadPolicies("a")) {
                        if (r.tenant().equals("b")) {
                            otherSwaps.addAndGet(r.swapped() ? 1 : 0);
                        } else if (r.swapped()) {
                            assertThat(broken).isFalse();
                            swapped.incrementAndGet();
                        } else {
                            assertThat(broken).isTrue();
                            rejected.incrementAndGet();
                            rejectedErrors.addAll(r.errors());
                        }
                    }
                    step++;
                    inflight.release();
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                inflight.release(1000);
            }
        });
        Path reloaded = tmp.resolve("reloaded");
        RunSummary s;
        try {
            s = run(pcap, policy, reloaded);
        } finally {
            flowing.set(false);
            reloader.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(swapped.get()).isEqualTo(100);
        assertThat(rejected.get()).isGreaterThanOrEqualTo(30);
        assertThat(otherSwaps.get()).isPositive();
        assertThat(rejectedErrors).allMatch(e -> e.startsWith("signatures/attack.sig:2:"));
        assertThat(s.tenants().get(0).policyReloads).isEqualTo(100);
        assertThat(s.tenants().get(0).policyReloadsRejected).isEqualTo(rejected.get());
        for (String tenant : List.of("a", "b")) {
            List<String> expected = PolicyTraffic.records(plain, tenant);
            assertThat(expected).anyMatch(l -> l.startsWith("signatures.log"));
            assertThat(PolicyTraffic.records(reloaded, tenant)).as(tenant).isEqualTo(expected);
        }
    }
}
