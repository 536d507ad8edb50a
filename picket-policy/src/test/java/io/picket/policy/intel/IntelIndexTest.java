package io.picket.policy.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.IpAddress;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Intel parsing errors, indexing and Intel::seen semantics. */
class IntelIndexTest {
    private static final String HDR = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.do_notice\tmeta.if_in"
            + "\tmeta.whitelist\n";

    private static IntelIndex index(String text) throws PolicyException {
        return IntelIndex.load(List.of(SourceFile.of("i.dat", text)), Limits.DEFAULT);
    }

    private static List<String> errors(String text) {
        List<PolicyError> errs = new ArrayList<>();
        IntelParser.parse(SourceFile.of("i.dat", text), new ArrayList<>(), errs);
        return errs.stream().map(PolicyError::toString).toList();
    }

    @Test
    void shouldReportBadLinesWithPositions() {
        assertThat(errors(HDR
                + "1.2.3\tIntel::ADDR\ts\tF\t-\tF\n"
                + "10.0.0.0/33\tIntel::SUBNET\ts\tF\t-\tF\n"
                + "x.com\tIntel::DOMAIN\t-\tF\t-\tF\n"
                + "x.com\tIntel::DOMAIN\ts\tmaybe\t-\tF\n"
                + "x.com\tIntel::DOMAIN\ts\tT\tDNS::NOWHERE\tF\n"
                + "x.com\tIntel::DOMAIN\ts\n"
                + "-\tIntel::DOMAIN\ts\tF\t-\tF\n")).containsExactly(
                "i.dat:2:1: '1.2.3' is not an address",
                "i.dat:3:1: '10.0.0.0/33' is not a subnet (addr/len)",
                "i.dat:4:21: meta.source is unset",
                "i.dat:5:23: invalid boolean 'maybe' (expected T or F)",
                "i.dat:6:25: invalid meta.if_in 'DNS::NOWHERE'",
                "i.dat:7:1: line has 3 fields, #fields names 6",
                "i.dat:8:1: indicator is unset or empty");
        assertThat(errors("a.com\tIntel::DOMAIN\ts\n")).containsExactly("i.dat:1:1: data line before the #fields header");
        assertThat(errors("#fields\tindicator\tmeta.source\n")).containsExactly(
                "i.dat:1:1: #fields lacks the required column indicator_type");
    }

    @Test
    void shouldMatchAddressesAndAllContainingSubnets() throws Exception {
        IntelIndex idx = index(HDR + "10.1.2.3\tIntel::ADDR\ta\tF\t-\tF\n"
                + "10.0.0.0/8\tIntel::SUBNET\tb\tF\t-\tF\n10.1.0.0/16\tIntel::SUBNET\tc\tF\t-\tF\n"
                + "2001:db8::/32\tIntel::SUBNET\td\tF\t-\tF\n");
        long[] a = new long[2];
        IpAddress.parse("10.1.2.3", a);
        IntelMatch m = idx.seen(IntelSeen.address(1.0, a[0], a[1], IntelWhere.CONN_IN_ORIG, "C1", "10.1.2.3", 1,
                "8.8.8.8", 53));
        assertThat(m.items()).extracting(IntelItem::indicator).containsExactly("10.1.2.3", "10.0.0.0/8",
                "10.1.0.0/16");
        assertThat(m.logRecord().get("matched")).isEqualTo(List.of("Intel::ADDR", "Intel::SUBNET"));
        assertThat(m.logRecord().get("sources")).isEqualTo(List.of("a", "b", "c"));
        assertThat(m.logRecord().get("seen.indicator")).isEqualTo("10.1.2.3");
        IpAddress.parse("2001:db8::1", a);
        assertThat(idx.lookupAddress(a[0], a[1])).extracting(IntelItem::indicator).containsExactly("2001:db8::/32");
        IpAddress.parse("11.0.0.1", a);
        assertThat(idx.lookupAddress(a[0], a[1])).isEmpty();
    }

    @Test
    void shouldMatchCaseInsensitivelyAndKeepSeenSpelling() throws Exception {
        IntelIndex idx = index(HDR + "Evil.COM\tIntel::DOMAIN\ts\tF\t-\tF\n");
        IntelMatch m = idx.seen(IntelSeen.indicator(2.0, "eVIL.com", IntelType.DOMAIN, IntelWhere.DNS_IN_REQUEST, "C1",
                "1.1.1.1", 1, "2.2.2.2", 53));
        assertThat(m.logRecord().get("seen.indicator")).isEqualTo("eVIL.com");
        assertThat(m.logRecord().get("seen.node")).isEqualTo("zeek");
        assertThat(idx.seen(IntelSeen.indicator(2.0, "evil.com", IntelType.URL, IntelWhere.DNS_IN_REQUEST, "C1",
                "1.1.1.1", 1, "2.2.2.2", 53))).isNull();
    }

    @Test
    void shouldSuppressLogButKeepNoticeWhenWhitelisted() throws Exception {
        IntelIndex idx = index(HDR + "bad.com\tIntel::DOMAIN\tfeed\tT\tDNS::IN_REQUEST\tF\n"
                + "bad.com\tIntel::DOMAIN\tlocal\tF\t-\tT\n");
        IntelMatch dns = idx.seen(IntelSeen.indicator(3.0, "bad.com", IntelType.DOMAIN, IntelWhere.DNS_IN_REQUEST,
                "C1", "10.0.0.2", 5, "10.0.0.1", 53));
        assertThat(dns.logRecord()).isNull();
        assertThat(dns.notices()).singleElement().satisfies(n -> {
            assertThat(n.msg()).isEqualTo("Intel hit on bad.com at DNS::IN_REQUEST");
            assertThat(n.identifier()).isEqualTo("bad.com10.0.0.110.0.0.2");
            assertThat(n.source()).isEqualTo("feed");
        });
        IntelMatch http = idx.seen(IntelSeen.indicator(3.0, "bad.com", IntelType.DOMAIN,
                IntelWhere.HTTP_IN_HOST_HEADER, "C1", "10.0.0.2", 5, "10.0.0.1", 80));
        assertThat(http.notices()).isEmpty();
    }

    @Test
    void shouldReplaceMetadataOfSameSource() throws Exception {
        IntelIndex idx = index("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n"
                + "a.com\tIntel::DOMAIN\ts\tfirst\na.com\tIntel::DOMAIN\ts\tsecond\na.com\tIntel::DOMAIN\tt\tother\n");
        assertThat(idx.lookup("A.com", IntelType.DOMAIN)).extracting(i -> i.meta().desc())
                .containsExactly("second", "other");
    }

    @Test
    void shouldAnswerAddressPresenceWithoutBuildingSightingsWhenAddressIntelIsIndexed() throws PolicyException {
        IntelIndex none = index(HDR + "x.com\tIntel::DOMAIN\ts\tF\t-\tF\n");
        IntelIndex some = index(HDR
                + "10.1.2.3\tIntel::ADDR\ts\tF\t-\tF\n"
                + "192.168.0.0/16\tIntel::SUBNET\ts\tF\t-\tF\n"
                + "2001:db8::/32\tIntel::SUBNET\ts\tF\t-\tF\n");
        long[] a = new long[2];
        assertThat(none.hasAddresses()).isFalse();
        assertThat(some.hasAddresses()).isTrue();
        IpAddress.parse("10.1.2.3", a);
        assertThat(some.containsAddress(a[0], a[1])).isTrue();
        assertThat(none.containsAddress(a[0], a[1])).isFalse();
        IpAddress.parse("10.1.2.4", a);
        assertThat(some.containsAddress(a[0], a[1])).isFalse();
        IpAddress.parse("192.168.77.1", a);
        assertThat(some.containsAddress(a[0], a[1])).isTrue();
        IpAddress.parse("2001:db8:1::5", a);
        assertThat(some.containsAddress(a[0], a[1])).isTrue();
        IpAddress.parse("2001:db9::5", a);
        assertThat(some.containsAddress(a[0], a[1])).isFalse();
    }
}
