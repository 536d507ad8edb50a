package io.picket.capture;

import static io.picket.capture.CaptureBytes.frame;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.capture.CaptureBytes.Pcap;
import io.picket.capture.CaptureBytes.Pcapng;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Readers on hostile input: only {@link CaptureException} or a clean end, never another
 * exception, and every packet window inside the input.
 */
class CapturePropertiesTest {

    /** Reads everything; returns the number of packets, or -1 if a CaptureException ended it. */
    private static int drain(byte[] bytes) {
        MemorySegment data = MemorySegment.ofArray(bytes);
        int packets = 0;
        try (PacketSource source = CaptureFiles.open("fuzz", data)) {
            RawPacket p = new RawPacket();
            while (source.next(p)) {
                packets++;
                assertThat(p.segment).isSameAs(data);
                assertThat(p.offset).isBetween(0L, data.byteSize());
                assertThat(p.capturedLength).isBetween(0, PcapReader.MAX_CAPTURED_LENGTH + 14);
                assertThat(p.offset + p.capturedLength).isLessThanOrEqualTo(data.byteSize());
                assertThat(p.sourcePosition).isBetween(0L, p.offset);
                assertThat(p.wireLength).isNotNegative();
                assertThat(p.tsNanos).isBetween(0, 999_999_999);
                assertThat(LinkTypes.isSupported(p.linkType)).isTrue();
                assertThat(packets).isLessThanOrEqualTo(bytes.length / 12);
            }
            assertThat(source.warnings()).hasSizeLessThanOrEqualTo(1);
            assertThat(source.next(p)).isFalse();
            return packets;
        } catch (CaptureException e) {
            assertThat(e.getMessage()).startsWith("fuzz: offset ").doesNotContain("\n");
            assertThat(e.offset()).isBetween(0L, (long) bytes.length);
            return -1;
        }
    }

    @Property(tries = 400)
    void shouldEndCleanlyOrThrowCaptureExceptionWhenBytesArbitrary(@ForAll @Size(max = 600) byte[] bytes) {
        drain(bytes);
    }

    @Property(tries = 400)
    void shouldEndCleanlyOrThrowCaptureExceptionWhenPcapHeaderFollowedByArbitraryBytes(
            @ForAll("pcapHeaders") byte[] header, @ForAll @Size(max = 600) byte[] tail) {
        byte[] bytes = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, bytes, header.length, tail.length);
        drain(bytes);
    }

    @Property(tries = 400)
    void shouldEndCleanlyOrThrowCaptureExceptionWhenPcapngHeaderFollowedByArbitraryBytes(
            @ForAll boolean bigEndian, @ForAll boolean withInterface, @ForAll @Size(max = 600) byte[] tail) {
        Pcapng f = new Pcapng(bigEndian ? BIG_ENDIAN : LITTLE_ENDIAN);
        if (withInterface) {
            f.idb(LinkTypes.ETHERNET, 0);
        }
        drain(f.raw(tail).bytes());
    }

    @Property(tries = 600)
    void shouldEndCleanlyOrThrowCaptureExceptionWhenValidFileMutated(
            @ForAll("validFiles") byte[] valid,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(max = 8) List<Byte> values,
            @ForAll @IntRange(min = 0, max = 100) int keepPercent) {
        byte[] bytes = valid.clone();
        for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
            bytes[positions.get(i) % bytes.length] = values.get(i);
        }
        if (keepPercent < 30) {
            bytes = Arrays.copyOf(bytes, bytes.length * keepPercent / 30);
        }
        drain(bytes);
    }

    /**
     * A pcap file read through a small window (records straddle refills, some records are larger
     * than the window's regular part) gives exactly what the whole file in memory gives: the
     * same frames, times and positions, the same warnings, the same error at the same offset.
     */
    @Property(tries = 300)
    void shouldReadTheSameThroughAWindowAsFromMemoryWhenPcapValidMutatedOrCut(
            @ForAll("validFiles") byte[] valid,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(max = 4) List<Byte> values,
            @ForAll @IntRange(min = 0, max = 100) int keepPercent,
            @ForAll @IntRange(min = 1, max = 700) int window) throws Exception {
        byte[] bytes = valid.clone();
        for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
            bytes[positions.get(i) % bytes.length] = values.get(i);
        }
        if (keepPercent < 30) {
            bytes = Arrays.copyOf(bytes, bytes.length * keepPercent / 30);
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("window");
        try {
            byte[] content = bytes;
            java.nio.file.Path file = CaptureBytes.write(dir, "f.pcap", content);
            Object fromMemory = outcome(() -> CaptureFiles.open("f", MemorySegment.ofArray(content.clone())));
            boolean pcap = content.length >= 4 && (PcapReader.isPcapMagic(java.nio.ByteBuffer.wrap(content).getInt())
                    || PcapReader.isPcapMagic(java.nio.ByteBuffer.wrap(content).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()));
            Object windowed = outcome(() -> pcap ? PcapReader.streamed(file, window) : CaptureFiles.open(file));
            assertThat(windowed).isEqualTo(fromMemory);
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }

    /** What a source yields, without buffer offsets or file names: frames, then warnings or the error. */
    private static Object outcome(CaptureBytes.Opener opener) {
        List<Object> out = new ArrayList<>();
        try (PacketSource source = opener.open()) {
            RawPacket p = new RawPacket();
            while (source.next(p)) {
                out.add(List.of(p.capturedLength, p.wireLength, p.tsSeconds, p.tsNanos, p.linkType,
                        p.sourcePosition, Arrays.toString(p.segment.asSlice(p.offset, p.capturedLength)
                                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
            }
            for (String w : source.warnings()) {
                out.add(w.substring(w.indexOf(':')));
            }
        } catch (CaptureException e) {
            out.add("error at " + e.offset() + e.getMessage().substring(e.getMessage().indexOf(':')));
        }
        return out;
    }

    @Property(tries = 50)
    void shouldReadEveryPacketWhenValidFileCutAnywhere(@ForAll("validFiles") byte[] valid,
                                                       @ForAll @IntRange(min = 0, max = 100) int keepPercent) {
        int full = drain(valid);
        assertThat(full).isPositive();
        int cut = drain(Arrays.copyOf(valid, Math.max(28, valid.length * keepPercent / 100)));
        assertThat(cut).isBetween(0, full);
    }

    @Property(tries = 300)
    void shouldGiveLibpcapTimeWhenResolutionIsPowerOfTen(@ForAll @IntRange(min = 0, max = 19) int exponent,
                                                          @ForAll long timestamp) {
        Pcapng f = new Pcapng(LITTLE_ENDIAN);
        byte[] bytes = f.idb(LinkTypes.ETHERNET, 0, f.ifTsresol(exponent)).epb(0, timestamp, frame(1, 0)).bytes();
        RawPacket p = readOne(bytes);
        // libpcap, microsecond mode: sec = t / r; frac = t % r scaled to microseconds
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= 10;
        }
        long sec = Long.divideUnsigned(timestamp, r);
        long frac = Long.remainderUnsigned(timestamp, r);
        long usec;
        if (exponent <= 6) {
            usec = frac * pow10(6 - exponent);
        } else {
            usec = Long.divideUnsigned(frac, pow10(exponent - 6));
        }
        assertThat(p.tsSeconds).isEqualTo(sec);
        assertThat(p.time()).isEqualTo(sec + usec / 1e6);
        assertThat(p.timeMicros()).isEqualTo(sec * 1_000_000L + usec);
    }

    @Property(tries = 300)
    void shouldGiveLibpcapTimeWhenResolutionIsPowerOfTwo(@ForAll @IntRange(min = 0, max = 63) int shift,
                                                          @ForAll long timestamp,
                                                          @ForAll @LongRange(min = -5_000_000_000L, max = 5_000_000_000L) long offset) {
        Pcapng f = new Pcapng(BIG_ENDIAN);
        byte[] bytes = f.idb(LinkTypes.RAW, 0, f.ifTsresol(0x80 | shift), f.ifTsoffset(offset))
                .epb(0, timestamp, frame(1, 0)).bytes();
        RawPacket p = readOne(bytes);
        long r = 1L << shift;
        long sec = Long.divideUnsigned(timestamp, r) + offset;
        long frac = Long.remainderUnsigned(timestamp, r);
        long usec = (frac * 1_000_000L) >>> shift; // libpcap's 64-bit arithmetic, wrapping included
        assertThat(p.tsSeconds).isEqualTo(sec);
        assertThat(p.tsNanos).isBetween(0, 999_999_999);
        assertThat(p.tsNanos / 1000).isEqualTo((int) usec);
        assertThat(p.time()).isEqualTo(sec + usec / 1e6);
    }

    @Property(tries = 200)
    void shouldMergeInTimestampOrderWhenInputsInterleave(
            @ForAll @Size(min = 2, max = 3) List<@Size(max = 12) List<@IntRange(min = 0, max = 20) Integer>> inputs)
            throws CaptureException {
        List<PacketSource> sources = new ArrayList<>();
        List<long[]> expected = new ArrayList<>(); // {time, input, index}
        for (int i = 0; i < inputs.size(); i++) {
            List<Integer> times = new ArrayList<>(inputs.get(i));
            times.sort(null);
            Pcap pcap = Pcap.micros(i % 2 == 0 ? LITTLE_ENDIAN : BIG_ENDIAN, LinkTypes.ETHERNET);
            for (int k = 0; k < times.size(); k++) {
                pcap.record(times.get(k) / 4, (times.get(k) % 4) * 250_000, new byte[] {(byte) i, (byte) k});
                expected.add(new long[] {times.get(k), i, k});
            }
            sources.add(CaptureFiles.open("in" + i, MemorySegment.ofArray(pcap.bytes())));
        }
        expected.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<long[]> seen = new ArrayList<>();
        try (MergedPacketSource merged = new MergedPacketSource(sources)) {
            assertThat(merged.inputCount()).isEqualTo(inputs.size());
            RawPacket p = new RawPacket();
            while (merged.next(p)) {
                long t = p.tsSeconds * 4 + p.tsNanos / 250_000_000;
                seen.add(new long[] {t, p.segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.offset),
                        p.segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.offset + 1)});
            }
        }
        assertThat(seen).hasSameSizeAs(expected);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).containsExactly(expected.get(i));
        }
    }

    private static RawPacket readOne(byte[] bytes) {
        try (PacketSource source = CaptureFiles.open("mem", MemorySegment.ofArray(bytes))) {
            RawPacket p = new RawPacket();
            assertThat(source.next(p)).isTrue();
            return p;
        } catch (CaptureException e) {
            throw new AssertionError(e);
        }
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }

    @Provide
    Arbitrary<byte[]> pcapHeaders() {
        Arbitrary<ByteOrder> order = Arbitraries.of(LITTLE_ENDIAN, BIG_ENDIAN);
        Arbitrary<Integer> magic = Arbitraries.of(PcapReader.MAGIC_MICROS, PcapReader.MAGIC_NANOS, PcapReader.MAGIC_PATCHED);
        Arbitrary<Integer> minor = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> snaplen = Arbitraries.of(0, 1, 64, 65535, 262_144, 262_145, -1);
        Arbitrary<Integer> linkType = Arbitraries.of(0, 1, 101, 113, 276);
        return Combinators.combine(order, magic, minor, snaplen, linkType)
                .as((o, m, v, s, l) -> new Pcap(o, m, 2, v, s, l).bytes());
    }

    @Provide
    Arbitrary<byte[]> validFiles() {
        Pcap le = Pcap.micros(LITTLE_ENDIAN, LinkTypes.ETHERNET)
                .record(1, 2, frame(60, 1)).record(3, 4, frame(14, 2)).record(5, 6, 10, 100, frame(10, 3));
        Pcap be = new Pcap(BIG_ENDIAN, PcapReader.MAGIC_NANOS, 2, 4, 32, LinkTypes.IPV6)
                .record(1, 999_999_999, frame(40, 1)).record(2, 0, frame(20, 2));
        Pcapng ng = new Pcapng(LITTLE_ENDIAN);
        ng.idb(LinkTypes.ETHERNET, 0, ng.ifName("eth0"))
                .idb(LinkTypes.RAW, 128, ng.ifTsresol(0x80 | 10), ng.ifTsoffset(7))
                .epb(0, 1_000_000, frame(30, 4))
                .block(5, frame(16, 0))
                .spb(70, frame(70, 5))
                .epb(1, 5000, frame(21, 6))
                .shb(BIG_ENDIAN)
                .idb(LinkTypes.LINUX_SLL2, 0, ng.ifTsresol(9))
                .pb(0, 123_456_789_000L, frame(25, 7))
                .epb(0, 9, frame(3, 8));
        return Arbitraries.of(le.bytes(), be.bytes(), ng.bytes());
    }
}
