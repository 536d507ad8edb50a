package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantNoticesTest {

    private static NoticePolicy limit(double guesses) {
        return new NoticePolicy(Set.of(), Set.of(), 3600, java.util.Map.of(), true, guesses, 1800, true, 25, 300, 15,
                300);
    }

    @Test
    void shouldRaisePasswordGuessingOnceWhenLimitIsReached() {
        TenantNotices t = new TenantNotices(limit(3));
        for (int i = 0; i < 5; i++) {
            t.sshAuthFailed(100 + i, "10.0.0.9", "10.0.0." + (i + 1));
        }
        assertThat(t.drain(101.5)).as("below the watermark nothing is decided").isEmpty();
        assertThat(t.pendingCount()).isEqualTo(3);
        List<LogRecord> rows = new ArrayList<>(t.drain(103.5));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().get("ts")).isEqualTo(102.0);
        assertThat(t.drain(Double.POSITIVE_INFINITY)).as("crossed once per epoch").isEmpty();
    }

    @Test
    void shouldHandleObservationsInTimeOrderWhenTheyArriveOutOfOrder() {
        TenantNotices a = new TenantNotices(limit(3));
        TenantNotices b = new TenantNotices(limit(3));
        String[] servers = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"};
        for (int i = 0; i < 4; i++) {
            a.sshAuthFailed(100 + i, "10.0.0.9", servers[i]);
        }
        for (int i = 3; i >= 0; i--) {
            b.sshAuthFailed(100 + i, "10.0.0.9", servers[i]);
        }
        List<LogRecord> ra = a.drain(Double.POSITIVE_INFINITY);
        List<LogRecord> rb = b.drain(Double.POSITIVE_INFINITY);
        assertThat(ra).hasSize(1);
        assertThat(ra.toString()).isEqualTo(rb.toString());
        LogRecord r = ra.getFirst();
        assertThat(r.get("ts")).isEqualTo(102.0);
        assertThat(r.get("msg")).isEqualTo("10.0.0.9 appears to be guessing SSH passwords (seen in 3 connections).");
        assertThat(r.get("sub")).isEqualTo("Sampled servers:  10.0.0.1, 10.0.0.2, 10.0.0.3");
        assertThat(r.get("src")).isEqualTo("10.0.0.9");
    }

    @Test
    void shouldRaiseAddressAndPortScansWhenThresholdsAreCrossed() {
        TenantNotices t = new TenantNotices(NoticePolicy.DEFAULT);
        for (int i = 1; i <= 30; i++) {
            t.failedConnection(1000 + i, "192.168.1.5", "10.1.0." + i, "22/tcp", true);
        }
        for (int i = 1; i <= 20; i++) {
            t.failedConnection(2000 + 2 * i, "8.8.8.8", "10.2.0.1", (1000 + i) + "/tcp", false);
        }
        List<LogRecord> rows = t.drain(Double.POSITIVE_INFINITY);
        assertThat(rows).hasSize(2);
        LogRecord addr = rows.get(0);
        assertThat(addr.get("note")).isEqualTo("Scan::Address_Scan");
        assertThat(addr.get("ts")).isEqualTo(1025.0);
        assertThat(addr.get("msg")).isEqualTo("192.168.1.5 scanned at least 25 unique hosts on port 22/tcp in 0m24s");
        assertThat(addr.get("sub")).isEqualTo("local");
        assertThat(addr.get("p")).isEqualTo(22);
        assertThat(addr.get("proto")).isEqualTo("tcp");
        LogRecord port = rows.get(1);
        assertThat(port.get("note")).isEqualTo("Scan::Port_Scan");
        assertThat(port.get("ts")).isEqualTo(2030.0);
        assertThat(port.get("msg")).isEqualTo("8.8.8.8 scanned at least 15 unique ports of host 10.2.0.1 in 0m28s");
        assertThat(port.get("sub")).isEqualTo("remote");
        assertThat(port.get("dst")).isEqualTo("10.2.0.1");
        assertThat(port.get("p")).isNull();
        assertThat(port.get("proto")).isNull();
    }

    @Test
    void shouldStartAFreshEpochWhenIntervalHasPassed() {
        TenantNotices t = new TenantNotices(NoticePolicy.DEFAULT);
        // 14 ports in the first five minutes, 14 more in the next: never 15 in one epoch
        for (int i = 0; i < 14; i++) {
            t.failedConnection(10 + i, "8.8.8.8", "10.2.0.1", (1 + i) + "/tcp", false);
            t.failedConnection(320 + i, "8.8.8.8", "10.2.0.1", (100 + i) + "/tcp", false);
        }
        assertThat(t.drain(Double.POSITIVE_INFINITY)).isEmpty();
    }
}
