package io.picket.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The timer heap pops in (time, insertion order) order whatever the interleaving of adds and
 * polls: compared with a reference priority queue on random operations, ties included.
 */
class TimerHeapTest {

    private record Entry(double time, long seq, int kindGen, Runnable action) {
    }

    @Property(tries = 300)
    void shouldPopInTimeThenInsertionOrderWhenAddsAndPollsInterleave(
            @ForAll @Size(max = 3000) List<@IntRange(min = -1, max = 60) Integer> ops) {
        TimerHeap heap = new TimerHeap();
        PriorityQueue<Entry> ref = new PriorityQueue<>(
                Comparator.comparingDouble(Entry::time).thenComparingLong(Entry::seq));
        long seq = 0;
        List<int[]> popped = new ArrayList<>();
        List<int[]> expected = new ArrayList<>();
        for (int op : ops) {
            if (op < 0 || op > 50) { // poll (about one in six)
                if (!ref.isEmpty()) {
                    Entry e = ref.poll();
                    assertThat(heap.peekTime()).isEqualTo(e.time());
                    assertThat(heap.peekAction()).isSameAs(e.action());
                    popped.add(new int[] {heap.peekKindGen()});
                    expected.add(new int[] {e.kindGen()});
                    heap.poll();
                }
            } else {
                double t = op / 4; // few distinct times: many ties
                int kind = op & 0xF;
                int gen = (int) (seq & 0xFFFF);
                Runnable a = () -> { };
                heap.add(t, null, kind, gen, a);
                ref.add(new Entry(t, seq++, (gen << 4) | kind, a));
            }
            assertThat(heap.size()).isEqualTo(ref.size());
        }
        while (!ref.isEmpty()) {
            Entry e = ref.poll();
            assertThat(heap.peekTime()).isEqualTo(e.time());
            assertThat(heap.peekAction()).isSameAs(e.action());
            assertThat(heap.peekKindGen()).isEqualTo(e.kindGen());
            heap.poll();
        }
        assertThat(heap.isEmpty()).isTrue();
        assertThat(popped).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);
    }

    @Property(tries = 50)
    void shouldStartAfreshWhenCleared(@ForAll @IntRange(min = 1, max = 5000) int n) {
        TimerHeap heap = new TimerHeap();
        for (int i = 0; i < n; i++) {
            heap.add(n - i, null, 1, i, null);
        }
        heap.clear();
        assertThat(heap.isEmpty()).isTrue();
        heap.add(2.0, null, 2, 0, null);
        heap.add(1.0, null, 3, 0, null);
        assertThat(heap.peekKindGen()).isEqualTo(3);
        heap.poll();
        assertThat(heap.peekKindGen()).isEqualTo(2);
    }
}
