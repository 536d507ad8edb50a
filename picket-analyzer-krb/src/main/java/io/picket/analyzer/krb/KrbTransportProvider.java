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
 * What Zeek's {@code KRB} (UDP) and {@code KRB_TCP} analyzers have in common: port 88 of their
 * transport ({@code KRB::udp_ports}, {@code KRB::tcp_ports}; Zeek has no DPD signature for
 * Kerberos), kerberos.log and the PKINIT certificates' x509.log rows, and the x509 deduplication
 * set (thread-safe) their connections share. Otherwise stateless.
 */
abstract sealed class KrbTransportProvider implements AnalyzerProvider permits KrbProvider, KrbTcpProvider {
    private static final Set<Integer> PORTS = Set.of(88);

    private final String name;
    private final boolean overTcp;
    final X509Dedup dedup;

    KrbTransportProvider(String name, boolean overTcp, X509Dedup dedup) {
        this.name = name;
        this.overTcp = overTcp;
        this.dedup = dedup;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean tcp() {
        return overTcp;
    }

    @Override
    public final boolean udp() {
        return !overTcp;
    }

    @Override
    public final Set<Integer> tcpPorts() {
        return overTcp ? PORTS : Set.of();
    }

    @Override
    public final Set<Integer> udpPorts() {
        return overTcp ? Set.of() : PORTS;
    }

    @Override
    public final Analyzer newAnalyzer(AnalyzerContext context) {
        return new KrbAnalyzer(context, overTcp, dedup);
    }

    @Override
    public final List<LogSchema> logs() {
        return List.of(KrbLog.SCHEMA, SslLogs.X509);
    }

    @Override
    public final List<String> weirds() {
        return KrbAnalyzer.WEIRDS;
    }

    static X509Dedup newDedup() {
        return new X509Dedup(KrbAnalyzer.RELOG_KNOWN_CERTIFICATES_AFTER, KrbAnalyzer.KNOWN_CERTIFICATES_MAXIMUM);
    }
}
