package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoticeFrameworkTest {

    private static Notice guess(double ts, String host) {
        return Notice.of(ts, "SSH::Password_Guessing", host + " guesses", "sub", host, null, null, null, null, host);
    }

    private static NoticePolicy policy(Set<String> ignored, Map<String, Double> intervals) {
        NoticePolicy d = NoticePolicy.DEFAULT;
        return new NoticePolicy(ignored, Set.of(), d.defaultSuppression(), intervals, true, 30, 1800, true, 25, 300,
                15, 300);
    }

    @Test
    void shouldSuppressSameNoteAndIdentifierWhenWithinInterval() {
        NoticeFramework f = new NoticeFramework(NoticePolicy.DEFAULT);
        assertThat(f.raise(guess(1000, "10.0.0.1"))).isNotNull();
        assertThat(f.raise(guess(1000 + 3599.9, "10.0.0.1"))).isNull();
        assertThat(f.raise(guess(1500, "10.0.0.2"))).as("another identifier").isNotNull();
        assertThat(f.raise(guess(1000 + 3600, "10.0.0.1"))).as("interval over").isNotNull();
        assertThat(f.raise(guess(1000 + 3601, "10.0.0.1"))).as("suppressed again from the new notice").isNull();
        assertThat(f.suppressedCount()).isEqualTo(2);
    }

    @Test
    void shouldNeverSuppressWhenIdentifierIsUnset() {
        NoticeFramework f = new NoticeFramework(NoticePolicy.DEFAULT);
        Notice n = Notice.of(5, "Signatures::Sensitive_Signature", "m", null, "1.2.3.4", null, null, null, null, null);
        assertThat(f.raise(n)).isNotNull();
        assertThat(f.raise(n)).isNotNull();
    }

    @Test
    void shouldDropIgnoredTypesWhenListed() {
        NoticeFramework f = new NoticeFramework(policy(Set.of("SSH::Password_Guessing"), Map.of()));
        assertThat(f.raise(guess(1, "10.0.0.1"))).isNull();
        assertThat(f.ignoredCount()).isEqualTo(1);
        assertThat(f.raise(Notice.of(1, "Scan::Port_Scan", "m", null, "1.2.3.4", null, null, null, null, "x")))
                .isNotNull();
    }

    @Test
    void shouldUsePerTypeIntervalWhenConfigured() {
        NoticeFramework f = new NoticeFramework(policy(Set.of(), Map.of("SSH::Password_Guessing", 10.0)));
        LogRecord r = f.raise(guess(100, "10.0.0.1"));
        assertThat(r.get("suppress_for")).isEqualTo(10.0);
        assertThat(f.raise(guess(109, "10.0.0.1"))).isNull();
        assertThat(f.raise(guess(110, "10.0.0.1"))).isNotNull();
    }

    @Test
    void shouldNotSuppressWhenIntervalIsZero() {
        NoticeFramework f = new NoticeFramework(policy(Set.of(), Map.of("SSH::Password_Guessing", 0.0)));
        assertThat(f.raise(guess(100, "10.0.0.1"))).isNotNull();
        assertThat(f.raise(guess(100, "10.0.0.1"))).isNotNull();
    }

    @Test
    void shouldFillSrcDstPortAndProtoFromConnectionWhenUnset() {
        Notice n = new Notice(7.5, "Intel::Notice", "Intel hit", "evil.com", "CUid", "10.0.0.1", 1234, "10.0.0.2", 53,
                "udp", null, null, null, null, null, "evil.com10.0.0.110.0.0.2");
        LogRecord r = NoticeLog.record(n, 3600);
        assertThat(r.get("src")).isEqualTo("10.0.0.1");
        assertThat(r.get("dst")).isEqualTo("10.0.0.2");
        assertThat(r.get("p")).isEqualTo(53);
        assertThat(r.get("proto")).isEqualTo("udp");
        assertThat(r.get("actions")).isEqualTo(List.of("Notice::ACTION_LOG"));
        assertThat(r.get("id.orig_p")).isEqualTo(1234);
    }

    @Test
    void shouldFormatDurationLikeZeekWhenGivenFractions() {
        assertThat(TenantNotices.minsSecs(0.9)).isEqualTo("0m0s");
        assertThat(TenantNotices.minsSecs(125.7)).isEqualTo("2m5s");
    }
}
