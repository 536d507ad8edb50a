package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomNoticeTest {
    private static final LogSchema CONN = LogSchema.of("conn",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("orig_bytes", ZeekType.COUNT));
    private static final Map<String, LogSchema> SCHEMAS = Map.of("conn", CONN);

    private static final String BIG = """
            notices:
              - note: Acme::Big_Upload
                log: conn
                when: 'orig_bytes != null && orig_bytes > 1000'
                msg: '"large upload from " + id.orig_h'
                sub: 'string(orig_bytes)'
                identifier: 'id.orig_h'
                suppress_for: 10min
            """;

    private static NoticePolicy parse(String text) throws PolicyException {
        return NoticePolicy.parse(new SourceFile("notice.yaml", text), Limits.DEFAULT, SCHEMAS);
    }

    private static List<String> errors(String text) {
        try {
            parse(text);
        } catch (PolicyException e) {
            return e.errors().stream().map(PolicyError::toString).toList();
        }
        throw new AssertionError("no error");
    }

    private static LogRecord conn(double ts, String uid, String orig, long bytes) {
        return new LogRecord(CONN).set(0, ts).set(1, uid).set(2, orig).set(3, 40000).set(4, "10.0.0.9").set(5, 443)
                .set(6, "tcp").set(7, bytes);
    }

    @Test
    void shouldCompileCustomNoticeWhenWellFormed() throws PolicyException {
        NoticePolicy p = parse(BIG + "ignored_types: [Acme::Big_Upload]\n");
        assertThat(p.customNotices("conn")).extracting(CustomNotice::note).containsExactly("Acme::Big_Upload");
        assertThat(p.suppressFor("Acme::Big_Upload")).isEqualTo(600.0);
        assertThat(p.ignored("Acme::Big_Upload")).isTrue();
        assertThat(p.knows("Acme::Big_Upload")).isTrue();
    }

    @Test
    void shouldReportCelErrorAtPositionInsideYamlWhenExpressionIsBad() {
        List<String> e = errors("""
                notices:
                  - note: Acme::X
                    log: conn
                    when: orig_bytez > 5
                    msg: '"m " + id.orig_p'
                """);
        assertThat(e).hasSize(2);
        assertThat(e.get(0)).startsWith("notice.yaml:4:11: CEL: undeclared reference to 'orig_bytez'");
        assertThat(e.get(1)).startsWith("notice.yaml:5:16: CEL: found no matching overload for '_+_'");
    }

    @Test
    void shouldReportStructuralErrorsWhenNoticeIsMalformed() {
        List<String> e = errors("""
                notices:
                  - note: Big_Upload
                    log: ftp
                    when: 'true'
                    msg: '"x"'
                    colour: red
                  - note: Scan::Port_Scan
                    log: notice
                    when: 'true'
                    msg: '"x"'
                  - note: Acme::Y
                    when: 'true'
                ignored_types: [Acme::Z]
                """);
        assertThat(e).containsExactly(
                "notice.yaml:2:11: bad notice type 'Big_Upload' (Module::Name, e.g. Acme::Big_Upload)",
                "notice.yaml:3:10: unknown log 'ftp' (known: conn)",
                "notice.yaml:6:5: unknown key 'colour' in a notice; allowed: note, log, when, msg, sub, identifier, "
                        + "suppress_for",
                "notice.yaml:7:11: 'Scan::Port_Scan' is a built-in notice type; give yours another name",
                "notice.yaml:8:10: a notice cannot be raised from notice.log itself",
                "notice.yaml:11:5: notice without log",
                "notice.yaml:11:5: notice without msg",
                "notice.yaml:13:17: unknown notice type 'Acme::Z'; known: Signatures::Sensitive_Signature, "
                        + "Signatures::Multiple_Signatures, Signatures::Multiple_Sig_Responders, "
                        + "Signatures::Count_Signature, Signatures::Signature_Summary, Intel::Notice, "
                        + "SSH::Password_Guessing, SSH::Login_By_Password_Guesser, Scan::Address_Scan, "
                        + "Scan::Port_Scan and this file's notices Acme::Y");
    }

    @Test
    void shouldRejectNoticesBeyondLimitWhenTooMany() {
        StringBuilder y = new StringBuilder("notices:\n");
        for (int i = 0; i < 3; i++) {
            y.append("  - {note: 'A::N").append(i).append("', log: conn, when: 'true', msg: '\"m\"'}\n");
        }
        assertThatThrownBy(() -> NoticePolicy.parse(new SourceFile("notice.yaml", y.toString()),
                Limits.DEFAULT.withMaxNotices(2), SCHEMAS))
                .isInstanceOf(PolicyException.class)
                .satisfies(x -> assertThat(((PolicyException) x).errors().toString())
                        .contains("notice.yaml:4:5: more than maxNotices 2 notices"));
    }

    @Test
    void shouldRaiseAndSuppressByIdentifierWhenRecordsMatch() throws PolicyException {
        TenantNotices t = new TenantNotices(parse(BIG));
        t.record(conn(100.0, "C1", "10.0.0.1", 5000));
        t.record(conn(200.0, "C2", "10.0.0.1", 6000)); // same identifier within 10 min
        t.record(conn(300.0, "C3", "10.0.0.2", 500)); // below the threshold
        t.record(conn(800.0, "C4", "10.0.0.1", 7000)); // suppression over
        t.record(new LogRecord(CONN).set(0, 900.0).set(1, "C5").set(2, "10.0.0.3").set(3, 1).set(4, "10.0.0.9")
                .set(5, 2).set(6, "udp")); // orig_bytes unset: the when is false (guarded)
        List<LogRecord> rows = t.drain(Double.POSITIVE_INFINITY);
        assertThat(rows).hasSize(2);
        LogRecord r = rows.get(0);
        assertThat(r.get("ts")).isEqualTo(100.0);
        assertThat(r.get("uid")).isEqualTo("C1");
        assertThat(r.get("id.orig_h")).isEqualTo("10.0.0.1");
        assertThat(r.get("id.resp_p")).isEqualTo(443);
        assertThat(r.get("proto")).isEqualTo("tcp");
        assertThat(r.get("note")).isEqualTo("Acme::Big_Upload");
        assertThat(r.get("msg")).isEqualTo("large upload from 10.0.0.1");
        assertThat(r.get("sub")).isEqualTo("5000");
        assertThat(r.get("src")).isEqualTo("10.0.0.1");
        assertThat(r.get("dst")).isEqualTo("10.0.0.9");
        assertThat(r.get("p")).isEqualTo(443);
        assertThat(r.get("suppress_for")).isEqualTo(600.0);
        assertThat(rows.get(1).get("uid")).isEqualTo("C4");
        assertThat(t.customRaised()).isEqualTo(3);
        assertThat(t.customErrors()).isZero();
    }

    @Test
    void shouldCountErrorWhenExpressionFailsOnRecord() throws PolicyException {
        TenantNotices t = new TenantNotices(parse(BIG.replace("orig_bytes != null && ", "")));
        t.record(new LogRecord(CONN).set(0, 1.0).set(1, "C1").set(2, "10.0.0.1").set(3, 1).set(4, "10.0.0.9")
                .set(5, 2).set(6, "tcp"));
        assertThat(t.drain(Double.POSITIVE_INFINITY)).isEmpty();
        assertThat(t.customErrors()).isEqualTo(1);
    }

    @Test
    void shouldApplyReloadedPolicyWhenSwapped() throws PolicyException {
        TenantNotices t = new TenantNotices(parse(BIG));
        t.record(conn(100.0, "C1", "10.0.0.1", 5000));
        assertThat(t.drain(150.0)).hasSize(1);
        // same note, higher threshold: suppression of 10.0.0.1 is kept
        t.policy(parse(BIG.replace("1000'", "5500'")));
        t.record(conn(200.0, "C2", "10.0.0.1", 6000));
        t.record(conn(210.0, "C3", "10.0.0.2", 5000));
        assertThat(t.drain(250.0)).isEmpty();
        // the notice is ignored now
        t.policy(parse(BIG + "ignored_types: [Acme::Big_Upload]\n"));
        t.record(conn(300.0, "C4", "10.0.0.5", 9000));
        assertThat(t.drain(350.0)).isEmpty();
        // no custom notices any more; then the same note again: suppression state was dropped
        t.policy(NoticePolicy.DEFAULT);
        t.record(conn(400.0, "C5", "10.0.0.1", 9000));
        t.policy(parse(BIG));
        t.record(conn(450.0, "C6", "10.0.0.1", 9000));
        assertThat(t.drain(500.0)).extracting(r -> r.get("uid")).containsExactly("C6");
    }

    @Test
    void shouldApplyReloadedDetectorThresholdWhenItChanges() {
        NoticePolicy four = new NoticePolicy(java.util.Set.of(), java.util.Set.of(), 3600, Map.of(), true, 4, 1800,
                true, 25, 300, 15, 300);
        TenantNotices t = new TenantNotices(four);
        t.sshAuthFailed(100, "10.0.0.9", "10.0.0.1");
        t.sshAuthFailed(101, "10.0.0.9", "10.0.0.2");
        assertThat(t.drain(150)).isEmpty();
        t.policy(new NoticePolicy(java.util.Set.of(), java.util.Set.of(), 3600, Map.of(), true, 2, 1800, true, 25,
                300, 15, 300));
        t.sshAuthFailed(200, "10.0.0.9", "10.0.0.3");
        assertThat(t.drain(250)).as("counting restarts with the new limit").isEmpty();
        t.sshAuthFailed(201, "10.0.0.9", "10.0.0.4");
        assertThat(t.drain(250)).extracting(r -> r.get("note")).containsExactly("SSH::Password_Guessing");
    }

    @Test
    void shouldAcceptCustomTypesInSuppressionIntervalsWhenDefinedInTheFile() throws PolicyException {
        NoticePolicy p = parse(BIG.replace("    suppress_for: 10min\n", "")
                + "suppression_intervals:\n  Acme::Big_Upload: 2hrs\nnot_suppressed_types: [Acme::Big_Upload]\n");
        assertThat(p.suppressFor("Acme::Big_Upload")).isEqualTo(7200.0);
        assertThat(errors(BIG + "suppression_intervals:\n  Acme::Big_Upload: 2hrs\n")).containsExactly(
                "notice.yaml:10:3: suppression interval of 'Acme::Big_Upload' given twice (here and as suppress_for"
                        + " of the notice)");
    }
}
