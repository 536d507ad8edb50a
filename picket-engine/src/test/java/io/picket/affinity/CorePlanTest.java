package io.picket.affinity;

import static io.picket.affinity.TenantPlacement.dedicated;
import static io.picket.affinity.TenantPlacement.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CorePlanTest {

    private static final CpuSet EIGHT = CpuSet.parse("0-7");

    private static CpuSet cpus(String text) {
        return CpuSet.parse(text);
    }

    private static List<String> problems(List<TenantPlacement> placements, String capture, CpuSet available) {
        CorePlanException e = catchThrowableOfType(CorePlanException.class,
                () -> CorePlan.of(placements, cpus(capture), available));
        assertThat(e).as("plan is rejected").isNotNull();
        return e.problems();
    }

    @Test
    void shouldGiveEachRoleItsCpusWhenPlanIsValid() throws CorePlanException {
        CorePlan plan = CorePlan.of(
                List.of(dedicated("acme", cpus("2-3")), shared("beta"), dedicated("globex", cpus("6"))),
                cpus("1"), EIGHT);

        assertThat(plan.forTenant("acme")).isEqualTo(cpus("2-3"));
        assertThat(plan.forTenant("globex")).isEqualTo(cpus("6"));
        assertThat(plan.forTenant("beta")).isEqualTo(cpus("0,4-5,7"));
        assertThat(plan.forTenant("not-listed")).as("unlisted tenants are shared").isEqualTo(cpus("0,4-5,7"));
        assertThat(plan.sharedPool()).isEqualTo(cpus("0,4-5,7"));
        assertThat(plan.capture()).isEqualTo(cpus("1"));
        assertThat(plan.isDedicated("acme")).isTrue();
        assertThat(plan.isDedicated("beta")).isFalse();
        assertThat(plan.available()).isEqualTo(EIGHT);
        assertThat(plan).hasToString("dedicated acme 2-3; dedicated globex 6; shared pool 0,4-5,7; capture 1");
    }

    @Test
    void shouldPinEachDedicatedShardToOneCoreWhenTenantHasSeveral() throws CorePlanException {
        CorePlan plan = CorePlan.of(List.of(dedicated("acme", cpus("2-3"))), CpuSet.empty(), EIGHT);

        assertThat(plan.forShard("acme", 0)).isEqualTo(cpus("2"));
        assertThat(plan.forShard("acme", 1)).isEqualTo(cpus("3"));
        assertThat(plan.forShard("acme", 2)).as("more shards than cores wrap around").isEqualTo(cpus("2"));
        assertThat(plan.forShard("beta", 5)).as("a shared shard may use the whole pool").isEqualTo(cpus("0-1,4-7"));
        assertThatThrownBy(() -> plan.forShard("acme", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPutCaptureInSharedPoolWhenNoCaptureCoresAreGiven() throws CorePlanException {
        CorePlan empty = CorePlan.of(List.of(dedicated("acme", cpus("0"))), CpuSet.empty(), EIGHT);
        CorePlan absent = CorePlan.of(List.of(), null, EIGHT);

        assertThat(empty.capture()).isEqualTo(cpus("1-7")).isEqualTo(empty.sharedPool());
        assertThat(empty).hasToString("dedicated acme 0; shared pool 1-7; capture 1-7 (shared pool)");
        assertThat(absent.capture()).isEqualTo(EIGHT);
        assertThat(absent.forTenant("anyone")).isEqualTo(EIGHT);
    }

    @Test
    void shouldNameBothTenantsWhenADedicatedCoreIsClaimedTwice() {
        assertThat(problems(List.of(dedicated("acme", cpus("2-3")), dedicated("beta", cpus("3-4"))), "", EIGHT))
                .containsExactly("tenant beta: dedicated core 3 already dedicated to tenant acme");
    }

    @Test
    void shouldNameTenantWhenDedicatedCoreIsNotOnThisMachine() {
        assertThat(problems(List.of(dedicated("acme", cpus("1,8-9"))), "", EIGHT))
                .containsExactly("tenant acme: dedicated cores 8-9 not available on this machine (available: 0-7)");
    }

    @Test
    void shouldNameTenantWhenDedicatedCoresOverlapCaptureCores() {
        assertThat(problems(List.of(dedicated("acme", cpus("0-1"))), "1-2", EIGHT))
                .containsExactly("tenant acme: dedicated core 1 also in capture_cores (1-2)");
    }

    @Test
    void shouldRejectCaptureCoresWhenNotOnThisMachine() {
        assertThat(problems(List.of(), "7-8", EIGHT))
                .containsExactly("capture_cores: core 8 not available on this machine (available: 0-7)");
    }

    @Test
    void shouldRejectPlanWhenSharedPoolIsEmpty() {
        assertThat(problems(List.of(dedicated("acme", cpus("0-5")), shared("beta")), "6-7", EIGHT))
                .containsExactly("shared pool is empty: available 0-7 minus dedicated 0-5 (tenants acme) minus"
                        + " capture_cores 6-7 leaves no core for shared tenants beta, unlisted tenants, log writers"
                        + " and timers");
        assertThat(problems(List.of(dedicated("acme", cpus("0"))), "", cpus("0")))
                .containsExactly("shared pool is empty: available 0 minus dedicated 0 (tenants acme) minus"
                        + " capture_cores (none) leaves no core for unlisted tenants, log writers and timers");
    }

    @Test
    void shouldRejectPlacementWhenMalformed() {
        assertThat(problems(List.of(dedicated("acme", CpuSet.empty())), "", EIGHT))
                .containsExactly("tenant acme: dedicated needs at least one core");
        assertThat(problems(List.of(new TenantPlacement("beta", false, cpus("3"))), "", EIGHT))
                .containsExactly("tenant beta: shared tenants take no cores of their own (got 3);"
                        + " make it dedicated or drop the cores");
        assertThat(problems(List.of(dedicated("acme", cpus("1")), shared("acme")), "", EIGHT))
                .containsExactly("tenant acme: placed more than once");
        assertThat(problems(List.of(shared(" ")), "", EIGHT))
                .containsExactly("a placement has an empty tenant id");
        assertThat(problems(List.of(), "", CpuSet.empty()))
                .containsExactly("no CPU is available to this process");
        assertThat(new TenantPlacement("x", false, null).cores()).isEqualTo(CpuSet.empty());
    }

    @Test
    void shouldListEveryProblemWhenSeveralPlacementsAreWrong() {
        CorePlanException e = catchThrowableOfType(CorePlanException.class, () -> CorePlan.of(List.of(
                dedicated("acme", cpus("0-1")),
                dedicated("beta", cpus("1,9")),
                dedicated("gamma", cpus("4"))), cpus("4"), EIGHT));

        assertThat(e.problems()).containsExactly(
                "tenant beta: dedicated core 9 not available on this machine (available: 0-7)",
                "tenant beta: dedicated core 1 already dedicated to tenant acme",
                "tenant gamma: dedicated core 4 also in capture_cores (4)");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    }

    @Test
    void shouldPlanEverythingSharedWhenMachineHasOneCoreOrMore() throws CorePlanException {
        CorePlan plan = CorePlan.of(List.of(shared("acme")), CpuSet.empty());

        assertThat(plan.sharedPool()).isEqualTo(Affinity.available());
        assertThat(plan.capture()).isEqualTo(Affinity.available());
        assertThat(plan.forShard("acme", 3)).isEqualTo(Affinity.available());
    }

    @Test
    void shouldPinDedicatedShardApartFromPoolWhenMachineHasTwoCores() throws Exception {
        CpuSet available = Affinity.available();
        assumeTrue(Affinity.supported() && available.size() >= 2, "a dedicated core and a pool need 2 CPUs");
        int last = available.nth(available.size() - 1);
        CorePlan plan = CorePlan.of(List.of(dedicated("acme", CpuSet.of(last)), shared("beta")), CpuSet.empty());

        AtomicReference<String> dedicatedProc = new AtomicReference<>();
        AtomicReference<String> poolProc = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread acme = Thread.ofPlatform().start(() -> pinAndRead(plan.forShard("acme", 0), dedicatedProc, failure));
        Thread beta = Thread.ofPlatform().start(() -> pinAndRead(plan.forShard("beta", 0), poolProc, failure));
        acme.join();
        beta.join();

        assertThat(failure.get()).isNull();
        assertThat(CpuSet.parse(dedicatedProc.get())).isEqualTo(CpuSet.of(last));
        assertThat(CpuSet.parse(poolProc.get())).isEqualTo(available.minus(CpuSet.of(last)));
        assertThat(CpuSet.parse(poolProc.get()).intersects(CpuSet.parse(dedicatedProc.get()))).isFalse();
    }

    private static void pinAndRead(CpuSet cpus, AtomicReference<String> proc, AtomicReference<Throwable> failure) {
        try {
            Affinity.pinCurrentThread(cpus);
            for (String line : Files.readAllLines(Path.of("/proc/self/task/" + Affinity.currentTid() + "/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    proc.set(line.substring("Cpus_allowed_list:".length()).strip());
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    @Provide
    Arbitrary<List<TenantPlacement>> placements() {
        Arbitrary<CpuSet> cores = Arbitraries.integers().between(0, 11).set().ofMaxSize(4)
                .map(s -> CpuSet.of(s.stream().mapToInt(Integer::intValue).toArray()));
        Arbitrary<TenantPlacement> one = Arbitraries.of("a", "b", "c", "d", "e").flatMap(t ->
                Arbitraries.oneOf(Arbitraries.just(shared(t)), cores.map(c -> dedicated(t, c))));
        return one.list().ofMaxSize(5);
    }

    @Property
    void shouldKeepRolesApartWhenAnyPlanIsAccepted(@ForAll("placements") List<TenantPlacement> placements,
            @ForAll("captureCores") CpuSet capture) {
        CorePlan plan;
        try {
            plan = CorePlan.of(placements, capture, EIGHT);
        } catch (CorePlanException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
            return;
        }
        List<CpuSet> dedicatedSets = new ArrayList<>();
        for (TenantPlacement p : placements) {
            if (p.dedicated()) {
                CpuSet mine = plan.forTenant(p.tenant());
                assertThat(mine).isEqualTo(p.cores());
                assertThat(EIGHT.containsAll(mine)).isTrue();
                assertThat(mine.intersects(plan.sharedPool())).isFalse();
                assertThat(mine.intersects(capture)).isFalse();
                dedicatedSets.forEach(other -> assertThat(other.intersects(mine)).isFalse());
                dedicatedSets.add(mine);
            } else {
                assertThat(plan.forTenant(p.tenant())).isEqualTo(plan.sharedPool());
            }
        }
        assertThat(plan.sharedPool().isEmpty()).isFalse();
        assertThat(plan.sharedPool().intersects(capture)).isFalse();
        assertThat(plan.capture()).isEqualTo(capture.isEmpty() ? plan.sharedPool() : capture);
    }

    @Provide
    Arbitrary<CpuSet> captureCores() {
        return Arbitraries.integers().between(0, 8).set().ofMaxSize(2)
                .map(s -> CpuSet.of(s.stream().mapToInt(Integer::intValue).toArray()));
    }
}
