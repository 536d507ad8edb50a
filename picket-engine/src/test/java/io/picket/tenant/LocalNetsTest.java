package io.picket.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalNetsTest {

    /** Address text to {hi, lo} the way Packet stores it (IPv4 mapped). */
    static long[] addr(String text) {
        if (text.indexOf(':') < 0) {
            long v4 = IpPrefix.parseIpv4(text);
            assertThat(v4).as("test address %s", text).isNotNegative();
            return new long[] {0, 0x0000_FFFF_0000_0000L | v4};
        }
        long[] words = IpPrefix.parseIpv6(text);
        assertThat(words).as("test address %s", text).isNotNull();
        return words;
    }

    static boolean local(LocalNets nets, String address) {
        long[] a = addr(address);
        return nets.contains(a[0], a[1]);
    }

    @ParameterizedTest(name = "{0} local={1}")
    @CsvSource({
        "224.0.0.251, true", // mDNS IPv4 group: 224.0.0.0/24
        "ff02::fb, false", // mDNS IPv6 group: multicast is not private space
        "10.1.2.3, true",
        "8.8.8.8, false",
        "2002:0a00::1, true", // 6to4 image of 10.0.0.0/8
        "2002:0808:0808::1, false", // 6to4 image of 8.8.8.8
        "2002:c0a8:0101::1, true", // 6to4 image of 192.168.1.1
        "0.1.2.3, true",
        "100.64.0.1, true",
        "100.128.0.1, false",
        "127.0.0.1, true",
        "169.254.1.1, true",
        "172.31.255.255, true",
        "172.32.0.0, false",
        "192.0.0.8, true",
        "192.0.2.1, true",
        "192.168.255.1, true",
        "198.19.255.255, true",
        "198.20.0.0, false",
        "198.51.100.7, true",
        "203.0.113.9, true",
        "224.0.1.1, false", // only 224.0.0.0/24 is listed
        "239.255.255.250, true", // SSDP, 239.0.0.0/8
        "240.0.0.1, true",
        "255.255.255.255, true",
        "255.255.255.254, true", // 240.0.0.0/4 covers it
        "::, true",
        "::1, true",
        "::2, false",
        "64:ff9b:1::1, true",
        "64:ff9b::1, false",
        "100::1, true",
        "2001::1, true",
        "2001:1ff:ffff::1, true", // still in 2001::/23
        "2001:200::1, false",
        "2001:2::1, true",
        "2001:db8::1, true",
        "2001:4860::8888, false",
        "fd00::1, true",
        "fe80::1, true",
        "febf::1, true",
        "fec0::1, true",
        "ff00::1, false",
        "::ffff:10.0.0.1, true", // an IPv4-mapped IPv6 address is the IPv4 address
    })
    void shouldMatchZeekPrivateAddressSpaceWhenDefault(String address, boolean expected) {
        assertThat(local(LocalNets.zeekDefault(), address)).isEqualTo(expected);
    }

    @Test
    void shouldListEverySixToFourImageWhenDefault() {
        List<IpPrefix> all = LocalNets.zeekDefault().prefixes();
        List<IpPrefix> v4 = all.stream().filter(IpPrefix::isIpv4).toList();
        List<IpPrefix> sixToFour = all.stream()
                .filter(p -> !p.isIpv4() && p.length() >= 16 && (p.hi() >>> 48) == 0x2002)
                .toList();
        assertThat(v4).hasSize(16);
        assertThat(sixToFour).containsExactlyInAnyOrderElementsOf(v4.stream().map(IpPrefix::sixToFourImage).toList());
        assertThat(all).hasSize(16 + 16 + 10);
    }

    @Test
    void shouldBuildSixToFourImageWhenIpv4Prefix() {
        assertThat(IpPrefix.parse("10.0.0.0/8").sixToFourImage()).hasToString("2002:a00::/24");
        assertThat(IpPrefix.parse("100.64.0.0/10").sixToFourImage()).hasToString("2002:6440::/26");
        assertThat(IpPrefix.parse("255.255.255.255/32").sixToFourImage()).hasToString("2002:ffff:ffff::/48");
        assertThat(IpPrefix.parse("0.0.0.0/8").sixToFourImage()).hasToString("2002::/24");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8|10.0.0.0/8",
        "[2001:db8::]/32|2001:db8::/32",
        "2001:DB8:0:0::/64|2001:db8::/64",
        "::/0|::/0",
        "::ffff:10.0.0.0/104|10.0.0.0/8",
        "fe80:0:0:0:0:0:0:1/128|fe80::1/128",
        "1:0:0:2:0:0:0:3/128|1:0:0:2::3/128",
        "1:0:0:2:0:0:3:4/128|1::2:0:0:3:4/128",
        "0.0.0.0/0|0.0.0.0/0",
        "255.255.255.255/32|255.255.255.255/32",
        "64:ff9b::192.0.2.0/120|64:ff9b::c000:200/120",
    })
    void shouldPrintCanonicalFormWhenParsed(String text, String canonical) {
        assertThat(IpPrefix.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0|no prefix length",
        "10.1.0.0/8|host bits set (network is 10.0.0.0/8)",
        "10.0.0.0/33|exceeds 32",
        "10.0.0/8|bad IPv4 address",
        "010.0.0.0/8|bad IPv4 address",
        "256.0.0.0/8|bad IPv4 address",
        "2001:db8::/129|bad prefix length",
        "2001:db8::1::/32|bad IPv6 address",
        "2001:db8:::/32|bad IPv6 address",
        "12345::/16|bad IPv6 address",
        "1:2:3:4:5:6:7:8:9/128|bad IPv6 address",
        "1:2:3:4:5:6:7/128|bad IPv6 address",
        "fe80::1/10|host bits set (network is fe80::/10)",
        "example.com/24|bad IPv4 address",
        "10.0.0.0/-1|bad prefix length",
        "10.0.0.0/08|bad prefix length",
    })
    void shouldExplainWhenPrefixIsBad(String text, String reason) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void shouldMatchNothingWhenEmpty() {
        assertThat(LocalNets.empty().isEmpty()).isTrue();
        assertThat(local(LocalNets.empty(), "10.0.0.1")).isFalse();
        assertThat(local(LocalNets.parse("::/0"), "8.8.8.8")).isTrue();
        assertThat(local(LocalNets.parse("0.0.0.0/0"), "2001:db8::1")).isFalse();
    }

    @Test
    void shouldCombineSetsWhenUnion() {
        LocalNets site = LocalNets.parse("198.18.0.0/15", "8.8.8.0/24");
        LocalNets union = site.union(LocalNets.zeekDefault());
        assertThat(local(union, "8.8.8.8")).isTrue();
        assertThat(local(union, "10.0.0.1")).isTrue();
        assertThat(union.size()).isEqualTo(LocalNets.zeekDefault().size() + 1);
        assertThat(LocalNets.parse("10.0.0.0/8", "10.0.0.0/8").size()).isEqualTo(1);
    }

    @Test
    void shouldNotAllocateWhenLookingUp() {
        LocalNets nets = LocalNets.zeekDefault();
        long[] a = addr("8.8.8.8");
        long[] b = addr("2002:a00::1");
        boolean sink = false;
        for (int i = 0; i < 20_000; i++) { // warm up
            sink ^= nets.contains(a[0], a[1] + (i & 7)) ^ nets.contains(b[0], b[1]);
        }
        long allocated = io.picket.testing.Allocations.fewest(3, () -> {
            long found = 0;
            for (int i = 0; i < 100_000; i++) {
                found += (nets.contains(a[0], a[1] + (i & 7)) ? 1 : 0) + (nets.contains(b[0], b[1]) ? 1 : 0);
            }
            return found;
        });
        assertThat(allocated).as("bytes allocated by 200k lookups (sink %s)", sink).isLessThan(1024);
    }

    @Property(tries = 300)
    void shouldAgreeWithLinearScanWhenRandomPrefixes(@ForAll("prefixSets") List<IpPrefix> prefixes,
            @ForAll("addresses") List<long[]> probes) {
        LocalNets nets = LocalNets.of(prefixes);
        for (long[] a : probes) {
            boolean expected = prefixes.stream().anyMatch(p -> p.contains(a[0], a[1]));
            assertThat(nets.contains(a[0], a[1])).isEqualTo(expected);
        }
        for (IpPrefix p : prefixes) { // the network address itself is always inside
            assertThat(nets.contains(p.hi(), p.lo())).isTrue();
        }
    }

    @Provide
    Arbitrary<List<IpPrefix>> prefixSets() {
        Arbitrary<IpPrefix> v6 = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 128))
                .as((hi, lo, len) -> new IpPrefix(hi & IpPrefix.hiMask(len), lo & IpPrefix.loMask(len), len));
        Arbitrary<IpPrefix> v4 = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32))
                .as((a, len) -> {
                    int mask = len == 0 ? 0 : -1 << (32 - len);
                    return IpPrefix.ipv4(a & mask, len);
                });
        return Arbitraries.oneOf(v6, v4).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<long[]>> addresses() {
        Arbitrary<long[]> v6 = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((h, l) -> new long[] {h, l});
        Arbitrary<long[]> v4 = Arbitraries.integers().map(a -> new long[] {0, 0x0000_FFFF_0000_0000L | (a & 0xFFFF_FFFFL)});
        Arbitrary<long[]> small = Arbitraries.longs().between(0, 3).map(l -> new long[] {0, l});
        return Arbitraries.oneOf(v6, v4, small).list().ofMinSize(1).ofMaxSize(30).map(ArrayList::new);
    }
}
