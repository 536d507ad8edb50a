package io.picket.analyzer.krb;

import io.picket.analyzer.ssl.X509Dedup;

/**
 * Zeek's {@code KRB} analyzer: Kerberos over UDP on port 88, conn.log service {@code krb}. Its x509
 * deduplication set is shared with the {@link KrbTcpProvider} loaded with it.
 */
public final class KrbProvider extends KrbTransportProvider {

    /**
     * Hands this provider's deduplication set to the {@link KrbTcpProvider} that
     * {@code ServiceLoader} instantiates right after it (same services file, same thread), so that
     * both transports share one {@code X509::known_log_certs} set per loaded registry, as Zeek's
     * single global set.
     */
    static final ThreadLocal<X509Dedup> LAST = new ThreadLocal<>();

    public KrbProvider() {
        super("krb", false, newDedup());
        LAST.set(dedup);
    }
}
