package io.picket.sink.spool;

/** How a sink formats each record before it is spooled. */
public enum SinkFormat {
    /** Zeek's JSON log line ({@code LogAscii::use_json=T}); the default. */
    JSON,
    /** Zeek's TSV row, without the {@code #} header lines. */
    TSV
}
