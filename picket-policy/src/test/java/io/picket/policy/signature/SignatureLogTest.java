package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.picket.log.LogRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** signatures.log records and notices as base/frameworks/signatures/main.zeek builds them. */
class SignatureLogTest {
    private final List<LogRecord> records = new ArrayList<>();
    private final List<SignatureNotice> notices = new ArrayList<>();
    private final ConnectionFacts conn = ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80);

    @Test
    void shouldLogSensitiveSignatureFromResponderSideWhenNotOrig() {
        SignatureLog log = new SignatureLog();
        byte[] data = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
        log.onSignatureMatch(5.0, "CabC", conn, false, "srv", "server seen", data, 0, data.length,
                SignatureLog.collectInto(records, notices));
        LogRecord r = records.getFirst();
        assertThat(SignatureLog.SCHEMA.fields()).extracting(f -> f.name()).containsExactly("ts", "uid", "src_addr",
                "src_port", "dst_addr", "dst_port", "note", "sig_id", "event_msg", "sub_msg", "sig_count", "host_count");
        assertThat(r.get("src_addr")).isEqualTo("10.0.0.2");
        assertThat(r.get("src_port")).isEqualTo(80);
        assertThat(r.get("dst_addr")).isEqualTo("10.0.0.1");
        assertThat(r.get("note")).isEqualTo("Signatures::Sensitive_Signature");
        assertThat(r.get("event_msg")).isEqualTo("10.0.0.2: server seen");
        assertThat((byte[]) r.get("sub_msg")).isEqualTo(data);
        assertThat(r.get("sig_count")).isNull();
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.note()).isEqualTo("Signatures::Sensitive_Signature");
            assertThat(n.msg()).isEqualTo("10.0.0.2: server seen");
            assertThat(n.src()).isEqualTo("10.0.0.2");
        });
    }

    @Test
    void shouldTrimDataTo140BytesAndIgnoreIds() {
        SignatureLog log = new SignatureLog(Map.of("quiet", SignatureLog.Action.SIG_QUIET), Pattern.compile("^dpd_"));
        byte[] data = new byte[200];
        java.util.Arrays.fill(data, (byte) 'a');
        SignatureLog.Sink sink = SignatureLog.collectInto(records, notices);
        log.onSignatureMatch(1, "C1", conn, true, "long", "m", data, 0, data.length, sink);
        log.onSignatureMatch(1, "C1", conn, true, "dpd_http", "m", data, 0, 1, sink);
        log.onSignatureMatch(1, "C1", conn, true, "quiet", "m", data, 0, 1, sink);
        assertThat(records).hasSize(1);
        byte[] sub = (byte[]) records.getFirst().get("sub_msg");
        assertThat(sub).hasSize(143);
        assertThat(new String(sub, 137, 6, StandardCharsets.US_ASCII)).isEqualTo("aaa...");
    }

    @Test
    void shouldLogMultipleSigRespondersAtFiveHosts() {
        SignatureLog log = new SignatureLog(Map.of("scan", SignatureLog.Action.SIG_LOG), Pattern.compile("x^"));
        SignatureLog.Sink sink = SignatureLog.collectInto(records, notices);
        for (int i = 1; i <= 5; i++) {
            log.onSignatureMatch(i, "C" + i, ConnectionFacts.of(6, "10.0.0.1", 1, "10.0.1." + i, 80), true, "scan",
                    "probe", new byte[0], 0, 0, sink);
        }
        LogRecord last = records.getLast();
        assertThat(last.get("note")).isEqualTo("Signatures::Multiple_Sig_Responders");
        assertThat(last.get("host_count")).isEqualTo(5L);
        assertThat(last.get("sub_msg")).isEqualTo("10.0.0.1 has triggered signature scan on 5 hosts");
        assertThat(notices).singleElement().extracting(SignatureNotice::note)
                .isEqualTo("Signatures::Multiple_Sig_Responders");
    }
}
