package io.picket.tenant;

/** Which 802.1Q tag of a frame selects a tenant: the first (outer) or, in QinQ, the second (inner). */
public enum VlanTag {
    /** The first tag ({@code Packet.vlan}); also untagged frames when vlan 0/untagged is claimed. */
    OUTER,
    /** The second tag of a QinQ frame ({@code Packet.innerVlan}); single-tagged frames never match. */
    INNER
}
