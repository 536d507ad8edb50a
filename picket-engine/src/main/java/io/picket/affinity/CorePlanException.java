package io.picket.affinity;

import java.util.List;

/**
 * A core plan cannot be used. Carries every problem found, one per line, each naming the tenant
 * (or {@code capture_cores}) and the cores at fault ({@code tenant beta: dedicated core 2 already
 * belongs to tenant acme}). Thrown at startup or on reload, never on the packet path.
 */
public final class CorePlanException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** One exception for all {@code problems}, in placement order. */
    public CorePlanException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems in placement order. */
    public List<String> problems() {
        return problems;
    }
}
