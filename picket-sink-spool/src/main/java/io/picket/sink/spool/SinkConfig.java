package io.picket.sink.spool;

/**
 * One parsed entry of a tenant's {@code sinks:} list. Each sink type has a record implementing
 * this (e.g. {@code SyslogSinkConfig}); {@link SinkRegistry} parses and opens them.
 */
public interface SinkConfig {
    /** The {@code type:} value that selects the {@link SinkProvider}. */
    String type();

    /** The options every sink type shares. */
    SinkOptions options();

    default String name() {
        return options().name();
    }
}
