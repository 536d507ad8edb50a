package io.picket.analyzer.ssl;

import java.io.IOException;
import java.util.Objects;

/**
 * Settings of server certificate validation, Zeek's policy/protocols/ssl/validate-certs.zeek:
 * when a run sets them ({@link SslOptions#withValidation}), ssl.log gains the
 * {@code validation_status} column. Immutable; shared by all threads.
 *
 * @param trustStore the roots chains are validated against ({@code SSL::root_certs})
 * @param messages the OpenSSL release family whose wording the status uses
 * @param resultCacheSize bound of the per-chain result cache
 *        ({@code SSL::recently_validated_certs}, unbounded in Zeek); the least recently used
 *        entry goes first
 * @param resultCacheExpiry seconds of network time a cached result lives after its last use
 *        ({@code &read_expire=5mins})
 * @param cacheIntermediates remember the intermediates of chains that validated and try them
 *        for later chains of the same issuer ({@code SSL::ssl_cache_intermediate_ca})
 * @param intermediateCacheSize bound of the intermediate cache ({@code intermediate_cache},
 *        unbounded in Zeek); the least recently used issuer goes first
 */
public record CertValidation(TrustStore trustStore, VerifyMessages messages, int resultCacheSize,
        double resultCacheExpiry, boolean cacheIntermediates, int intermediateCacheSize) {

    public CertValidation {
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(messages, "messages");
        if (resultCacheSize < 0 || intermediateCacheSize < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
    }

    /**
     * Zeek's defaults (five-minute result cache, intermediate caching on) with the given roots,
     * OpenSSL 3.0's wording, and caches of 10,000 chains and 4,096 issuers.
     */
    public static CertValidation with(TrustStore roots) {
        return new CertValidation(roots, VerifyMessages.OPENSSL_3_0, 10_000, 300.0, true, 4_096);
    }

    /**
     * {@link #with} the running JDK's root store ({@link TrustStore#jdkCacerts()}).
     *
     * @throws IOException when the JDK's cacerts cannot be read
     */
    public static CertValidation withJdkRoots() throws IOException {
        return with(TrustStore.jdkCacerts());
    }

    public CertValidation withTrustStore(TrustStore roots) {
        return new CertValidation(roots, messages, resultCacheSize, resultCacheExpiry, cacheIntermediates,
                intermediateCacheSize);
    }

    public CertValidation withMessages(VerifyMessages wording) {
        return new CertValidation(trustStore, wording, resultCacheSize, resultCacheExpiry, cacheIntermediates,
                intermediateCacheSize);
    }

    public CertValidation withResultCache(int size, double expirySeconds) {
        return new CertValidation(trustStore, messages, size, expirySeconds, cacheIntermediates,
                intermediateCacheSize);
    }

    public CertValidation withIntermediateCache(boolean enabled, int size) {
        return new CertValidation(trustStore, messages, resultCacheSize, resultCacheExpiry, enabled, size);
    }
}
