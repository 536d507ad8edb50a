package io.picket.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CpuSetPropertyTest {

    /** Runs of CPUs [first, first + length), as configs and /proc write them. */
    record Run(int first, int length) {
        int last() {
            return Math.min(first + length - 1, CpuSet.MAX_CPUS - 1);
        }

        String text() {
            return first == last() ? Integer.toString(first) : first + "-" + last();
        }
    }

    @Provide
    Arbitrary<List<Run>> runs() {
        Arbitrary<Integer> first = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 130), Arbitraries.integers().between(0, CpuSet.MAX_CPUS - 1));
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 70);
        return first.flatMap(f -> length.map(l -> new Run(f, l))).list().ofMaxSize(12);
    }

    private static BitSet model(List<Run> runs) {
        BitSet b = new BitSet();
        for (Run r : runs) {
            b.set(r.first(), r.last() + 1);
        }
        return b;
    }

    private static CpuSet build(List<Run> runs) {
        CpuSet s = CpuSet.empty();
        for (Run r : runs) {
            s = s.union(CpuSet.range(r.first(), r.last()));
        }
        return s;
    }

    @Property
    void shouldRoundTripWhenFormattedThenParsed(@ForAll("runs") List<Run> runs) {
        CpuSet s = build(runs);

        String text = s.toString();

        assertThat(CpuSet.parse(text)).isEqualTo(s);
        assertThat(CpuSet.parse(text).toString()).isEqualTo(text);
    }

    @Property
    void shouldWriteCanonicalListWhenFormatting(@ForAll("runs") List<Run> runs) {
        String text = build(runs).toString();
        if (text.isEmpty()) {
            return;
        }
        int previousLast = -2;
        for (String item : text.split(",")) {
            String[] ends = item.split("-");
            int first = Integer.parseInt(ends[0]);
            int last = ends.length == 2 ? Integer.parseInt(ends[1]) : first;
            assertThat(first).as("ascending, runs merged: %s", text).isGreaterThan(previousLast + 1);
            assertThat(ends.length == 1 || last > first).as("no single-CPU range: %s", text).isTrue();
            previousLast = last;
        }
    }

    @Property
    void shouldParseUnionWhenItemsAreShuffledAndOverlapping(@ForAll("runs") List<Run> runs, @ForAll long seed) {
        List<String> items = new ArrayList<>();
        for (Run r : runs) {
            items.add(r.text());
        }
        Collections.shuffle(items, new Random(seed));

        CpuSet s = CpuSet.parse(String.join(",", items));

        BitSet expected = model(runs);
        assertThat(s.size()).isEqualTo(expected.cardinality());
        assertThat(s.toArray()).containsExactly(expected.stream().toArray());
        assertThat(s).isEqualTo(build(runs));
    }

    @Property
    void shouldMatchBitSetWhenQueried(@ForAll @Size(max = 40) Set<@IntRange(min = 0, max = 1023) Integer> cpus,
            @ForAll @IntRange(min = -5, max = 1030) int probe) {
        CpuSet s = CpuSet.of(cpus.stream().mapToInt(Integer::intValue).toArray());
        BitSet model = new BitSet();
        cpus.forEach(model::set);

        assertThat(s.size()).isEqualTo(cpus.size());
        assertThat(s.contains(probe)).isEqualTo(probe >= 0 && model.get(probe));
        int expectedNext = probe >= CpuSet.MAX_CPUS ? -1 : model.nextSetBit(Math.max(probe, 0));
        assertThat(s.next(probe)).isEqualTo(expectedNext);
        List<Integer> iterated = new ArrayList<>();
        s.forEach(iterated::add);
        assertThat(iterated).containsExactlyElementsOf(model.stream().boxed().toList());
        for (int k = 0; k < s.size(); k++) {
            assertThat(s.nth(k)).isEqualTo(iterated.get(k));
        }
    }

    @Property
    void shouldMatchBitSetWhenCombined(@ForAll("runs") List<Run> a, @ForAll("runs") List<Run> b) {
        CpuSet x = build(a);
        CpuSet y = build(b);
        BitSet union = model(a);
        union.or(model(b));
        BitSet both = model(a);
        both.and(model(b));
        BitSet minus = model(a);
        minus.andNot(model(b));

        assertThat(x.union(y).toArray()).containsExactly(union.stream().toArray());
        assertThat(x.intersection(y).toArray()).containsExactly(both.stream().toArray());
        assertThat(x.minus(y).toArray()).containsExactly(minus.stream().toArray());
        assertThat(x.intersects(y)).isEqualTo(!both.isEmpty());
        assertThat(x.containsAll(y)).isEqualTo(x.union(y).equals(x));
    }

    @Property
    void shouldRoundTripWhenWrittenToMask(@ForAll("runs") List<Run> runs) {
        CpuSet s = build(runs);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CpuSet.MASK_BYTES);
            s.writeMask(mask);
            assertThat(CpuSet.fromMask(mask)).isEqualTo(s).hasSameHashCodeAs(s);
        }
    }
}
