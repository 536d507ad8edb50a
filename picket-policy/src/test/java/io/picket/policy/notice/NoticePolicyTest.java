package io.picket.policy.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import org.junit.jupiter.api.Test;

class NoticePolicyTest {

    private static NoticePolicy parse(String text) throws PolicyException {
        return NoticePolicy.parse(SourceFile.of("notice.yaml", text));
    }

    private static String errors(String text) {
        try {
            parse(text);
        } catch (PolicyException e) {
            return String.join("\n", e.errors().stream().map(Object::toString).toList());
        }
        throw new AssertionError("expected errors");
    }

    @Test
    void shouldUseZeekDefaultsWhenFileIsEmpty() throws Exception {
        NoticePolicy p = parse("");
        assertThat(p).isEqualTo(NoticePolicy.DEFAULT);
        assertThat(p.suppressFor("SSH::Password_Guessing")).isEqualTo(3600.0);
        assertThat(p.passwordGuessesLimit()).isEqualTo(30.0);
        assertThat(p.guessingTimeout()).isEqualTo(1800.0);
        assertThat(p.addrScanThreshold()).isEqualTo(25.0);
        assertThat(p.portScanThreshold()).isEqualTo(15.0);
        assertThat(p.addrScanInterval()).isEqualTo(300.0);
    }

    @Test
    void shouldReadEveryKeyWhenFileIsComplete() throws Exception {
        NoticePolicy p = parse("""
                ignored_types: [Scan::Port_Scan]
                not_suppressed_types: [Intel::Notice]
                default_suppression_interval: 30min
                suppression_intervals:
                  SSH::Password_Guessing: 2 hrs
                  Intel::Notice: 10
                ssh_bruteforcing:
                  enabled: true
                  password_guesses_limit: 10
                  guessing_timeout: 1hr
                scan:
                  enabled: false
                  addr_scan_threshold: 50
                  addr_scan_interval: 10m
                  port_scan_threshold: 20
                  port_scan_interval: 90
                """);
        assertThat(p.ignored("Scan::Port_Scan")).isTrue();
        assertThat(p.ignored("Scan::Address_Scan")).isFalse();
        assertThat(p.suppressFor("SSH::Password_Guessing")).isEqualTo(7200.0);
        // type_suppression_intervals wins over not_suppressed_types, as in Zeek's policy hook
        assertThat(p.suppressFor("Intel::Notice")).isEqualTo(10.0);
        assertThat(p.suppressFor("Scan::Address_Scan")).isEqualTo(1800.0);
        assertThat(p.passwordGuessesLimit()).isEqualTo(10.0);
        assertThat(p.guessingTimeout()).isEqualTo(3600.0);
        assertThat(p.scan()).isFalse();
        assertThat(p.addrScanThreshold()).isEqualTo(50.0);
        assertThat(p.addrScanInterval()).isEqualTo(600.0);
        assertThat(p.portScanInterval()).isEqualTo(90.0);
    }

    @Test
    void shouldNotSuppressWhenTypeIsNotSuppressed() throws Exception {
        assertThat(parse("not_suppressed_types: [Intel::Notice]").suppressFor("Intel::Notice")).isEqualTo(0.0);
    }

    @Test
    void shouldRejectUnknownKeysWithPositionWhenMisspelled() {
        assertThat(errors("""
                scan:
                  addr_scan_treshold: 5
                """)).isEqualTo("notice.yaml:2:3: unknown key 'addr_scan_treshold' in scan (did you mean "
                + "'addr_scan_threshold'?); allowed: enabled, addr_scan_threshold, addr_scan_interval, "
                + "port_scan_threshold, port_scan_interval");
        assertThat(errors("ignore_types: []")).startsWith("notice.yaml:1:1: unknown key 'ignore_types' at top level"
                + " (did you mean 'ignored_types'?)");
    }

    @Test
    void shouldRejectUnknownNoticeTypesWhenListed() {
        assertThat(errors("ignored_types: [SSH::Password_Guesing]"))
                .startsWith("notice.yaml:1:17: unknown notice type 'SSH::Password_Guesing' (did you mean "
                        + "'SSH::Password_Guessing'?)");
        assertThat(errors("suppression_intervals:\n  Foo::Bar: 1hr\n"))
                .startsWith("notice.yaml:2:3: unknown notice type 'Foo::Bar'; known: ");
    }

    @Test
    void shouldReportEveryBadValueWhenSeveralAreWrong() {
        String e = errors("""
                default_suppression_interval: soon
                ssh_bruteforcing:
                  password_guesses_limit: 0
                  guessing_timeout: 0
                  enabled: yes
                scan: 5
                """);
        assertThat(e.split("\n")).containsExactly(
                "notice.yaml:1:31: default_suppression_interval must be an interval such as 30min, 1hr or 90 "
                        + "(seconds), got the string 'soon'",
                "notice.yaml:3:27: password_guesses_limit must be between 1 and 1000000000, got 0",
                "notice.yaml:4:21: guessing_timeout must be longer than 0",
                "notice.yaml:5:12: enabled must be true or false, got the string 'yes'",
                "notice.yaml:6:7: scan must be a mapping (enabled, addr_scan_threshold, addr_scan_interval, "
                        + "port_scan_threshold, port_scan_interval), got the number 5");
    }

    @Test
    void shouldReportSyntaxErrorsWithPositionWhenYamlIsBroken() {
        assertThat(errors("ignored_types: [a,\n  b: c")).startsWith("notice.yaml:").contains("YAML syntax error");
        assertThat(errors("- a\n- b\n")).isEqualTo("notice.yaml:1:1: expected a mapping with keys ignored_types, "
                + "not_suppressed_types, default_suppression_interval, suppression_intervals, ssh_bruteforcing, scan,"
                + " notices, got a list");
        assertThat(errors("scan: {}\nscan: {}\n"))
                .startsWith("notice.yaml:2:1: duplicate key 'scan' (first at line 1)");
    }
}
