package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static io.picket.capture.CaptureBytes.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureBytes.Seen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryFieldWhenWritten() throws Exception {
        Path file = dir.resolve("out.pcap");
        byte[] big = frame(300, 5);
        try (PcapWriter writer = new PcapWriter(file, LinkTypes.LINUX_SLL2, 128)) {
            writer.write(1_700_000_000L, 250_001, frame(60, 1));
            writer.write(1_700_000_001L, 999_999, big, 10, 200, 1500); // cut to the snaplen
            writer.write(0xFFFF_FFFFL, 0, new byte[0], 0, 0, 0);
            assertThat(writer.packetsWritten()).isEqualTo(3);
            assertThat(writer.linkType()).isEqualTo(276);
            assertThat(writer.snaplen()).isEqualTo(128);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0); // LE microsecond magic, 2.4
        assertThat(bytes.length).isEqualTo(24 + 16 + 60 + 16 + 128 + 16);
        try (PcapReader reader = new PcapReader(file)) {
            assertThat(reader.snaplen()).isEqualTo(128);
            assertThat(reader.linkType()).isEqualTo(276);
            List<Seen> seen = readAll(reader);
            assertThat(seen).extracting(Seen::tsSeconds).containsExactly(1_700_000_000L, 1_700_000_001L, 0xFFFF_FFFFL);
            assertThat(seen).extracting(Seen::tsNanos).containsExactly(250_001_000, 999_999_000, 0);
            assertThat(seen).extracting(Seen::capturedLength).containsExactly(60, 128, 0);
            assertThat(seen).extracting(Seen::wireLength).containsExactly(60, 1500, 0);
            assertThat(seen.get(1).bytes()).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 138));
        }
    }

    @Test
    void shouldRejectValuesWhenFormatCannotHoldThem() throws Exception {
        try (PcapWriter writer = new PcapWriter(dir.resolve("bad.pcap"), 1, 65535)) {
            byte[] f = frame(10, 0);
            assertThatThrownBy(() -> writer.write(-1, 0, f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.write(1L << 32, 0, f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.write(1, 1_000_000, f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.write(1, 0, f, 0, 10, 9)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.write(1, 0, f, 5, 10, 10)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(writer.packetsWritten()).isZero();
        }
        assertThatThrownBy(() -> new PcapWriter(dir.resolve("zero.pcap"), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
