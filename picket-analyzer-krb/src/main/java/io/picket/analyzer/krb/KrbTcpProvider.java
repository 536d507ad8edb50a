package io.picket.analyzer.krb;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.ssl.SslLogs;
import io.picket.analyzer.ssl.X509Dedup;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * Zeek's {@code KRB_TCP} analyzer: Kerberos over TCP on port 88 ({@code KRB::tcp_ports} in
 * {@code scripts/base/protocols/krb/main.zeek}; Zeek has no DPD signature for it), writing
 * kerberos.log and the PKINIT certificates' x509.log rows. The conn.log service is {@code krb_tcp}.
 * Holds the x509 deduplication set of its connections (thread-safe), shared with the
 * {@link KrbProvider} loaded with it; otherwise stateless.
 */
public final class KrbTcpProvider implements AnalyzerProvider {

    private final X509Dedup dedup;

    /** Takes the deduplication set of the {@link KrbProvider} loaded just before, or a fresh one. */
    public KrbTcpProvider() {
        X509Dedup d = KrbProvider.LAST.get();
        KrbProvider.LAST.remove();
        dedup = d != null ? d : new X509Dedup(KrbAnalyzer.RELOG_KNOWN_CERTIFICATES_AFTER,
                KrbAnalyzer.KNOWN_CERTIFICATES_MAXIMUM);
    }

    @Override
    public String name() {
        return "krb_tcp";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return Set.of(88);
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new KrbAnalyzer(context, true, dedup);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(KrbLog.SCHEMA, SslLogs.X509);
    }

    @Override
    public List<String> weirds() {
        return KrbAnalyzer.WEIRDS;
    }
}
