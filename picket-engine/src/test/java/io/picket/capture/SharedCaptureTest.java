package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static io.picket.capture.CaptureBytes.readAll;
import static io.picket.capture.CaptureBytes.write;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureBytes.Pcap;
import io.picket.capture.CaptureBytes.Pcapng;
import io.picket.capture.CaptureBytes.Seen;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers of one mapping, each reading ahead its share of the stretches, read every record alike. */
class SharedCaptureTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadEveryRecordAlikeWhatEverShareOfTheReadAheadAReaderTakes() throws Exception {
        Pcap pcap = Pcap.micros(LITTLE_ENDIAN, LinkTypes.ETHERNET);
        Pcapng ng = new Pcapng(LITTLE_ENDIAN).idb(LinkTypes.ETHERNET, 0);
        for (int i = 0; i < 600; i++) { // about 900 KiB each: many 64 KiB stretches
            pcap.record(1_700_000_000L + i, i, frame(60 + (i * 37) % 1455, i));
            ng.epb(0, 1_700_000_000_000_000L + i, frame(60 + (i * 37) % 1455, i));
        }
        List<Path> files = List.of(write(dir, "a.pcap", pcap.bytes()), write(dir, "b.pcapng", ng.bytes()));
        for (Path file : files) {
            try (SharedCapture shared = SharedCapture.map(List.of(file))) {
                List<List<Object>> alone = comparable(readAll(shared.open()));
                assertThat(alone).hasSize(600);
                for (int readers = 1; readers <= 3; readers++) {
                    for (int index = 0; index < readers; index++) {
                        assertThat(comparable(readAll(shared.open(index, readers))))
                                .as("reader %d of %d, %s", index, readers, file.getFileName()).isEqualTo(alone);
                    }
                }
            }
        }
    }

    private static List<List<Object>> comparable(List<Seen> seen) {
        return seen.stream().map(s -> List.<Object>of(s.offset(), s.capturedLength(), s.wireLength(), s.tsSeconds(),
                s.tsNanos(), s.sourcePosition(), java.nio.ByteBuffer.wrap(s.bytes()))).toList();
    }

    @Test
    void shouldRefuseAReaderOutsideTheReadersWhenOpening() throws Exception {
        Path file = write(dir, "a.pcap", Pcap.micros(LITTLE_ENDIAN, LinkTypes.ETHERNET)
                .record(1, 0, frame(60, 0)).bytes());
        try (SharedCapture shared = SharedCapture.map(List.of(file))) {
            assertThatThrownBy(() -> shared.open(2, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reader 2 of 2");
            assertThatThrownBy(() -> shared.open(0, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reader 0 of 0");
        }
    }
}
