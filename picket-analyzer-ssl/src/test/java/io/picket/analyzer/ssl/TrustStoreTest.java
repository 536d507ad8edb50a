package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustStoreTest {

    @Test
    void shouldLoadTheTrustedCertificatesOfTheJdksCacerts() throws IOException {
        TrustStore store = TrustStore.jdkCacerts();

        assertThat(store.size()).isGreaterThan(100);
    }

    @Test
    void shouldReadAPemBundleIgnoringTheTextAroundItsBlocks() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/roots/mozilla-2014-subset.pem")) {
            TrustStore store = TrustStore.fromPem(in);

            assertThat(store.size()).isEqualTo(3);
            assertThat(store.certificates()).extracting(c -> c.getSubjectX500Principal().getName())
                    .anyMatch(n -> n.startsWith("CN=AddTrust External CA Root"));
        }
    }

    @Test
    void shouldRefuseAPemFileWithoutCertificateOrWithABrokenBlock() {
        assertThatThrownBy(() -> TrustStore.fromPem(pem("no certificates here")))
                .isInstanceOf(IOException.class).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> TrustStore.fromPem(pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("certificate 1 unreadable");
        assertThatThrownBy(() -> TrustStore.fromPem(pem("-----BEGIN CERTIFICATE-----\nAAAA\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("unterminated");
    }

    @Test
    void shouldReadAPkcs12KeyStoreAndAPemFileFromDisk() throws Exception {
        List<X509Certificate> certs = ChainVerifierTest.certs("/roots/mozilla-2014-subset.pem");
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "truststore-test"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < certs.size(); i++) {
            ks.setCertificateEntry("root" + i, certs.get(i));
        }
        Path p12 = dir.resolve("roots.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, "changeit".toCharArray());
        }
        Path pem = dir.resolve("roots.pem");
        try (InputStream in = getClass().getResourceAsStream("/roots/mozilla-2014-subset.pem")) {
            Files.write(pem, in.readAllBytes());
        }

        assertThat(TrustStore.fromKeyStore(p12).certificates()).containsExactlyInAnyOrderElementsOf(certs);
        assertThat(TrustStore.fromPem(pem).certificates()).containsExactlyElementsOf(certs);
        assertThatThrownBy(() -> TrustStore.fromKeyStore(pem)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldWordTheStatusAsTheChosenOpenSslReleaseDoes() {
        assertThat(VerifyMessages.OPENSSL_1_1.text(VerifyMessages.DEPTH_ZERO_SELF_SIGNED_CERT))
                .isEqualTo("self signed certificate");
        assertThat(VerifyMessages.OPENSSL_3_0.text(VerifyMessages.SELF_SIGNED_CERT_IN_CHAIN))
                .isEqualTo("self-signed certificate in certificate chain");
        assertThat(VerifyMessages.OPENSSL_3_0.text(VerifyMessages.CERT_NOT_YET_VALID))
                .isEqualTo("certificate is not yet valid");
        assertThat(VerifyMessages.OPENSSL_3_6.text(VerifyMessages.CERT_NOT_YET_VALID))
                .isEqualTo("certificate is not yet valid or the system clock is incorrect");
        for (VerifyMessages m : VerifyMessages.values()) {
            assertThat(m.text(VerifyMessages.OK)).isEqualTo("ok");
            assertThat(m.text(VerifyMessages.UNABLE_TO_GET_ISSUER_CERT_LOCALLY))
                    .isEqualTo("unable to get local issuer certificate");
            assertThat(m.text(VerifyMessages.CERT_HAS_EXPIRED)).isEqualTo("certificate has expired");
            assertThat(m.text(VerifyMessages.UNABLE_TO_GET_ISSUER_CERT)).isEqualTo("unable to get issuer certificate");
        }
    }

    private static InputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
