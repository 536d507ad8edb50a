package io.picket.analyzer.krb;

import io.picket.analyzer.ssl.X509Dedup;

/**
 * Zeek's {@code KRB_TCP} analyzer: Kerberos over TCP on port 88, conn.log service {@code krb_tcp}.
 * Shares the x509 deduplication set of the {@link KrbProvider} loaded just before it.
 */
public final class KrbTcpProvider extends KrbTransportProvider {

    /** Takes the deduplication set of the {@link KrbProvider} loaded just before, or a fresh one. */
    public KrbTcpProvider() {
        super("krb_tcp", true, sharedDedup());
    }

    private static X509Dedup sharedDedup() {
        X509Dedup d = KrbProvider.LAST.get();
        KrbProvider.LAST.remove();
        return d != null ? d : newDedup();
    }
}
