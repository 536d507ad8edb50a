package io.picket.analyzer.spi;

import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * Declares one protocol analyzer — everything about it in one place: its name (the conn.log
 * {@code service} value and Zeek's analyzer tag in lower case), the transports it runs on, the
 * ports Zeek registers for it (port-based activation and likely server ports), how it is
 * detected from payload, how a per-connection instance is made, the logs it writes and the
 * weird names it may raise. Found with {@link java.util.ServiceLoader}; adding a protocol
 * touches nothing else.
 *
 * <p>Providers are stateless and shared by all shard threads.
 */
public interface AnalyzerProvider {

    /** Lower-case name, e.g. {@code dns}, {@code http}, {@code ssl}, {@code ssh}. */
    String name();

    /** Whether the analyzer parses TCP streams (default: no). */
    default boolean tcp() {
        return false;
    }

    /** Whether the analyzer parses UDP datagrams (default: no). */
    default boolean udp() {
        return false;
    }

    /** TCP ports Zeek registers for this analyzer ({@code Analyzer::register_for_ports}; default none). */
    default Set<Integer> tcpPorts() {
        return Set.of();
    }

    /** UDP ports Zeek registers for this analyzer (default none). */
    default Set<Integer> udpPorts() {
        return Set.of();
    }

    /**
     * A new payload detector for one connection (Zeek's DPD signatures for this analyzer), or
     * null (the default) if the analyzer is only activated by port or by another analyzer.
     */
    default Detector newDetector() {
        return null;
    }

    /** A new analyzer instance for one connection. */
    Analyzer newAnalyzer(AnalyzerContext context);

    /** The log streams this analyzer writes (base schemas, with Zeek's columns). */
    List<LogSchema> logs();

    /**
     * This provider configured with run options given as {@code name.key=value} on the command
     * line ({@code --analyzer-option ssl.validation=jdk}), keys without the name prefix. The
     * default accepts none.
     *
     * @throws IllegalArgumentException naming the unknown key or bad value
     */
    default AnalyzerProvider configure(java.util.Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(name() + " has no options (got " + options.keySet() + ")");
        }
        return this;
    }

    /** Weird names this analyzer may raise (documentation and counters). */
    default List<String> weirds() {
        return List.of();
    }
}
