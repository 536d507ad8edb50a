package io.picket.log.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.log.writer.FileLogSink.Compression;
import io.picket.log.writer.FileLogSink.Options;
import io.picket.log.writer.FileLogSink.Rotation;
import io.picket.log.writer.FileLogSink.RotationClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogSinkRotationTest {
    private static final LogSchema CONN = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("seq", ZeekType.COUNT));
    private static final LogSchema DNS = LogSchema.of("dns",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("query", ZeekType.STRING));
    /** The columns of Zeek's testing/btest/scripts/base/frameworks/logging/rotate.zeek stream. */
    private static final LogSchema TEST = LogSchema.of("test",
            LogField.of("t", ZeekType.TIME),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT));
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    // 2024-01-31 12:00:00 UTC = 13:00:00 in Berlin
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-31T12:00:00Z"), BERLIN);
    private static final Pattern ROTATED =
            Pattern.compile("([A-Za-z0-9_]+)\\.(\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d)(?:\\.(\\d+))?\\.log(\\.gz|\\.zst)?");
    private static final List<String> TSV_HEADER_KEYS =
            List.of("#separator", "#set_separator", "#empty_field", "#unset_field", "#path", "#open", "#fields", "#types");

    @TempDir
    Path dir;

    @Test
    void shouldRotateIntoZeekNamedFilesWithHeaderAndCloseWhenSizeLimitReached() throws IOException {
        long max = 1000;
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK).withRotation(Rotation.atSize(max)));
        for (int i = 0; i < 300; i++) {
            sink.write("t", conn(i));
        }
        sink.close();

        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(dir.resolve("t/conn.log")).doesNotExist();
        assertThat(files.get(0).getFileName()).hasToString("conn.2024-01-31-13-00-00.log");
        assertThat(files.get(1).getFileName()).hasToString("conn.2024-01-31-13-00-00.1.log");
        List<String> rows = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = lines(f);
            assertThat(lines.subList(0, 8)).extracting(l -> l.split("[ \t]")[0]).isEqualTo(TSV_HEADER_KEYS);
            assertThat(lines.get(4)).isEqualTo("#path\tconn");
            assertThat(lines.get(5)).isEqualTo("#open\t2024-01-31-13-00-00");
            assertThat(lines.getLast()).isEqualTo("#close\t2024-01-31-13-00-00");
            long fileRows = lines.stream().filter(l -> !l.startsWith("#")).count();
            assertThat(fileRows).isPositive();
            assertThat(Files.size(f)).isLessThanOrEqualTo(max + "#close\t2024-01-31-13-00-00\n".length());
            lines.stream().filter(l -> !l.startsWith("#")).forEach(rows::add);
        }
        assertThat(rows).isEqualTo(expectedConnRows(300));
        assertThat(sink.rotations()).isEqualTo(files.size());
        assertThat(sink.rotationErrors()).isZero();
        assertThat(sink.writeErrors()).isZero();
    }

    @Test
    void shouldRotateAtIntervalBoundaryOfInjectedClockWhenRecordsArrive() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-31T12:30:00Z"), ZoneOffset.UTC);
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(clock)
                .withRotation(Rotation.every(Duration.ofHours(1))));
        sink.write("t", conn(0));
        sink.write("t", conn(1));
        sink.flush();
        clock.set(Instant.parse("2024-01-31T12:59:59Z"));
        sink.write("t", conn(2));
        sink.flush();
        assertThat(rotated(dir.resolve("t"), "conn")).isEmpty();
        clock.set(Instant.parse("2024-01-31T13:00:05Z"));
        sink.write("t", conn(3));
        sink.flush();
        clock.set(Instant.parse("2024-01-31T14:10:00Z"));
        sink.write("t", conn(4));
        sink.close();

        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "conn.2024-01-31-12-30-00.log", "conn.2024-01-31-13-00-05.log", "conn.2024-01-31-14-10-00.log");
        assertThat(rows(files.get(0))).isEqualTo(expectedConnRows(0, 3));
        assertThat(lines(files.get(0)).getLast()).isEqualTo("#close\t2024-01-31-13-00-05");
        assertThat(rows(files.get(1))).isEqualTo(expectedConnRows(3, 4));
        assertThat(lines(files.get(1))).contains("#open\t2024-01-31-13-00-05").last().isEqualTo("#close\t2024-01-31-14-10-00");
        assertThat(rows(files.get(2))).isEqualTo(expectedConnRows(4, 5));
    }

    @Test
    void shouldRotateIdleFileWhenIntervalEndsWithoutNewRecords() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-31T12:59:00Z"), ZoneOffset.UTC);
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(clock)
                .withRotation(Rotation.every(Duration.ofMinutes(30))));
        sink.write("t", conn(0));
        sink.flush();
        clock.set(Instant.parse("2024-01-31T13:00:01Z"));
        Path expected = dir.resolve("t/conn.2024-01-31-12-59-00.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Files.exists(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(expected).exists();
        assertThat(dir.resolve("t/conn.log")).doesNotExist();
        assertThat(lines(expected).getLast()).isEqualTo("#close\t2024-01-31-13-00-01");
        sink.close();
        assertThat(rotated(dir.resolve("t"), "conn")).hasSize(1);
    }

    @Test
    void shouldRotateOnNetworkTimeLikeZeekReadingTraceWhenNetworkClock() throws IOException {
        // Zeek's logging/rotate.zeek btest: -r rotation.trace, 1 hr interval, TZ=UTC. Its baseline
        // names test.2011-03-07-03-00-05.log ... test.2011-03-07-12-00-05.log, two rows each.
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .withRotation(Rotation.every(Duration.ofHours(1)).withClock(RotationClock.NETWORK_TIME)));
        for (int i = 0; i < 10; i++) {
            double first = 1299466805.0 + i * 3600;
            sink.advanceNetworkTime(first);
            sink.write("t", test(first, "10.0.0.1", 20, "10.0.0.2", 1024 + i));
            double second = first + 3590;
            sink.advanceNetworkTime(second);
            sink.write("t", test(second, "10.0.0.2", 20, "10.0.0.3", i));
        }
        sink.close();

        List<Path> files = rotated(dir.resolve("t"), "test");
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        List<String> zeek = new ArrayList<>();
        for (int h = 3; h <= 12; h++) {
            zeek.add(String.format("test.2011-03-07-%02d-00-05.log", h));
        }
        assertThat(names).isEqualTo(zeek);
        assertThat(rows(files.get(0))).containsExactly(
                "1299466805.000000\t10.0.0.1\t20\t10.0.0.2\t1024",
                "1299470395.000000\t10.0.0.2\t20\t10.0.0.3\t0");
        assertThat(rows(files.get(9))).containsExactly(
                "1299499205.000000\t10.0.0.1\t20\t10.0.0.2\t1033",
                "1299502795.000000\t10.0.0.2\t20\t10.0.0.3\t9");
    }

    @Test
    void shouldNameSizeRotatedFilesByNetworkTimeWhenNetworkClockWithoutInterval() throws IOException {
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK)
                .withRotation(Rotation.atSize(200).withClock(RotationClock.NETWORK_TIME)));
        for (int i = 0; i < 4; i++) {
            sink.advanceNetworkTime(1299466805.0 + i * 60);
            sink.write("t", conn(i));
            sink.write("t", conn(i));
        }
        sink.close();
        assertThat(rotated(dir.resolve("t"), "conn")).extracting(p -> p.getFileName().toString()).containsExactly(
                "conn.2011-03-07-04-00-05.log", "conn.2011-03-07-04-01-05.log", "conn.2011-03-07-04-02-05.log",
                "conn.2011-03-07-04-03-05.log");
    }

    @Test
    void shouldIgnoreNetworkTimeWhenWallClockDrivesRotation() throws IOException {
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK)
                .withRotation(Rotation.every(Duration.ofHours(1))));
        sink.advanceNetworkTime(1299466805.0);
        sink.write("t", conn(0));
        sink.advanceNetworkTime(1299466805.0 + 7200);
        sink.write("t", conn(1));
        sink.close();
        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("conn.2024-01-31-13-00-00.log");
        assertThat(rows(files.get(0))).hasSize(2);
    }

    @Test
    void shouldWriteReadableGzipFilesWhenGzipCompression() throws IOException {
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK)
                .withRotation(Rotation.atSize(800).withCompression(Compression.GZIP)));
        for (int i = 0; i < 100; i++) {
            sink.write("t", conn(i));
        }
        sink.close();
        assertCompressedCopies(".gz", 100);
        assertThat(sink.rotationErrors()).isZero();
    }

    @Test
    void shouldWriteReadableZstdFilesWhenZstdCompression() throws IOException {
        assertThat(Compression.ZSTD.available()).isTrue();
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK)
                .withFormat(FileLogSink.Format.JSON)
                .withRotation(Rotation.atSize(1200).withCompression(Compression.ZSTD)));
        for (int i = 0; i < 100; i++) {
            sink.write("t", conn(i));
        }
        sink.close();
        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files).hasSizeGreaterThan(2).allMatch(p -> p.toString().endsWith(".log.zst"));
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(lines(f));
        }
        assertThat(lines).hasSize(100);
        assertThat(lines.getFirst()).isEqualTo("{\"ts\":1706702400.0,\"uid\":\"C0\",\"seq\":0}");
        assertThat(lines.getLast()).isEqualTo("{\"ts\":1706702400.099,\"uid\":\"C99\",\"seq\":99}");
        assertNoLeftovers();
    }

    @Test
    void shouldCreateFilesAndDirectoriesWithoutAccessForOthersWhenDefaultPermissions() throws IOException {
        FileLogSink sink = new FileLogSink(dir.resolve("logs"), Options.defaults().withClock(CLOCK)
                .withRotation(Rotation.atSize(1000).withCompression(Compression.GZIP)));
        for (int i = 0; i < 50; i++) {
            sink.write("t", conn(i));
        }
        sink.flush();
        assertThat(perms(dir.resolve("logs"))).isEqualTo("rwxr-x---");
        assertThat(perms(dir.resolve("logs/t"))).isEqualTo("rwxr-x---");
        assertThat(perms(dir.resolve("logs/t/conn.log"))).isEqualTo("rw-r-----");
        sink.close();
        List<Path> files = rotated(dir.resolve("logs/t"), "conn");
        assertThat(files).hasSizeGreaterThan(1);
        for (Path f : files) {
            assertThat(perms(f)).as(f.toString()).isEqualTo("rw-r-----");
        }
    }

    @Test
    void shouldApplyConfiguredPermissionsWhenDirectoryExistedWithLooserOnes() throws IOException {
        Path tenant = Files.createDirectories(dir.resolve("t"));
        Files.setPosixFilePermissions(tenant, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tenant.resolve("conn.log"), "old\n");
        Files.setPosixFilePermissions(tenant.resolve("conn.log"), PosixFilePermissions.fromString("rw-r--r--"));
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK).withPermissions("rwx------", "rw-------"));
        sink.write("t", conn(0));
        sink.close();
        assertThat(perms(tenant)).isEqualTo("rwx------");
        assertThat(perms(tenant.resolve("conn.log"))).isEqualTo("rw-------");
    }

    @Test
    void shouldRefusePermissionsForOthersWhenConfigured() {
        assertThatThrownBy(() -> Options.defaults().withPermissions("rwxr-x---", "rw-r--r--"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("others");
        assertThatThrownBy(() -> Options.defaults().withPermissions("rwxr-x--x", "rw-r-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.defaults().withPermissions("r-x------", "rw-------"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> Rotation.every(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMoveEarlierRunsLogAsideInsteadOfTruncatingWhenRotationIsOn() throws IOException {
        Path tenant = Files.createDirectories(dir.resolve("t"));
        Files.writeString(tenant.resolve("conn.log"), "left by an earlier run\n");
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(CLOCK)
                .withRotation(Rotation.every(Duration.ofHours(1))));
        sink.write("t", conn(0));
        sink.close();
        List<Path> files = rotated(tenant, "conn");
        assertThat(files).hasSize(2);
        List<String> contents = new ArrayList<>();
        for (Path f : files) {
            contents.add(Files.readString(f));
        }
        assertThat(contents).anyMatch(c -> c.equals("left by an earlier run\n"));
        assertThat(contents).anyMatch(c -> c.contains("\tC0\t0\n"));
    }

    @Test
    void shouldRotateEveryTenantAndPathWhenIntervalEnds() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-31T12:30:00Z"), ZoneOffset.UTC);
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(clock)
                .withRotation(Rotation.every(Duration.ofHours(1))));
        sink.write("a", conn(0));
        sink.write("b", conn(1));
        sink.write("b", dns("x.example"));
        sink.flush();
        clock.set(Instant.parse("2024-01-31T13:00:00Z"));
        sink.write("b", dns("y.example"));
        sink.close();
        assertThat(rotated(dir.resolve("a"), "conn")).hasSize(1);
        assertThat(rotated(dir.resolve("b"), "conn")).hasSize(1);
        List<Path> dns = rotated(dir.resolve("b"), "dns");
        assertThat(dns).extracting(p -> p.getFileName().toString())
                .containsExactly("dns.2024-01-31-12-30-00.log", "dns.2024-01-31-13-00-00.log");
        assertThat(rows(dns.get(0))).singleElement().asString().contains("x.example");
        assertThat(rows(dns.get(1))).singleElement().asString().contains("y.example");
    }

    @Test
    void shouldLoseNothingWhenRecordsKeepArrivingDuringRotations() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-31T00:00:00Z"), ZoneOffset.UTC);
        FileLogSink sink = new FileLogSink(dir, Options.defaults().withClock(clock).withQueueCapacity(64)
                .withRotation(Rotation.every(Duration.ofHours(1)).withMaxBytes(16 * 1024)
                        .withCompression(Compression.GZIP)));
        int producers = 4;
        int perProducer = 5000;
        AtomicBoolean done = new AtomicBoolean();
        Thread ticker = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                clock.advance(Duration.ofMinutes(7));
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    sink.write("t", new LogRecord(CONN).set(0, 1.0 * i).set(1, "P" + id).set(2, (long) i));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        ticker.join();
        sink.close();

        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files.size()).isGreaterThan(10);
        long[] next = new long[producers];
        long total = 0;
        for (Path f : files) {
            List<String> lines = lines(f);
            assertThat(lines.getFirst()).startsWith("#separator");
            assertThat(lines.getLast()).startsWith("#close\t");
            for (String row : lines) {
                if (row.startsWith("#")) {
                    continue;
                }
                String[] cols = row.split("\t");
                int producer = Integer.parseInt(cols[1].substring(1));
                assertThat(Long.parseLong(cols[2])).as("producer %d order", producer).isEqualTo(next[producer]);
                next[producer]++;
                total++;
            }
        }
        assertThat(total).isEqualTo((long) producers * perProducer);
        assertThat(next).containsOnly(perProducer);
        assertThat(sink.recordsDropped()).isZero();
        assertThat(sink.writeErrors()).isZero();
        assertThat(sink.rotationErrors()).isZero();
        assertNoLeftovers();
    }

    // ------------------------------------------------------------------ helpers

    private void assertCompressedCopies(String suffix, int records) throws IOException {
        List<Path> files = rotated(dir.resolve("t"), "conn");
        assertThat(files).hasSizeGreaterThan(2).allMatch(p -> p.toString().endsWith(".log" + suffix));
        List<String> rows = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = lines(f);
            assertThat(lines.getFirst()).isEqualTo("#separator \\x09");
            assertThat(lines.getLast()).isEqualTo("#close\t2024-01-31-13-00-00");
            lines.stream().filter(l -> !l.startsWith("#")).forEach(rows::add);
        }
        assertThat(rows).isEqualTo(expectedConnRows(records));
        assertNoLeftovers();
    }

    /** No plain rotated copies and no half-written compressed files remain. */
    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("t"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.endsWith(".part")).noneMatch(n -> n.equals("conn.log"));
            boolean compressed = names.stream().anyMatch(n -> n.endsWith(".gz") || n.endsWith(".zst"));
            if (compressed) {
                assertThat(names).noneMatch(n -> n.endsWith(".log"));
            }
        }
    }

    /** Rotated files of {@code path}, in the order they were written (open time, then counter). */
    static List<Path> rotated(Path tenantDir, String path) throws IOException {
        if (!Files.isDirectory(tenantDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tenantDir)) {
            return s.filter(p -> {
                Matcher m = ROTATED.matcher(p.getFileName().toString());
                return m.matches() && m.group(1).equals(path);
            }).sorted(Comparator.comparing((Path p) -> group(p, 2))
                    .thenComparingInt(p -> group(p, 3) == null ? 0 : Integer.parseInt(group(p, 3)))).toList();
        }
    }

    private static String group(Path p, int g) {
        Matcher m = ROTATED.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(p.toString());
        }
        return m.group(g);
    }

    static List<String> lines(Path p) throws IOException {
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw)
                        : p.toString().endsWith(".zst") ? new ZstdInputStream(raw) : raw) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
        }
    }

    private static List<String> rows(Path p) throws IOException {
        return lines(p).stream().filter(l -> !l.startsWith("#")).toList();
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static LogRecord conn(int i) {
        return new LogRecord(CONN).set(0, 1706702400.0 + i / 1000.0).set(1, "C" + i).set(2, (long) i);
    }

    private static LogRecord dns(String query) {
        return new LogRecord(DNS).set(0, 1706702400.0).set(1, query);
    }

    private static LogRecord test(double t, String origH, int origP, String respH, int respP) {
        return new LogRecord(TEST).set(0, t).set(1, origH).set(2, origP).set(3, respH).set(4, respP);
    }

    private static List<String> expectedConnRows(int n) {
        return expectedConnRows(0, n);
    }

    private static List<String> expectedConnRows(int from, int to) {
        List<String> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(String.format("%.6f\tC%d\t%d", 1706702400.0 + i / 1000.0, i, i));
        }
        return rows;
    }
}
