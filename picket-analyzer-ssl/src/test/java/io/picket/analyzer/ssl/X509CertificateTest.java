package io.picket.analyzer.ssl;

import static io.picket.analyzer.ssl.DerBuilder.atv;
import static io.picket.analyzer.ssl.DerBuilder.bmp;
import static io.picket.analyzer.ssl.DerBuilder.certificate;
import static io.picket.analyzer.ssl.DerBuilder.cn;
import static io.picket.analyzer.ssl.DerBuilder.extension;
import static io.picket.analyzer.ssl.DerBuilder.generalized;
import static io.picket.analyzer.ssl.DerBuilder.ia5;
import static io.picket.analyzer.ssl.DerBuilder.name;
import static io.picket.analyzer.ssl.DerBuilder.printable;
import static io.picket.analyzer.ssl.DerBuilder.rdn;
import static io.picket.analyzer.ssl.DerBuilder.seq;
import static io.picket.analyzer.ssl.DerBuilder.tlv;
import static io.picket.analyzer.ssl.DerBuilder.utc;
import static io.picket.analyzer.ssl.DerBuilder.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class X509CertificateTest {
    private static byte[] rsaKey;
    private static byte[] ecKey;
    private static byte[] edKey;
    private static byte[] dsaKey;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        rsaKey = rsa.generateKeyPair().getPublic().getEncoded();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        ecKey = ec.generateKeyPair().getPublic().getEncoded();
        edKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(1024);
        dsaKey = dsa.generateKeyPair().getPublic().getEncoded();
    }

    private static X509Certificate parse(byte[] der) {
        return X509Certificate.parse(der, 0, der.length);
    }

    private static String subjectOf(byte[] name) {
        X509Certificate c = parse(certificate(name, rsaKey));
        assertThat(c).isNotNull();
        return c.subject;
    }

    @Test
    void shouldGiveTheCertificateParsedBeforeWhenTheSameBytesComeAgainAnywhere() {
        byte[] der = certificate(name(rdn(atv("2.5.4.3", utf8("cache.example")))), rsaKey);
        X509Certificate first = X509Certificate.parse(der, 0, der.length);
        // the same bytes inside another buffer, with bytes before and after
        byte[] framed = new byte[der.length + 7];
        System.arraycopy(der, 0, framed, 3, der.length);
        X509Certificate again = X509Certificate.parse(framed, 3, der.length);
        assertThat(first).isNotNull();
        assertThat(again).isSameAs(first);
        // other bytes: another certificate, and a failure stays a failure
        byte[] other = certificate(name(rdn(atv("2.5.4.3", utf8("other.example")))), rsaKey);
        assertThat(X509Certificate.parse(other, 0, other.length).subject).isEqualTo("CN=other.example");
        byte[] broken = java.util.Arrays.copyOf(der, der.length / 2);
        assertThat(X509Certificate.parse(broken, 0, broken.length)).isNull();
        assertThat(X509Certificate.parse(broken, 0, broken.length)).isNull();
        assertThat(X509Certificate.parse(der, 1, der.length)).isNull(); // past the end
        // the cache keeps its own copy of the bytes: the caller may reuse its buffer
        byte[] third = certificate(name(rdn(atv("2.5.4.3", utf8("third.example")))), rsaKey);
        byte[] buffer = third.clone();
        X509Certificate fromBuffer = X509Certificate.parse(buffer, 0, buffer.length);
        java.util.Arrays.fill(buffer, (byte) 0);
        assertThat(X509Certificate.parse(third, 0, third.length)).isSameAs(fromBuffer);
    }

    @Test
    void shouldStayCorrectWhenMoreDistinctCertificatesComeThanTheCacheHolds() {
        byte[] keep = certificate(name(rdn(atv("2.5.4.3", utf8("kept.example")))), rsaKey);
        for (int i = 0; i < X509Certificate.RECENT_MAX * 2 + 3; i++) {
            byte[] der = certificate(name(rdn(atv("2.5.4.3", utf8("host" + i + ".example")))), rsaKey);
            assertThat(X509Certificate.parse(der, 0, der.length).subject).isEqualTo("CN=host" + i + ".example");
            if (i % 500 == 0) {
                assertThat(X509Certificate.parse(keep, 0, keep.length).subject).isEqualTo("CN=kept.example");
            }
        }
    }

    @Test
    void shouldPrintNamesInReverseOrderWithRfc2253Escapes() {
        byte[] name = name(
                rdn(atv("2.5.4.6", printable("US"))),
                rdn(atv("2.5.4.10", utf8("Example, Inc."))),
                rdn(atv("2.5.4.11", utf8("+plus;semi<>\"q\\"))),
                rdn(atv("2.5.4.3", utf8(" lead#"))));

        assertThat(subjectOf(name)).isEqualTo("CN=\\ lead#,OU=\\+plus\\;semi\\<\\>\\\"q\\\\,O=Example\\, Inc.,C=US");
    }

    @Test
    void shouldJoinMultiValuedRdnsWithPlusInReverse() {
        byte[] name = name(rdn(atv("2.5.4.3", utf8("a")), atv("2.5.4.10", utf8("b"))), cn("c"));

        assertThat(subjectOf(name)).isEqualTo("CN=c,O=b+CN=a");
    }

    @Test
    void shouldEscapeNonAsciiAsUtf8BytesWhateverTheStringType() {
        assertThat(subjectOf(name(rdn(atv("2.5.4.3", utf8("é")))))).isEqualTo("CN=\\C3\\A9");
        assertThat(subjectOf(name(rdn(atv("2.5.4.3", tlv(0x14, new byte[] {(byte) 0xE9})))))).isEqualTo("CN=\\C3\\A9");
        assertThat(subjectOf(name(rdn(atv("2.5.4.3", bmp("中")))))).isEqualTo("CN=\\E4\\B8\\AD");
        assertThat(subjectOf(name(rdn(atv("2.5.4.3", printable("a\nb")))))).isEqualTo("CN=a\\0Ab");
    }

    @Test
    void shouldEscapeLeadingAndTrailingSpacesOnly() {
        assertThat(subjectOf(name(cn("a b ")))).isEqualTo("CN=a b\\ ");
        assertThat(subjectOf(name(cn(" ")))).isEqualTo("CN=\\ ");
        assertThat(subjectOf(name(cn("#a")))).isEqualTo("CN=\\#a");
    }

    @Test
    void shouldDumpUnknownAttributesAsHexDer() {
        assertThat(subjectOf(name(rdn(atv("1.2.3.4", utf8("abc")))))).isEqualTo("1.2.3.4=#0C03616263");
        assertThat(subjectOf(name(rdn(atv("2.5.4.3", tlv(0x04, new byte[] {1, 2})))))).isEqualTo("CN=#04020102");
        assertThat(subjectOf(name(rdn(atv("1.2.840.113549.1.9.1", ia5("a@b")))))).isEqualTo("emailAddress=a@b");
    }

    @Test
    void shouldRejectInvalidUtf8InNamesAsOpenSslDoes() {
        byte[] bad = name(rdn(atv("2.5.4.3", tlv(0x0c, new byte[] {(byte) 0xC3}))));
        assertThat(parse(certificate(bad, rsaKey))).isNull();
    }

    @Test
    void shouldFormatSerialsAsUppercaseHexOfTheMagnitude() {
        byte[] issuer = name(cn("i"));
        byte[] subject = name(cn("s"));
        assertThat(parse(certificate(2, new byte[] {0x00, (byte) 0x80}, issuer, utc("240101000000Z"),
                utc("250101000000Z"), subject, rsaKey)).serial).isEqualTo("80");
        assertThat(parse(certificate(2, new byte[] {(byte) 0xFF, 0x7F}, issuer, utc("240101000000Z"),
                utc("250101000000Z"), subject, rsaKey)).serial).isEqualTo("-81");
        assertThat(parse(certificate(2, new byte[] {0x00, 0x01}, issuer, utc("240101000000Z"),
                utc("250101000000Z"), subject, rsaKey))).isNull();
        byte[] longSerial = new byte[40];
        java.util.Arrays.fill(longSerial, (byte) 0x11);
        String s = parse(certificate(2, longSerial, issuer, utc("240101000000Z"), utc("250101000000Z"), subject,
                rsaKey)).serial;
        assertThat(s).isEqualTo("11".repeat(35) + "\\\n" + "11".repeat(5));
    }

    @Test
    void shouldReadValidityTimesLikeZeek() {
        byte[] subject = name(cn("s"));
        X509Certificate c = parse(certificate(2, new byte[] {1}, subject, utc("491231235959Z"),
                generalized("20240102030405+0130"), subject, rsaKey));
        assertThat(c.notValidBefore).isEqualTo((double) Instant.parse("2049-12-31T23:59:59Z").getEpochSecond());
        // Zeek adds the offset's hours*60+minutes as seconds
        assertThat(c.notValidAfter).isEqualTo((double) Instant.parse("2024-01-02T03:04:05Z").getEpochSecond() + 90);

        X509Certificate old = parse(certificate(2, new byte[] {1}, subject, utc("500101000000Z"),
                utc("2401020304+0100"), subject, rsaKey));
        assertThat(old.notValidBefore).isEqualTo((double) Instant.parse("1950-01-01T00:00:00Z").getEpochSecond());
        assertThat(old.notValidAfter).isEqualTo(0.0);
        assertThat(old.weirds).containsExactly("x509_utc_format");
    }

    @Test
    void shouldDescribeRsaEcDsaAndEdwardsKeys() {
        X509Certificate rsa = parse(certificate(name(cn("r")), rsaKey));
        assertThat(List.of(rsa.keyAlg, rsa.keyType, rsa.keyLength, rsa.exponent))
                .containsExactly("rsaEncryption", "rsa", 1024L, "65537");
        assertThat(rsa.sigAlg).isEqualTo("sha256WithRSAEncryption");
        assertThat(rsa.curve).isNull();

        X509Certificate ec = parse(certificate(name(cn("e")), ecKey));
        assertThat(ec.keyAlg).isEqualTo("id-ecPublicKey");
        assertThat(ec.keyType).isEqualTo("ecdsa");
        assertThat(ec.keyLength).isEqualTo(384L);
        assertThat(ec.curve).isEqualTo("secp384r1");
        assertThat(ec.exponent).isNull();

        X509Certificate ed = parse(certificate(name(cn("d")), edKey));
        assertThat(ed.keyAlg).isEqualTo("ED25519");
        assertThat(ed.keyType).isNull();
        assertThat(ed.keyLength).isNull();

        X509Certificate dsa = parse(certificate(name(cn("s")), dsaKey));
        assertThat(dsa.keyAlg).isEqualTo("dsaEncryption");
        assertThat(dsa.keyType).isEqualTo("dsa");
        assertThat(dsa.keyLength).isEqualTo(1024L);
    }

    @Test
    void shouldReadSubjectAltNamesAndBasicConstraints() {
        byte[] san = seq(tlv(0x82, "*.example.com".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x82, "example.com".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x86, "https://x/".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x81, "a@b".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x87, new byte[] {10, 0, 0, 1}),
                tlv(0x87, HexFormat.of().parseHex("20010db8000000000000000000000001")),
                tlv(0x87, new byte[] {1, 2, 3, 4, 5}));
        byte[] bc = seq(tlv(0x01, new byte[] {(byte) 0xff}), DerBuilder.integer(0));
        X509Certificate c = parse(certificate(name(cn("host")), rsaKey,
                extension("2.5.29.17", false, san), extension("2.5.29.19", true, bc)));

        assertThat(c.sanPresent).isTrue();
        assertThat(c.sanDns).extracting(b -> new String(b, StandardCharsets.US_ASCII))
                .containsExactly("*.example.com", "example.com");
        assertThat(c.sanUri).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("https://x/");
        assertThat(c.sanEmail).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("a@b");
        assertThat(c.sanIp).containsExactly("10.0.0.1", "2001:db8::1");
        assertThat(c.weirds).containsExactly("x509_san_ip_length");
        assertThat(c.basicConstraintsPresent).isTrue();
        assertThat(c.ca).isTrue();
        assertThat(c.pathLen).isEqualTo(0L);
        assertThat(c.matchesHostname("www.example.com".getBytes(StandardCharsets.US_ASCII))).isTrue();
        // with a SAN, the subject's CN is not considered
        assertThat(c.matchesHostname("host".getBytes(StandardCharsets.US_ASCII))).isFalse();

        X509Certificate plain = parse(certificate(name(cn("host.example.org")), rsaKey,
                extension("2.5.29.19", false, seq())));
        assertThat(plain.sanPresent).isFalse();
        assertThat(plain.ca).isFalse();
        assertThat(plain.pathLen).isNull();
        assertThat(plain.matchesHostname("host.example.org".getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void shouldRejectCertificatesWhoseVersionCannotCarryTheirFields() {
        byte[] n = name(cn("v"));
        byte[] ext = extension("2.5.29.19", false, seq());
        assertThat(parse(certificate(-1, new byte[] {1}, n, utc("240101000000Z"), utc("250101000000Z"), n, rsaKey, ext)))
                .isNull();
        assertThat(parse(certificate(3, new byte[] {1}, n, utc("240101000000Z"), utc("250101000000Z"), n, rsaKey)))
                .isNull();
        X509Certificate v1 = parse(certificate(-1, new byte[] {1}, n, utc("240101000000Z"), utc("250101000000Z"), n,
                rsaKey));
        assertThat(v1.version).isEqualTo(1L);
    }

    @Test
    void shouldFingerprintTheCertificateDerOnly() throws Exception {
        byte[] der = certificate(name(cn("f")), rsaKey);
        byte[] withTrailer = Tls.cat(der, new byte[] {1, 2, 3});
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));

        assertThat(X509Certificate.parse(withTrailer, 0, withTrailer.length).fingerprint).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hi|www.zeek.org|false",
        "ww.zeek.org|www.zeek.org|false",
        "www.zeek.org|www.zeek.org|true",
        "www.zeek.org|*|false",
        "www.zeek.org|zeek.org|false",
        "www.zeek.org|*.zeek.org|true",
        "www.zeek.org|a*.zeek.org|false",
        "www.zeek.org|ww*.zeek.org|true",
        "www.zeek.org|wa*.zeek.org|false",
        "www.zeek.org|ww*.leek.com|false",
        "www.zeek.org|*.*.com|false",
        "zeek.org|*.org|false",
        "a.b.zeek.org|*.zeek.org|false",
    })
    void shouldMatchHostnamesWithZeeksWildcardRules(String host, String certName, boolean expected) {
        assertThat(X509Certificate.checkHostname(host, certName)).isEqualTo(expected);
    }
}
