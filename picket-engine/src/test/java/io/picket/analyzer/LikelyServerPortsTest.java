package io.picket.analyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LikelyServerPortsTest {

    @ParameterizedTest
    @ValueSource(ints = {80, 443, 22, 21, 25, 53, 143, 587, 465, 993, 995, 3389, 5432, 6379, 389, 88, 135, 139, 445, 1080, 8080})
    void shouldContainTcpPortWhenZeekDefault(int port) {
        assertThat(LikelyServerPorts.zeekDefault().isTcp(port)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {53, 67, 123, 137, 5353, 5355, 3544, 5072, 2152, 2123, 4789, 6081, 443, 161, 162, 514, 1812, 5060, 88, 389, 3389, 4011, 20000})
    void shouldContainUdpPortWhenZeekDefault(int port) {
        assertThat(LikelyServerPorts.zeekDefault().isUdp(port)).isTrue();
    }

    @Test
    void shouldLeaveOutPop3WhenZeekDefault() {
        // Zeek's base/protocols/pop3 loads only a DPD signature and registers no port, so
        // 110/tcp never makes Zeek flip a connection.
        LikelyServerPorts ports = LikelyServerPorts.zeekDefault();
        assertThat(ports.isTcp(110)).isFalse();
        assertThat(LikelyServerPorts.knownAnalyzers()).doesNotContain("pop3");
    }

    @Test
    void shouldLeaveOutNonServerPortsWhenRegisteredAsClientPorts() {
        LikelyServerPorts ports = LikelyServerPorts.zeekDefault();
        assertThat(ports.isUdp(68)).as("DHCP client port").isFalse();
        assertThat(ports.isUdp(853)).as("DNS over QUIC").isFalse();
        assertThat(ports.isUdp(784)).as("DNS over QUIC").isFalse();
        assertThat(ports.isTcp(67)).as("proto matters").isFalse();
        assertThat(ports.isUdp(22)).isFalse();
        assertThat(ports.isTcp(12345)).isFalse();
    }

    @Test
    void shouldHoldOnlyHttpPortsWhenHttpAlone() {
        LikelyServerPorts http = LikelyServerPorts.forAnalyzers(Set.of("http"));
        assertThat(http.isTcp(80)).isTrue();
        assertThat(http.isTcp(8080)).isTrue();
        assertThat(http.isTcp(22)).isFalse();
        assertThat(http.isUdp(53)).isFalse();
        assertThat(http.tcpPorts()).containsExactly(80, 81, 631, 1080, 3128, 8000, 8080, 8888);
        assertThat(http.udpPorts()).isEmpty();
    }

    @Test
    void shouldAcceptAnyCaseWhenNamingAnalyzers() {
        LikelyServerPorts p = LikelyServerPorts.forAnalyzers(Set.of("DNS", "Ssl"));
        assertThat(p.isUdp(53)).isTrue();
        assertThat(p.isTcp(443)).isTrue();
        assertThat(p.isUdp(443)).as("DTLS is its own analyzer").isFalse();
    }

    @Test
    void shouldRejectWhenAnalyzerUnknown() {
        assertThatThrownBy(() -> LikelyServerPorts.forAnalyzers(Set.of("http", "gopher")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gopher");
    }

    @Test
    void shouldBeEmptyWhenNone() {
        LikelyServerPorts none = LikelyServerPorts.none();
        assertThat(none.tcpPorts()).isEmpty();
        assertThat(none.udpPorts()).isEmpty();
        assertThat(LikelyServerPorts.forAnalyzers(Set.of()).tcpPorts()).isEmpty();
    }

    @Test
    void shouldAnswerFalseWhenPortOutOfRange() {
        LikelyServerPorts ports = LikelyServerPorts.zeekDefault();
        assertThat(ports.isTcp(-1)).isFalse();
        assertThat(ports.isTcp(65536 + 80)).isFalse();
        assertThat(ports.isUdp(Integer.MIN_VALUE)).isFalse();
        assertThat(ports.contains(6, 80)).isTrue();
        assertThat(ports.contains(17, 53)).isTrue();
        assertThat(ports.contains(1, 53)).as("ICMP").isFalse();
    }

    @Test
    void shouldAddPortWhenRedefined() {
        LikelyServerPorts base = LikelyServerPorts.forAnalyzers(Set.of("ssh"));
        LikelyServerPorts more = base.withTcp(2222).withUdp(9999);
        assertThat(more.isTcp(2222)).isTrue();
        assertThat(more.isUdp(9999)).isTrue();
        assertThat(more.isTcp(22)).isTrue();
        assertThat(base.isTcp(2222)).as("original unchanged").isFalse();
        assertThat(more.isTcp(65535)).isFalse();
        assertThat(base.withTcp(65535).isTcp(65535)).isTrue();
        assertThatThrownBy(() -> base.withTcp(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldUseConnLogServiceNamesWhenListingAnalyzers() {
        assertThat(LikelyServerPorts.knownAnalyzers()).contains(
                "http", "dns", "ssl", "dtls", "ssh", "ftp", "smtp", "imap", "dhcp", "ntp", "quic",
                "krb", "krb_tcp", "ldap_tcp", "ldap_udp", "dnp3_tcp", "rdp", "rdpeudp", "teredo",
                "ayiya", "gtpv1", "vxlan", "geneve", "syslog", "snmp", "sip", "smb", "dce_rpc");
        assertThat(LikelyServerPorts.knownAnalyzers()).allMatch(n -> n.equals(n.toLowerCase()));
    }
}
