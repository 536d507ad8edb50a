package io.picket.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MappedFileTest {

    @Test
    void shouldHandOutPlainReadOnlyNativeSegmentWhenFileIsMapped() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Path f = Files.createTempFile(dir, "mapped", ".bin");
        Files.write(f, new byte[] {10, 20, 30});
        MappedFile m = MappedFile.map(f);
        try {
            MemorySegment s = m.segment();
            assertThat(s.isNative()).isTrue();
            assertThat(s.isMapped()).isFalse();
            assertThat(s.isReadOnly()).isTrue();
            assertThat(s.byteSize()).isEqualTo(3);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 30);
            // the same class as any other native segment (the live ring, the shards' buffers)
            assertThat(s.getClass()).isEqualTo(java.lang.foreign.Arena.global().allocate(1).getClass());
        } finally {
            m.arena().close();
        }
        assertThatThrownBy(() -> m.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }
}
