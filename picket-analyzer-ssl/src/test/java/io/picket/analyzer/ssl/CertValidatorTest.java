package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caches of validate-certs.zeek: per-chain results ({@code recently_validated_certs},
 * five minutes after last use) and intermediates ({@code intermediate_cache}); bounded and
 * per scope. Uses the "ok-three" case of src/test/resources/verify (root, intermediate, host),
 * valid around network time 1700000000.
 */
class CertValidatorTest {
    private static final double NOW = 1_700_000_000.0;
    private static TrustStore roots;
    private static byte[] leaf;
    private static byte[] intermediate;
    private static byte[] otherLeaf;

    @BeforeAll
    static void load() throws IOException, CertificateEncodingException {
        try (InputStream in = CertValidatorTest.class.getResourceAsStream("/verify/ok-three/roots.pem")) {
            roots = TrustStore.fromPem(in);
        }
        leaf = ChainVerifierTest.certs("/verify/ok-three/leaf.pem").get(0).getEncoded();
        intermediate = ChainVerifierTest.certs("/verify/ok-three/untrusted.pem").get(0).getEncoded();
        // another host certificate of the same intermediate
        otherLeaf = ChainVerifierTest.certs("/verify/leaf-without-akid/leaf.pem").get(0).getEncoded();
    }

    private static List<String> fps(byte[]... ders) {
        List<String> out = new ArrayList<>();
        for (byte[] d : ders) {
            out.add(CertValidator.sha256Hex(d, 0, d.length));
        }
        return out;
    }

    private static String status(CertValidator v, Object scope, double now, byte[]... ders) {
        return v.status(scope, List.of(ders), fps(ders), now);
    }

    @Test
    void shouldValidateEachChainOnceWhileItIsUsedWithinFiveMinutes() {
        CertValidator v = new CertValidator(CertValidation.with(roots).withIntermediateCache(false, 0));

        assertThat(status(v, "t", NOW, leaf, intermediate)).isEqualTo("ok");
        assertThat(status(v, "t", NOW + 299, leaf, intermediate)).isEqualTo("ok");
        assertThat(status(v, "t", NOW + 598, leaf, intermediate)).isEqualTo("ok");
        assertThat(v.validations()).isEqualTo(1);

        assertThat(status(v, "t", NOW + 1000, leaf, intermediate)).isEqualTo("ok");
        assertThat(v.validations()).isEqualTo(2);
    }

    @Test
    void shouldReturnTheCachedResultEvenWhenTheNetworkTimeMovedPastTheCertificatesValidity() {
        CertValidator v = new CertValidator(CertValidation.with(roots));
        X509Certificate l = parse(leaf);
        double afterExpiry = l.getNotAfter().getTime() / 1000.0 + 10;

        assertThat(status(v, "t", afterExpiry - 100, leaf, intermediate)).isEqualTo("ok");
        assertThat(status(v, "t", afterExpiry, leaf, intermediate)).isEqualTo("ok");
        assertThat(status(v, "t", afterExpiry + 600, leaf, intermediate)).isEqualTo("certificate has expired");
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedChainWhenTheResultCacheIsFull() {
        CertValidator v = new CertValidator(
                CertValidation.with(roots).withResultCache(1, 300).withIntermediateCache(false, 0));

        status(v, "t", NOW, leaf, intermediate);
        status(v, "t", NOW, otherLeaf, intermediate);
        status(v, "t", NOW, leaf, intermediate);

        assertThat(v.validations()).isEqualTo(3);
        assertThat(v.cachedResults()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAChainWithTheIntermediateOfAnEarlierValidChainOfTheSameIssuer() {
        CertValidator v = new CertValidator(CertValidation.with(roots));

        assertThat(status(v, "t", NOW, otherLeaf)).isEqualTo("unable to get local issuer certificate");
        assertThat(status(v, "t", NOW, leaf, intermediate)).isEqualTo("ok");
        assertThat(v.cachedIssuers()).isEqualTo(1);
        assertThat(status(v, "t", NOW + 1, otherLeaf)).isEqualTo("ok");
        assertThat(status(v, "u", NOW + 1, otherLeaf)).isEqualTo("unable to get local issuer certificate");
    }

    @Test
    void shouldKeepAtMostTheConfiguredNumberOfIssuers() {
        CertValidator v = new CertValidator(CertValidation.with(roots).withIntermediateCache(true, 1));

        status(v, "a", NOW, leaf, intermediate);
        status(v, "b", NOW, leaf, intermediate);

        assertThat(v.cachedIssuers()).isEqualTo(1);
        assertThat(status(v, "b", NOW, otherLeaf)).isEqualTo("ok");
        assertThat(status(v, "a", NOW, otherLeaf)).isEqualTo("unable to get local issuer certificate");
    }

    @Test
    void shouldLeaveTheStatusUnsetWhenTheHostCertificateIsNotReadable() {
        CertValidator v = new CertValidator(CertValidation.with(roots));
        byte[] garbage = {0x30, 0x03, 0x02, 0x01, 0x00};

        assertThat(v.status("t", List.of(garbage), List.of("x"), NOW)).isNull();
        assertThat(v.unparsable()).isEqualTo(1);
        assertThat(v.status("t", List.of(), List.of(), NOW)).isNull();
    }

    @Test
    void shouldHashTheIssuerOfTheHostAndTheSubjectOfItsIssuerAlike() {
        assertThat(CertValidator.issuerNameHash(leaf)).isNotNull()
                .isEqualTo(CertValidator.nameHash(intermediate, false));
        assertThat(CertValidator.issuerNameHash(new byte[] {0x30, 0x00})).isNull();
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) TrustStore.factory()
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (java.security.cert.CertificateException e) {
            throw new AssertionError(e);
        }
    }
}
