package io.picket.policy.notice;

import io.picket.log.LogRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * Zeek's {@code NOTICE} path for one tenant: {@code is_being_suppressed} on (note, identifier),
 * the policy hook ({@code ignored_types}, {@code not_suppressed_types},
 * {@code type_suppression_intervals}, the default interval), the log write and the start of
 * suppression ({@code suppressing[note, identifier] = ts + suppress_for}). Suppression is in network
 * time: a notice is suppressed while its ts is before the end of the interval. Not thread-safe: the
 * owner ({@link TenantNotices}) serializes calls.
 */
public final class NoticeFramework {
    private static final int MAX_SUPPRESSED = 1 << 16;

    private NoticePolicy policy;
    private final Map<String, Double> suppressing = new HashMap<>();
    private long suppressed;
    private long ignored;

    public NoticeFramework(NoticePolicy policy) {
        this.policy = policy;
    }

    /** Handles one notice; returns its notice.log row, or null when it is suppressed or ignored. */
    public LogRecord raise(Notice n) {
        return raise(n, policy);
    }

    /** As {@link #raise(Notice)}, judging ignore and suppression interval by {@code policy}. */
    public LogRecord raise(Notice n, NoticePolicy policy) {
        String key = n.identifier() == null ? null : n.note() + '\0' + n.identifier();
        if (key != null) {
            Double until = suppressing.get(key);
            if (until != null && n.ts() < until) {
                suppressed++;
                return null;
            }
        }
        double suppressFor = policy.suppressFor(n.note());
        LogRecord r;
        if (policy.ignored(n.note())) {
            ignored++;
            // the policy hook breaks before ACTION_LOG; suppression still starts (default interval)
            suppressFor = policy.defaultSuppression();
            r = null;
        } else {
            r = NoticeLog.record(n, suppressFor);
        }
        if (key != null && suppressFor != 0) {
            Double until = suppressing.get(key);
            if (until == null || n.ts() >= until) {
                if (suppressing.size() >= MAX_SUPPRESSED) {
                    suppressing.values().removeIf(u -> u <= n.ts());
                }
                suppressing.put(key, n.ts() + suppressFor);
            }
        }
        return r;
    }

    /**
     * Continues with {@code next} (a reloaded policy): suppression of notes {@code next} still knows
     * is kept, that of tenant-defined notices it no longer defines is dropped.
     */
    public void policy(NoticePolicy next) {
        this.policy = next;
        suppressing.keySet().removeIf(k -> !next.knows(k.substring(0, k.indexOf('\0'))));
    }

    /** Notices dropped because an earlier one with the same (note, identifier) is suppressing them. */
    public long suppressedCount() {
        return suppressed;
    }

    /** Notices dropped because their type is ignored. */
    public long ignoredCount() {
        return ignored;
    }
}
