package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class TenantNoticesPropertiesTest {

    private record Obs(boolean ssh, double ts, String a, String b, String port) {
    }

    private static List<String> run(List<Obs> order, NoticePolicy policy) {
        TenantNotices t = new TenantNotices(policy);
        for (Obs o : order) {
            if (o.ssh()) {
                t.sshAuthFailed(o.ts(), o.a(), o.b());
            } else {
                t.failedConnection(o.ts(), o.a(), o.b(), o.port(), false);
            }
        }
        List<String> out = new ArrayList<>();
        for (LogRecord r : t.drain(Double.POSITIVE_INFINITY)) {
            out.add(r.toString());
        }
        return out;
    }

    /** The notices depend on the observations only, not on the order shards hand them in. */
    @Property(tries = 200)
    void shouldRaiseTheSameNoticesWhenObservationsArriveInAnyOrder(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 300) int count) {
        Random rnd = new Random(seed);
        NoticePolicy p = new NoticePolicy(Set.of(), Set.of(), 3600, java.util.Map.of(), true, 4, 600, true, 5, 60, 4,
                60);
        List<Obs> obs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            obs.add(new Obs(rnd.nextBoolean(), rnd.nextInt(2000) / 4.0, "10.0.0." + rnd.nextInt(3),
                    "10.1.0." + rnd.nextInt(8), (20 + rnd.nextInt(6)) + "/tcp"));
        }
        List<Obs> shuffled = new ArrayList<>(obs);
        Collections.shuffle(shuffled, rnd);
        assertThat(run(shuffled, p)).isEqualTo(run(obs, p));
    }
}
