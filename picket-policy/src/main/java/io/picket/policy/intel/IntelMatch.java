package io.picket.policy.intel;

import io.picket.log.LogRecord;
import java.util.List;

/**
 * The outcome of a positive {@link IntelIndex#seen} ({@code Intel::match}): the matching items,
 * the intel.log record ({@code null} when a whitelisted item suppressed logging) and the notices.
 * Immutable.
 */
public record IntelMatch(IntelSeen seen, List<IntelItem> items, LogRecord logRecord, List<IntelNotice> notices) {
}
