package io.picket.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeScratchTest {

    @Test
    void shouldHandOutNativeCopyWhenGivenHeapBytes() {
        NativeScratch s = NativeScratch.current();
        byte[] bytes = {1, 2, 3, 4, 5};
        MemorySegment copy = s.copyOf(bytes, 1, 3);
        try {
            assertThat(copy.isNative()).isTrue();
            assertThat(copy.asSlice(0, 3).toArray(ValueLayout.JAVA_BYTE)).containsExactly(2, 3, 4);
        } finally {
            s.release();
        }
        assertThat(s.depth()).isZero();
    }

    @Test
    void shouldReuseBufferWhenCopiedAgain() {
        NativeScratch s = NativeScratch.current();
        MemorySegment first = s.copyOf(new byte[100], 0, 100);
        s.release();
        MemorySegment second = s.copyOf(new byte[50], 0, 50);
        s.release();
        assertThat(second.address()).isEqualTo(first.address());
    }

    @Test
    void shouldGiveDistinctBuffersWhenNested() {
        NativeScratch s = NativeScratch.current();
        MemorySegment outer = s.copyOf(new byte[] {7, 7}, 0, 2);
        MemorySegment inner = s.copyOf(new byte[] {9, 9}, 0, 2);
        assertThat(s.depth()).isEqualTo(2);
        assertThat(outer.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 7);
        assertThat(inner.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 9);
        s.release();
        s.release();
        assertThat(s.depth()).isZero();
    }

    @Test
    void shouldNotKeepBufferWhenLargerThanRetainedLimit() {
        NativeScratch s = NativeScratch.current();
        int big = (int) NativeScratch.RETAINED_BYTES + 1;
        MemorySegment first = s.copyOf(new byte[big], 0, big);
        s.release();
        MemorySegment small = s.copyOf(new byte[10], 0, 10);
        s.release();
        assertThat(small.address()).isNotEqualTo(first.address());
        assertThat(small.byteSize()).isLessThanOrEqualTo(NativeScratch.RETAINED_BYTES);
    }
}
