package io.picket.engine;

import java.util.List;

/**
 * The outcome of reloading one tenant's policy bundle during a run.
 *
 * @param tenant the tenant id
 * @param swapped true when the new bundle was valid and is now used by new connections; false
 *     when it was rejected and the running bundle stays
 * @param errors every problem of a rejected bundle ({@code file:line:col: reason}); empty when swapped
 * @param seconds wall time spent loading and compiling
 */
public record PolicyReload(String tenant, boolean swapped, List<String> errors, double seconds) {
    public PolicyReload {
        errors = List.copyOf(errors);
    }
}
