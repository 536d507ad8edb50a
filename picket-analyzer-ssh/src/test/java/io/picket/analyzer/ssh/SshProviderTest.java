package io.picket.analyzer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.log.LogField;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SshProviderTest {

    @Test
    void shouldBeFoundByServiceLoaderWhenOnClasspath() {
        assertThat(ServiceLoader.load(AnalyzerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("ssh")).findFirst())
                .get().isInstanceOf(SshProvider.class);
    }

    @Test
    void shouldDeclareZeeksPortAndTransportWhenAsked() {
        SshProvider p = new SshProvider();
        assertThat(p.tcp()).isTrue();
        assertThat(p.udp()).isFalse();
        assertThat(p.tcpPorts()).containsExactly(22);
        assertThat(p.udpPorts()).isEmpty();
        assertThat(p.newDetector()).isInstanceOf(SshDetector.class);
        assertThat(p.weirds()).contains("ssh_unknown_kex_algorithm", "SSH_version_mismatch",
                "SSH_cannot_determine_version");
    }

    @Test
    void shouldDeclareZeeksSshLogColumnsWhenAskedForLogs() {
        assertThat(new SshProvider().logs()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("ssh");
            assertThat(s.fields().stream().map(LogField::name)).containsExactly(
                    "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "version", "auth_success",
                    "auth_attempts", "direction", "client", "server", "cipher_alg", "mac_alg", "compression_alg",
                    "kex_alg", "host_key_alg", "host_key_fingerprint");
            assertThat(s.fields().stream().map(f -> f.type().zeekName())).containsExactly(
                    "time", "string", "addr", "port", "addr", "port", "count", "bool", "count", "enum", "string",
                    "string", "string", "string", "string", "string", "string", "string");
        });
    }
}
