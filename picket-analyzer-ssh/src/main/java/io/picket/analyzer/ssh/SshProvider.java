package io.picket.analyzer.ssh;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * The SSH analyzer's declaration: Zeek's {@code SSH} analyzer on TCP, registered for port 22
 * ({@code SSH::ports} in {@code scripts/base/protocols/ssh/main.zeek}), detected by the
 * {@code dpd_ssh_client}/{@code dpd_ssh_server} signatures, writing {@code ssh.log}.
 * Stateless and shared by all shard threads.
 */
public final class SshProvider implements AnalyzerProvider {

    private static final List<String> WEIRDS = List.of(
            "ssh_unknown_kex_algorithm",   // ssh-protocol.pac update_kex
            "SSH_version_mismatch",        // main.zeek set_version
            "SSH_cannot_determine_version",// main.zeek set_version
            "ssh_banner_too_long",         // Picket limit: identification line over SshAnalyzer.MAX_LINE
            "ssh_packet_too_large");       // Picket limit: cleartext packet over SshAnalyzer.MAX_FRAME

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return Set.of(22);
    }

    @Override
    public Detector newDetector() {
        return new SshDetector();
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new SshAnalyzer(context);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(SshLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
