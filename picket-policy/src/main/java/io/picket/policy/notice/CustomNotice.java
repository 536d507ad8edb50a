package io.picket.policy.notice;

import io.picket.policy.expr.LogExpression;

/**
 * A tenant-defined notice from {@code notice.yaml}: records of log {@code log} for which
 * {@code when} is true raise notice {@code note} with the message, sub message and suppression
 * identifier the string expressions yield ({@code sub} and {@code identifier} null when not
 * given). {@code line} is the entry's line in the file. Immutable; shared by shard threads.
 */
public record CustomNotice(String note, String log, LogExpression when, LogExpression msg, LogExpression sub,
                           LogExpression identifier, int line) {
}
