package io.picket.log.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeekAddressesTest {
    @ParameterizedTest
    @CsvSource({
        "0a000001, 10.0.0.1",
        "20010db8000000000000000000000001, 2001:db8::1",
        "00000000000000000000ffffc0a80001, 192.168.0.1",
        "00000000000000000000000000000001, ::1",
        "00000000000000000000000000000000, ::",
        "20010db8000100000001000000000000, 2001:db8:1:0:1::",
        "fe800000000000000000000000000001, fe80::1",
        "000000000000000000000000c0a80001, ::192.168.0.1",
        "0000000000000000ffff0000c0a80001, ::ffff:0:192.168.0.1",
    })
    void shouldFormatAddressesAsZeekDoes(String hex, String text) {
        assertThat(ZeekAddresses.format(HexFormat.of().parseHex(hex))).isEqualTo(text);
    }
}
