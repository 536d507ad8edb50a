package io.picket.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ShardQuotasTest {

    @Test
    void shouldRefuseAndCountNewFlowsWhenTheTenantIsAtMaxFlowsOverAllShards() {
        TenantQuotas ledger = new TenantQuotas(new long[] {3, -1}, new long[] {-1, -1});
        ShardQuotas s0 = ledger.forShard();
        ShardQuotas s1 = ledger.forShard();

        assertThat(s0.admitFlow(0)).isTrue();
        assertThat(s1.admitFlow(0)).isTrue();
        assertThat(s1.admitFlow(0)).isTrue();
        assertThat(s0.admitFlow(0)).isFalse();
        assertThat(s1.admitFlow(0)).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(s0.admitFlow(1)).isTrue();
        }
        s1.releaseFlow(0);
        assertThat(s0.admitFlow(0)).isTrue();

        assertThat(s0.flowQuotaDrops(0)).isEqualTo(1);
        assertThat(s1.flowQuotaDrops(0)).isEqualTo(1);
        assertThat(s0.flowQuotaDrops(1)).isZero();
        assertThat(ledger.flows(0)).isEqualTo(3);
        assertThat(ledger.peakFlows(0)).isEqualTo(3);
        assertThat(s0.flows(0) + s1.flows(0)).isEqualTo(3);
        assertThat(s0.flows(1)).isEqualTo(1000);
    }

    /** Each op: shard {@code op & 1} releases its oldest buffer (op % 3 == 0) or buffers {@code op >> 1} bytes. */
    @Property(tries = 200)
    void shouldNeverLeaseMoreThanTheLimitWhenShardsBufferAndRelease(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2999) Integer> ops,
            @ForAll @IntRange(min = 0, max = 20_000) int limit) {
        TenantQuotas ledger = new TenantQuotas(new long[] {-1}, new long[] {limit});
        ShardQuotas[] shards = {ledger.forShard(), ledger.forShard()};
        List<java.util.ArrayDeque<Integer>> held = List.of(new java.util.ArrayDeque<>(), new java.util.ArrayDeque<>());
        long drops = 0;
        for (int op : ops) {
            int s = op & 1;
            int bytes = op >> 1;
            if (op % 3 == 0 && !held.get(s).isEmpty()) {
                shards[s].releaseBuffer(0, held.get(s).poll());
            } else if (shards[s].reserveBuffer(0, bytes)) {
                held.get(s).add(bytes);
            } else {
                drops++;
            }
            long total = shards[0].bufferedBytes(0) + shards[1].bufferedBytes(0);
            assertThat(total).isLessThanOrEqualTo(limit);
            assertThat(ledger.peakReassemblyBytes(0)).isLessThanOrEqualTo(limit);
        }
        assertThat(shards[0].reassemblyQuotaDrops(0) + shards[1].reassemblyQuotaDrops(0)).isEqualTo(drops);
    }

    @Property(tries = 200)
    void shouldRefuseExactlyWhatExceedsTheLimitWhenOneShardBuffers(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2999) Integer> ops,
            @ForAll @IntRange(min = 0, max = 20_000) int limit) {
        ShardQuotas q = new TenantQuotas(new long[] {-1}, new long[] {limit}).forShard();
        java.util.ArrayDeque<Integer> held = new java.util.ArrayDeque<>();
        long sum = 0;
        for (int op : ops) {
            if (op % 3 == 0 && !held.isEmpty()) {
                int b = held.poll();
                q.releaseBuffer(0, b);
                sum -= b;
            } else {
                boolean fits = sum + op <= limit;
                assertThat(q.reserveBuffer(0, op)).isEqualTo(fits);
                if (fits) {
                    held.add(op);
                    sum += op;
                }
            }
            assertThat(q.bufferedBytes(0)).isEqualTo(sum);
        }
    }

    @Test
    void shouldNeverRefuseWhenTheTenantHasNoLimits() {
        ShardQuotas q = ShardQuotas.unlimited(1);

        assertThat(q.reserveBuffer(0, Integer.MAX_VALUE)).isTrue();
        assertThat(q.admitFlow(0)).isTrue();
        assertThat(q.reassemblyQuotaDrops(0) + q.flowQuotaDrops(0)).isZero();
        assertThat(q.ledger().peakFlows(0)).isZero();
    }
}
