package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static io.picket.capture.CaptureBytes.readAll;
import static io.picket.capture.CaptureBytes.write;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureBytes.Pcap;
import io.picket.capture.CaptureBytes.Seen;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PcapReaderTest {
    @TempDir
    Path dir;

    /**
     * Records longer than a window, and records cut by a window's end with a tail longer than
     * the read-ahead's headroom, read through windows of several sizes exactly as from memory;
     * closing a reader with a read ahead in flight is clean.
     */
    @ParameterizedTest
    @ValueSource(ints = {1000, 65_536, 100_000, 1 << 20})
    void shouldReadLargeRecordsThroughWindowsAsFromMemory(int window) throws Exception {
        Pcap pcap = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 2, 4, 262_144, LinkTypes.ETHERNET);
        int[] lengths = {100, 70_000, 200_000, 60, 150_000, 90_000, 1514, 262_144, 40, 65_000};
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < lengths.length; i++) {
                pcap.record(1_700_000_000L + round, i, frame(lengths[i], i + round));
            }
        }
        byte[] bytes = pcap.bytes();
        Path file = write(dir, "large.pcap", bytes);
        List<Seen> fromMemory = readAll(CaptureFiles.open("large.pcap", java.lang.foreign.MemorySegment.ofArray(bytes)));
        List<Seen> windowed;
        try (PcapReader reader = PcapReader.streamed(file, window)) {
            windowed = readAll(reader);
        }
        assertThat(windowed).hasSize(3 * lengths.length);
        assertThat(withoutOffsets(windowed)).isEqualTo(withoutOffsets(fromMemory));
        try (PcapReader reader = PcapReader.streamed(file, window)) {
            RawPacket p = new RawPacket();
            assertThat(reader.next(p)).isTrue();
            assertThat(p.capturedLength).isEqualTo(100);
        }
    }

    /**
     * A source opened and partly read on one thread and read on by another (autofp's capture
     * threads read sources the caller opened) reads to the end.
     */
    @Test
    void shouldReadToTheEndWhenReadOnAnotherThreadThanTheOneThatOpenedIt() throws Exception {
        Pcap pcap = Pcap.micros(LITTLE_ENDIAN, LinkTypes.ETHERNET);
        for (int i = 0; i < 200; i++) {
            pcap.record(1_700_000_000L, i, frame(1514, i));
        }
        Path file = write(dir, "other-thread.pcap", pcap.bytes());
        ReadAhead.slowHelperForTests = 2_000_000; // the readers wait (park) for every read ahead
        try (PcapReader reader = PcapReader.streamed(file, 4096)) {
            java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
            RawPacket first = new RawPacket();
            for (int i = 0; i < 60; i++) { // past the first window (window and headroom, read at once)
                assertThat(reader.next(first)).isTrue();
                read.incrementAndGet();
            }
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    RawPacket p = new RawPacket();
                    while (reader.next(p)) {
                        read.incrementAndGet();
                    }
                } catch (CaptureException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.join(10_000);
            assertThat(t.isAlive()).as("the reading thread is stuck waiting for a read ahead").isFalse();
            assertThat(read.get()).isEqualTo(200);
        } finally {
            ReadAhead.slowHelperForTests = 0;
        }
    }

    private static List<List<Object>> withoutOffsets(List<Seen> seen) {
        return seen.stream().map(s -> List.<Object>of(s.capturedLength(), s.wireLength(), s.tsSeconds(),
                s.tsNanos(), s.sourcePosition(), java.nio.ByteBuffer.wrap(s.bytes()))).toList();
    }

    @Test
    void shouldReadEveryFieldWhenLittleEndianMicrosecondFile() throws Exception {
        byte[] a = frame(60, 1);
        byte[] b = frame(1514, 7);
        Path file = write(dir, "le-us.pcap", Pcap.micros(LITTLE_ENDIAN, LinkTypes.ETHERNET)
                .record(1_377_201_633L, 570_191, a)
                .record(1_377_201_634L, 999_999, 100, 1514, frame(100, 7))
                .record(1_377_201_635L, 0, b)
                .bytes());
        try (PcapReader reader = new PcapReader(file)) {
            assertThat(reader.linkType()).isEqualTo(1);
            assertThat(reader.snaplen()).isEqualTo(65535);
            assertThat(reader.bigEndian()).isFalse();
            assertThat(reader.nanosecondResolution()).isFalse();
            assertThat(reader.version()).isEqualTo("2.4");
            assertThat(reader.name()).isEqualTo(file.toString());

            RawPacket p = new RawPacket();
            assertThat(reader.next(p)).isTrue();
            assertThat(p.segment.byteSize()).isEqualTo(24 + 16 + 60 + 16 + 100 + 16 + 1514);
            assertThat(p.offset).isEqualTo(40);
            assertThat(p.sourcePosition).isEqualTo(24);
            assertThat(p.capturedLength).isEqualTo(60);
            assertThat(p.wireLength).isEqualTo(60);
            assertThat(p.tsSeconds).isEqualTo(1_377_201_633L);
            assertThat(p.tsNanos).isEqualTo(570_191_000);
            assertThat(p.time()).isEqualTo(1_377_201_633L + 570_191 / 1e6);
            assertThat(p.timeMicros()).isEqualTo(1_377_201_633_570_191L);
            assertThat(p.linkType).isEqualTo(1);
            assertThat(p.interfaceId).isZero();
            assertThat(p.interfaceName).isNull();
            assertThat(p.outOfBandVlanTci).isEqualTo(-1);
            assertThat(Seen.of(p).bytes()).isEqualTo(a);

            assertThat(reader.next(p)).isTrue();
            assertThat(p.sourcePosition).isEqualTo(24 + 16 + 60);
            assertThat(p.offset).isEqualTo(24 + 16 + 60 + 16);
            assertThat(p.capturedLength).isEqualTo(100);
            assertThat(p.wireLength).isEqualTo(1514);
            assertThat(p.tsNanos).isEqualTo(999_999_000);

            assertThat(reader.next(p)).isTrue();
            assertThat(Seen.of(p).bytes()).isEqualTo(b);
            assertThat(reader.next(p)).isFalse();
            assertThat(reader.next(p)).isFalse();
            assertThat(reader.warnings()).isEmpty();
        }
    }

    @Test
    void shouldKeepNanosecondsAndTruncateTimeToMicrosecondsWhenBigEndianNanosecondFile() throws Exception {
        byte[] ip = frame(40, 3);
        List<Seen> seen = readAll(Pcap.nanos(BIG_ENDIAN, LinkTypes.RAW)
                .record(1_600_000_000L, 123_456_789, ip)
                .record(1_600_000_001L, 999_999_999, ip)
                .bytes());
        assertThat(seen).hasSize(2);
        Seen first = seen.getFirst();
        assertThat(first.tsSeconds()).isEqualTo(1_600_000_000L);
        assertThat(first.tsNanos()).isEqualTo(123_456_789);
        assertThat(first.time()).isEqualTo(1_600_000_000L + 123_456 / 1e6); // libpcap: usec = nsec / 1000
        assertThat(first.linkType()).isEqualTo(101);
        assertThat(first.bytes()).isEqualTo(ip);
        assertThat(seen.get(1).time()).isEqualTo(1_600_000_001L + 999_999 / 1e6);
    }

    @ParameterizedTest
    @EnumSource(names = {"LITTLE_ENDIAN", "BIG_ENDIAN"}, value = ByteOrderName.class)
    void shouldReadSameFieldsWhenEitherByteOrder(ByteOrderName order) throws Exception {
        List<Seen> seen = readAll(Pcap.micros(order.order, LinkTypes.LINUX_SLL2)
                .record(0xFFFF_FFF0L, 5, 20, 300, frame(20, 9))
                .bytes());
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.tsSeconds()).isEqualTo(0xFFFF_FFF0L); // unsigned
            assertThat(s.tsNanos()).isEqualTo(5000);
            assertThat(s.capturedLength()).isEqualTo(20);
            assertThat(s.wireLength()).isEqualTo(300);
            assertThat(s.linkType()).isEqualTo(276);
        });
    }

    enum ByteOrderName {
        LITTLE_ENDIAN(ByteOrder.LITTLE_ENDIAN), BIG_ENDIAN(ByteOrder.BIG_ENDIAN);
        final ByteOrder order;

        ByteOrderName(ByteOrder order) {
            this.order = order;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 12, 101, 113, 228, 229, 276})
    void shouldOpenWhenLinkTypeSupported(int linkType) throws Exception {
        try (PacketSource source = CaptureFiles.open(write(dir, "lt.pcap",
                Pcap.micros(LITTLE_ENDIAN, linkType).record(1, 2, frame(4, 0)).bytes()))) {
            RawPacket p = new RawPacket();
            assertThat(source.next(p)).isTrue();
            assertThat(p.linkType).isEqualTo(linkType);
        }
    }

    @Test
    void shouldMaskFcsBitsWhenLinkTypeFieldCarriesThem() throws Exception {
        int withFcs = 0x1000_0000 | 0x0400_0000 | LinkTypes.ETHERNET; // FCS length 1 (x16 bits), F bit
        List<Seen> seen = readAll(Pcap.micros(LITTLE_ENDIAN, withFcs).record(1, 0, frame(64, 0)).bytes());
        assertThat(seen).singleElement().extracting(Seen::linkType).isEqualTo(1);
    }

    @Test
    void shouldFailWhenLinkTypeUnsupported() {
        Path file = write(dir, "wifi.pcap", Pcap.micros(LITTLE_ENDIAN, 105).bytes());
        assertThatThrownBy(() -> new PcapReader(file))
                .isInstanceOf(CaptureException.class)
                .hasMessage(file + ": offset 20: unsupported link type 105")
                .satisfies(e -> {
                    assertThat(((CaptureException) e).source()).isEqualTo(file.toString());
                    assertThat(((CaptureException) e).offset()).isEqualTo(20);
                });
        assertThatThrownBy(() -> CaptureFiles.open(file))
                .hasMessage(file + ": offset 20: unsupported link type 105");
    }

    @Test
    void shouldFailWhenVersionUnsupported() {
        byte[] bytes = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 3, 0, 65535, 1).bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOf(CaptureException.class)
                .hasMessage("mem: offset 4: unsupported pcap file format version 3.0");
        byte[] archaic = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 1, 0, 65535, 1).bytes();
        assertThatThrownBy(() -> readAll(archaic))
                .hasMessage("mem: offset 4: archaic pcap file format version 1.0");
    }

    @Test
    void shouldCutToSnaplenWhenCapturedLengthExceedsSnaplen() throws Exception {
        byte[] bytes = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 2, 4, 96, 1)
                .record(1, 0, frame(200, 0))
                .record(2, 0, frame(50, 1))
                .bytes();
        List<Seen> seen = readAll(bytes);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).capturedLength()).isEqualTo(96); // libpcap reads snaplen, skips the rest
        assertThat(seen.get(0).wireLength()).isEqualTo(200);
        assertThat(seen.get(1).sourcePosition()).isEqualTo(24 + 16 + 200);
        assertThat(seen.get(1).bytes()).isEqualTo(frame(50, 1));
    }

    @Test
    void shouldAllowMaximumCapturedLengthWhenSnaplenIsZero() throws Exception {
        byte[] big = frame(PcapReader.MAX_CAPTURED_LENGTH, 0);
        List<Seen> seen = readAll(new Pcap(BIG_ENDIAN, PcapReader.MAGIC_MICROS, 2, 4, 0, 1)
                .record(1, 0, big).bytes());
        assertThat(seen).singleElement().extracting(Seen::capturedLength).isEqualTo(262_144);
    }

    @Test
    void shouldFailWhenCapturedLengthAbove256KiB() {
        byte[] bytes = Pcap.micros(LITTLE_ENDIAN, 1)
                .record(1, 0, frame(10, 0))
                .record(2, 0, 262_145, 262_145, new byte[0])
                .bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOf(CaptureException.class)
                .hasMessage("mem: offset 50: corrupt record: captured length 262145 larger than the maximum of 262144");
        byte[] huge = Pcap.micros(LITTLE_ENDIAN, 1).record(2, 0, 0xFFFF_FFFFL, 60, new byte[0]).bytes();
        assertThatThrownBy(() -> readAll(huge))
                .hasMessage("mem: offset 24: corrupt record: captured length 4294967295 larger than the maximum of 262144");
    }

    @Test
    void shouldWarnAndEndWhenLastRecordBodyTruncated() throws Exception {
        byte[] whole = Pcap.micros(LITTLE_ENDIAN, 1)
                .record(1, 0, frame(60, 0))
                .record(2, 0, frame(100, 0))
                .bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 30);
        Path file = write(dir, "cut.pcap", cut);
        try (PacketSource source = CaptureFiles.open(file)) {
            RawPacket p = new RawPacket();
            assertThat(source.next(p)).isTrue();
            assertThat(source.next(p)).isFalse();
            assertThat(source.next(p)).isFalse();
            assertThat(source.warnings()).containsExactly(file
                    + ": truncated record at offset 100: needs 116 bytes, only 86 left; input ends here");
        }
    }

    @Test
    void shouldWarnAndEndWhenLastRecordHeaderTruncated() throws Exception {
        byte[] bytes = Pcap.micros(BIG_ENDIAN, 1).record(1, 0, frame(60, 0)).raw(new byte[] {0, 0, 0, 1, 0})
                .bytes();
        try (PacketSource source = CaptureFiles.open("mem", java.lang.foreign.MemorySegment.ofArray(bytes))) {
            assertThat(readAll(source)).hasSize(1);
            assertThat(source.warnings()).containsExactly(
                    "mem: truncated record at offset 100: needs 16 bytes, only 5 left; input ends here");
        }
    }

    @Test
    void shouldEndCleanlyWhenFileHasOnlyAHeader() throws Exception {
        try (PacketSource source = CaptureFiles.open("mem",
                java.lang.foreign.MemorySegment.ofArray(Pcap.micros(LITTLE_ENDIAN, 1).bytes()))) {
            assertThat(readAll(source)).isEmpty();
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void shouldSwapLengthFieldsWhenVersionBefore23() throws Exception {
        byte[] bytes = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 2, 2, 65535, 1)
                .record(1, 0, 1514, 60, frame(60, 0)) // old order: wire length first
                .bytes();
        assertThat(readAll(bytes)).singleElement().satisfies(s -> {
            assertThat(s.capturedLength()).isEqualTo(60);
            assertThat(s.wireLength()).isEqualTo(1514);
        });
        byte[] maybe = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, 2, 3, 65535, 1)
                .record(1, 0, 1514, 60, frame(60, 0)) // captured > wire: swapped
                .record(2, 0, 40, 60, frame(40, 0))   // captured <= wire: as is
                .bytes();
        List<Seen> seen = readAll(maybe);
        assertThat(seen).extracting(Seen::capturedLength).containsExactly(60, 40);
        assertThat(seen).extracting(Seen::wireLength).containsExactly(1514, 60);
    }

    @Test
    void shouldReadPatchedRecordsWhenKuznetzovMagic() throws Exception {
        byte[] bytes = new Pcap(LITTLE_ENDIAN, PcapReader.MAGIC_PATCHED, 2, 4, 65535, 1)
                .record(5, 6, frame(30, 2))
                .record(7, 8, frame(31, 3))
                .bytes();
        List<Seen> seen = readAll(bytes);
        assertThat(seen).extracting(Seen::offset).containsExactly(48L, 48L + 30 + 24);
        assertThat(seen.get(1).bytes()).isEqualTo(frame(31, 3));
        assertThat(seen.get(1).tsNanos()).isEqualTo(8000);
    }

    @Test
    void shouldCarryIntoSecondsWhenFractionIsASecondOrMore() throws Exception {
        List<Seen> seen = readAll(Pcap.micros(LITTLE_ENDIAN, 1).record(10, 2_500_000, frame(1, 0)).bytes());
        assertThat(seen.getFirst().tsSeconds()).isEqualTo(12);
        assertThat(seen.getFirst().tsNanos()).isEqualTo(500_000_000);
    }

    @Test
    void shouldStopReadingWhenClosed() throws Exception {
        Path file = write(dir, "closed.pcap", Pcap.micros(LITTLE_ENDIAN, 1).record(1, 0, frame(9, 0)).bytes());
        PcapReader reader = new PcapReader(file);
        reader.close();
        reader.close();
        assertThat(reader.next(new RawPacket())).isFalse();
    }

    @Test
    void shouldAllocateNothingWhenReadingPackets() throws Exception {
        Pcap pcap = Pcap.micros(LITTLE_ENDIAN, 1);
        for (int i = 0; i < 20_000; i++) {
            pcap.record(1_000_000 + i, i % 1_000_000, frame(20 + i % 40, i));
        }
        Path file = write(dir, "many.pcap", pcap.bytes());
        long best = CaptureBytes.fewestBytesAllocatedReading(() -> new PcapReader(file), 20_000);
        assertThat(best).as("bytes allocated reading 20000 packets").isLessThan(1024);
    }
}
