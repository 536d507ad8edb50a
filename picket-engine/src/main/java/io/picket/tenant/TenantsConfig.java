package io.picket.tenant;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tenants of one Picket instance, read from {@code tenants.yaml}. Immutable; loaded at
 * startup (or reload) on the control thread and shared read-only with the shards through a
 * {@link TenantSelector}.
 *
 * <h2>Format</h2>
 * <pre>{@code
 * tenants:
 *   - id: acme                      # [a-z0-9][a-z0-9_-]{0,62}, unique; the tenant's log folder
 *     vlans: [1000, "1010-1019"]    # VLAN ids and inclusive ranges in 0..4095
 *     vlan_tag: outer               # outer (default) | inner: which tag of a QinQ frame counts
 *     untagged: false               # optional: true = also untagged frames (same as vlan 0)
 *     interfaces: [ens1f0v3]        # optional: every frame captured here is acme's
 *     local_nets: [10.0.0.0/8, "2001:db8::/32"]   # optional, see below
 *     private_is_local: true        # optional, default true, see below
 *   - id: globex
 *     vlan_tag: inner
 *     vlans: [200-299, untagged]
 * }</pre>
 *
 * <ul>
 * <li><b>Selection.</b> A frame from a listed interface belongs to that tenant whatever its
 *     tags (for SR-IOV VFs whose VLAN the NIC strips). Otherwise the outer tag is looked up
 *     among the {@code outer} tenants, then, for QinQ frames, the inner tag among the
 *     {@code inner} tenants. Untagged frames, and frames whose outer tag is the priority-only
 *     VLAN 0, belong to the tenant that lists {@code untagged}, sets {@code untagged: true}
 *     or, being an {@code outer} tenant, lists VLAN {@code 0}; otherwise to nobody. Frames no
 *     tenant claims are not analysed (counted as unassigned).</li>
 * <li><b>local_nets</b> is Zeek's {@code Site::local_nets} for the tenant's {@code local_orig} and
 *     {@code local_resp}. As in Zeek ({@code Site::private_address_space_is_local = T}), the
 *     private address space ({@link LocalNets#zeekDefault()}) is always added unless
 *     {@code private_is_local: false}; without {@code local_nets} the tenant's local networks
 *     are exactly Zeek's default. {@code local_nets: []} with {@code private_is_local: false}
 *     means nothing is local and both columns stay unset, as in Zeek.</li>
 * </ul>
 *
 * <h2>Validation</h2>
 * Every problem is collected and reported together in one {@link TenantConfigException}, each as
 * {@code file:line:column: reason}: YAML syntax, unknown or duplicate keys at any level, wrong
 * value types, a bad id, a duplicate tenant id, a bad VLAN id or range (outside 0..4095, start
 * greater than end), a VLAN id claimed by two tenants for the same tag kind, untagged traffic
 * claimed twice, an interface listed twice, a bad CIDR (including host bits set), an empty tenant
 * list and a tenant that selects no traffic at all.
 */
public final class TenantsConfig {

    private static final TenantsConfig SINGLE_DEFAULT = new TenantsConfig("<single default>",
            List.of(new Tenant("default", VlanTag.OUTER, List.of(), false, List.of(), LocalNets.zeekDefault())),
            true);

    private final String source;
    private final List<Tenant> tenants;
    private final boolean matchesAll;
    private final io.picket.affinity.CpuSet captureCores;

    TenantsConfig(String source, List<Tenant> tenants, boolean matchesAll) {
        this(source, tenants, matchesAll, io.picket.affinity.CpuSet.empty());
    }

    TenantsConfig(String source, List<Tenant> tenants, boolean matchesAll, io.picket.affinity.CpuSet captureCores) {
        this.source = source;
        this.tenants = List.copyOf(tenants);
        this.matchesAll = matchesAll;
        this.captureCores = captureCores;
    }

    /** Top-level {@code capture_cores}: where live capture threads run, apart from every shard; empty if not given. */
    public io.picket.affinity.CpuSet captureCores() {
        return captureCores;
    }

    /**
     * Reads and validates a {@code tenants.yaml}.
     *
     * @throws TenantConfigException listing every problem, or if the file cannot be read
     */
    public static TenantsConfig load(Path path) throws TenantConfigException {
        String source = path.toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (CharacterCodingException e) {
            throw new TenantConfigException(source, source + ":1:1: not valid UTF-8", e);
        } catch (IOException e) {
            throw new TenantConfigException(source, source + ": cannot read: " + e, e);
        }
        return parse(text, source);
    }

    /**
     * Validates YAML text; {@code sourceName} prefixes every problem (a file name, or e.g.
     * {@code "control-api"} for a pushed configuration).
     *
     * @throws TenantConfigException listing every problem
     */
    public static TenantsConfig parse(String yaml, String sourceName) throws TenantConfigException {
        TenantsYaml y = new TenantsYaml(sourceName);
        List<Tenant> tenants = y.read(yaml);
        return new TenantsConfig(sourceName, tenants, false, y.captureCores());
    }

    /**
     * One tenant named {@code default} that owns every frame (interfaces and tags are ignored),
     * with Zeek's default local networks: what a plain Zeek does, used when no
     * {@code tenants.yaml} is given.
     */
    public static TenantsConfig singleDefault() {
        return SINGLE_DEFAULT;
    }

    /** The tenants in file order; a tenant's index is its position here. */
    public List<Tenant> tenants() {
        return tenants;
    }

    /** Number of tenants (at least one). */
    public int size() {
        return tenants.size();
    }

    /** The tenant at {@code index}. */
    public Tenant tenant(int index) {
        return tenants.get(index);
    }

    /** Index of the tenant with this id, or -1. */
    public int indexOf(String id) {
        for (int i = 0; i < tenants.size(); i++) {
            if (tenants.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** True for {@link #singleDefault()}: every frame belongs to tenant 0. */
    public boolean matchesAll() {
        return matchesAll;
    }

    /** Where the configuration came from (file path or source name). */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "TenantsConfig[" + source + ", " + tenants + "]";
    }
}
