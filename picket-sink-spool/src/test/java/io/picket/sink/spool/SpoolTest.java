package io.picket.sink.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SpoolTest {
    /** 1 MiB bound, 128 KiB segments, 4 KiB records: a few hundred small records per segment. */
    private static final SpoolOptions SMALL = new SpoolOptions(1L << 20, 128L << 10, 4096,
            SpoolOptions.Overflow.DROP_OLDEST, SpoolOptions.Fsync.NEVER, Duration.ofSeconds(1));

    private static byte[] rec(int i) {
        return ("record-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Spool s, int max) {
        List<byte[]> out = new ArrayList<>();
        while (s.read(out, max, 1L << 20) > 0) {
            // keep reading
        }
        return out.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldReadRecordsInOrderWhenAppendedAcrossSegments() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-order");
        try (Spool s = Spool.open(dir, SMALL)) {
            for (int i = 0; i < 5000; i++) {
                assertThat(s.append(rec(i))).isEqualTo(i);
                if (i % 100 == 99) {
                    s.flush();
                }
            }
            s.flush();
            List<String> got = readAll(s, 333);
            assertThat(got).hasSize(5000);
            for (int i = 0; i < 5000; i++) {
                assertThat(got.get(i)).isEqualTo(new String(rec(i), StandardCharsets.UTF_8));
            }
            assertThat(segments(dir)).hasSizeGreaterThan(1);
            s.ack();
            assertThat(s.pendingRecords()).isZero();
            assertThat(segments(dir)).hasSize(1);
        }
    }

    @Test
    void shouldReadUnacknowledgedRecordsAgainWhenReopened() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-reopen");
        long id;
        try (Spool s = Spool.open(dir, SMALL.withFsync(SpoolOptions.Fsync.BATCH, Duration.ofSeconds(1)))) {
            id = s.id();
            for (int i = 0; i < 100; i++) {
                s.append(rec(i));
            }
            s.flush();
            List<byte[]> out = new ArrayList<>();
            s.read(out, 40, 1L << 20);
            s.ack(); // 0..39 acknowledged
            out.clear();
            s.read(out, 10, 1L << 20); // 40..49 handed out, not acknowledged
        }
        try (Spool s = Spool.open(dir, SMALL)) {
            assertThat(s.id()).isEqualTo(id);
            assertThat(s.stats().recoveredPending()).isEqualTo(60);
            List<String> got = readAll(s, 1000);
            assertThat(got).hasSize(60);
            assertThat(got.getFirst()).isEqualTo(new String(rec(40), StandardCharsets.UTF_8));
            assertThat(s.append(rec(100))).isEqualTo(100);
        }
    }

    @Test
    void shouldTruncateAndCountWhenLastRecordIsTorn() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-torn");
        try (Spool s = Spool.open(dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                s.append(rec(i));
            }
        }
        Path seg = segments(dir).getFirst();
        long goodSize = Files.size(seg);
        // A crash in the middle of an append: length 100, CRC, then only 3 of the 100 payload bytes.
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {
                0, 0, 0, 100,                    // length
                0x12, 0x34, 0x56, 0x78,          // CRC32C (irrelevant, payload is short)
                'a', 'b', 'c'}));                // torn payload
        }
        try (Spool s = Spool.open(dir, SMALL)) {
            Spool.Stats st = s.stats();
            assertThat(st.tornRecords()).isEqualTo(1);
            assertThat(st.tornBytes()).isEqualTo(11);
            assertThat(Files.size(seg)).isEqualTo(goodSize);
            assertThat(s.append(rec(10))).isEqualTo(10);
            s.flush();
            assertThat(readAll(s, 100)).hasSize(11).last().isEqualTo(new String(rec(10), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldTruncateAtCrcMismatchWhenPayloadIsDamaged() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-crc");
        try (Spool s = Spool.open(dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                s.append(rec(i));
            }
        }
        Path seg = segments(dir).getFirst();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#'}), size - 1); // last payload byte flipped
        }
        try (Spool s = Spool.open(dir, SMALL)) {
            assertThat(s.stats().tornRecords()).isEqualTo(1);
            assertThat(readAll(s, 100)).hasSize(9);
        }
    }

    @Test
    void shouldDropOldestAndCountWhenFull() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-oldest");
        try (Spool s = Spool.open(dir, SMALL)) {
            byte[] r = new byte[1000];
            int n = 3000; // ~3 MB into a 1 MiB spool
            for (int i = 0; i < n; i++) {
                ByteBuffer.wrap(r).putInt(i);
                assertThat(s.append(r)).isGreaterThanOrEqualTo(0);
            }
            s.flush();
            Spool.Stats st = s.stats();
            assertThat(st.bytes()).isLessThanOrEqualTo(SMALL.maxBytes());
            assertThat(st.evicted()).isPositive();
            assertThat(st.evicted() + st.pendingRecords()).isEqualTo(n);
            List<byte[]> out = new ArrayList<>();
            while (s.read(out, 1000, 1L << 30) > 0) {
                // all
            }
            assertThat(out).hasSize((int) st.pendingRecords());
            // The newest records survive, in order, ending with the last one.
            for (int i = 0; i < out.size(); i++) {
                assertThat(ByteBuffer.wrap(out.get(i)).getInt()).isEqualTo((int) st.evicted() + i);
            }
        }
    }

    @Test
    void shouldRefuseNewestAndCountWhenFull() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-newest");
        SpoolOptions o = SMALL.withOverflow(SpoolOptions.Overflow.DROP_NEWEST);
        try (Spool s = Spool.open(dir, o)) {
            byte[] r = new byte[1000];
            long refused = 0;
            for (int i = 0; i < 3000; i++) {
                ByteBuffer.wrap(r).putInt(i);
                if (s.append(r) == Spool.REFUSED_FULL) {
                    refused++;
                }
            }
            s.flush();
            Spool.Stats st = s.stats();
            assertThat(st.refusedFull()).isEqualTo(refused).isPositive();
            assertThat(st.pendingRecords() + refused).isEqualTo(3000);
            List<byte[]> out = new ArrayList<>();
            s.read(out, 1, 1L << 30);
            assertThat(ByteBuffer.wrap(out.getFirst()).getInt()).isZero(); // the oldest kept
        }
    }

    @Test
    void shouldNotCountInFlightRecordsAsEvictedWhenTheirSegmentIsDropped() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-inflight");
        try (Spool s = Spool.open(dir, SMALL)) {
            byte[] r = new byte[1000];
            for (int i = 0; i < 200; i++) {
                s.append(r);
            }
            s.flush();
            List<byte[]> out = new ArrayList<>();
            s.read(out, 50, 1L << 30); // 50 in flight
            for (int i = 0; i < 2000; i++) {
                s.append(r);
            }
            s.flush();
            s.ack(); // the in-flight batch was delivered after all
            Spool.Stats st = s.stats();
            assertThat(50 + st.evicted() + st.pendingRecords()).isEqualTo(2200);
        }
    }

    @Test
    void shouldRefuseSecondOpenWhenDirectoryInUse() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-lock");
        try (Spool s = Spool.open(dir, SMALL)) {
            assertThatThrownBy(() -> Spool.open(dir, SMALL)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
        Spool.open(dir, SMALL).close();
    }

    @Test
    void shouldKeepCursorWhenOneCursorSlotIsTorn() throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-cursor");
        try (Spool s = Spool.open(dir, SMALL)) {
            for (int i = 0; i < 20; i++) {
                s.append(rec(i));
            }
            s.flush();
            List<byte[]> out = new ArrayList<>();
            s.read(out, 5, 1L << 20);
            s.ack();
        }
        // Damage the newer slot: the older one (an earlier cursor) must be used, so records are
        // read again rather than lost.
        byte[] c = Files.readAllBytes(dir.resolve("cursor"));
        long g0 = ByteBuffer.wrap(c).getLong(8);
        long g1 = ByteBuffer.wrap(c).getLong(40);
        int newer = g1 > g0 ? 32 : 0;
        c[newer + 20] ^= 0x55;
        Files.write(dir.resolve("cursor"), c);
        try (Spool s = Spool.open(dir, SMALL)) {
            assertThat(s.pendingRecords()).isBetween(15L, 20L);
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
