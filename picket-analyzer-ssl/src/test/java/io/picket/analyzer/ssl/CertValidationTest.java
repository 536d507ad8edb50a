package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ssl.log {@code validation_status} (Zeek's policy/protocols/ssl/validate-certs.zeek) through
 * the provider, on real connections: the vendored case against the JDK's roots, and the traces
 * of Zeek's own validate-certs btest against roots of the 2014 Mozilla store it used.
 */
class CertValidationTest {
    private static final List<String> SSL_COLUMNS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "version", "cipher", "curve", "server_name", "resumed", "last_alert", "next_protocol", "established",
            "ssl_history", "cert_chain_fps", "client_cert_chain_fps", "sni_matches_cert", "validation_status");

    private static TrustStore jdkRoots;
    private static TrustStore roots2014;

    @BeforeAll
    static void roots() throws IOException {
        jdkRoots = TrustStore.jdkCacerts();
        try (InputStream in = CertValidationTest.class.getResourceAsStream("/roots/mozilla-2014-subset.pem")) {
            roots2014 = TrustStore.fromPem(in);
        }
    }

    private static List<LogRecord> replay(SslAnalyzerProvider provider, String... streams) {
        List<LogRecord> ssl = new ArrayList<>();
        for (String s : streams) {
            ssl.addAll(TcpStream.load(s).run(provider, "C" + s).logs("ssl"));
        }
        return ssl;
    }

    private static List<Object> statuses(List<LogRecord> ssl) {
        return ssl.stream().map(r -> r.get("validation_status")).toList();
    }

    @Test
    void shouldWriteZeeksSslLogWithValidationStatusWhenReplayingTheVendoredCaseAgainstTheJdkRoots() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider()
                .withOptions(SslOptions.defaults().withValidation(CertValidation.with(jdkRoots)));
        List<LogRecord> ssl = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            ssl.addAll(replay(provider, "tls12-sni-repeated-certs-" + i + ".tcps"));
        }

        ZeekLogFile expected = ZeekLogFile.load("/zeek/tls12-sni-repeated-certs/ssl.log");
        assertThat(provider.sslSchema().fields().stream().map(LogField::name).toList())
                .isEqualTo(expected.fields());
        assertThat(SslConformanceTest.project(ssl, SSL_COLUMNS))
                .containsExactlyInAnyOrderElementsOf(expected.project(SSL_COLUMNS));
        assertThat(statuses(ssl)).hasSize(8).containsOnly("ok");
        // two chains; the second connection of each host certificate validates it with the
        // cached intermediate (GTS CA 1C3), as validate-certs.zeek does; the rest are cache hits
        assertThat(provider.validator().validations()).isEqualTo(3);
        assertThat(provider.validator().cachedIssuers()).isEqualTo(1);
    }

    @Test
    void shouldReportAnExpiredHostCertificateAsZeeksValidateCertsTestDoes() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(
                SslOptions.defaults().withValidation(CertValidation.with(roots2014)));

        List<LogRecord> ssl = replay(provider, "seeds/zeek-tls_tls-expired-cert-1.tcps",
                "seeds/zeek-tls_tls-expired-cert-2.tcps");

        assertThat(statuses(ssl)).containsExactly("certificate has expired", "ok");
    }

    @Test
    void shouldValidateAChainWithoutIntermediateWithTheOneCachedFromAnotherConnection() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(
                SslOptions.defaults().withValidation(CertValidation.with(roots2014)));

        List<LogRecord> ssl = replay(provider, "seeds/zeek-tls_missing-intermediate-1.tcps",
                "seeds/zeek-tls_missing-intermediate-2.tcps", "seeds/zeek-tls_missing-intermediate-3.tcps");

        // Zeek's baseline (scripts.policy.protocols.ssl.validate-certs): the first connection lacks
        // the intermediate; the third, to the same server, validates with the one the second sent
        assertThat(statuses(ssl)).containsExactly("unable to get local issuer certificate", "ok", "ok");
    }

    @Test
    void shouldNotUseIntermediatesOfOtherConnectionsWhenIntermediateCachingIsOff() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(SslOptions.defaults()
                .withValidation(CertValidation.with(roots2014).withIntermediateCache(false, 0)));

        List<LogRecord> ssl = replay(provider, "seeds/zeek-tls_missing-intermediate-1.tcps",
                "seeds/zeek-tls_missing-intermediate-2.tcps", "seeds/zeek-tls_missing-intermediate-3.tcps");

        assertThat(statuses(ssl)).containsExactly("unable to get local issuer certificate", "ok",
                "unable to get local issuer certificate");
    }

    @Test
    void shouldKeepIntermediatesPerScopeWhenTenantsDiffer() {
        int[] tenant = {0};
        SslAnalyzerProvider provider = new SslAnalyzerProvider(SslOptions.defaults()
                .withDedupScope(ctx -> "tenant-" + tenant[0])
                .withValidation(CertValidation.with(roots2014)));

        replay(provider, "seeds/zeek-tls_missing-intermediate-2.tcps");
        tenant[0] = 1;
        List<LogRecord> other = replay(provider, "seeds/zeek-tls_missing-intermediate-3.tcps");
        tenant[0] = 0;
        List<LogRecord> same = replay(provider, "seeds/zeek-tls_missing-intermediate-3.tcps");

        assertThat(statuses(other)).containsExactly("unable to get local issuer certificate");
        assertThat(statuses(same)).containsExactly("ok");
    }

    @Test
    void shouldReportASelfSignedRootSentByTheServerWhenTheStoreLacksIt() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(SslOptions.defaults()
                .withValidation(CertValidation.with(jdkRoots).withMessages(VerifyMessages.OPENSSL_1_1)));

        List<LogRecord> ssl = replay(provider, "seeds/zeek-tls_tls1.2-1.tcps", "seeds/sv-tls_tls-subjectaltname_input-1.tcps");

        assertThat(statuses(ssl)).containsExactly("self signed certificate in certificate chain",
                "self signed certificate");
    }

    @Test
    void shouldLeaveTheStatusUnsetWhenTheServerSentNoCertificate() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider(
                SslOptions.defaults().withValidation(CertValidation.with(jdkRoots)));

        List<LogRecord> ssl = replay(provider, "tls13-ech-sni-2.tcps");

        assertThat(ssl).hasSize(1);
        assertThat(ssl.get(0).schema().fields().stream().map(LogField::name)).contains("validation_status");
        assertThat(ssl.get(0).get("validation_status")).isNull();
    }

    @Test
    void shouldNotAddTheColumnWhenValidationIsOff() {
        SslAnalyzerProvider provider = new SslAnalyzerProvider();

        List<LogRecord> ssl = replay(provider, "tls12-sni-repeated-certs-1.tcps");

        assertThat(provider.validator()).isNull();
        assertThat(ssl.get(0).schema().fields().stream().map(LogField::name)).doesNotContain("validation_status");
        assertThat(provider.sslSchema().fields()).hasSize(SslLogs.SSL.fields().size());
    }

    @Test
    void shouldPlaceValidationStatusBeforeTheFingerprintColumns() {
        SslOptions o = SslOptions.defaults().withFingerprints(true, true).withValidation(CertValidation.with(jdkRoots));

        List<String> names = SslLogs.ssl(o).fields().stream().map(LogField::name).toList();

        assertThat(names.subList(names.indexOf("sni_matches_cert"), names.size()))
                .containsExactly("sni_matches_cert", "validation_status", "ja3", "ja3s", "ja4", "ja4s");
    }
}
