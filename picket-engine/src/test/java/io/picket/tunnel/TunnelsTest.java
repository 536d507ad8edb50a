package io.picket.tunnel;

import static io.picket.tunnel.TunnelFrames.V4_A;
import static io.picket.tunnel.TunnelFrames.V4_B;
import static io.picket.tunnel.TunnelFrames.V6_A;
import static io.picket.tunnel.TunnelFrames.V6_B;
import static io.picket.tunnel.TunnelFrames.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.flow.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zeek's tunnel semantics on hand-built encapsulations: weirds, violations, depth, tunnel.log. */
class TunnelsTest {
    private static final byte[] C = {(byte) 192, (byte) 168, 1, 1};
    private static final byte[] D = {(byte) 192, (byte) 168, 1, 2};
    private static final byte[] E = {(byte) 172, 16, 0, 1};
    private static final byte[] F = {(byte) 172, 16, 0, 2};
    private static final String OUTER = "10.99.0.1|10.99.0.2|-";

    /** An inner Ethernet frame: UDP 192.168.1.1:40000 -> 192.168.1.2:53, 12 payload bytes. */
    static byte[] innerFrame() {
        return TunnelFrames.udpFrame(C, D, 40000, 53, new byte[12], false);
    }

    static byte[] innerIp() {
        return TunnelFrames.ipOf(innerFrame());
    }

    private static TunnelHarness run(byte[]... frames) {
        TunnelHarness h = new TunnelHarness();
        double t = 1000;
        for (byte[] f : frames) {
            h.feed(t, f);
            t += 0.5;
        }
        h.finish();
        return h;
    }

    private static byte[] gre(int flagsVersion, int protocolType, byte[] extra, byte[] inner) {
        return TunnelFrames.ipFrame(V4_A, V4_B, 47, TunnelFrames.gre(flagsVersion, protocolType, extra, inner));
    }

    @Test
    void shouldRaiseZeeksGreWeirdsWhenGreHeadersAreMalformed() {
        byte[] ip = innerIp();
        assertThat(run(TunnelFrames.ipFrame(V4_A, V4_B, 47, new byte[] {0, 0})).weirds)
                .containsExactly("truncated_GRE|null|GRE|" + OUTER);
        assertThat(run(gre(0x0002, 0x0800, new byte[0], ip)).weirds)
                .containsExactly("unknown_gre_version|version=2|GRE|" + OUTER);
        assertThat(run(gre(0x4000, 0x0800, new byte[0], ip)).weirds).containsExactly("gre_routing|null|GRE|" + OUTER);
        assertThat(run(gre(0x0008, 0x0800, new byte[0], ip)).weirds)
                .containsExactly("unknown_gre_flags|null|GRE|" + OUTER);
        assertThat(run(gre(0x0001, 0x0800, new byte[0], ip)).weirds)
                .containsExactly("egre_protocol_type|proto=2048|GRE|" + OUTER);
        byte[] lcp = {
            0, 0, 0, 0,                          // GRE key (payload length, call id)
            (byte) 0xFF, 0x03, (byte) 0xC0, 0x21, // PPP: address, control, protocol LCP
        };
        assertThat(run(gre(0x2001, 0x880B, lcp, new byte[8])).weirds)
                .containsExactly("non_ip_packet_in_encap|null|GRE|" + OUTER);
        assertThat(run(gre(0x0000, 0x6558, new byte[0], new byte[10])).weirds)
                .containsExactly("truncated_GRE|null|GRE|" + OUTER);
        assertThat(run(gre(0x0000, 0x22EB, new byte[0], new byte[20])).weirds)
                .containsExactly("truncated_GRE|null|GRE|" + OUTER);
    }

    @Test
    void shouldDecapsulatePptpWhenGreVersionOneCarriesIp() {
        byte[] ppp = {
            0, 0, 0, 0,                     // GRE key (payload length, call id)
            (byte) 0xFF, 0x03, 0x00, 0x21,  // PPP: address, control, protocol IPv4
        };
        TunnelHarness h = run(gre(0x2001, 0x880B, ppp, innerIp()));
        assertThat(h.weirds).isEmpty();
        assertThat(h.conn(53).tunnelParents()).hasSize(1);
        assertThat(h.tunnelLines()).containsExactly(h.conn(53).tunnelParents().get(0)
                + " 10.99.0.1:0 10.99.0.2:0 Tunnel::GRE Tunnel::DISCOVER");
    }

    @Test
    void shouldReportABadInnerVersionOnlyWhenAnIpInIpPacketIsMalformed() {
        byte[] v6Header = new byte[20];
        v6Header[0] = 0x60; // version 6 where IPv4 (protocol 4) is announced
        assertThat(run(TunnelFrames.ipFrame(V4_A, V4_B, 4, v6Header)).weirds)
                .containsExactly("invalid_inner_IP_version|null|IPTUNNEL|" + OUTER);
        // a length mismatch ends the analysis silently (Zeek's truncation weirds are unreachable)
        byte[] longer = concat(innerIp(), new byte[4]);
        TunnelHarness h = run(TunnelFrames.ipFrame(V4_A, V4_B, 4, longer));
        assertThat(h.weirds).isEmpty();
        assertThat(h.removed).isEmpty();
    }

    @Test
    void shouldRaiseGeneveWeirdsAndKeepTheServiceWhenHeadersAreOddButComplete() {
        byte[] badVersion = concat(new byte[] {
            0x40, 0, 0x65, 0x58, // version 1, no options; flags; protocol Ethernet
            0, 0, 7, 0,          // VNI 7; reserved
        }, innerFrame());
        TunnelHarness h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50001, 6081, badVersion, true));
        assertThat(h.weirds).containsExactly("geneve_invalid_version|1|GENEVE|" + OUTER);
        assertThat(h.conn(6081).services()).isEmpty();

        h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50001, 6081, TunnelFrames.geneve(0x6558, 7, 0, new byte[0]), true));
        assertThat(h.weirds).containsExactly("geneve_empty_packet|null|GENEVE|" + OUTER);
        assertThat(h.conn(6081).services()).containsExactly("geneve");
        assertThat(h.tunnelRecords).isEmpty();
    }

    @Test
    void shouldStopVxlanForTheConnectionWhenTheIFlagIsMissing() {
        byte[] noFlag = concat(new byte[8], innerFrame());
        byte[] valid = TunnelFrames.vxlan(1, innerFrame());
        TunnelHarness h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, noFlag, true),
                TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, valid, true));
        assertThat(h.weirds).isEmpty();
        assertThat(h.removed).hasSize(1);
        assertThat(h.conn(4789).services()).isEmpty();
        // confirmed first, then a violation: the service goes
        h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, valid, true),
                TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, new byte[4], true));
        assertThat(h.conn(4789).services()).isEmpty();
        assertThat(h.conn(53).tunnelParents()).containsExactly(h.conn(4789).uid());
        h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, new byte[0]), true));
        assertThat(h.weirds).containsExactly("vxlan_empty_packet|null|VXLAN|" + OUTER);
        assertThat(h.conn(4789).services()).containsExactly("vxlan");
    }

    @Test
    void shouldStopAtZeeksMaxDepthWhenVxlanIsNestedThreeTimes() {
        byte[] level3 = TunnelFrames.udpFrame(E, F, 50003, 4789, TunnelFrames.vxlan(3, innerFrame()), true);
        byte[] level2 = TunnelFrames.udpFrame(C, D, 50002, 4789, TunnelFrames.vxlan(2, level3), true);
        byte[] level1 = TunnelFrames.udpFrame(V6_A, V6_B, 50001, 4789, TunnelFrames.vxlan(1, level2), true);
        TunnelHarness h = run(level1);
        assertThat(h.weirds).containsExactly("exceeded_tunnel_max_depth_in_tunnel|null|VXLAN|172.16.0.1|172.16.0.2|-");
        Connection outer = h.removed.stream().filter(c -> c.origPort() == 50001).findFirst().orElseThrow();
        Connection middle = h.removed.stream().filter(c -> c.origPort() == 50002).findFirst().orElseThrow();
        Connection deepest = h.removed.stream().filter(c -> c.origPort() == 50003).findFirst().orElseThrow();
        assertThat(h.removed).hasSize(3); // the innermost DNS flow is never reached
        assertThat(outer.tunnelParents()).isNull();
        assertThat(middle.tunnelParents()).containsExactly(outer.uid());
        assertThat(deepest.tunnelParents()).containsExactly(middle.uid());
        assertThat(deepest.services()).isEmpty(); // the depth check comes before the header
        assertThat(deepest.history()).isEqualTo("DX");
        assertThat(middle.services()).containsExactly("vxlan");
        List<String> lines = h.tunnelLines();
        assertThat(lines.subList(0, 2)).containsExactly(
                outer.uid() + " 2001:db8::1:50001 2001:db8::2:4789 Tunnel::VXLAN Tunnel::DISCOVER",
                middle.uid() + " 192.168.1.1:50002 192.168.1.2:4789 Tunnel::VXLAN Tunnel::DISCOVER");
        assertThat(lines.subList(2, 4)).containsExactlyInAnyOrder(
                middle.uid() + " 192.168.1.1:50002 192.168.1.2:4789 Tunnel::VXLAN Tunnel::CLOSE",
                outer.uid() + " 2001:db8::1:50001 2001:db8::2:4789 Tunnel::VXLAN Tunnel::CLOSE");
    }

    @Test
    void shouldAppendInTunnelToWeirdsOfInnerFramesWhenTheInnerIpHeaderIsBad() {
        byte[] inner = innerFrame();
        inner[14 + 10] ^= 0x55; // IPv4 header checksum
        TunnelHarness h = run(TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, inner), true));
        assertThat(h.weirds).containsExactly("bad_IP_checksum_in_tunnel|null|IP|192.168.1.1|192.168.1.2|-");
    }

    @Test
    void shouldExpireAnIpTunnelWhenNoConnectionIsCreatedInsideForAnHour() {
        TunnelHarness h = new TunnelHarness();
        byte[] frame = TunnelFrames.ipFrame(V6_A, V6_B, 4, innerIp());
        byte[] back = TunnelFrames.ipFrame(V6_B, V6_A, 4, innerIp());
        h.feed(1000, frame);
        h.feed(1001, back); // the other direction: same tunnel
        h.feed(5000, frame); // the inner flow timed out: a new connection, after the expiry
        h.finish();
        List<String> lines = h.tunnelLines();
        String uid = h.removed.get(0).tunnelParents().get(0);
        assertThat(h.removed).allSatisfy(c -> assertThat(c.tunnelParents()).containsExactly(uid));
        assertThat(lines).containsExactly(
                uid + " 2001:db8::1:0 2001:db8::2:0 Tunnel::IP Tunnel::DISCOVER",
                uid + " 2001:db8::1:0 2001:db8::2:0 Tunnel::IP Tunnel::EXPIRE",
                uid + " 2001:db8::1:0 2001:db8::2:0 Tunnel::IP Tunnel::DISCOVER");
        assertThat(h.tunnelRecords.get(1).get(0)).isEqualTo(5000.0);
    }

    @Test
    void shouldKeyInnerConnectionsByTheInnerFramesVlanWhenVlansArePartOfTheKey() {
        byte[] ip = innerIp();
        byte[] taggedInner = TunnelFrames.ethernet(0x8100, concat(new byte[] {
            0x00, 0x64,       // TCI: VLAN 100
            0x08, 0x00,       // EtherType IPv4
        }, ip));
        byte[] vxlan = TunnelFrames.udp(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, taggedInner), true);
        byte[] outerTagged = TunnelFrames.ethernet(0x8100, concat(new byte[] {
            0x00, (byte) 0xC8, // TCI: VLAN 200
            0x08, 0x00,        // EtherType IPv4
        }, TunnelFrames.ipv4(V4_A, V4_B, 17, vxlan)));
        TunnelHarness h = new TunnelHarness(true);
        h.feed(1000, outerTagged);
        h.feed(1001, TunnelFrames.ipFrame(V4_A, V4_B, 4, ip)); // IP-in-IP: a raw IP inner packet
        h.finish();
        assertThat(h.conn(4789).ctxVlan()).isEqualTo(200);
        // the same inner 5-tuple twice: VLAN 100 inside VXLAN, none inside IP-in-IP
        assertThat(h.removed.stream().filter(c -> c.respPort() == 53).map(Connection::ctxVlan))
                .containsExactlyInAnyOrder(100, -1);
    }

    @Test
    void shouldRegisterTheTunnelWhenAnExistingConnectionMovesIntoIt() {
        // seen in clear first, then inside GRE: Zeek's tunnel_changed registers the tunnel
        TunnelHarness h = run(innerFrame(), gre(0x0000, 0x6558, new byte[0], innerFrame()));
        String uid = h.conn(53).tunnelParents().get(0);
        assertThat(h.removed).hasSize(1);
        assertThat(h.tunnelLines()).containsExactly(uid + " 10.99.0.1:0 10.99.0.2:0 Tunnel::GRE Tunnel::DISCOVER");
        assertThat(h.tunnelRecords.get(0).get(0)).isEqualTo(1000.5);
    }

    @Test
    void shouldExpireAVxlanTunnelWhenItsConnectionOutlivesAnHourWithoutNewInnerConnections() {
        TunnelHarness h = new TunnelHarness();
        byte[] frame = TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, innerFrame()), true);
        for (int t = 1000; t <= 4700; t += 30) {
            h.feed(t, frame); // one long-lived inner flow
        }
        byte[] other = TunnelFrames.udpFrame(C, D, 40001, 53, new byte[12], false);
        h.feed(4710, TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, other), true));
        h.finish();
        String uid = h.conn(4789).uid();
        String id = uid + " 10.99.0.1:50000 10.99.0.2:4789 Tunnel::VXLAN ";
        assertThat(h.tunnelLines()).containsExactly(id + "Tunnel::DISCOVER", id + "Tunnel::EXPIRE",
                id + "Tunnel::DISCOVER", id + "Tunnel::CLOSE");
        assertThat(h.tunnelRecords.get(1).get(0)).isEqualTo(4600.0);
        assertThat(h.tunnelRecords.get(2).get(0)).isEqualTo(4710.0);
    }

    @Test
    void shouldNotAllocatePerPacketWhenVxlanCarriesAnEstablishedFlow() {
        TunnelHarness h = new TunnelHarness();
        byte[] frame = TunnelFrames.udpFrame(V4_A, V4_B, 50000, 4789, TunnelFrames.vxlan(1, innerFrame()), true);
        for (int i = 0; i < 200_000; i++) {
            h.feed(1000, frame);
        }
        long fewest = io.picket.testing.Allocations.fewest(3, () -> {
            for (int i = 0; i < 100_000; i++) {
                h.feed(1000, frame);
            }
            return 0;
        });
        assertThat(fewest).isLessThan(1024);
    }
}
