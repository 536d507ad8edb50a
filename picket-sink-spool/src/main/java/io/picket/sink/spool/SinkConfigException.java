package io.picket.sink.spool;

import java.util.List;

/**
 * A {@code sinks:} list cannot be used. Carries every problem found, each naming the option by
 * its path ({@code sinks[1].spool.max_bytes: expected a size like 512MiB, got "lots"}). Thrown at
 * startup or reload, never on the packet path.
 */
public final class SinkConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SinkConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order the options appear. */
    public List<String> problems() {
        return problems;
    }
}
