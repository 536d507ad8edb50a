package io.picket.tenant;

import io.picket.decode.Packet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a decoded packet to the index of the tenant that owns it, per {@link TenantsConfig}:
 * capture interface first, then the outer VLAN tag among outer-tag tenants, then the inner tag
 * of a QinQ frame among inner-tag tenants; untagged frames (and outer VLAN 0) go to the tenant
 * that claims untagged traffic. {@link TenantsConfig#singleDefault()} sends everything to 0.
 *
 * <p>Built once per configuration on the control thread; immutable afterwards, so every shard
 * thread may call {@link #select} concurrently. {@link #select} allocates nothing and never
 * throws: frames nobody claims yield {@link #UNASSIGNED} for the caller to count.
 */
public final class TenantSelector {

    /** Returned by {@link #select} for frames no tenant claims. */
    public static final int UNASSIGNED = -1;

    private static final int VLAN_IDS = VlanRange.MAX_ID + 1;

    private final String[] ids;
    private final LocalNets[] localNets;
    private final boolean matchesAll;
    /** Interface name to tenant index; null when no tenant lists interfaces. */
    private final Map<String, Integer> byInterface;
    /** Outer VID to tenant; slot 0 also serves untagged frames. */
    private final int[] outer = new int[VLAN_IDS];
    /** Inner VID (QinQ) to tenant. */
    private final int[] inner = new int[VLAN_IDS];

    /** Prepares the lookup tables for {@code config}. */
    public TenantSelector(TenantsConfig config) {
        List<Tenant> tenants = config.tenants();
        this.ids = new String[tenants.size()];
        this.localNets = new LocalNets[tenants.size()];
        this.matchesAll = config.matchesAll();
        Arrays.fill(outer, UNASSIGNED);
        Arrays.fill(inner, UNASSIGNED);
        Map<String, Integer> ifaces = new HashMap<>();
        for (int t = 0; t < tenants.size(); t++) {
            Tenant tenant = tenants.get(t);
            ids[t] = tenant.id();
            localNets[t] = tenant.localNets();
            int[] table = tenant.vlanTag() == VlanTag.OUTER ? outer : inner;
            for (VlanRange r : tenant.vlans()) {
                for (int vid = r.first(); vid <= r.last(); vid++) {
                    if (table[vid] == UNASSIGNED) {
                        table[vid] = t;
                    }
                }
            }
            if (tenant.untagged() && outer[0] == UNASSIGNED) {
                outer[0] = t;
            }
            for (String name : tenant.interfaces()) {
                ifaces.putIfAbsent(name, t);
            }
        }
        this.byInterface = ifaces.isEmpty() ? null : Map.copyOf(ifaces);
    }

    /**
     * The index of the tenant owning {@code p}, or {@link #UNASSIGNED}. Reads
     * {@code interfaceName}, {@code vlan} and {@code innerVlan} only; allocates nothing.
     */
    public int select(Packet p) {
        if (matchesAll) {
            return 0;
        }
        String name = p.interfaceName;
        if (name != null && byInterface != null) {
            Integer t = byInterface.get(name);
            if (t != null) {
                return t;
            }
        }
        int vid = p.vlan;
        int t = outer[vid < 0 ? 0 : vid & VlanRange.MAX_ID];
        if (t != UNASSIGNED || vid < 0) {
            return t;
        }
        int innerVid = p.innerVlan;
        return innerVid < 0 ? UNASSIGNED : inner[innerVid & VlanRange.MAX_ID];
    }

    /** Id of tenant {@code index} (its log folder name). */
    public String tenantId(int index) {
        return ids[index];
    }

    /** Number of tenants. */
    public int tenantCount() {
        return ids.length;
    }

    /** {@code Site::local_nets} of tenant {@code index}. */
    public LocalNets localNets(int index) {
        return localNets[index];
    }
}
