package io.picket.log;

import java.util.Arrays;

/**
 * One log row: a schema and one value per column (null = unset). See {@link ZeekType} for the
 * Java type of each value. Built on the shard thread, handed to a writer thread, never
 * modified after {@link LogSink#write(String, LogRecord)}.
 */
public final class LogRecord {
    private final LogSchema schema;
    private final Object[] values;

    public LogRecord(LogSchema schema) {
        this.schema = schema;
        this.values = new Object[schema.size()];
    }

    public LogSchema schema() {
        return schema;
    }

    public LogRecord set(int index, Object value) {
        values[index] = value;
        return this;
    }

    public LogRecord set(String name, Object value) {
        int i = schema.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + schema.path());
        }
        values[i] = value;
        return this;
    }

    public Object get(int index) {
        return values[index];
    }

    public Object get(String name) {
        int i = schema.indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public String toString() {
        return schema.path() + Arrays.toString(values);
    }
}
