package io.picket.log.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.log.format.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogSinkTest {
    private static final LogSchema CONN = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("duration", ZeekType.INTERVAL),
            LogField.of("tunnel_parents", ZeekType.SET_STRING));
    // 2024-01-31 12:00:00 UTC, shown in UTC+1
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-31T12:00:00Z"), ZoneId.of("Europe/Berlin"));

    @TempDir
    Path dir;

    @Test
    void shouldWriteZeekTsvFileWhenClosed() throws IOException {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK));
        sink.write("tenant-a", conn(1704067200.061052, "CWEUiE15TmpEKkibp8", 0.050691843032836914));
        sink.write("tenant-a", conn(1704067201.5, "C2", null));
        sink.close();
        assertThat(read(dir.resolve("tenant-a/conn.log"))).isEqualTo("""
                #separator \\x09
                #set_separator\t,
                #empty_field\t(empty)
                #unset_field\t-
                #path\tconn
                #open\t2024-01-31-13-00-00
                #fields\tts\tuid\tduration\ttunnel_parents
                #types\ttime\tstring\tinterval\tset[string]
                1704067200.061052\tCWEUiE15TmpEKkibp8\t0.050692\t(empty)
                1704067201.500000\tC2\t-\t(empty)
                #close\t2024-01-31-13-00-00
                """);
        assertThat(sink.recordsWritten("tenant-a")).isEqualTo(2);
        assertThat(sink.writeErrors()).isZero();
    }

    @Test
    void shouldWriteJsonLinesWithoutMetaWhenJsonFormat() throws IOException {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK)
                .withFormat(FileLogSink.Format.JSON).withJsonTimestamps(JsonFormat.Timestamps.ISO8601));
        sink.write("t", conn(1704067200.061052, "C1", 0.050691843032836914));
        sink.close();
        assertThat(read(dir.resolve("t/conn.log"))).isEqualTo(
                "{\"ts\":\"2024-01-01T00:00:00.061052Z\",\"uid\":\"C1\",\"duration\":0.050691843032836914,"
                        + "\"tunnel_parents\":[]}\n");
    }

    @Test
    void shouldKeepTenantsApartWhenSeveralTenantsWrite() throws IOException {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK));
        sink.write("a", conn(1.0, "Ca", 1.0));
        sink.write("b", conn(2.0, "Cb", 2.0));
        sink.write("b", conn(3.0, "Cc", 3.0));
        sink.close();
        assertThat(rows(dir.resolve("a/conn.log"))).hasSize(1).allMatch(l -> l.contains("Ca"));
        assertThat(rows(dir.resolve("b/conn.log"))).hasSize(2);
        assertThat(sink.recordsWritten("a")).isEqualTo(1);
        assertThat(sink.recordsWritten("b")).isEqualTo(2);
        assertThat(sink.recordsWritten("c")).isZero();
    }

    @Test
    void shouldOpenNoFileWhenNothingWritten() {
        new FileLogSink(dir).close();
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void shouldWriteEveryRecordWhenQueueIsTinyAndThreadsCompete() throws Exception {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK).withQueueCapacity(4));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    sink.write("t", conn(i, "C" + id + "x" + i, 0.1));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        sink.close();
        assertThat(rows(dir.resolve("t/conn.log"))).hasSize(8000);
        assertThat(sink.recordsWritten("t")).isEqualTo(8000);
        assertThat(sink.recordsDropped()).isZero();
    }

    @Test
    void shouldDropAndCountWhenWrittenAfterClose() {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK));
        sink.close();
        sink.close();
        sink.write("t", conn(1.0, "C1", 1.0));
        assertThat(sink.recordsDropped()).isEqualTo(1);
        assertThat(sink.recordsWritten("t")).isZero();
    }

    @Test
    void shouldCountErrorWhenTenantIsNotASafeName() {
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK));
        sink.write("../escape", conn(1.0, "C1", 1.0));
        sink.write("ok", conn(1.0, "C1", 1.0));
        sink.close();
        assertThat(sink.writeErrors()).isEqualTo(1);
        assertThat(dir.getParent().resolve("escape")).doesNotExist();
        assertThat(dir.resolve("ok/conn.log")).exists();
    }

    @Test
    void shouldTruncateOldFileWhenReopened() throws IOException {
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/conn.log"), "old content that is longer than the new one\n".repeat(50));
        FileLogSink sink = new FileLogSink(dir, FileLogSink.Options.defaults().withClock(CLOCK)
                .withFormat(FileLogSink.Format.JSON));
        sink.write("t", conn(1.0, "C1", null));
        sink.close();
        assertThat(read(dir.resolve("t/conn.log"))).isEqualTo("{\"ts\":1.0,\"uid\":\"C1\",\"tunnel_parents\":[]}\n");
    }

    private static LogRecord conn(double ts, String uid, Double duration) {
        return new LogRecord(CONN).set(0, ts).set(1, uid).set(2, duration).set(3, List.of());
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static List<String> rows(Path p) throws IOException {
        return Files.readAllLines(p).stream().filter(l -> !l.startsWith("#")).toList();
    }
}
