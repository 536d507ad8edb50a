package io.picket.sink.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for 127.0.0.1 / localhost, made once per test JVM with the
 * JDK's keytool (EC P-256, valid two days): a PKCS#12 key store for the test server and the
 * certificate as PEM for the sink's {@code tls.ca_file}.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";
    private static TestCertificates instance;

    public final Path keystore;
    public final Path caPem;

    private TestCertificates(Path keystore, Path caPem) {
        this.keystore = keystore;
        this.caPem = caPem;
    }

    public static synchronized TestCertificates get() throws IOException, InterruptedException, java.security.KeyStoreException {
        if (instance == null) {
            Path dir = SinkTestSupport.tempDir("certs");
            Path ks = dir.resolve("server.p12");
            Path pem = dir.resolve("ca.pem");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                store.load(in, PASSWORD.toCharArray());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
            try {
                byte[] der = store.getCertificate("server").getEncoded();
                Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END CERTIFICATE-----\n");
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
            instance = new TestCertificates(ks, pem);
        }
        return instance;
    }

    /** An SSL context serving the certificate, for test servers. */
    public SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
