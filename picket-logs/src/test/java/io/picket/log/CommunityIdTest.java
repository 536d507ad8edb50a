package io.picket.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommunityIdTest {
    record Row(String proto, String orig, int origPort, String resp, int respPort, int ipProto, String expected) {
    }

    static List<Row> zeekRows() throws IOException {
        // conn.log rows (proto, id.*, ip_proto, community_id) from Zeek 8.2.2 with
        // policy/protocols/conn/community-id-logging
        List<Row> rows = new ArrayList<>();
        try (InputStream in = CommunityIdTest.class.getResourceAsStream("/zeek/community-id.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]), f[6]));
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("zeekRows")
    void shouldMatchZeekWhenComputedFromConnLogRow(Row r) throws IOException {
        int proto = switch (r.proto()) {
            case "tcp" -> CommunityId.TCP;
            case "udp" -> CommunityId.UDP;
            case "icmp" -> r.orig().contains(":") ? CommunityId.ICMPV6 : CommunityId.ICMP;
            default -> r.ipProto();
        };
        String id = new CommunityId().compute(proto, addr(r.orig()), addr(r.resp()), r.origPort(), r.respPort());
        assertThat(id).isEqualTo(r.expected());
    }

    @Test
    void shouldGiveSameIdWhenDirectionReversed() throws IOException {
        CommunityId c = new CommunityId();
        byte[] a = addr("10.0.0.1");
        byte[] b = addr("192.168.1.2");
        assertThat(c.compute(6, a, b, 40000, 443)).isEqualTo(c.compute(6, b, a, 443, 40000));
        // ICMP echo request and its reply
        assertThat(c.compute(1, a, b, 8, 0)).isEqualTo(c.compute(1, b, a, 0, 0));
        // ICMPv6 neighbor solicitation and advertisement
        byte[] a6 = addr("fe80::1");
        byte[] b6 = addr("fe80::2");
        assertThat(c.compute(58, a6, b6, 135, 0)).isEqualTo(c.compute(58, b6, a6, 136, 0));
    }

    @Test
    void shouldKeepDirectionWhenIcmpIsOneWay() throws IOException {
        CommunityId c = new CommunityId();
        byte[] a = addr("192.168.1.255");
        byte[] b = addr("10.10.1.5");
        // destination unreachable (3), code 4: not reordered although a > b
        assertThat(c.compute(1, a, b, 3, 4)).isNotEqualTo(c.compute(1, b, a, 3, 4));
    }

    @Test
    void shouldChangeIdWhenSeedChanges() throws IOException {
        byte[] a = addr("10.0.0.1");
        byte[] b = addr("10.0.0.2");
        assertThat(new CommunityId(1).compute(17, a, b, 1000, 53)).isNotEqualTo(new CommunityId().compute(17, a, b, 1000, 53))
                .startsWith("1:").hasSize(30);
    }

    @Test
    void shouldRejectMixedAddressFamilies() throws IOException {
        assertThatThrownBy(() -> new CommunityId().compute(6, addr("10.0.0.1"), addr("::1"), 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommunityId(70000)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] addr(String s) throws IOException {
        return InetAddress.getByName(s).getAddress();
    }
}
