package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Header conditions read the real bytes of each direction's first packet, and {@code tcp-state
 * established} asks the connection's TCP state when the rule is tested (Zeek's
 * {@code RuleConditionTCPState}: both endpoints past the handshake), end to end through the engine.
 */
class SignatureHeaderStateTest {
    @TempDir
    Path tmp;

    private static final String SIGNATURES = """
            signature est-attack {
              ip-proto == tcp
              tcp-state established,originator
              payload /.*GET \\/attack/
              event "attack on an established connection"
            }
            signature syn-then-attack {
              ip-proto == tcp
              header tcp[13:1] & 0x02 != 0
              header ip[8:1] == 64
              payload /.*GET \\/attack/
              event "first packet a SYN with TTL 64"
            }
            signature ttl-63 {
              ip-proto == tcp
              header ip[8:1] == 63
              payload /.*GET/
              event "never: every packet has TTL 64"
            }
            signature resp-first-synack {
              ip-proto == tcp
              header tcp[13:1] & 0x12 == 0x12
              tcp-state responder
              payload /.*HTTP\\/1\\.1 200/
              event "responder's first packet was a SYN-ACK"
            }
            """;

    private Path run(Path pcap) throws Exception {
        Path policy = tmp.resolve("policy");
        PolicyTraffic.bundle(policy, "a", SIGNATURES, PolicyTraffic.INTEL);
        Path tenants = tmp.resolve("tenants.yaml");
        Files.writeString(tenants, PolicyTraffic.TENANTS);
        Path logs = tmp.resolve("logs-" + pcap.getFileName());
        Engine.run(EngineConfig.of(List.of(pcap), logs).withTenants(tenants).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy, List.of(), List.of())), ProgressListener.NONE);
        return logs;
    }

    private static long count(List<String> rows, String id) {
        return rows.stream().filter(r -> List.of(r.split("\t")).contains(id)).count();
    }

    @Test
    void shouldTestHeadersOfTheFirstPacketsAndTheLiveTcpState() throws Exception {
        // 30 connections per tenant; connection i requests /attack unless i % 3 == 0
        Path logs = run(PolicyTraffic.write(tmp.resolve("t.pcap"), 30, 0.01));
        List<String> rows = PolicyTraffic.rows(logs, "a", "signatures.log");
        assertThat(count(rows, "est-attack")).isEqualTo(20);
        assertThat(count(rows, "syn-then-attack")).isEqualTo(20);
        assertThat(count(rows, "resp-first-synack")).isEqualTo(30);
        assertThat(count(rows, "ttl-63")).isZero();
    }

    @Test
    void shouldMatchEstablishedOnlyOnceTheHandshakeIsPastWhenTheRequestRidesInTheSyn() throws Exception {
        // answered: the SYN's data finds the handshake open, but Zeek tests the rules whose patterns
        // matched again when the endpoint finishes (RuleMatcher::FinishEndpoint), and a closed
        // connection counts as established there: the signature fires at the end
        Path answered = run(SignatureFastOpenTest.fastOpenCapture(tmp.resolve("tfo.pcap")));
        List<String> rows = PolicyTraffic.rows(answered, "a", "signatures.log");
        assertThat(count(rows, "est-attack")).isEqualTo(1);
        assertThat(count(rows, "syn-then-attack")).isEqualTo(1);
        // unanswered: the server never replies, the handshake never completes
        Path unanswered = run(SignatureFastOpenTest.fastOpenCapture(tmp.resolve("syn-only.pcap"), false));
        rows = PolicyTraffic.rows(unanswered, "a", "signatures.log");
        assertThat(count(rows, "est-attack")).isZero();
        assertThat(count(rows, "syn-then-attack")).isEqualTo(1);
    }
}
