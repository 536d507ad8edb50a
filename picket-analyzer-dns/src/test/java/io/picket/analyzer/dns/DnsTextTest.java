package io.picket.analyzer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address text as Zeek prints it, and NetBIOS name decoding. */
class DnsTextTest {

    @ParameterizedTest
    @CsvSource({
        "00000000000000000000000000000000, ::",
        "00000000000000000000000000000001, ::1",
        "20010db8000000000000000000000001, 2001:db8::1",
        "00010000000000010000000000000001, 1:0:0:1::1",
        "00010000000100000000000000000001, 1:0:1::1",
        "00010000000000010000000000010000, 1::1:0:0:1:0",
        "00000000000100000000000000000000, 0:0:1::",
        "00000000000000000000ffff01020304, 1.2.3.4",
        "00000000000000000000000001020304, ::1.2.3.4",
        "fe800000000000000217f2fffed7cf65, fe80::217:f2ff:fed7:cf65",
        "ff0200000000000000000000000000fb, ff02::fb",
        "2607f8b0400f0801000000000000200e, 2607:f8b0:400f:801::200e",
        "00010002000300040005000600070008, 1:2:3:4:5:6:7:8"
    })
    void shouldPrintAddressAsZeekWhenSixteenBytesAreGiven(String hex, String text) {
        DnsText t = new DnsText().ipv6(HexFormat.of().parseHex(hex), 0);
        assertThat(new String(t.toBytes(), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "FHEPFCELEHFCEPFFFACACACACACACAAA, WORKGROUP",
        "ebecedcacacacacacacacacacacacaaa, ABC",
        "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, *",
        "EOGFHEECEDCACACACACACACACACACAAA, NetBC",
    })
    void shouldDecodeNetbiosNameWhenEncodingIsValid(String encoded, String decoded) {
        byte[] out = DnsText.decodeNetbiosName(encoded.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @CsvSource({"FHEPFCELEHFCEPFFFACACACACACACAA", "FHEPFCELEHFCEPFFFACACACACACACAAZ", "CACACACACACACACACACACACACACACACA"})
    void shouldReturnNullWhenNetbiosEncodingIsInvalidOrBlank(String encoded) {
        assertThat(DnsText.decodeNetbiosName(encoded.getBytes(StandardCharsets.US_ASCII))).isNull();
    }
}
