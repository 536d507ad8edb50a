package io.picket.sink.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings of a sink ({@code tls:}): whom to trust, which client certificate to present.
 *
 * @param caFile PEM file of CA certificates to trust instead of the JDK's defaults (or null)
 * @param truststore PKCS#12 trust store to use instead of the JDK's defaults (or null)
 * @param truststorePassword its password (or null)
 * @param keystore PKCS#12 key store with the client certificate and key for mutual TLS (or null)
 * @param keystorePassword its password (or null)
 * @param verifyHostname whether the server certificate must name the host connected to
 * @param protocols enabled protocol versions
 */
public record TlsOptions(Path caFile, Path truststore, Secret truststorePassword, Path keystore,
        Secret keystorePassword, boolean verifyHostname, List<String> protocols) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsOptions {
        protocols = List.copyOf(protocols);
    }

    /** The JDK's trust store, hostname checked, TLS 1.3 and 1.2. */
    public static TlsOptions defaults() {
        return new TlsOptions(null, null, null, null, null, true, DEFAULT_PROTOCOLS);
    }

    /** Trusts exactly the certificates in a PEM file. */
    public static TlsOptions trustingPem(Path caFile) {
        return new TlsOptions(caFile, null, null, null, null, true, DEFAULT_PROTOCOLS);
    }

    /** Builds the SSL context; reads files and secrets now. Control thread, at sink start. */
    public SSLContext sslContext() throws IOException {
        try {
            TrustManagerFactory tmf = null;
            if (caFile != null || truststore != null) {
                KeyStore ts;
                if (truststore != null) {
                    ts = load(truststore, truststorePassword);
                } else {
                    ts = KeyStore.getInstance("PKCS12");
                    ts.load(null, null);
                    try (InputStream in = Files.newInputStream(caFile)) {
                        int i = 0;
                        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                            ts.setCertificateEntry("ca-" + i++, c);
                        }
                        if (i == 0) {
                            throw new IOException("no certificate in " + caFile);
                        }
                    }
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            KeyManagerFactory kmf = null;
            if (keystore != null) {
                KeyStore ks = load(keystore, keystorePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password(keystorePassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, Secret password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password(password));
        }
        return ks;
    }

    private static char[] password(Secret s) {
        return s == null ? new char[0] : s.reveal().toCharArray();
    }

    /** Reads the {@code tls:} mapping; null when {@code enabled} is false and the key is absent. */
    public static TlsOptions parse(ConfigReader r) {
        Path ca = path(r, "ca_file");
        Path ts = path(r, "truststore");
        Secret tsp = r.secret("truststore_password");
        Path ks = path(r, "keystore");
        Secret ksp = r.secret("keystore_password");
        boolean verify = r.bool("verify_hostname", true);
        List<String> protocols = r.stringList("protocols", DEFAULT_PROTOCOLS);
        for (String p : protocols) {
            if (!p.equals("TLSv1.3") && !p.equals("TLSv1.2")) {
                r.problem("protocols", "only TLSv1.3 and TLSv1.2 are allowed, got " + p);
            }
        }
        if (ca != null && ts != null) {
            r.problem("ca_file", "give either ca_file or truststore, not both");
        }
        if (ks != null && ksp == null) {
            r.problem("keystore_password", "required with keystore");
        }
        r.finish();
        return new TlsOptions(ca, ts, tsp, ks, ksp, verify, protocols);
    }

    private static Path path(ConfigReader r, String key) {
        String s = r.string(key, null);
        if (s == null) {
            return null;
        }
        Path p = Path.of(s);
        if (!Files.isReadable(p)) {
            r.problem(key, "file " + s + " does not exist or is not readable");
        }
        return p;
    }
}
