package io.picket.policy;

/**
 * One validation error of a policy source: file, 1-based line and column (0 when the whole file
 * or the whole bundle is meant) and a reason. Immutable.
 */
public record PolicyError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + message;
        }
        return file + ":" + line + ":" + column + ": " + message;
    }
}
