package io.picket.tenant;

import static io.picket.tenant.TenantSelector.UNASSIGNED;
import static org.assertj.core.api.Assertions.assertThat;

import io.picket.decode.Packet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TenantSelectorTest {

    private static final String YAML = """
            tenants:
              - id: acme               # 0
                vlans: [1000, "1010-1019"]
                interfaces: [ens1f0v3]
              - id: globex             # 1: customer VLANs inside QinQ
                vlan_tag: inner
                vlans: ["200-299"]
              - id: carrier            # 2: outer 100, whatever the inner tag
                vlans: [100]
              - id: office             # 3: untagged and priority-tagged frames
                vlans: [untagged, 5]
              - id: vf                 # 4: a VF whose VLAN the NIC strips
                interfaces: [ens1f1v0]
            """;

    private static TenantSelector selector() throws TenantConfigException {
        return new TenantSelector(TenantsConfig.parse(YAML, "tenants.yaml"));
    }

    private static Packet packet(String iface, int vlan, int innerVlan) {
        Packet p = new Packet();
        p.interfaceName = iface;
        p.vlan = vlan;
        p.innerVlan = innerVlan;
        p.vlanTags = vlan == Packet.NO_VLAN ? 0 : innerVlan == Packet.NO_VLAN ? 1 : 2;
        return p;
    }

    @Test
    void shouldSelectByOuterTagWhenOuterTenantClaimsIt() throws Exception {
        TenantSelector s = selector();
        assertThat(s.select(packet(null, 1000, Packet.NO_VLAN))).isEqualTo(0);
        assertThat(s.select(packet(null, 1015, Packet.NO_VLAN))).isEqualTo(0);
        assertThat(s.select(packet(null, 1019, 7))).isEqualTo(0);
        assertThat(s.select(packet(null, 100, 250))).as("outer wins over inner").isEqualTo(2);
        assertThat(s.select(packet(null, 5, Packet.NO_VLAN))).isEqualTo(3);
    }

    @Test
    void shouldSelectByInnerTagWhenOuterTagUnclaimed() throws Exception {
        TenantSelector s = selector();
        assertThat(s.select(packet(null, 300, 200))).isEqualTo(1);
        assertThat(s.select(packet(null, 4094, 299))).isEqualTo(1);
        assertThat(s.select(packet(null, 300, 300))).isEqualTo(UNASSIGNED);
        assertThat(s.select(packet(null, 250, Packet.NO_VLAN)))
                .as("single tag 250 is an outer tag; inner tenants only see QinQ").isEqualTo(UNASSIGNED);
    }

    @Test
    void shouldSelectUntaggedTenantWhenNoTagOrVlanZero() throws Exception {
        TenantSelector s = selector();
        assertThat(s.select(packet(null, Packet.NO_VLAN, Packet.NO_VLAN))).isEqualTo(3);
        assertThat(s.select(packet(null, 0, Packet.NO_VLAN))).as("priority-tagged").isEqualTo(3);
        assertThat(s.select(packet("eth9", Packet.NO_VLAN, Packet.NO_VLAN))).as("unlisted interface").isEqualTo(3);
    }

    @Test
    void shouldLeaveUntaggedUnassignedWhenNobodyClaimsIt() throws Exception {
        TenantSelector s = new TenantSelector(TenantsConfig.parse("""
                tenants:
                  - id: acme
                    vlans: [10]
                """, "t.yaml"));
        assertThat(s.select(packet(null, Packet.NO_VLAN, Packet.NO_VLAN))).isEqualTo(UNASSIGNED);
        assertThat(s.select(packet(null, 0, Packet.NO_VLAN))).isEqualTo(UNASSIGNED);
        assertThat(s.select(packet(null, 11, Packet.NO_VLAN))).isEqualTo(UNASSIGNED);
        assertThat(s.select(packet(null, 10, Packet.NO_VLAN))).isEqualTo(0);
    }

    @Test
    void shouldPreferInterfaceWhenInterfaceListed() throws Exception {
        TenantSelector s = selector();
        assertThat(s.select(packet("ens1f1v0", Packet.NO_VLAN, Packet.NO_VLAN))).isEqualTo(4);
        assertThat(s.select(packet("ens1f1v0", 1000, Packet.NO_VLAN))).as("interface beats VLAN").isEqualTo(4);
        assertThat(s.select(packet(new String("ens1f0v3".toCharArray()), 100, Packet.NO_VLAN)))
                .as("equal name, other String instance").isEqualTo(0);
    }

    @Test
    void shouldSendEverythingToTenantZeroWhenSingleDefault() {
        TenantSelector s = new TenantSelector(TenantsConfig.singleDefault());
        assertThat(s.tenantCount()).isEqualTo(1);
        assertThat(s.tenantId(0)).isEqualTo("default");
        assertThat(s.select(packet(null, Packet.NO_VLAN, Packet.NO_VLAN))).isZero();
        assertThat(s.select(packet("ens1f0", 4095, 17))).isZero();
        assertThat(s.localNets(0)).isEqualTo(LocalNets.zeekDefault());
    }

    @Test
    void shouldExposeIdsAndLocalNetsWhenIndexed() throws Exception {
        TenantSelector s = selector();
        assertThat(s.tenantCount()).isEqualTo(5);
        assertThat(s.tenantId(0)).isEqualTo("acme");
        assertThat(s.tenantId(4)).isEqualTo("vf");
        assertThat(s.localNets(1)).isEqualTo(LocalNets.zeekDefault());
    }

    @Test
    void shouldNotAllocateWhenSelecting() throws Exception {
        TenantSelector s = selector();
        Packet[] packets = {
            packet(null, 1000, Packet.NO_VLAN), packet("ens1f1v0", 7, Packet.NO_VLAN),
            packet("eth9", 300, 250), packet(null, Packet.NO_VLAN, Packet.NO_VLAN),
        };
        int sink = 0;
        for (int i = 0; i < 50_000; i++) { // warm up
            sink += s.select(packets[i & 3]);
        }
        long allocated = io.picket.testing.Allocations.fewest(3, () -> {
            long selected = 0;
            for (int i = 0; i < 200_000; i++) {
                selected += s.select(packets[i & 3]);
            }
            return selected;
        });
        assertThat(allocated).as("bytes allocated by 200k selections (sink %s)", sink).isLessThan(1024);
    }

    @Property(tries = 200)
    void shouldNeverThrowWhenTagsAreAnyValue(@ForAll @IntRange(min = -1, max = 4095) int vlan,
            @ForAll @IntRange(min = -1, max = 4095) int inner) throws Exception {
        int t = SELECTOR.select(packet(null, vlan, inner));
        assertThat(t).isBetween(UNASSIGNED, SELECTOR.tenantCount() - 1);
        if (vlan >= 1010 && vlan <= 1019) {
            assertThat(t).isZero();
        }
    }

    private static final TenantSelector SELECTOR;

    static {
        try {
            SELECTOR = selector();
        } catch (TenantConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
