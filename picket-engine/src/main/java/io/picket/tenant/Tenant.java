package io.picket.tenant;

import java.util.List;
import java.util.Objects;

/**
 * One tenant of {@code tenants.yaml}: its id (also the name of its log folder), the traffic it
 * owns and its local networks.
 *
 * @param id         matches {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param vlanTag    which tag of a QinQ frame {@code vlans} refers to
 * @param vlans      claimed VLAN ids and ranges, in file order
 * @param untagged   true if the tenant owns untagged (and VLAN-0 priority-tagged) frames
 * @param interfaces capture interfaces whose every frame belongs to this tenant
 * @param localNets  {@code Site::local_nets} for this tenant's conn.log
 * @param dedicatedCores cores only this tenant's shards run on; empty = the shared pool
 * @param limits     flow and reassembly-memory quotas ({@link TenantLimits#NONE} = unlimited)
 */
public record Tenant(String id, VlanTag vlanTag, List<VlanRange> vlans, boolean untagged,
        List<String> interfaces, LocalNets localNets, io.picket.affinity.CpuSet dedicatedCores,
        TenantLimits limits) {

    public Tenant(String id, VlanTag vlanTag, List<VlanRange> vlans, boolean untagged, List<String> interfaces,
            LocalNets localNets, io.picket.affinity.CpuSet dedicatedCores) {
        this(id, vlanTag, vlans, untagged, interfaces, localNets, dedicatedCores, TenantLimits.NONE);
    }

    public Tenant(String id, VlanTag vlanTag, List<VlanRange> vlans, boolean untagged, List<String> interfaces,
            LocalNets localNets) {
        this(id, vlanTag, vlans, untagged, interfaces, localNets, io.picket.affinity.CpuSet.empty());
    }

    /** Copies the lists; rejects nulls. */
    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vlanTag, "vlanTag");
        Objects.requireNonNull(localNets, "localNets");
        vlans = List.copyOf(vlans);
        interfaces = List.copyOf(interfaces);
        dedicatedCores = dedicatedCores == null ? io.picket.affinity.CpuSet.empty() : dedicatedCores;
        limits = limits == null ? TenantLimits.NONE : limits;
    }
}
