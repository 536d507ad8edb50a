package io.picket.policy.filter;

import io.picket.policy.expr.LogExpression;
import java.util.Set;

/**
 * One entry of {@code filters.yaml}: Zeek's {@code Log::Filter} for one log. {@code predicate} is
 * null when the filter only selects columns; {@code dropWhenTrue} tells a {@code drop:} predicate
 * (records for which it is true are dropped) from a {@code pred:} one (records for which it is
 * true are kept, as Zeek's {@code $pred}). {@code include} is null when not given. Immutable.
 */
public record LogFilter(String path, String name, LogExpression predicate, boolean dropWhenTrue,
                        Set<String> include, Set<String> exclude, int line, int column) {
}
