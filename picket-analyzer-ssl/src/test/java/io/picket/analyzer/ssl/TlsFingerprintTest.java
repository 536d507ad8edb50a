package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsFingerprintTest {
    /** The ClientHello of FoxIO's JA4 specification example (JA4_ro). */
    private static TlsFingerprint specExample() {
        TlsFingerprint f = new TlsFingerprint();
        f.clientSeen = true;
        f.clientVersion = 0x0303;
        f.ciphers = new int[] {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
            0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
        f.clientExtensions = new int[] {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
            0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
        f.signatureAlgorithms = new int[] {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
        f.clientSupportedVersions = new int[] {0x0a0a, 0x0304, 0x0303};
        f.clientAlpn = "h2".getBytes(StandardCharsets.US_ASCII);
        return f;
    }

    @Test
    void shouldComputeTheJa4OfTheSpecificationExample() {
        assertThat(specExample().ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    }

    @Test
    void shouldHashExtensionsWithoutUnderscoreWhenThereAreNoSignatureAlgorithms() {
        TlsFingerprint f = specExample();
        f.signatureAlgorithms = new int[0];
        assertThat(f.ja4()).endsWith("_6d807ffa2a79");
    }

    @Test
    void shouldUseHexForNonAlphanumericAlpnAndZerosWhenEmpty() {
        TlsFingerprint f = specExample();
        f.clientAlpn = new byte[] {(byte) 0xab, (byte) 0xcd};
        assertThat(f.ja4()).startsWith("t13d1516ad_");
        f.clientAlpn = null;
        f.clientExtensions = new int[0];
        f.ciphers = new int[0];
        assertThat(f.ja4()).isEqualTo("t13i000000_000000000000_000000000000");
    }

    @Test
    void shouldComputeJa3FromTheSalesforceExample() {
        TlsFingerprint f = new TlsFingerprint();
        f.clientSeen = true;
        f.clientVersion = 769;
        f.ciphers = new int[] {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
        f.clientExtensions = new int[] {0, 10, 11};
        f.curves = new int[] {23, 24, 25};
        f.pointFormats = new int[] {0};
        assertThat(f.ja3()).isEqualTo("ada70206e40642a3e4461f35503241d5");
    }

    @Test
    void shouldComputeJa4sFromTheServerHello() {
        TlsFingerprint f = new TlsFingerprint();
        f.serverSeen = true;
        f.serverVersion = 0x0303;
        f.serverSelectedVersion = 0x0304;
        f.serverCipher = 0x1301;
        f.serverExtensions = new int[] {0x002b, 0x0033};
        assertThat(f.ja4s()).startsWith("t130200_1301_");
        assertThat(new TlsFingerprint().ja4s()).isNull();
        assertThat(new TlsFingerprint().ja3()).isNull();
    }
}
