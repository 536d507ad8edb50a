package io.picket.analyzer.ssl;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code ssl_finishing} hook of Zeek's policy/protocols/ssl/validate-certs.zeek: validates a
 * connection's server chain and yields ssl.log {@code validation_status}. As the script does, it
 * first tries the host certificate with intermediates remembered from an earlier chain of the
 * same issuer ({@code intermediate_cache}, keyed by the SHA-256 of the issuer's DER name), then
 * the chain the server sent; results are cached per chain ({@code recently_validated_certs},
 * five minutes after last use); the intermediates of every fresh valid chain longer than two
 * certificates are remembered under their first intermediate's subject. Both caches are
 * bounded (least recently used first out) and kept per scope, so tenants do not share them.
 * Thread-safe: shard threads share one validator; a chain is validated outside the locks.
 */
final class CertValidator {
    private static final HexFormat HEX = HexFormat.of();

    private record ChainKey(Object scope, String chain) {
    }

    private record IssuerKey(Object scope, String nameHash) {
    }

    private static final class CachedResult {
        final int code;
        double lastUse;

        CachedResult(int code, double lastUse) {
            this.code = code;
            this.lastUse = lastUse;
        }
    }

    /** Intermediates (JCA form) of a chain that validated, with their x509.log fingerprints. */
    private record Intermediates(List<X509Certificate> certs, List<String> fingerprints) {
    }

    private final CertValidation settings;
    private final Map<ChainKey, CachedResult> results;
    private final Map<IssuerKey, Intermediates> intermediates;
    private final LongAdder validations = new LongAdder();
    private final LongAdder unparsable = new LongAdder();
    private final LongAdder errors = new LongAdder();

    CertValidator(CertValidation settings) {
        this.settings = settings;
        this.results = lru(settings.resultCacheSize());
        this.intermediates = lru(settings.intermediateCacheSize());
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    CertValidation settings() {
        return settings;
    }

    /** Chains validated so far (cache misses). */
    long validations() {
        return validations.sum();
    }

    /** Host certificates the JDK could not read (their status stays unset). */
    long unparsable() {
        return unparsable.sum();
    }

    /** Validations that failed unexpectedly (a bug, never bad input); their status stays unset. */
    long errors() {
        return errors.sum();
    }

    /** Chains currently cached. */
    int cachedResults() {
        synchronized (results) {
            return results.size();
        }
    }

    /** Issuers whose intermediates are currently cached. */
    int cachedIssuers() {
        synchronized (intermediates) {
            return intermediates.size();
        }
    }

    /**
     * The {@code validation_status} of a server chain: the DER and fingerprints of the
     * certificates Zeek parsed, host certificate first, at network time {@code now}; null when
     * the host certificate is not readable. Never throws.
     */
    String status(Object scope, List<byte[]> ders, List<String> fingerprints, double now) {
        if (ders.isEmpty()) {
            return null;
        }
        try {
            return statusUnchecked(scope, ders, fingerprints, now);
        } catch (RuntimeException e) {
            errors.increment();
            return null;
        }
    }

    private String statusUnchecked(Object scope, List<byte[]> ders, List<String> fingerprints, double now) {
        Parsed parsed = new Parsed(ders);
        if (settings.cacheIntermediates()) {
            String issuerHash = issuerNameHash(ders.get(0));
            Intermediates cached = issuerHash == null ? null : cachedIntermediates(new IssuerKey(scope, issuerHash));
            if (cached != null) {
                List<String> fps = new ArrayList<>(1 + cached.fingerprints.size());
                fps.add(fingerprints.get(0));
                fps.addAll(cached.fingerprints);
                int code = cacheValidate(scope, fps, () -> {
                    X509Certificate leaf = parsed.get(0);
                    return leaf == null ? null : new Chain(leaf, cached.certs);
                }, now);
                if (code == VerifyMessages.OK) {
                    return settings.messages().text(code);
                }
            }
        }
        int code = cacheValidate(scope, fingerprints, () -> {
            X509Certificate leaf = parsed.get(0);
            if (leaf == null) {
                return null;
            }
            List<X509Certificate> rest = new ArrayList<>(ders.size() - 1);
            for (int i = 1; i < ders.size(); i++) {
                X509Certificate c = parsed.get(i);
                if (c != null) {
                    rest.add(c);
                }
            }
            return new Chain(leaf, rest);
        }, now);
        if (code < 0) {
            unparsable.increment();
            return null;
        }
        return settings.messages().text(code);
    }

    private Intermediates cachedIntermediates(IssuerKey key) {
        synchronized (intermediates) {
            return intermediates.get(key);
        }
    }

    private record Chain(X509Certificate leaf, List<X509Certificate> untrusted) {
    }

    /** Zeek's {@code cache_validate}; -1 when the host certificate cannot be read. */
    private int cacheValidate(Object scope, List<String> fingerprints, java.util.function.Supplier<Chain> chain,
            double now) {
        ChainKey key = new ChainKey(scope, String.join(".", fingerprints));
        synchronized (results) {
            CachedResult r = results.get(key);
            if (r != null) {
                if (now - r.lastUse <= settings.resultCacheExpiry()) {
                    r.lastUse = Math.max(r.lastUse, now);
                    return r.code;
                }
                results.remove(key);
            }
        }
        Chain c = chain.get();
        if (c == null) {
            return -1;
        }
        validations.increment();
        ChainVerifier.Result result = ChainVerifier.verify(settings.trustStore(), c.leaf, c.untrusted,
                new Date((long) Math.floor(now) * 1000L));
        if (settings.resultCacheSize() > 0) {
            synchronized (results) {
                results.put(key, new CachedResult(result.code(), now));
            }
        }
        if (settings.cacheIntermediates() && result.code() == VerifyMessages.OK && result.chain().size() > 2) {
            remember(scope, result.chain());
        }
        return result.code();
    }

    private void remember(Object scope, List<X509Certificate> valid) {
        String subjectHash;
        try {
            subjectHash = nameHash(valid.get(1).getEncoded(), false);
        } catch (CertificateException e) {
            return;
        }
        if (subjectHash == null) {
            return;
        }
        IssuerKey key = new IssuerKey(scope, subjectHash);
        synchronized (intermediates) {
            if (intermediates.containsKey(key) || settings.intermediateCacheSize() == 0) {
                return;
            }
        }
        List<X509Certificate> certs = List.copyOf(valid.subList(1, valid.size() - 1));
        List<String> fps = new ArrayList<>(certs.size());
        for (X509Certificate c : certs) {
            try {
                byte[] der = c.getEncoded();
                fps.add(sha256Hex(der, 0, der.length));
            } catch (CertificateException e) {
                return;
            }
        }
        synchronized (intermediates) {
            intermediates.putIfAbsent(key, new Intermediates(certs, List.copyOf(fps)));
        }
    }

    /** The JCA form of a chain's certificates, parsed on first use. */
    private static final class Parsed {
        private final List<byte[]> ders;
        private final X509Certificate[] certs;
        private final boolean[] tried;
        private CertificateFactory factory;

        Parsed(List<byte[]> ders) {
            this.ders = ders;
            this.certs = new X509Certificate[ders.size()];
            this.tried = new boolean[ders.size()];
        }

        X509Certificate get(int i) {
            if (!tried[i]) {
                tried[i] = true;
                if (factory == null) {
                    factory = TrustStore.factory();
                }
                try {
                    certs[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(ders.get(i)));
                } catch (CertificateException | RuntimeException e) {
                    certs[i] = null;
                }
            }
            return certs[i];
        }
    }

    /**
     * SHA-256 (hex) of the DER issuer name of a certificate, as Zeek's
     * {@code x509_issuer_name_hash(cert, 4)}; null when the certificate is malformed.
     */
    static String issuerNameHash(byte[] der) {
        return nameHash(der, true);
    }

    /** SHA-256 (hex) of a certificate's DER issuer or subject name (OpenSSL's {@code X509_NAME_digest}). */
    static String nameHash(byte[] der, boolean issuer) {
        Der outer = new Der(der, 0, der.length);
        if (!outer.next(Der.SEQUENCE)) {
            return null;
        }
        Der cert = outer.inner();
        if (!cert.next(Der.SEQUENCE)) {
            return null;
        }
        Der tbs = cert.inner();
        if (!tbs.next()) {
            return null;
        }
        if (tbs.tag == 0xa0 && !tbs.next()) { // version
            return null;
        }
        if (tbs.tag != Der.INTEGER || !tbs.next(Der.SEQUENCE) || !tbs.next(Der.SEQUENCE)) { // serial, signature, issuer
            return null;
        }
        if (!issuer && (!tbs.next(Der.SEQUENCE) || !tbs.next(Der.SEQUENCE))) { // validity, subject
            return null;
        }
        return sha256Hex(der, tbs.start, tbs.pos - tbs.start);
    }

    static String sha256Hex(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return HEX.formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
