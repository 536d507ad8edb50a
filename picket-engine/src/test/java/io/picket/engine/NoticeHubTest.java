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

    @Test
    void shouldRaiseCustomNoticesForATenantWhoseNoticePolicyArrivesByReload() throws Exception {
        io.picket.log.LogSchema conn = io.picket.log.LogSchema.of("conn",
                io.picket.log.LogField.of("ts", io.picket.log.ZeekType.TIME),
                io.picket.log.LogField.of("uid", io.picket.log.ZeekType.STRING),
                io.picket.log.LogField.of("service", io.picket.log.ZeekType.STRING));
        io.picket.policy.notice.NoticePolicy policy = io.picket.policy.notice.NoticePolicy.parse(
                new io.picket.policy.SourceFile("notice.yaml", """
                        notices:
                          - {note: 'B::Web', log: conn, when: 'service == "http"', msg: '"web " + uid'}
                        """), io.picket.policy.Limits.DEFAULT, java.util.Map.of("conn", conn));
        java.util.List<String> written = new java.util.ArrayList<>();
        NoticeHub hub = new NoticeHub(new io.picket.policy.bundle.PolicyBundle[] {null});
        NoticeHub.Clock clock = hub.register(new io.picket.log.LogSink() {
            @Override
            public void write(String tenant, io.picket.log.LogRecord record) {
                written.add(tenant + " " + record.get("note") + " " + record.get("msg"));
            }

            @Override
            public long recordsWritten(String tenant) {
                return 0;
            }

            @Override
            public void close() {
            }
        }, new String[] {"b"});
        hub.record(0, new io.picket.log.LogRecord(conn).set(0, 1.0).set(1, "C1").set(2, "http"));
        hub.policy(0, policy);
        hub.record(0, new io.picket.log.LogRecord(conn).set(0, 2.0).set(1, "C2").set(2, "http"));
        hub.record(0, new io.picket.log.LogRecord(conn).set(0, 3.0).set(1, "C3").set(2, "dns"));
        clock.finish();
        assertThat(written).containsExactly("b B::Web web C2");
        hub.policy(0, null);
        hub.record(0, new io.picket.log.LogRecord(conn).set(0, 4.0).set(1, "C4").set(2, "http"));
        clock.finish();
        assertThat(written).hasSize(1);
    }
}
