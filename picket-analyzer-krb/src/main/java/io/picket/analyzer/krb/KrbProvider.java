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
 * Zeek's {@code KRB} analyzer: Kerberos over UDP on port 88 ({@code KRB::udp_ports} in
 * {@code scripts/base/protocols/krb/main.zeek}; Zeek has no DPD signature for it), writing
 * kerberos.log and the PKINIT certificates' x509.log rows. The conn.log service is {@code krb}.
 * Holds the x509 deduplication set of its connections (thread-safe), shared with the
 * {@link KrbTcpProvider} loaded with it; otherwise stateless.
 */
public final class KrbProvider implements AnalyzerProvider {

    /**
     * Hands this provider's deduplication set to the {@link KrbTcpProvider} that
     * {@code ServiceLoader} instantiates right after it (same services file, same thread), so that
     * both transports share one {@code X509::known_log_certs} set per loaded registry, as Zeek's
     * single global set.
     */
    static final ThreadLocal<X509Dedup> LAST = new ThreadLocal<>();

    private final X509Dedup dedup = new X509Dedup(KrbAnalyzer.RELOG_KNOWN_CERTIFICATES_AFTER,
            KrbAnalyzer.KNOWN_CERTIFICATES_MAXIMUM);

    public KrbProvider() {
        LAST.set(dedup);
    }

    @Override
    public String name() {
        return "krb";
    }

    @Override
    public boolean udp() {
        return true;
    }

    @Override
    public Set<Integer> udpPorts() {
        return Set.of(88);
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new KrbAnalyzer(context, false, dedup);
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
