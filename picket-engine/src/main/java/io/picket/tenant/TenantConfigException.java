package io.picket.tenant;

import java.util.List;

/**
 * {@code tenants.yaml} cannot be used. Carries every problem found, one per line, each naming
 * file, line, column and reason ({@code tenants.yaml:12:7: vlan 1005 already belongs to tenant
 * acme (line 4)}). Thrown at startup or on reload, never on the packet path.
 */
public final class TenantConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    /** One exception for all {@code problems} found in {@code source}. */
    public TenantConfigException(String source, List<String> problems) {
        super(String.join("\n", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** One problem caused by {@code cause} (e.g. the file cannot be read). */
    public TenantConfigException(String source, String problem, Throwable cause) {
        super(problem, cause);
        this.source = source;
        this.problems = List.of(problem);
    }

    /** The file (or source name) the problems are in. */
    public String source() {
        return source;
    }

    /** The problems in file order, each {@code file:line:col: reason}. */
    public List<String> problems() {
        return problems;
    }
}
