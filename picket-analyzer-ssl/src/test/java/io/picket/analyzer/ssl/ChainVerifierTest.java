package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier against OpenSSL itself: each case of src/test/resources/verify (made by
 * src/test/tools/make-verify-cases.py) carries the status {@code openssl verify -attime}
 * (OpenSSL 3.0) reported for it, which is the string Zeek's {@code x509_verify} yields.
 */
class ChainVerifierTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String line : resource("/verify/cases.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(Arguments.of(f[0], Long.parseLong(f[1]), f[2]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void shouldReportWhatOpenSslReportsWhenVerifyingTheCase(String name, long time, String expected)
            throws IOException {
        TrustStore roots = TrustStore.fromPem(stream("/verify/" + name + "/roots.pem"));
        X509Certificate leaf = certs("/verify/" + name + "/leaf.pem").get(0);
        List<X509Certificate> untrusted = certs("/verify/" + name + "/untrusted.pem");

        ChainVerifier.Result r = ChainVerifier.verify(roots, leaf, untrusted, new Date(time * 1000));

        assertThat(VerifyMessages.OPENSSL_3_0.text(r.code())).isEqualTo(expected);
        if (expected.equals("ok")) {
            assertThat(r.chain()).startsWith(leaf);
            assertThat(roots.certificates()).contains(r.chain().get(r.chain().size() - 1));
        }
    }

    static List<X509Certificate> certs(String resource) throws IOException {
        String pem = resource(resource);
        if (pem.isBlank()) {
            return List.of();
        }
        try (InputStream in = stream(resource)) {
            return TrustStore.fromPem(in).certificates();
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = ChainVerifierTest.class.getResourceAsStream(resource);
        if (in == null) {
            throw new UncheckedIOException(new IOException("missing " + resource));
        }
        return in;
    }

    private static String resource(String resource) throws IOException {
        try (InputStream in = stream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
