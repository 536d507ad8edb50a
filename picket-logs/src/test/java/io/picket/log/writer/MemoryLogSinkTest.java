package io.picket.log.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import org.junit.jupiter.api.Test;

class MemoryLogSinkTest {
    private static final LogSchema CONN = LogSchema.of("conn", LogField.of("uid", ZeekType.STRING));
    private static final LogSchema DNS = LogSchema.of("dns", LogField.of("query", ZeekType.STRING));

    @Test
    void shouldCollectRecordsPerTenantAndPathWhenWritten() {
        MemoryLogSink sink = new MemoryLogSink();
        LogRecord a = new LogRecord(CONN).set(0, "C1");
        LogRecord b = new LogRecord(DNS).set(0, "example.com");
        LogRecord c = new LogRecord(CONN).set(0, "C2");
        sink.write("t1", a);
        sink.write("t1", b);
        sink.write("t2", c);
        assertThat(sink.records("t1", "conn")).containsExactly(a);
        assertThat(sink.records("t1", "dns")).containsExactly(b);
        assertThat(sink.records("t2", "conn")).containsExactly(c);
        assertThat(sink.records("t3", "conn")).isEmpty();
        assertThat(sink.tenants()).containsExactly("t1", "t2");
        assertThat(sink.paths("t1")).containsExactly("conn", "dns");
        assertThat(sink.recordsWritten("t1")).isEqualTo(2);
        assertThat(sink.recordsWritten("t3")).isZero();
    }

    @Test
    void shouldDropAndCountWhenWrittenAfterClose() {
        MemoryLogSink sink = new MemoryLogSink();
        sink.close();
        sink.write("t1", new LogRecord(CONN));
        assertThat(sink.recordsDropped()).isEqualTo(1);
        assertThat(sink.recordsWritten("t1")).isZero();
        assertThat(sink.isClosed()).isTrue();
    }
}
