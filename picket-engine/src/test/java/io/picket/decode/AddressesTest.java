package io.picket.decode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressesTest {

    @ParameterizedTest
    @CsvSource({
            // input                               , Zeek's text form
            "fe80::20c:29ff:fe3c:4f8d              , fe80::20c:29ff:fe3c:4f8d",
            "FE80:0000:0000:0000:020C:29FF:FE3C:4F8D, fe80::20c:29ff:fe3c:4f8d",
            "::1                                   , ::1",
            "::                                    , ::",
            "1::                                   , 1::",
            "2001:db8:0:0:1:0:0:1                  , 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1                  , 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1                    , 2001:0:0:1::1",
            "2001:0db8::0001                       , 2001:db8::1",
            "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1   , 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
            "::2                                   , ::2",
            "64:ff9b::1.2.3.4                      , 64:ff9b::102:304",
    })
    void shouldFormatIpv6AsZeekInetNtopWhenCompressing(String input, String expected) {
        long[] a = Addresses.parse(input);

        assertThat(Addresses.format(a[0], a[1])).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "1.2.3.4          , 1.2.3.4",
            "::ffff:1.2.3.4   , 1.2.3.4",
            "::ffff:102:304   , 1.2.3.4",
            "0.0.0.0          , 0.0.0.0",
            "255.255.255.255  , 255.255.255.255",
            "::1.2.3.4        , ::1.2.3.4",
            "::ffff:0:1.2.3.4 , ::ffff:0:1.2.3.4",
    })
    void shouldPrintDottedQuadWhenIpv4MappedOrEmbedded(String input, String expected) {
        long[] a = Addresses.parse(input);

        assertThat(Addresses.format(a[0], a[1])).isEqualTo(expected);
    }

    @Test
    void shouldStoreIpv4MappedWhenParsingDottedQuad() {
        long[] a = Addresses.parse("192.168.1.2");

        assertThat(a[0]).isZero();
        assertThat(a[1]).isEqualTo(0x0000_FFFF_C0A8_0102L);
        assertThat(Addresses.isIpv4(a[0], a[1])).isTrue();
        assertThat(Addresses.ipv4Lo(0xC0A80102)).isEqualTo(a[1]);
    }

    @Test
    void shouldStoreBigEndianWordsWhenParsingIpv6() {
        long[] a = Addresses.parse("2001:db8:1:2:3:4:5:6");

        assertThat(a[0]).isEqualTo(0x2001_0db8_0001_0002L);
        assertThat(a[1]).isEqualTo(0x0003_0004_0005_0006L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", ":::", "1:2:3:4:5:6:7:8:9", "g::1",
            "1::2::3", "1:2:3:4:5:6:7", ":1::", "1:", "12345::", "::1.2.3", "1.2.3.4::"})
    void shouldRejectTextWhenNotAnAddress(String text) {
        assertThatThrownBy(() -> Addresses.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void shouldRoundTripWhenFormattingAnyAddress(@ForAll long hi, @ForAll long lo) {
        String text = Addresses.format(hi, lo);

        assertThat(Addresses.parse(text)).containsExactly(hi, lo);
    }

    @Property
    void shouldRoundTripWhenFormattingAnyIpv4Address(@ForAll int v4) {
        long lo = Addresses.ipv4Lo(v4);

        assertThat(Addresses.parse(Addresses.format(0, lo))).containsExactly(0L, lo);
    }

    @Property
    void shouldRoundTripWhenAddressHasZeroRuns(@ForAll long hiMask, @ForAll long loMask) {
        // sparse words so that zero runs of every length and position occur
        long hi = hiMask & 0x0000_FFFF_0000_0001L;
        long lo = loMask & 0x0001_0000_FFFF_0000L;

        assertThat(Addresses.parse(Addresses.format(hi, lo))).containsExactly(hi, lo);
    }
}
