package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static io.picket.capture.CaptureBytes.readAll;
import static io.picket.capture.CaptureBytes.write;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.capture.CaptureBytes.Pcapng;
import io.picket.capture.CaptureBytes.Seen;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngReaderTest {
    @TempDir
    Path dir;

    /** Section with eth0 (Ethernet, us), tun0 (raw IPv4, ns) and wg0 (raw IPv6, 2^-20 s, offset). */
    private static Pcapng threeInterfaces(ByteOrder order) {
        Pcapng f = new Pcapng(order);
        return f.idb(LinkTypes.ETHERNET, 65535, f.ifName("eth0"))
                .idb(LinkTypes.IPV4, 0, f.ifName("tun0"), f.ifTsresol(9))
                .idb(LinkTypes.IPV6, 9000, f.ifTsresol(0x80 | 20), f.ifTsoffset(1_000_000_000L));
    }

    @Test
    void shouldReadEveryFieldWhenInterfacesDifferInLinkTypeAndResolution() throws Exception {
        for (ByteOrder order : List.of(LITTLE_ENDIAN, BIG_ENDIAN)) {
            byte[] eth = frame(60, 1);
            byte[] v4 = frame(41, 2);
            byte[] v6 = frame(77, 3);
            Pcapng f = threeInterfaces(order);
            int firstPacket = f.size();
            f.epb(0, 1_700_000_000_123_456L, 60, 64, eth)        // microseconds
                    .epb(1, 1_700_000_001_987_654_321L, v4)      // nanoseconds
                    .epb(2, (5L << 20) | 786_432, v6);           // 5.75 s after the offset
            Path file = write(dir, "three-" + order + ".pcapng", f.bytes());
            try (PcapngReader reader = new PcapngReader(file)) {
                RawPacket p = new RawPacket();
                assertThat(reader.next(p)).isTrue();
                assertThat(reader.interfaceCount()).isEqualTo(3);
                assertThat(reader.sectionCount()).isEqualTo(1);
                assertThat(p.sourcePosition).isEqualTo(firstPacket);
                assertThat(p.offset).isEqualTo(firstPacket + 28);
                assertThat(p.capturedLength).isEqualTo(60);
                assertThat(p.wireLength).isEqualTo(64);
                assertThat(p.tsSeconds).isEqualTo(1_700_000_000L);
                assertThat(p.tsNanos).isEqualTo(123_456_000);
                assertThat(p.time()).isEqualTo(1_700_000_000L + 123_456 / 1e6);
                assertThat(p.linkType).isEqualTo(1);
                assertThat(p.interfaceId).isZero();
                assertThat(p.interfaceName).isEqualTo("eth0");
                assertThat(p.outOfBandVlanTci).isEqualTo(-1);
                assertThat(Seen.of(p).bytes()).isEqualTo(eth);

                assertThat(reader.next(p)).isTrue();
                assertThat(p.sourcePosition).isEqualTo(firstPacket + 28 + 60 + 4);
                assertThat(p.capturedLength).isEqualTo(41);
                assertThat(p.tsSeconds).isEqualTo(1_700_000_001L);
                assertThat(p.tsNanos).isEqualTo(987_654_321);
                assertThat(p.time()).isEqualTo(1_700_000_001L + 987_654 / 1e6);
                assertThat(p.linkType).isEqualTo(228);
                assertThat(p.interfaceId).isEqualTo(1);
                assertThat(p.interfaceName).isEqualTo("tun0");
                assertThat(Seen.of(p).bytes()).isEqualTo(v4);

                assertThat(reader.next(p)).isTrue();
                assertThat(p.tsSeconds).isEqualTo(1_000_000_005L);
                assertThat(p.tsNanos).isEqualTo(750_000_000);
                assertThat(p.linkType).isEqualTo(229);
                assertThat(p.interfaceId).isEqualTo(2);
                assertThat(p.interfaceName).isNull();
                assertThat(Seen.of(p).bytes()).isEqualTo(v6);

                assertThat(reader.next(p)).isFalse();
                assertThat(reader.warnings()).isEmpty();
            }
        }
    }

    @Test
    void shouldReadSimplePacketBlockWhenInterfaceZeroDefined() throws Exception {
        Pcapng f = new Pcapng(LITTLE_ENDIAN);
        f.idb(LinkTypes.ETHERNET, 64, f.ifTsoffset(100), f.ifName("lan"));
        int spb = f.size();
        f.spb(60, frame(60, 4))     // whole frame
                .spb(1500, frame(64, 5))  // cut by the snaplen
                .spb(90, frame(48, 6));   // cut by the room in the block
        List<Seen> seen = readAll(f.bytes());
        assertThat(seen).extracting(Seen::capturedLength).containsExactly(60, 64, 48);
        assertThat(seen).extracting(Seen::wireLength).containsExactly(60, 1500, 90);
        Seen first = seen.getFirst();
        assertThat(first.sourcePosition()).isEqualTo(spb);
        assertThat(first.offset()).isEqualTo(spb + 12);
        assertThat(first.interfaceId()).isZero();
        assertThat(first.interfaceName()).isEqualTo("lan");
        assertThat(first.tsSeconds()).isEqualTo(100); // no timestamp, only the interface offset
        assertThat(first.tsNanos()).isZero();
        assertThat(first.bytes()).isEqualTo(frame(60, 4));
        assertThat(seen.get(2).bytes()).isEqualTo(frame(48, 6));
    }

    @Test
    void shouldSkipOtherBlocksWhenNameResolutionStatisticsAndCustomPresent() throws Exception {
        Pcapng f = new Pcapng(BIG_ENDIAN);
        f.block(0x00000004, frame(16, 0))              // name resolution block
                .idb(LinkTypes.LINUX_SLL, 0)
                .block(0x0000000A, frame(8, 0))        // decryption secrets block
                .epb(0, 5_000_001, frame(20, 1))
                .block(0x00000005, frame(20, 0))       // interface statistics block
                .block(0x00000BAD, frame(12, 0))       // custom block
                .block(0x40000BAD, new byte[0])        // custom block, not to be copied
                .block(0x12345678, frame(5, 0))        // unknown
                .pb(0, 7_000_000, frame(30, 2));       // obsolete packet block
        List<Seen> seen = readAll(f.bytes());
        assertThat(seen).hasSize(2);
        assertThat(seen).extracting(Seen::linkType).containsOnly(113);
        assertThat(seen).extracting(Seen::tsSeconds).containsExactly(5L, 7L);
        assertThat(seen).extracting(Seen::tsNanos).containsExactly(1000, 0);
        assertThat(seen.get(1).bytes()).isEqualTo(frame(30, 2));
    }

    @Test
    void shouldResetInterfacesWhenNewSectionStarts() throws Exception {
        Pcapng f = new Pcapng(LITTLE_ENDIAN);
        f.idb(LinkTypes.ETHERNET, 0, f.ifName("a0")).idb(LinkTypes.ETHERNET, 0, f.ifName("a1"))
                .epb(1, 1_000_000, frame(10, 0))
                .shb(BIG_ENDIAN)
                .idb(LinkTypes.NULL, 0, f.ifName("lo0"), f.ifTsresol(3))
                .epb(0, 2_500, frame(11, 0));
        int secondSectionEnd = f.size();
        f.epb(1, 3_000, frame(12, 0)); // interface 1 is gone
        byte[] bytes = f.bytes();
        try (PcapngReader reader = new PcapngReader("mem", MemorySegment.ofArray(bytes))) {
            RawPacket p = new RawPacket();
            assertThat(reader.next(p)).isTrue();
            assertThat(p.interfaceName).isEqualTo("a1");
            assertThat(p.tsSeconds).isEqualTo(1);
            assertThat(reader.next(p)).isTrue();
            assertThat(reader.sectionCount()).isEqualTo(2);
            assertThat(reader.interfaceCount()).isEqualTo(1);
            assertThat(p.interfaceName).isEqualTo("lo0");
            assertThat(p.linkType).isZero();
            assertThat(p.tsSeconds).isEqualTo(2);
            assertThat(p.tsNanos).isEqualTo(500_000_000);
            assertThat(Seen.of(p).bytes()).isEqualTo(frame(11, 0));
            assertThatThrownBy(() -> reader.next(p))
                    .isInstanceOf(CaptureException.class)
                    .hasMessage("mem: offset " + secondSectionEnd
                            + ": corrupt block: packet on interface 1, which has no interface description block in this section");
            assertThat(reader.next(p)).isFalse();
        }
    }

    @Test
    void shouldFailWhenPacketPrecedesAnyInterface() {
        byte[] bytes = new Pcapng(LITTLE_ENDIAN).spb(10, frame(10, 0)).bytes();
        assertThatThrownBy(() -> readAll(bytes)).hasMessage(
                "mem: offset 28: corrupt block: packet on interface 0, which has no interface description block in this section");
    }

    @Test
    void shouldFailWhenInterfaceLinkTypeUnsupported() {
        Pcapng f = new Pcapng(LITTLE_ENDIAN).idb(LinkTypes.ETHERNET, 0).epb(0, 1, frame(4, 0));
        int idb = f.size();
        byte[] bytes = f.idb(127, 0).bytes(); // radiotap
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOf(CaptureException.class)
                .hasMessage("mem: offset " + idb + ": unsupported link type 127");
    }

    @Test
    void shouldFailWhenBlockLengthNotMultipleOfFour() {
        byte[] bytes = new Pcapng(LITTLE_ENDIAN).rawBlock(1, 22, frame(8, 0), 22).bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .hasMessage("mem: offset 28: corrupt block: block length 22 is not a multiple of 4");
    }

    @Test
    void shouldFailWhenBlockLengthBelowTwelve() {
        byte[] bytes = new Pcapng(BIG_ENDIAN).rawBlock(1, 8, frame(8, 0), 8).bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .hasMessage("mem: offset 28: corrupt block: block length 8 is smaller than 12");
    }

    @Test
    void shouldFailWhenTrailerLengthDiffers() {
        byte[] bytes = new Pcapng(LITTLE_ENDIAN).rawBlock(1, 20, frame(8, 0), 24).bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .hasMessage("mem: offset 28: corrupt block: block length 20 in the header but 24 in the trailer");
    }

    @Test
    void shouldFailWhenBlockLengthAboveMaximum() {
        byte[] bytes = new Pcapng(LITTLE_ENDIAN).rawBlock(1, 0x7FFF_FFFC, frame(8, 0), 20).bytes();
        assertThatThrownBy(() -> readAll(bytes))
                .hasMessage("mem: offset 28: corrupt block: block length 2147483644 larger than the maximum of 16777216");
    }

    @Test
    void shouldFailWhenCapturedLengthExceedsBlockOrSnaplen() {
        byte[] pastBlock = new Pcapng(LITTLE_ENDIAN).idb(1, 0).epb(0, 0, 100, 100, frame(20, 0)).bytes();
        assertThatThrownBy(() -> readAll(pastBlock)).hasMessage(
                "mem: offset 48: corrupt block: captured length 100 larger than the 20 bytes of packet data in the block");
        byte[] pastSnaplen = new Pcapng(LITTLE_ENDIAN).idb(1, 16).epb(0, 0, frame(20, 0)).bytes();
        assertThatThrownBy(() -> readAll(pastSnaplen)).hasMessage(
                "mem: offset 48: corrupt block: captured length 20 larger than the snaplen 16 of interface 0");
    }

    @Test
    void shouldFailWhenOptionsAreMalformed() {
        Pcapng f = new Pcapng(LITTLE_ENDIAN);
        byte[] badResolution = f.idb(1, 0, f.option(9, new byte[] {6, 6})).bytes();
        assertThatThrownBy(() -> readAll(badResolution))
                .hasMessage("mem: offset 28: corrupt block: if_tsresol option of length 2, expected 1");
        Pcapng g = new Pcapng(LITTLE_ENDIAN);
        byte[] tooFine = g.idb(1, 0, g.ifTsresol(20)).bytes();
        assertThatThrownBy(() -> readAll(tooFine))
                .hasMessage("mem: offset 28: corrupt block: if_tsresol 10^-20 is too fine");
        Pcapng h = new Pcapng(LITTLE_ENDIAN);
        byte[] overrun = h.rawBlock(1, 24, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 9, 0}, 24).bytes();
        assertThatThrownBy(() -> readAll(overrun)).hasMessage(
                "mem: offset 28: corrupt block: option 2 of length 9 runs past the end of the interface description block");
    }

    @Test
    void shouldFailWhenSectionHeaderIsBroken() {
        byte[] badMagic = new Pcapng(LITTLE_ENDIAN).bytes();
        badMagic[8] = 0x11;
        assertThatThrownBy(() -> readAll(badMagic))
                .hasMessage("mem: offset 0: corrupt block: section header block has a bad byte-order magic 0x113c2b1a");
        byte[] version = new Pcapng(BIG_ENDIAN).bytes();
        version[13] = 2;
        assertThatThrownBy(() -> readAll(version)).hasMessage("mem: offset 0: unsupported pcapng version 2.0");
        byte[] shortFile = Arrays.copyOf(new Pcapng(LITTLE_ENDIAN).bytes(), 20);
        assertThatThrownBy(() -> readAll(shortFile)).hasMessage(
                "mem: offset 0: file too short for a pcapng section header block: needs 28 bytes, only 20");
    }

    @Test
    void shouldWarnAndEndWhenLastBlockTruncated() throws Exception {
        Pcapng f = new Pcapng(LITTLE_ENDIAN).idb(1, 0).epb(0, 1, frame(60, 0));
        int last = f.size();
        byte[] whole = f.epb(0, 2, frame(100, 0)).bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        Path file = write(dir, "cut.pcapng", cut);
        try (PacketSource source = CaptureFiles.open(file)) {
            assertThat(readAll(source)).hasSize(1);
            assertThat(source.warnings()).containsExactly(file + ": truncated record at offset " + last
                    + ": needs 132 bytes, only 122 left; input ends here");
        }
        byte[] header = Arrays.copyOf(whole, last + 5);
        try (PacketSource source = CaptureFiles.open("mem", MemorySegment.ofArray(header))) {
            assertThat(readAll(source)).hasSize(1);
            assertThat(source.warnings()).containsExactly("mem: truncated record at offset " + last
                    + ": needs 8 bytes, only 5 left; input ends here");
        }
    }

    @Test
    void shouldAllocateNothingWhenReadingPackets() throws Exception {
        Pcapng f = threeInterfaces(LITTLE_ENDIAN);
        for (int i = 0; i < 20_000; i++) {
            if (i % 100 == 0) {
                f.block(5, frame(16, 0)); // statistics, skipped
            }
            f.epb(i % 3, 1_700_000_000_000_000L + i * 1_000_003L, frame(20 + i % 40, i));
        }
        f.spb(60, frame(60, 0));
        Path file = write(dir, "many.pcapng", f.bytes());
        long best = CaptureBytes.fewestBytesAllocatedReading(() -> new PcapngReader(file), 20_001);
        assertThat(best).as("bytes allocated reading 20001 packets").isLessThan(1024);
    }

    @Test
    void shouldGiveLibpcapMicrosecondsWhenResolutionIsBinary() {
        // libpcap: usec = frac * 1000000 / 2^k in 64-bit arithmetic
        assertThat(PcapngReader.binaryFractionToNanos(1, 1)).isEqualTo(500_000_000);
        assertThat(PcapngReader.binaryFractionToNanos(3, 2)).isEqualTo(750_000_000);
        assertThat(PcapngReader.binaryFractionToNanos((1L << 30) - 1, 30)).isEqualTo(999_999_999);
        long frac = (1L << 44) - 12345;
        assertThat(PcapngReader.binaryFractionToNanos(frac, 44) / 1000).isEqualTo((frac * 1_000_000L) >>> 44);
        long wrapping = (1L << 50) - 1;
        assertThat(PcapngReader.binaryFractionToNanos(wrapping, 50) / 1000)
                .isEqualTo((wrapping * 1_000_000L) >>> 50);
    }
}
