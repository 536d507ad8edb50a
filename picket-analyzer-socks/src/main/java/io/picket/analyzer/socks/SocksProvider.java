package io.picket.analyzer.socks;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * The SOCKS analyzer's declaration: Zeek's {@code SOCKS} analyzer on TCP, registered for port
 * 1080 ({@code SOCKS::ports}), detected by the {@code dpd_socks4_*}/{@code dpd_socks5_*}
 * signatures of {@code scripts/base/protocols/socks/dpd.sig}, writing {@code socks.log} (and
 * {@code Tunnel::SOCKS} lines of tunnel.log through the engine). Stateless, shared by all shards.
 */
public final class SocksProvider implements AnalyzerProvider {

    private static final List<String> WEIRDS = List.of(
            "socks5_unsupported_authentication_method", // socks-analyzer.pac
            "socks5_unsupported_authentication");       // socks-analyzer.pac

    @Override
    public String name() {
        return "socks";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return Set.of(1080);
    }

    @Override
    public Detector newDetector() {
        return new SocksDetector();
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new SocksAnalyzer(context);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(SocksLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
