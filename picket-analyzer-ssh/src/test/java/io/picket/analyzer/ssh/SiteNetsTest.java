package io.picket.analyzer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteNetsTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.18, true",
            "192.168.1.79, true",
            "172.31.255.255, true",
            "172.32.0.1, false",
            "127.0.158.61, true",
            "100.64.0.1, true",
            "131.159.21.1, false",
            "13.13.13.37, false",
            "239.1.2.3, true",
            "224.0.0.251, true",
            "224.0.1.1, false",
            "255.255.255.255, true",
            "::1, true",
            "fe80::217:f2ff:fed7:cf65, true",
            "fd00::1, true",
            "2001:db8::1, true",
            "2002:c0a8:0101::1, true",
            "2002:0808:0808::1, false",
            "2a00:1450:4001::1, false",
            "::ffff:10.1.2.3, true",
            "not-an-address, false"})
    void shouldFollowZeeksPrivateAddressSpaceWhenNoLocalNetsAreConfigured(String address, boolean local) {
        assertThat(SiteNets.isLocal(address)).isEqualTo(local);
    }
}
