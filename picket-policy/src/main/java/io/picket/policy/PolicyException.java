package io.picket.policy;

import java.io.Serial;
import java.util.List;

/**
 * Thrown when a policy (signatures, intel, a whole bundle) does not validate. Carries every
 * error found, each with file:line:col, never just the first. A configuration error, thrown at
 * load/compile time only, never on the packet path.
 */
public final class PolicyException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyError> errors;

    public PolicyException(List<PolicyError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    /** All errors, in file then position order as they were found. */
    public List<PolicyError> errors() {
        return errors;
    }

    private static String format(List<PolicyError> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " policy error" : " policy errors");
        for (PolicyError e : errors) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }
}
