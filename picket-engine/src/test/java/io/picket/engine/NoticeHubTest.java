package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoticeHubTest {

    @Test
    void shouldCountOriginatorAsScannerWhenAttemptFailed() {
        assertThat(NoticeHub.failed("S0", "S")).isEqualTo(1); // connection_attempt
        assertThat(NoticeHub.failed("REJ", "Sr")).isEqualTo(1); // connection_rejected
        assertThat(NoticeHub.failed("RSTO", "ShR")).isEqualTo(1); // SYN scan: reset after SYN-ACK
        assertThat(NoticeHub.failed("RSTO", "ShAR")).isEqualTo(1);
    }

    @Test
    void shouldCountResponderAsScannerWhenRolesAreReversed() {
        assertThat(NoticeHub.failed("REJ", "Hr")).isEqualTo(-1);
        assertThat(NoticeHub.failed("OTH", "H")).isEqualTo(-1);
        assertThat(NoticeHub.failed("RSTR", "sHr")).isEqualTo(-1);
    }

    @Test
    void shouldIgnoreConnectionsWhenDataWasSentOrTheyCompleted() {
        assertThat(NoticeHub.failed("RSTO", "ShADR")).isZero();
        assertThat(NoticeHub.failed("RSTR", "ShADdr")).isZero();
        assertThat(NoticeHub.failed("SF", "ShADadFf")).isZero();
        assertThat(NoticeHub.failed("OTH", "Hd")).isZero();
        assertThat(NoticeHub.failed("SH", "SF")).isZero();
    }
}
