package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.AnalyzerContext;
import java.util.function.Function;

/**
 * Run-time choices of the SSL analyzer. The defaults reproduce Zeek's default configuration;
 * the fingerprint columns, certificate validation and SSLv2 detection are opt-in. A run (or a
 * tenant) applies them with {@link SslAnalyzerProvider#withOptions}. Immutable; shared by all
 * threads.
 *
 * @param ja3 add the {@code ja3} and {@code ja3s} columns to ssl.log
 * @param ja4 add the {@code ja4} and {@code ja4s} columns to ssl.log
 * @param sslv2Detection also detect SSLv2 hellos (Zeek's {@code policy/protocols/ssl/dpd-v2.sig})
 * @param relogKnownCertificatesAfter seconds of network time before a logged certificate is
 *        logged again ({@code X509::relog_known_certificates_after}); 0 disables deduplication
 * @param knownCertificatesMaximum bound of the deduplication set
 *        ({@code X509::known_log_certs_maximum_size})
 * @param maxHandshakeMessage largest handshake message buffered per direction (bytes); a
 *        larger one is an analyzer violation, as binpac's flow-buffer limit is in Zeek
 * @param dedupScope the x509 deduplication scope of a connection: connections whose scopes
 *        are equal share one set of known certificates (Zeek: one per process), and the
 *        validation caches when validation is on. A multi-tenant run passes the tenant here.
 * @param validation server certificate validation (Zeek's
 *        {@code policy/protocols/ssl/validate-certs.zeek}, which adds the ssl.log column
 *        {@code validation_status}), or null for none (Zeek's default scripts do not validate)
 */
public record SslOptions(boolean ja3, boolean ja4, boolean sslv2Detection, double relogKnownCertificatesAfter,
        int knownCertificatesMaximum, int maxHandshakeMessage, Function<AnalyzerContext, Object> dedupScope,
        CertValidation validation) {

    private static final Object PROCESS = new Object();

    /** Zeek's defaults: no fingerprints, TLS detection only, one day, one million certificates. */
    public static SslOptions defaults() {
        return new SslOptions(false, false, false, 86400.0, 1_000_000, 1 << 20, ctx -> PROCESS, null);
    }

    public SslOptions withFingerprints(boolean withJa3, boolean withJa4) {
        return new SslOptions(withJa3, withJa4, sslv2Detection, relogKnownCertificatesAfter,
                knownCertificatesMaximum, maxHandshakeMessage, dedupScope, validation);
    }

    public SslOptions withSslv2Detection(boolean enabled) {
        return new SslOptions(ja3, ja4, enabled, relogKnownCertificatesAfter, knownCertificatesMaximum,
                maxHandshakeMessage, dedupScope, validation);
    }

    public SslOptions withDedupScope(Function<AnalyzerContext, Object> scope) {
        return new SslOptions(ja3, ja4, sslv2Detection, relogKnownCertificatesAfter, knownCertificatesMaximum,
                maxHandshakeMessage, scope, validation);
    }

    public SslOptions withDeduplication(double relogAfterSeconds, int maximum) {
        return new SslOptions(ja3, ja4, sslv2Detection, relogAfterSeconds, maximum, maxHandshakeMessage,
                dedupScope, validation);
    }

    public SslOptions withMaxHandshakeMessage(int bytes) {
        return new SslOptions(ja3, ja4, sslv2Detection, relogKnownCertificatesAfter, knownCertificatesMaximum,
                bytes, dedupScope, validation);
    }

    /**
     * With server certificate validation as Zeek's validate-certs.zeek does it (null turns it
     * off): ssl.log gains {@code validation_status} after {@code sni_matches_cert}.
     */
    public SslOptions withValidation(CertValidation settings) {
        return new SslOptions(ja3, ja4, sslv2Detection, relogKnownCertificatesAfter, knownCertificatesMaximum,
                maxHandshakeMessage, dedupScope, settings);
    }
}
