package io.picket.policy.steering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.IpAddress;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.bundle.PolicyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** steering.yaml: validation with positions, first-match rules, per-profile signature sets. */
class SteeringTest {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private static Steering steering(String yaml) throws PolicyException {
        return Steering.parse(SourceFile.of("steering.yaml", yaml), Limits.DEFAULT);
    }

    private static long[] ip(String text) {
        long[] a = new long[2];
        assertThat(IpAddress.parse(text, a)).as(text).isTrue();
        return a;
    }

    /** The profile name for a connection orig:oport -> resp:rport over {@code proto}. */
    private static String profile(Steering s, int proto, String orig, int oport, String resp, int rport) {
        long[] o = ip(orig);
        long[] r = ip(resp);
        return Steering.PROFILE_NAMES.get(s.profileFor(proto, o[0], o[1], oport, r[0], r[1], rport));
    }

    private static List<String> errors(String yaml) {
        try {
            steering(yaml);
        } catch (PolicyException e) {
            return e.errors().stream().map(PolicyError::toString).toList();
        }
        throw new AssertionError("no errors");
    }

    @Test
    void shouldUseBuiltInProfilesWhenFileIsEmpty() throws Exception {
        Steering s = steering("");
        assertThat(s.rules().size()).isZero();
        assertThat(s.defaultProfile()).isEqualTo(Steering.NORMAL);
        SteeringProfile normal = s.profile(Steering.NORMAL);
        SteeringProfile enhanced = s.profile(Steering.ENHANCED);
        assertThat(normal.name()).isEqualTo("normal");
        assertThat(normal.allowsAnalyzer("http")).isTrue();
        assertThat(normal.payloadDepth()).isEqualTo(Limits.DEFAULT.payloadDepth());
        assertThat(enhanced.payloadDepth()).isEqualTo(Steering.ENHANCED_PAYLOAD_DEPTH);
        assertThat(enhanced.signatureGlobs()).containsExactly("*");
        assertThat(profile(s, TCP, "10.0.0.1", 1234, "10.0.0.2", 80)).isEqualTo("normal");
    }

    @Test
    void shouldReadProfilesWhenGiven() throws Exception {
        Steering s = steering("""
                profiles:
                  normal:
                    analyzers: [dns, ssl]
                    payload_depth: 64
                  enhanced:
                    analyzers: all
                default: enhanced
                """);
        assertThat(s.profile(Steering.NORMAL).allowsAnalyzer("http")).isFalse();
        assertThat(s.profile(Steering.NORMAL).allowsAnalyzer("dns")).isTrue();
        assertThat(s.profile(Steering.NORMAL).payloadDepth()).isEqualTo(64);
        assertThat(s.profile(Steering.ENHANCED).analyzers()).isNull();
        assertThat(profile(s, UDP, "10.0.0.1", 1234, "10.0.0.2", 53)).isEqualTo("enhanced");
    }

    @Test
    void shouldReportEveryProblemWithFileLineAndColumnWhenValuesAreBad() {
        assertThat(errors("""
                profiles:
                  normal:
                    analyzer: [dns]
                    payload_depth: -1
                  deep: {}
                default: paranoid
                rules:
                  - profile: enhanced
                    proto: sctp
                    orig_nets: [10.0.0.1/8, 300.1.2.3, "2001:db8::/129"]
                    resp_ports: [80, "90-70", 70000, http]
                    both_directions: yes
                  - proto: tcp
                  - just a string
                colour: blue
                """)).containsExactly(
                "steering.yaml:3:5: unknown key 'analyzer' in profile normal; allowed: analyzers, signatures, payload_depth",
                "steering.yaml:4:20: payload_depth -1 out of range 0..1073741824",
                "steering.yaml:5:3: unknown profile 'deep' (profiles are normal and enhanced)",
                "steering.yaml:6:10: unknown profile 'paranoid' (profiles are normal and enhanced)",
                "steering.yaml:9:12: proto must be tcp, udp, icmp, icmp6 or an IP protocol number 0..255, got the string 'sctp'",
                "steering.yaml:10:17: '10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)",
                "steering.yaml:10:29: bad address '300.1.2.3' in '300.1.2.3'",
                "steering.yaml:10:40: bad prefix length '129' in '2001:db8::/129' (0..128)",
                "steering.yaml:11:22: port range '90-70' starts after it ends",
                "steering.yaml:11:31: port 70000 out of range 0..65535",
                "steering.yaml:11:38: a resp_ports entry must be a port 0..65535 or a range such as \"8000-8099\", "
                        + "got the string 'http'",
                "steering.yaml:12:22: both_directions must be true or false, got the string 'yes'",
                "steering.yaml:13:5: rule is missing required key 'profile'",
                "steering.yaml:14:5: a rule must be a mapping (profile, proto, orig_nets, resp_nets, orig_ports, "
                        + "resp_ports, both_directions), got the string 'just a string'",
                "steering.yaml:15:1: unknown key 'colour' at top level; allowed: profiles, default, rules");
    }

    @Test
    void shouldReportSyntaxErrorWithPositionWhenYamlIsBroken() {
        assertThat(errors("rules:\n  - profile: [enhanced\n")).singleElement().asString()
                .startsWith("steering.yaml:2:23: YAML syntax error: while parsing a flow sequence");
    }

    @Test
    void shouldReportDuplicateKeysWhenAKeyRepeats() {
        assertThat(errors("default: normal\ndefault: enhanced\n"))
                .containsExactly("steering.yaml:2:1: duplicate key 'default' (first at line 1)");
    }

    @Test
    void shouldTakeTheFirstMatchingRuleWhenSeveralMatch() throws Exception {
        Steering s = steering("""
                rules:
                  - profile: normal
                    proto: tcp
                    resp_nets: 192.0.2.7
                  - profile: enhanced
                    proto: [tcp, udp]
                    resp_nets: [192.0.2.0/24, "2001:db8:1::/48"]
                    resp_ports: [80, "8000-8099"]
                  - profile: enhanced
                    proto: icmp
                """);
        assertThat(profile(s, TCP, "10.0.0.1", 40000, "192.0.2.7", 80)).as("rule 1 first").isEqualTo("normal");
        assertThat(profile(s, TCP, "10.0.0.1", 40000, "192.0.2.8", 80)).isEqualTo("enhanced");
        assertThat(profile(s, UDP, "10.0.0.1", 40000, "192.0.2.8", 8099)).isEqualTo("enhanced");
        assertThat(profile(s, UDP, "10.0.0.1", 40000, "192.0.2.8", 8100)).as("port past range").isEqualTo("normal");
        assertThat(profile(s, TCP, "10.0.0.1", 40000, "192.0.3.8", 80)).as("outside /24").isEqualTo("normal");
        assertThat(profile(s, TCP, "2001:db8::1", 40000, "2001:db8:1:ffff::5", 8000)).isEqualTo("enhanced");
        assertThat(profile(s, TCP, "2001:db8::1", 40000, "2001:db8:2::5", 8000)).as("outside /48")
                .isEqualTo("normal");
        assertThat(profile(s, TCP, "2001:db8::1", 40000, "::ffff:192.0.2.8", 80)).as("v4-mapped is v4")
                .isEqualTo("enhanced");
        assertThat(profile(s, 132, "10.0.0.1", 40000, "192.0.2.8", 80)).as("sctp").isEqualTo("normal");
        assertThat(profile(s, 1, "10.0.0.1", 8, "192.0.2.99", 0)).as("icmp").isEqualTo("enhanced");
        assertThat(profile(s, 58, "2001:db8::1", 128, "2001:db8::2", 0)).as("icmp6 is not icmp")
                .isEqualTo("normal");
    }

    @Test
    void shouldMatchSwappedRolesOnlyWhenBothDirectionsIsSet() throws Exception {
        Steering s = steering("""
                rules:
                  - profile: enhanced
                    orig_nets: 10.1.0.0/16
                    resp_ports: 22
                    both_directions: true
                  - profile: enhanced
                    orig_nets: 10.2.0.0/16
                    resp_ports: 22
                """);
        assertThat(profile(s, TCP, "10.1.2.3", 50000, "198.51.100.1", 22)).isEqualTo("enhanced");
        assertThat(profile(s, TCP, "198.51.100.1", 22, "10.1.2.3", 50000)).as("swapped, both").isEqualTo("enhanced");
        assertThat(profile(s, TCP, "10.2.2.3", 50000, "198.51.100.1", 22)).isEqualTo("enhanced");
        assertThat(profile(s, TCP, "198.51.100.1", 22, "10.2.2.3", 50000)).as("swapped, one way")
                .isEqualTo("normal");
    }

    @Test
    void shouldMatchEveryAddressWhenPrefixLengthIsZero() throws Exception {
        Steering s = steering("rules:\n  - profile: enhanced\n    resp_nets: [0.0.0.0/0, \"::/0\"]\n");
        assertThat(profile(s, TCP, "10.0.0.1", 1, "203.0.113.9", 2)).isEqualTo("enhanced");
        assertThat(profile(s, TCP, "10.0.0.1", 1, "fe80::1", 2)).isEqualTo("enhanced");
    }

    @Property(tries = 300)
    void shouldMatchAnIpv4PrefixExactlyWhenItsLeadingBitsAgree(@ForAll int net, @ForAll @IntRange(max = 32) int len,
                                                               @ForAll int addr) throws Exception {
        int mask = len == 0 ? 0 : -1 << (32 - len);
        int network = net & mask;
        String cidr = IpAddress.format(0, IpAddress.ipv4Lo(network)) + "/" + len;
        Steering s = steering("rules:\n  - profile: enhanced\n    orig_nets: \"" + cidr + "\"\n");
        boolean expected = (addr & mask) == network;
        assertThat(s.profileFor(TCP, 0, IpAddress.ipv4Lo(addr), 1, 0, IpAddress.ipv4Lo(1), 2))
                .isEqualTo(expected ? Steering.ENHANCED : Steering.NORMAL);
    }

    @Test
    void shouldCompileOneSignatureSetPerProfileWhenGlobsSelectFiles() throws Exception {
        List<SourceFile> sigs = List.of(
                SourceFile.of("signatures/base.sig", "signature b { payload /x/\n event \"b\" }\n"),
                SourceFile.of("signatures/enhanced-web.sig", "signature e { payload /y/\n event \"e\" }\n"));
        PolicyBundle b = PolicyBundle.of("t", sigs, List.of(), SourceFile.of("steering.yaml", """
                profiles:
                  normal:
                    signatures: base.sig
                  enhanced:
                    signatures: ["*.sig"]
                """), Limits.DEFAULT);
        Steering s = b.steering();
        assertThat(s.profile(Steering.NORMAL).signatures().ids()).containsExactly("b");
        assertThat(s.profile(Steering.ENHANCED).signatures()).isSameAs(b.signatures());
        assertThat(b.signatures().ids()).containsExactly("b", "e");
    }

    @Test
    void shouldReportProfileProblemsWhenGlobsMatchNothingOrBreakReferences() {
        List<SourceFile> sigs = List.of(
                SourceFile.of("signatures/a.sig", "signature a { payload /x/\n event \"a\" }\n"),
                SourceFile.of("signatures/b.sig", "signature b {\n  requires-signature a\n  event \"b\" }\n"));
        assertThatThrownBy(() -> PolicyBundle.of("t", sigs, List.of(), SourceFile.of("steering.yaml", """
                profiles:
                  normal:
                    signatures: [b.sig, "web-*.sig"]
                """), Limits.DEFAULT)).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.errors()).extracting(PolicyError::toString).containsExactly(
                        "steering.yaml:3:25: signatures glob 'web-*.sig' matches no file in signatures/",
                        "signatures/b.sig:2:22: in profile normal (steering.yaml:2): signature b requires unknown "
                                + "signature a"));
    }

    @Test
    void shouldNameUnknownAnalyzersWhenTheRunDoesNotKnowThem() throws Exception {
        Steering s = steering("profiles:\n  normal:\n    analyzers: [dns, htttp]\n");
        assertThat(s.checkAnalyzers(Set.of("dns", "http", "teredo"))).extracting(PolicyError::toString)
                .containsExactly("steering.yaml:3:22: unknown analyzer 'htttp' (known: dns, http, teredo)");
    }

    @Test
    void shouldLoadSteeringFromTheTenantFolderWhenPresent() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "steering", "t" + System.nanoTime());
        Files.createDirectories(dir.resolve("signatures"));
        Files.writeString(dir.resolve("signatures/a.sig"), "signature a { payload /x/\n event \"a\" }\n");
        assertThat(PolicyBundle.load(dir).steering()).isNull();
        Files.writeString(dir.resolve("steering.yaml"), "rules:\n  - profile: enhanced\n    proto: udp\n");
        Steering s = PolicyBundle.load(dir).steering();
        assertThat(s.rules().size()).isEqualTo(1);
        Files.writeString(dir.resolve("steering.yaml"), "rules:\n  - profile: enhanced\n    proto: udpp\n");
        assertThatThrownBy(() -> PolicyBundle.load(dir)).hasMessageContaining("steering.yaml:3:12: proto must be");
    }
}
