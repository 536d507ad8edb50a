package io.picket.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The columns of one log stream ({@code #path}), in file order. Immutable; shared by every
 * thread. Optional columns (VLAN, community_id, ...) are added with {@link #with(LogField...)}
 * when the run enables them, so a schema describes exactly what a run writes.
 */
public final class LogSchema {
    private final String path;
    private final List<LogField> fields;
    /** Column index by name (the first column of a name, as a scan from the left finds it). */
    private final java.util.Map<String, Integer> index;

    public LogSchema(String path, List<LogField> fields) {
        this.path = Objects.requireNonNull(path);
        this.fields = List.copyOf(fields);
        java.util.Map<String, Integer> byName = new java.util.HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            byName.putIfAbsent(this.fields.get(i).name(), i);
        }
        this.index = java.util.Map.copyOf(byName);
    }

    public static LogSchema of(String path, LogField... fields) {
        return new LogSchema(path, List.of(fields));
    }

    public String path() {
        return path;
    }

    public List<LogField> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public LogField field(int i) {
        return fields.get(i);
    }

    /** Index of the column with this name, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** A schema with the given columns appended at the end. */
    public LogSchema with(LogField... extra) {
        List<LogField> all = new ArrayList<>(fields);
        all.addAll(List.of(extra));
        return new LogSchema(path, all);
    }

    /** A schema with the given columns inserted after the named column. */
    public LogSchema withAfter(String after, LogField... extra) {
        int at = indexOf(after);
        if (at < 0) {
            throw new IllegalArgumentException("no column " + after + " in " + path);
        }
        List<LogField> all = new ArrayList<>(fields);
        all.addAll(at + 1, List.of(extra));
        return new LogSchema(path, all);
    }
}
