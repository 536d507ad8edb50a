package io.picket.policy.expr;

import java.io.Serial;
import java.util.List;

/**
 * A {@link LogExpression} that does not parse, type-check, stay within its limits, or evaluate.
 * Compile-time problems carry one {@link Issue} each, with the position inside the expression
 * text; evaluation errors carry none. Built without a stack trace (evaluation errors happen on
 * shard threads and are only counted).
 */
public final class LogExpressionException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One problem: 1-based line and column inside the expression text (0 = whole expression). */
    public record Issue(int line, int column, String message) {
    }

    private final transient List<Issue> issues;

    public LogExpressionException(String message, List<Issue> issues) {
        super(message, null, false, false);
        this.issues = List.copyOf(issues);
    }

    /** Problems with positions (empty for evaluation errors). */
    public List<Issue> issues() {
        return issues;
    }
}
