package io.picket.analyzer.ssl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The root certificates a run validates server chains against (Zeek's {@code SSL::root_certs},
 * by default Mozilla's root store in base/protocols/ssl/mozilla-ca-list.zeek). As with OpenSSL's
 * default trust settings, a certificate of the store anchors a chain only when it is self-signed;
 * other certificates of the store only serve as issuers on the way to one. Immutable and
 * thread-safe: one store may serve any number of providers and tenants.
 */
public final class TrustStore {
    private final List<X509Certificate> certificates;
    private final Map<X500Principal, List<X509Certificate>> bySubject;

    private TrustStore(Collection<X509Certificate> certs) {
        Set<X509Certificate> unique = new LinkedHashSet<>(certs);
        this.certificates = List.copyOf(unique);
        Map<X500Principal, List<X509Certificate>> m = new HashMap<>();
        for (X509Certificate c : certificates) {
            m.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>(1)).add(c);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        this.bySubject = Map.copyOf(m);
    }

    /** A store of the given certificates (duplicates are dropped). */
    public static TrustStore of(Collection<X509Certificate> certificates) {
        return new TrustStore(certificates);
    }

    /**
     * The trusted certificate entries of the running JDK's {@code lib/security/cacerts}
     * (Temurin ships Mozilla-derived roots; distributions may link their own CA bundle there).
     *
     * @throws IOException when the file is missing or is neither a JKS nor a PKCS12 key store
     */
    public static TrustStore jdkCacerts() throws IOException {
        return fromKeyStore(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"));
    }

    /**
     * The trusted certificate entries of a JKS or PKCS12 key store (read without a password,
     * or with the JDK's customary {@code changeit}).
     *
     * @throws IOException when the file cannot be read as a key store or holds no readable
     *         trusted certificate
     */
    public static TrustStore fromKeyStore(Path file) throws IOException {
        IOException last = null;
        for (char[] password : new char[][] {null, "changeit".toCharArray()}) {
            try {
                KeyStore ks = KeyStore.getInstance(file.toFile(), password);
                List<X509Certificate> certs = new ArrayList<>();
                for (String alias : Collections.list(ks.aliases())) {
                    if (ks.isCertificateEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate x) {
                        certs.add(x);
                    }
                }
                if (!certs.isEmpty()) {
                    return new TrustStore(certs);
                }
                last = new IOException(file + ": no trusted certificate readable");
            } catch (IOException e) {
                last = e;
            } catch (GeneralSecurityException e) {
                last = new IOException("cannot read key store " + file + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /**
     * The certificates of a PEM bundle ({@code -----BEGIN CERTIFICATE-----} blocks; text around
     * them, as in Mozilla's and the distributions' bundles, is ignored).
     *
     * @throws IOException when the file cannot be read, holds no certificate or a block is not one
     */
    public static TrustStore fromPem(Path file) throws IOException {
        return fromPem(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** {@link #fromPem(Path)} from a stream (closed by the caller). */
    public static TrustStore fromPem(InputStream in) throws IOException {
        return fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII), "PEM stream");
    }

    private static TrustStore fromPem(String text, String where) throws IOException {
        final String begin = "-----BEGIN CERTIFICATE-----";
        final String end = "-----END CERTIFICATE-----";
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf = factory();
        int p = 0;
        while ((p = text.indexOf(begin, p)) >= 0) {
            int q = text.indexOf(end, p);
            if (q < 0) {
                throw new IOException(where + ": unterminated certificate block");
            }
            String b64 = text.substring(p + begin.length(), q);
            try {
                byte[] der = Base64.getMimeDecoder().decode(b64);
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new IOException(where + ": certificate " + (certs.size() + 1) + " unreadable: " + e.getMessage(),
                        e);
            }
            p = q + end.length();
        }
        if (certs.isEmpty()) {
            throw new IOException(where + ": no certificate");
        }
        return new TrustStore(certs);
    }

    static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number of certificates in the store. */
    public int size() {
        return certificates.size();
    }

    /** The store's certificates. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Certificates of the store whose subject is the given name (empty when none). */
    List<X509Certificate> bySubject(X500Principal subject) {
        return bySubject.getOrDefault(subject, List.of());
    }
}
