package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsNamesTest {
    @Test
    void shouldNameVersionsIncludingTls13DraftsAndUnknownOnes() {
        assertThat(TlsNames.version(0x0300)).isEqualTo("SSLv3");
        assertThat(TlsNames.version(0x0304)).isEqualTo("TLSv13");
        assertThat(TlsNames.version(0x7F17)).isEqualTo("TLSv13-draft23");
        assertThat(TlsNames.version(0xFEFD)).isEqualTo("DTLSv12");
        assertThat(TlsNames.version(0x1234)).isEqualTo("unknown-4660");
    }

    @Test
    void shouldNameCipherSuitesFromZeeksTable() {
        assertThat(TlsNames.cipher(0xC02F)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsNames.cipher(0x010080)).isEqualTo("SSLv20_CK_RC4_128_WITH_MD5");
        assertThat(TlsNames.cipher(0xD004)).isEqualTo("TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256_OLD");
        assertThat(TlsNames.cipher(0x1A1A)).isEqualTo("grease_0x1A1A");
        assertThat(TlsNames.cipher(0xFFFF)).isEqualTo("unknown-65535");
    }

    @Test
    void shouldNameCurvesAndAlerts() {
        assertThat(TlsNames.curve(29)).isEqualTo("x25519");
        assertThat(TlsNames.curve(0x6399)).isEqualTo("X25519Kyber768Draft00");
        assertThat(TlsNames.curve(4588)).isEqualTo("X25519MLKEM768");
        assertThat(TlsNames.curve(0xAAAA)).isEqualTo("grease_0xAAAA");
        assertThat(TlsNames.curve(9999)).isEqualTo("unknown-9999");
        assertThat(TlsNames.alert(40)).isEqualTo("handshake_failure");
        assertThat(TlsNames.alert(121)).isEqualTo("ech_required");
        assertThat(TlsNames.alert(255)).isEqualTo("unknown-255");
    }

    @Test
    void shouldRecogniseGreaseValues() {
        assertThat(TlsNames.isGrease(0x0A0A)).isTrue();
        assertThat(TlsNames.isGrease(0xFAFA)).isTrue();
        assertThat(TlsNames.isGrease(0x0A1A)).isFalse();
        assertThat(TlsNames.isGrease(0x1301)).isFalse();
    }
}
