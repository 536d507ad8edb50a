package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class X509DedupTest {
    @Test
    void shouldLogACertificateOncePerRoleUntilTheRelogIntervalHasPassed() {
        X509Dedup d = new X509Dedup(86400, 100);
        assertThat(d.shouldLog("t", "fp", true, false, 0)).isTrue();
        assertThat(d.shouldLog("t", "fp", true, false, 10)).isFalse();
        assertThat(d.shouldLog("t", "fp", false, false, 10)).isTrue();
        assertThat(d.shouldLog("t", "fp", true, true, 10)).isTrue();
        assertThat(d.shouldLog("t", "fp", true, false, 86400)).isTrue();
        assertThat(d.shouldLog("t", "fp", true, false, 86401)).isFalse();
    }

    @Test
    void shouldKeepScopesApart() {
        X509Dedup d = new X509Dedup(86400, 100);
        assertThat(d.shouldLog("tenant-a", "fp", true, false, 0)).isTrue();
        assertThat(d.shouldLog("tenant-b", "fp", true, false, 0)).isTrue();
    }

    @Test
    void shouldLogEverythingOnceTheSetIsFullOrDeduplicationIsOff() {
        X509Dedup full = new X509Dedup(86400, 1);
        assertThat(full.shouldLog("t", "a", true, false, 0)).isTrue();
        assertThat(full.shouldLog("t", "b", true, false, 0)).isTrue();
        assertThat(full.shouldLog("t", "b", true, false, 0)).isTrue();
        assertThat(full.size()).isEqualTo(1);

        X509Dedup off = new X509Dedup(0, 100);
        assertThat(off.shouldLog("t", "a", true, false, 0)).isTrue();
        assertThat(off.shouldLog("t", "a", true, false, 0)).isTrue();
    }
}
