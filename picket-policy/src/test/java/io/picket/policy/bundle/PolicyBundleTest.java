package io.picket.policy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.intel.IntelType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tenant folders load as one validated, immutable, swappable bundle; limits apply at compile time. */
class PolicyBundleTest {
    private static Path tenant(String name) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bundles", name + System.nanoTime());
        Files.createDirectories(dir.resolve("signatures"));
        Files.createDirectories(dir.resolve("intel"));
        return dir;
    }

    @Test
    void shouldLoadSignaturesAndIntelWhenFolderIsValid() throws Exception {
        Path dir = tenant("ok");
        Files.writeString(dir.resolve("signatures/a.sig"), "signature a { payload /.*x/\n event \"x\" }\n");
        Files.writeString(dir.resolve("signatures/b.sig"), "signature b { requires-signature a\n event \"y\" }\n");
        Files.writeString(dir.resolve("signatures/ignored.txt"), "not a signature");
        Files.writeString(dir.resolve("intel/i.dat"), "#fields\tindicator\tindicator_type\tmeta.source\n"
                + "evil.com\tIntel::DOMAIN\tfeed\n10.0.0.0/8\tIntel::SUBNET\tfeed\n");
        PolicyBundle b = PolicyBundle.load(dir);
        assertThat(b.signatures().ids()).containsExactly("a", "b");
        assertThat(b.intel().contains("EVIL.com", IntelType.DOMAIN)).isTrue();
        assertThat(b.intel().entries()).isEqualTo(2);
    }

    @Test
    void shouldListErrorsOfAllFilesWhenFolderIsInvalid() throws Exception {
        Path dir = tenant("bad");
        Files.writeString(dir.resolve("signatures/a.sig"), "signature a {\n  eval f\n}\n");
        Files.writeString(dir.resolve("signatures/b.sig"), "signature b { payload /[/ }\n");
        Files.writeString(dir.resolve("intel/i.dat"), "#fields\tindicator\tindicator_type\tmeta.source\n"
                + "x\tIntel::NOPE\tfeed\n");
        assertThatThrownBy(() -> PolicyBundle.load(dir)).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.errors()).extracting(PolicyError::toString).containsExactly(
                        "signatures/a.sig:2:3: 'eval' needs a Zeek script function and is not supported in tenant policies",
                        "signatures/b.sig:1:24: bad pattern /[/: bad character class: missing ']'",
                        "intel/i.dat:2:3: invalid indicator_type 'Intel::NOPE' (expected Intel::ADDR, Intel::SUBNET, "
                                + "Intel::DOMAIN, Intel::URL, Intel::SOFTWARE, Intel::EMAIL, Intel::USER_NAME, "
                                + "Intel::FILE_HASH, Intel::FILE_NAME, Intel::CERT_HASH or Intel::PUBKEY_HASH)"));
    }

    @Test
    void shouldSwapBundlesAtomically() throws Exception {
        PolicyBundle first = PolicyBundle.of("t", List.of(), List.of(), Limits.DEFAULT);
        PolicyBundle second = PolicyBundle.of("t", List.of(SourceFile.of("s.sig", "signature s { event \"e\" }")),
                List.of(), Limits.DEFAULT);
        PolicyBundleSlot slot = new PolicyBundleSlot(first);
        assertThat(slot.swap(second)).isSameAs(first);
        assertThat(slot.current().signatures().size()).isEqualTo(1);
    }

    @Test
    void shouldRejectWhenTooManySignatures() {
        String text = "signature a { event \"1\" }\nsignature b { event \"2\" }\nsignature c { event \"3\" }\n";
        assertThatThrownBy(() -> PolicyBundle.of("t", List.of(SourceFile.of("s.sig", text)), List.of(),
                Limits.DEFAULT.withMaxSignatures(2))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("s.sig:3:1: too many signatures: 3 > limit 2");
    }

    @Test
    void shouldRejectWhenPatternTooLong() {
        assertThatThrownBy(() -> PolicyBundle.of("t", List.of(SourceFile.of("s.sig",
                "signature a { payload /abcdefghij/ }")), List.of(), Limits.DEFAULT.withMaxPatternLength(5)))
                .hasMessageContaining("s.sig:1:24: pattern of 10 characters exceeds limit 5");
    }

    @Test
    void shouldRejectWhenDfaWouldExplode() {
        assertThatThrownBy(() -> PolicyBundle.of("t", List.of(SourceFile.of("s.sig",
                "signature a { payload /.*a.{20}/ }")), List.of(), Limits.DEFAULT))
                .hasMessageContaining("s.sig:1:24: pattern /.*a.{20}/: pattern needs more than 4096 DFA states");
    }

    @Test
    void shouldRejectWhenTotalDfaStatesExceedLimit() {
        assertThatThrownBy(() -> PolicyBundle.of("t", List.of(SourceFile.of("s.sig",
                "signature a { payload /abcdef/ }\nsignature b { payload /ghijkl/ }")), List.of(),
                Limits.DEFAULT.withMaxTotalDfaStates(12))).hasMessageContaining("s.sig:2:24: total DFA states exceed limit 12");
    }

    @Test
    void shouldRejectWhenTooManyIntelEntries() {
        assertThatThrownBy(() -> PolicyBundle.of("t", List.of(), List.of(SourceFile.of("i.dat",
                "#fields\tindicator\tindicator_type\tmeta.source\na.com\tIntel::DOMAIN\ts\nb.com\tIntel::DOMAIN\ts\n")),
                Limits.DEFAULT.withMaxIntelEntries(1))).hasMessageContaining("too many intel entries: 2 > limit 1");
    }
}
