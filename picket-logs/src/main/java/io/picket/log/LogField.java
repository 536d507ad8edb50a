package io.picket.log;

/** One column of a log: flattened name (e.g. {@code id.orig_h}) and Zeek type. */
public record LogField(String name, ZeekType type) {
    public static LogField of(String name, ZeekType type) {
        return new LogField(name, type);
    }
}
