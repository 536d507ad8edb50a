package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each invalid or unsupported construct is rejected with file:line:col and a reason. */
class SignatureErrorsTest {

    private static List<PolicyError> errors(String text) {
        try {
            SignatureSet.compile(List.of(SourceFile.of("t.sig", text)), Limits.DEFAULT);
        } catch (PolicyException e) {
            return e.errors();
        }
        throw new AssertionError("no error for: " + text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            eval my_func                              | 2 | 3  | 'eval' needs a Zeek script function
            ip-options lsrr                           | 2 | 3  | 'ip-options' is not supported
            file-mime "text/plain", 50                | 2 | 3  | 'file-mime'
            disable "http"                            | 2 | 3  | 'disable' is not supported
            ftp /USER/                                | 2 | 3  | 'ftp' content conditions are not supported
            finger /x/                                | 2 | 3  | 'finger' content conditions are not supported
            file-magic /x/                            | 2 | 3  | 'file-magic' content conditions are not supported
            payload[4:10] /x/                         | 2 | 3  | pattern offsets are not supported
            payload my_pattern_id                     | 2 | 11 | script-level identifiers
            dst-port == my_ports                      | 2 | 15 | script-level identifier 'my_ports'
            src-ip == local_nets                      | 2 | 13 | script-level identifier 'local_nets'
            event my_msg                              | 2 | 9  | event with a script-level identifier
            header ip[9:3] == 17                      | 2 | 13 | header size must be 1, 2 or 4
            header foo[9:1] == 17                     | 2 | 10 | expected ip, ip6, icmp, icmp6, tcp or udp
            dst-port 80                               | 2 | 12 | expected a comparison
            src-ip == 1.2.3.4/40                      | 2 | 13 | invalid IPv4 prefix length
            src-ip == 300.1.1.1                       | 2 | 13 | invalid IPv4 address
            src-ip == fe80::1                         | 2 | 13 | expected an address or CIDR
            dst-port == 90-80                         | 2 | 15 | empty range
            tcp-state open                            | 2 | 13 | expected one of established
            udp-state established                     | 2 | 13 | 'established' is not a UDP state
            active maybe                              | 2 | 10 | expected true or false
            requires-signature nosuch                 | 2 | 22 | requires unknown signature nosuch
            payload /a{2,1}/                          | 2 | 13 | bad iteration values
            payload /a{1001}/                         | 2 | 13 | cannot be expressed in RE2/J
            payload /(ab/                             | 2 | 12 | unbalanced '('
            payload /ab)/                             | 2 | 14 | unbalanced ')'
            payload /[abc/                            | 2 | 12 | bad character class
            payload /[z-a]/                           | 2 | 14 | negative range
            payload /[[:foo:]]/                       | 2 | 13 | bad character class expression
            payload /\\x4/                            | 2 | 12 | bad hex escape
            payload /\\1234/                          | 2 | 12 | octal escape with more than three digits
            payload /{NAME}x/                         | 2 | 12 | named definitions
            payload /a{/                              | 2 | 13 | '{' must be escaped
            payload /*a/                              | 2 | 12 | nothing to repeat
            payload /"abc/                            | 2 | 12 | missing quote
            payload /abc                              | 2 | 11 | unterminated pattern
            event "unterminated                       | 2 | 9  | unterminated string
            payload /x/ @                             | 2 | 15 | unrecognized character
            """)
    void shouldRejectConstructWithPosition(String attribute, int line, int column, String reason) {
        List<PolicyError> errs = errors("signature s {\n  " + attribute.replace("\\\\", "\\") + "\n  event \"m\"\n}\n");
        assertThat(errs).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo("t.sig");
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.message()).contains(reason);
        });
    }

    @Test
    void shouldReportEveryErrorWhenSeveralSignaturesAreBad() {
        List<PolicyError> errs = errors("""
                signature a {
                  eval f
                  payload /(/
                }
                signature a {
                  event "dup"
                }
                signature b {
                  requires-reverse-signature ! missing
                """);
        assertThat(errs).extracting(PolicyError::toString).containsExactly(
                "t.sig:2:3: 'eval' needs a Zeek script function and is not supported in tenant policies",
                "t.sig:3:12: bad pattern /(/: unbalanced '('",
                "t.sig:5:1: signature a defined twice (first at t.sig:1)",
                "t.sig:9:32: signature b requires unknown signature missing",
                "t.sig:10:1: missing '}' at end of signature b");
    }

    @Test
    void shouldRejectReservedWordAsSignatureName() {
        assertThat(errors("signature http {\n}\n")).first().extracting(PolicyError::toString)
                .isEqualTo("t.sig:1:11: expected a signature name after 'signature', found 'http' (a reserved word)");
    }

    @Test
    void shouldRejectGarbageOutsideSignatures() {
        assertThat(errors("payload /x/\n")).first().extracting(PolicyError::toString)
                .isEqualTo("t.sig:1:1: expected 'signature', found 'payload'");
    }

    @Test
    void shouldAcceptFullLanguageSubset() throws PolicyException {
        SignatureSet set = SignatureSet.compile(List.of(SourceFile.of("ok.sig", """
                # comment
                .meta anything goes here
                signature full-1 {
                  ip-proto == tcp
                  ip-proto != 17, 1
                  src-ip == 10.0.0.0/8, 192.168.1.1, [fe80::1], [2001:db8::]/32
                  dst-ip != 1.2.3.4
                  src-port >= 1024
                  dst-port == 80, 8000-8080, 0x1bb
                  header ip[9:1] == 6
                  header tcp[13:1] & 2 != 0
                  header ip[16:4] == 1.2.3.4/16, 5.6.7.8/24
                  payload /^GET [[:space:]]+\\x2f.*(passwd|shadow)/i
                  payload[:100] /.*"quoted"/
                  http-request /.*etc\\/passwd/
                  http /.*x/
                  http-request-header /.*Host/
                  http-request-body /^AB$/
                  http-reply-header /Server: .*/
                  http-reply-body /x/
                  http-body /y/
                  tcp-state established, originator
                  payload-size > 10
                  same-ip
                  requires-signature full-2
                  requires-reverse-signature ! full-2
                  event "found it"
                  enable "http"
                }
                signature full-2 {
                  udp-state responder
                  active false
                  event "never"
                }
                """)), Limits.DEFAULT);
        assertThat(set.ids()).containsExactly("full-1", "full-2");
        assertThat(set.re2Patterns("full-1")).hasSize(9);
    }

    @Test
    void shouldNameTheGroupWhenItsCombinedAutomatonExceedsTheStateLimit() {
        // three 10-byte literals: 33 DFA states in all, but their union NFA needs more than 40 states
        String text = "signature a {\n  dst-port == 80\n  payload /abcdefghij/\n  event \"a\"\n}\n"
                + "signature b {\n  dst-port == 80\n  payload /bcdefghijk/\n  event \"b\"\n}\n"
                + "signature c {\n  dst-port == 80\n  payload /cdefghijkl/\n  event \"c\"\n}\n";
        assertThatThrownBy(() -> SignatureSet.compile(List.of(SourceFile.of("t.sig", text)),
                Limits.DEFAULT.withMaxTotalDfaStates(40)))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("t.sig:1:")
                .hasMessageContaining("header tests of signature a")
                .hasMessageContaining("limit maxTotalDfaStates");
    }

    @Test
    void shouldThrowPolicyExceptionListingErrors() {
        assertThatThrownBy(() -> SignatureSet.compile(List.of(SourceFile.of("x.sig", "signature s { eval f }")),
                Limits.DEFAULT)).isInstanceOf(PolicyException.class).hasMessageContaining("x.sig:1:15: 'eval'");
    }
}
