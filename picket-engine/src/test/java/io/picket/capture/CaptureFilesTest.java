package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static io.picket.capture.CaptureBytes.readAll;
import static io.picket.capture.CaptureBytes.write;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureBytes.Pcap;
import io.picket.capture.CaptureBytes.Pcapng;
import io.picket.capture.CaptureBytes.Seen;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFilesTest {
    @TempDir
    Path dir;

    private static Path trace(String name) throws URISyntaxException {
        return Path.of(CaptureFilesTest.class.getResource("/traces/" + name).toURI());
    }

    @Test
    void shouldReadAll125PacketsWhenZeekPop3Trace() throws Exception {
        Path file = trace("pop3.pcap");
        try (PacketSource source = CaptureFiles.open(file)) {
            assertThat(source).isInstanceOf(PcapReader.class);
            List<Seen> seen = readAll(source);
            assertThat(seen).hasSize(125);
            assertThat(seen).extracting(Seen::linkType).containsOnly(LinkTypes.ETHERNET);
            assertThat(seen.stream().mapToLong(Seen::capturedLength).sum()).isEqualTo(27_969);
            assertThat(seen.getFirst().time()).isEqualTo(1_377_201_633L + 570_191 / 1e6);
            assertThat(seen.getFirst().capturedLength()).isEqualTo(66);
            assertThat(seen.getLast().time()).isEqualTo(1_377_201_785L + 11_707 / 1e6);
            assertThat(seen.getLast().sourcePosition()).isEqualTo(29_923);
            assertThat(seen.getLast().offset() + seen.getLast().capturedLength()).isEqualTo(Files.size(file));
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void shouldChooseReaderByMagicWhenOpening() throws Exception {
        Path pcap = write(dir, "a.cap", Pcap.micros(BIG_ENDIAN, 1).record(1, 0, frame(8, 0)).bytes());
        Path pcapng = write(dir, "b.cap", new Pcapng(LITTLE_ENDIAN).idb(1, 0).epb(0, 1, frame(8, 0)).bytes());
        try (PacketSource a = CaptureFiles.open(pcap); PacketSource b = CaptureFiles.open(pcapng)) {
            assertThat(a).isInstanceOf(PcapReader.class);
            assertThat(b).isInstanceOf(PcapngReader.class);
            assertThat(readAll(a)).hasSize(1);
            assertThat(readAll(b)).hasSize(1);
        }
    }

    @Test
    void shouldFailWhenFileMissing() {
        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> CaptureFiles.open(missing))
                .isInstanceOf(CaptureException.class)
                .hasMessage(missing + ": offset 0: no such file");
    }

    @Test
    void shouldFailWhenFileUnreadable() throws Exception {
        Path file = write(dir, "secret.pcap", Pcap.micros(LITTLE_ENDIAN, 1).bytes());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "permissions are not enforced for this user (root)");
        assertThatThrownBy(() -> CaptureFiles.open(file))
                .isInstanceOf(CaptureException.class)
                .hasMessage(file + ": offset 0: cannot read file: permission denied");
    }

    @Test
    void shouldFailWhenPathIsADirectory() {
        assertThatThrownBy(() -> CaptureFiles.open(dir))
                .isInstanceOf(CaptureException.class)
                .hasMessage(dir + ": offset 0: is a directory, not a capture file");
    }

    @Test
    void shouldFailWhenFileEmpty() {
        Path file = write(dir, "empty.pcap", new byte[0]);
        assertThatThrownBy(() -> CaptureFiles.open(file))
                .isInstanceOf(CaptureException.class)
                .hasMessage(file + ": offset 0: empty file");
    }

    @Test
    void shouldFailWhenFileTooShortForHeader() {
        Path tiny = write(dir, "tiny.pcap", new byte[] {(byte) 0xd4, (byte) 0xc3});
        assertThatThrownBy(() -> CaptureFiles.open(tiny))
                .hasMessage(tiny + ": offset 0: file too short for a header: needs 4 bytes, only 2");
        byte[] header = Arrays.copyOf(Pcap.micros(LITTLE_ENDIAN, 1).bytes(), 20);
        Path cut = write(dir, "cut-header.pcap", header);
        assertThatThrownBy(() -> CaptureFiles.open(cut))
                .hasMessage(cut + ": offset 0: file too short for a pcap file header: needs 24 bytes, only 20");
    }

    @Test
    void shouldFailWhenMagicUnknown() {
        Path text = write(dir, "notes.txt", "hello world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> CaptureFiles.open(text))
                .isInstanceOf(CaptureException.class)
                .hasMessage(text + ": offset 0: not a pcap or pcapng file (magic 0x68656c6c)");
        assertThatThrownBy(() -> new PcapngReader(text))
                .hasMessage(text + ": offset 0: not a pcap or pcapng file (magic 0x68656c6c)");
    }

    @Test
    void shouldMergeByTimestampWhenThreeFiles() throws Exception {
        Path a = write(dir, "a.pcap", Pcap.micros(LITTLE_ENDIAN, 1)
                .record(10, 0, frame(10, 0xA0))
                .record(10, 500_000, frame(11, 0xA1))
                .record(13, 0, frame(12, 0xA2))
                .bytes());
        Pcapng ng = new Pcapng(BIG_ENDIAN);
        Path b = write(dir, "b.pcapng", ng.idb(LinkTypes.RAW, 0, ng.ifName("tun0"), ng.ifTsresol(9))
                .epb(0, 9_000_000_001L, frame(20, 0xB0))
                .epb(0, 10_000_000_000L, frame(21, 0xB1))   // same time as a's first: a wins
                .epb(0, 12_000_000_000L, frame(22, 0xB2))
                .bytes());
        Path c = write(dir, "c.pcap", Pcap.nanos(BIG_ENDIAN, LinkTypes.LINUX_SLL)
                .record(10, 0, frame(30, 0xC0))                // tie with a and b
                .record(10, 499_999_999, frame(31, 0xC1))
                .bytes());
        try (PacketSource merged = CaptureFiles.openAll(List.of(a, b, c))) {
            assertThat(merged).isInstanceOf(MergedPacketSource.class);
            assertThat(merged.name()).isEqualTo(a + "," + b + "," + c);
            List<Seen> seen = readAll(merged);
            assertThat(seen).extracting(s -> s.bytes()[0] & 0xFF)
                    .containsExactly(0xB0, 0xA0, 0xB1, 0xC0, 0xC1, 0xA1, 0xB2, 0xA2);
            assertThat(seen).extracting(Seen::linkType).containsExactly(101, 1, 101, 113, 113, 1, 101, 1);
            assertThat(seen.get(4).tsNanos()).isEqualTo(499_999_999);
            assertThat(seen.get(2).interfaceName()).isEqualTo("tun0");
            assertThat(seen.get(0).sourcePosition()).isEqualTo(28 + 40); // after the SHB and IDB
            assertThat(merged.warnings()).isEmpty();
        }
    }

    @Test
    void shouldCollectWarningsOfEveryInputWhenMergedFilesTruncated() throws Exception {
        byte[] whole = Pcap.micros(LITTLE_ENDIAN, 1).record(1, 0, frame(10, 1)).record(3, 0, frame(10, 3)).bytes();
        Path a = write(dir, "a.pcap", Arrays.copyOf(whole, whole.length - 1));
        Path b = write(dir, "b.pcap", Pcap.micros(LITTLE_ENDIAN, 1).record(2, 0, frame(10, 2)).bytes());
        try (PacketSource merged = CaptureFiles.openAll(List.of(a, b))) {
            assertThat(readAll(merged)).extracting(s -> s.bytes()[0]).containsExactly((byte) 1, (byte) 2);
            assertThat(merged.warnings()).containsExactly(
                    a + ": truncated record at offset 50: needs 26 bytes, only 25 left; input ends here");
        }
    }

    @Test
    void shouldDeliverPendingPacketBeforeFailingWhenMergedInputCorrupt() throws Exception {
        Path a = write(dir, "a.pcap", Pcap.micros(LITTLE_ENDIAN, 1)
                .record(1, 0, frame(4, 1))
                .record(5, 0, 300_000, 60, new byte[0])
                .bytes());
        Path b = write(dir, "b.pcap", Pcap.micros(LITTLE_ENDIAN, 1).record(2, 0, frame(4, 2)).bytes());
        try (PacketSource merged = CaptureFiles.openAll(List.of(a, b))) {
            RawPacket p = new RawPacket();
            assertThat(merged.next(p)).isTrue();
            assertThat(p.tsSeconds).isEqualTo(1);
            assertThatThrownBy(() -> merged.next(p))
                    .isInstanceOf(CaptureException.class)
                    .hasMessage(a + ": offset 44: corrupt record: captured length 300000 larger than the maximum of 262144");
        }
    }

    @Test
    void shouldAllocateNothingPerPacketWhenMerging() throws Exception {
        Pcap a = Pcap.micros(LITTLE_ENDIAN, 1);
        Pcap b = Pcap.nanos(BIG_ENDIAN, 1);
        for (int i = 0; i < 10_000; i++) {
            a.record(100 + i, 0, frame(30, i));
            b.record(100 + i, 500_000_000, frame(40, i));
        }
        Path fa = write(dir, "ma.pcap", a.bytes());
        Path fb = write(dir, "mb.pcap", b.bytes());
        long best = CaptureBytes.fewestBytesAllocatedReading(() -> CaptureFiles.openAll(List.of(fa, fb)), 20_000);
        assertThat(best).as("bytes allocated merging 20000 packets").isLessThan(1024);
    }

    @Test
    void shouldReturnTheReaderWhenOpeningOneFile() throws Exception {
        Path a = write(dir, "one.pcap", Pcap.micros(LITTLE_ENDIAN, 1).bytes());
        try (PacketSource source = CaptureFiles.openAll(List.of(a))) {
            assertThat(source).isInstanceOf(PcapReader.class);
        }
        assertThatThrownBy(() -> CaptureFiles.openAll(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailWithTheBadFileWhenOneOfSeveralCannotBeOpened() {
        Path good = write(dir, "good.pcap", Pcap.micros(LITTLE_ENDIAN, 1).bytes());
        Path bad = write(dir, "bad.pcap", new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> CaptureFiles.openAll(List.of(good, bad)))
                .isInstanceOf(CaptureException.class)
                .hasMessage(bad + ": offset 0: not a pcap or pcapng file (magic 0x01020304)");
    }

    @Test
    void shouldKnowSupportedLinkTypesWhenAsked() {
        assertThat(LinkTypes.SUPPORTED).containsExactlyInAnyOrder(0, 1, 12, 101, 113, 228, 229, 276);
        for (int t = -1; t < 300; t++) {
            assertThat(LinkTypes.isSupported(t)).isEqualTo(LinkTypes.SUPPORTED.contains(t));
        }
    }
}
