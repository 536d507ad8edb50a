package io.picket.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void shouldParseRangesAndSinglesWhenGivenKernelCpuList() {
        CpuSet s = CpuSet.parse("0-3,6");

        assertThat(s.toArray()).containsExactly(0, 1, 2, 3, 6);
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.contains(3)).isTrue();
        assertThat(s.contains(4)).isFalse();
        assertThat(s).containsExactly(0, 1, 2, 3, 6);
        assertThat(s.toString()).isEqualTo("0-3,6");
    }

    @Test
    void shouldWriteCanonicalFormWhenItemsAreUnorderedOverlappingOrSpaced() {
        assertThat(CpuSet.parse(" 6 , 2-3,0-1,3 ,1").toString()).isEqualTo("0-3,6");
        assertThat(CpuSet.parse("5,4").toString()).isEqualTo("4-5"); // the kernel writes a pair as a range
        assertThat(CpuSet.parse("7-7").toString()).isEqualTo("7");
        assertThat(CpuSet.parse("0,2,4").toString()).isEqualTo("0,2,4");
        assertThat(CpuSet.parse("62-65,1023").toString()).isEqualTo("62-65,1023");
    }

    @Test
    void shouldBeEmptyWhenTextIsBlank() {
        assertThat(CpuSet.parse("")).isEqualTo(CpuSet.empty());
        assertThat(CpuSet.parse("  ").isEmpty()).isTrue();
        assertThat(CpuSet.empty().toString()).isEmpty();
        assertThat(CpuSet.empty().next(0)).isEqualTo(-1);
        assertThat(CpuSet.empty().iterator().hasNext()).isFalse();
    }

    @Test
    void shouldNameTheItemWhenTextIsMalformed() {
        assertThatThrownBy(() -> CpuSet.parse("0-3,x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x' is not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("3-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'3-1' is descending");
        assertThatThrownBy(() -> CpuSet.parse("1,,2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty item");
        assertThatThrownBy(() -> CpuSet.parse("1-"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty item");
        assertThatThrownBy(() -> CpuSet.parse("-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty item");
        assertThatThrownBy(() -> CpuSet.parse("1-2-3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("+1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CPU number");
    }

    @Test
    void shouldRejectCpuWhenBeyondCpuSetSize() {
        assertThatThrownBy(() -> CpuSet.parse("0-1024"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU 1024 is beyond the 1024");
        assertThatThrownBy(() -> CpuSet.parse("99999999999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond");
        assertThatThrownBy(() -> CpuSet.of(1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuSet.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuSet.range(4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CpuSet.range(0, 1023).size()).isEqualTo(1024);
        assertThat(CpuSet.range(0, 1023).toString()).isEqualTo("0-1023");
        assertThat(CpuSet.of(5).contains(1024)).isFalse();
        assertThat(CpuSet.of(5).contains(-1)).isFalse();
    }

    @Test
    void shouldCombineSetsWhenUsingSetOperations() {
        CpuSet a = CpuSet.parse("0-7");
        CpuSet b = CpuSet.parse("2-3,9");

        assertThat(a.union(b).toString()).isEqualTo("0-7,9");
        assertThat(a.minus(b).toString()).isEqualTo("0-1,4-7");
        assertThat(a.intersection(b).toString()).isEqualTo("2-3");
        assertThat(a.intersects(b)).isTrue();
        assertThat(a.containsAll(b)).isFalse();
        assertThat(a.containsAll(CpuSet.parse("2-3"))).isTrue();
        assertThat(a.intersects(CpuSet.of(100))).isFalse();
        assertThat(b.nth(0)).isEqualTo(2);
        assertThat(b.nth(2)).isEqualTo(9);
        assertThatThrownBy(() -> b.nth(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(b.next(4)).isEqualTo(9);
        assertThat(b.next(10)).isEqualTo(-1);
    }

    @Test
    void shouldLayOutCpuSetTWhenWrittenAsMask() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CpuSet.MASK_BYTES);
            CpuSet.parse("0,9,64,1023").writeMask(mask);

            // cpu_set_t: unsigned long __bits[16], CPU n is bit n % 64 of word n / 64
            assertThat(mask.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1L | 1L << 9);  // CPUs 0, 9
            assertThat(mask.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(1L);            // CPU 64
            assertThat(mask.get(ValueLayout.JAVA_LONG, 120)).isEqualTo(1L << 63);    // CPU 1023
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                assertThat(mask.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 0x02); // CPU 9: byte 1, bit 1
            }
            assertThat(CpuSet.fromMask(mask)).isEqualTo(CpuSet.parse("0,9,64,1023"));
        }
    }
}
