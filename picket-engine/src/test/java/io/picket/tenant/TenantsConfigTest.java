package io.picket.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantsConfigTest {

    private static final String EXAMPLE = """
            tenants:
              - id: acme
                vlans: [1000, "1010-1019"]
                vlan_tag: outer
                interfaces: [ens1f0v3]
                local_nets: [10.0.0.0/8, "2001:db8::/32"]
              - id: globex
                vlan_tag: inner
                vlans:
                  - 200-299
                  - untagged
              - id: initech_2
                interfaces: [ens1f1v0, ens1f1v1]
                local_nets: [198.51.100.0/24]
                private_is_local: false
            """;

    private static List<String> problems(String yaml) {
        TenantConfigException e = catchThrowableOfType(TenantConfigException.class,
                () -> TenantsConfig.parse(yaml, "tenants.yaml"));
        assertThat(e).as("expected a TenantConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.source()).isEqualTo("tenants.yaml");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }

    @Test
    void shouldReadEveryFieldWhenExampleIsValid() throws Exception {
        TenantsConfig config = TenantsConfig.parse(EXAMPLE, "tenants.yaml");

        assertThat(config.size()).isEqualTo(3);
        assertThat(config.matchesAll()).isFalse();
        Tenant acme = config.tenant(0);
        assertThat(acme.id()).isEqualTo("acme");
        assertThat(acme.vlanTag()).isEqualTo(VlanTag.OUTER);
        assertThat(acme.vlans()).containsExactly(new VlanRange(1000, 1000), new VlanRange(1010, 1019));
        assertThat(acme.untagged()).isFalse();
        assertThat(acme.interfaces()).containsExactly("ens1f0v3");
        // listed nets are added to Zeek's private space (Site::private_address_space_is_local)
        assertThat(acme.localNets()).isEqualTo(LocalNets.parse("10.0.0.0/8", "2001:db8::/32").union(LocalNets.zeekDefault()));

        Tenant globex = config.tenant(1);
        assertThat(globex.vlanTag()).isEqualTo(VlanTag.INNER);
        assertThat(globex.vlans()).containsExactly(new VlanRange(200, 299));
        assertThat(globex.untagged()).isTrue();
        assertThat(globex.localNets()).isEqualTo(LocalNets.zeekDefault());

        Tenant initech = config.tenant(2);
        assertThat(initech.vlans()).isEmpty();
        assertThat(initech.interfaces()).containsExactly("ens1f1v0", "ens1f1v1");
        assertThat(initech.localNets()).isEqualTo(LocalNets.parse("198.51.100.0/24"));
        assertThat(config.indexOf("initech_2")).isEqualTo(2);
        assertThat(config.indexOf("nobody")).isEqualTo(-1);
    }

    @Test
    void shouldLoadFileWhenPathGiven() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "tenants-config-test"));
        Path file = dir.resolve("tenants.yaml");
        Files.writeString(file, EXAMPLE, StandardCharsets.UTF_8);

        TenantsConfig config = TenantsConfig.load(file);

        assertThat(config.source()).isEqualTo(file.toString());
        assertThat(config.tenants()).extracting(Tenant::id).containsExactly("acme", "globex", "initech_2");
    }

    @Test
    void shouldNameFileWhenItCannotBeRead() {
        Path missing = Path.of(System.getProperty("java.io.tmpdir"), "no-such-dir", "tenants.yaml");
        assertThatThrownBy(() -> TenantsConfig.load(missing))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read");
    }

    @Test
    void shouldReportNotUtf8WhenBytesAreInvalid() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "tenants-config-test"));
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'t', 'e', 'n', (byte) 0xE9, ':'}); // "ten" + Latin-1 e-acute + ':'
        assertThatThrownBy(() -> TenantsConfig.load(file))
                .isInstanceOf(TenantConfigException.class)
                .hasMessage(file + ":1:1: not valid UTF-8");
    }

    @Test
    void shouldMapEverythingToDefaultWhenSingleDefault() {
        TenantsConfig config = TenantsConfig.singleDefault();
        assertThat(config.matchesAll()).isTrue();
        assertThat(config.size()).isEqualTo(1);
        assertThat(config.tenant(0).id()).isEqualTo("default");
        assertThat(config.tenant(0).localNets()).isEqualTo(LocalNets.zeekDefault());
    }

    @Test
    void shouldReportBothLinesWhenVlanClaimedTwice() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: [1000, 1005]
                  - id: globex
                    vlans: [7, "1000-1010", 4000]
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:5:16: vlan 1000 already belongs to tenant acme (line 3)",
                "tenants.yaml:5:16: vlan 1005 already belongs to tenant acme (line 3)");
    }

    @Test
    void shouldReportOverlappingRangeOnceWhenRangesOverlap() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: ["100-199"]
                  - id: globex
                    vlans: ["150-250"]
                """);
        assertThat(p).containsExactly("tenants.yaml:5:13: vlans 150-199 already belong to tenant acme (line 3)");
    }

    @Test
    void shouldAllowSameVlanWhenTagKindsDiffer() throws Exception {
        TenantsConfig config = TenantsConfig.parse("""
                tenants:
                  - id: provider
                    vlans: [100]
                  - id: customer
                    vlan_tag: inner
                    vlans: [100]
                """, "tenants.yaml");
        assertThat(config.size()).isEqualTo(2);

        List<String> p = problems("""
                tenants:
                  - id: a
                    vlan_tag: inner
                    vlans: [100]
                  - id: b
                    vlan_tag: inner
                    vlans: [90-110]
                """);
        assertThat(p).containsExactly("tenants.yaml:7:13: inner vlan 100 already belongs to tenant a (line 4)");
    }

    @Test
    void shouldReportUntaggedClaimedTwiceWhenTwoTenantsWantIt() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    untagged: true
                  - id: globex
                    vlans: [0, 5]
                  - id: initech
                    vlans: [untagged]
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:5:13: vlan 0 (untagged traffic) already belongs to tenant acme (line 3)",
                "tenants.yaml:7:13: untagged traffic (vlan 0) already belongs to tenant acme (line 3)");
    }

    @Test
    void shouldReportBadRangesWhenOutOfBoundsOrReversed() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: [4096, -1, "20-10", "4000-5000", "1-2-3", 1.5, [1], "", 12345678901234567890]
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:3:13: vlan 4096 out of range 0..4095",
                "tenants.yaml:3:19: vlan -1 out of range 0..4095",
                "tenants.yaml:3:23: vlan range 20-10 starts after it ends",
                "tenants.yaml:3:32: vlan range 4000-5000 out of range 0..4095",
                "tenants.yaml:3:45: bad vlans entry '1-2-3': expected a VLAN id 0..4095, a range such as \"1010-1019\" or untagged",
                "tenants.yaml:3:54: a vlans entry must be a VLAN id, a range \"first-last\" or untagged, got the number 1.5",
                "tenants.yaml:3:59: a vlans entry must be a VLAN id, a range \"first-last\" or untagged, got a list",
                "tenants.yaml:3:64: bad vlans entry '': expected a VLAN id 0..4095, a range such as \"1010-1019\" or untagged",
                "tenants.yaml:3:68: vlan 12345678901234567890 out of range 0..4095");
    }

    @Test
    void shouldReportUnknownKeysWhenAtAnyLevel() {
        List<String> p = problems("""
                tenant_list: []
                tenants:
                  - id: acme
                    vlan: [1]
                    vlans: [2]
                    colour: blue
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:1:1: unknown key 'tenant_list' at top level; allowed: tenants, defaults, capture_cores",
                "tenants.yaml:4:5: unknown key 'vlan' in tenant (did you mean 'vlans'?); allowed: id, vlans, vlan_tag, untagged, interfaces, local_nets, private_is_local, sinks, dedicated_cores, max_flows, max_reassembly_bytes, max_queue_slots, max_signatures, max_pattern_length,"
                        + " max_dfa_states, max_total_dfa_states, max_intel_entries, payload_depth, max_filters, max_notices",
                "tenants.yaml:6:5: unknown key 'colour' in tenant; allowed: id, vlans, vlan_tag, untagged, interfaces, local_nets, private_is_local, sinks, dedicated_cores, max_flows, max_reassembly_bytes, max_queue_slots, max_signatures, max_pattern_length,"
                        + " max_dfa_states, max_total_dfa_states, max_intel_entries, payload_depth, max_filters, max_notices");
    }

    @Test
    void shouldReportWrongTypesWhenValuesMismatch() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: 100
                    vlan_tag: middle
                    untagged: "yes"
                    interfaces: ens1f0
                    local_nets: [42]
                    private_is_local: 1
                  - id: [x]
                    vlans: [1]
                  - just-a-string
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:3:12: vlans must be a list, got the number 100",
                "tenants.yaml:4:15: vlan_tag must be 'outer' or 'inner', got 'middle'",
                "tenants.yaml:5:15: untagged must be true or false, got the string 'yes'",
                "tenants.yaml:6:17: interfaces must be a list, got the string 'ens1f0'",
                "tenants.yaml:7:18: a local_nets entry must be a CIDR string such as 10.0.0.0/8, got the number 42",
                "tenants.yaml:8:23: private_is_local must be true or false, got the number 1",
                "tenants.yaml:9:9: id must be a string, got a list",
                "tenants.yaml:11:5: a tenant must be a mapping (id, vlans, ...), got the string 'just-a-string'");
    }

    @Test
    void shouldReportBadAndDuplicateIdsWhenIdsClash() {
        List<String> p = problems("""
                tenants:
                  - id: Acme
                    vlans: [1]
                  - id: globex
                    vlans: [2]
                  - id: globex
                    vlans: [3]
                  - vlans: [4]
                  - id: "-leading-dash"
                    vlans: [5]
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:2:9: bad tenant id 'Acme': must match [a-z0-9][a-z0-9_-]{0,62} (lower case; it names the tenant's log folder)",
                "tenants.yaml:6:9: duplicate tenant id 'globex' (first defined at line 4)",
                "tenants.yaml:8:5: tenant is missing required key 'id'",
                "tenants.yaml:9:9: bad tenant id '-leading-dash': must match [a-z0-9][a-z0-9_-]{0,62} (lower case; it names the tenant's log folder)");
    }

    @Test
    void shouldAcceptLongestIdWhenSixtyThreeChars() throws Exception {
        String id63 = "a".repeat(63);
        TenantsConfig ok = TenantsConfig.parse("tenants:\n  - id: " + id63 + "\n    vlans: [1]\n", "t.yaml");
        assertThat(ok.tenant(0).id()).isEqualTo(id63);
        assertThat(problems("tenants:\n  - id: " + id63 + "b\n    vlans: [1]\n")).hasSize(1);
        TenantsConfig numeric = TenantsConfig.parse("tenants:\n  - id: 2024\n    vlans: [1]\n", "t.yaml");
        assertThat(numeric.tenant(0).id()).isEqualTo("2024");
    }

    @Test
    void shouldReportInterfaceClaimedTwiceWhenSharedByTenants() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    interfaces: [ens1f0v3, ens1f0v3]
                  - id: globex
                    interfaces: [eth0, ens1f0v3, "bad name", "this-name-is-way-too-long", ""]
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:3:28: interface ens1f0v3 listed twice (line 3)",
                "tenants.yaml:5:24: interface ens1f0v3 already belongs to tenant acme (line 3)",
                "tenants.yaml:5:34: bad interface name 'bad name': 1..15 characters without spaces or '/'",
                "tenants.yaml:5:46: bad interface name 'this-name-is-way-too-long': 1..15 characters without spaces or '/'",
                "tenants.yaml:5:75: bad interface name '': 1..15 characters without spaces or '/'");
    }

    @Test
    void shouldReportBadCidrsWhenLocalNetsInvalid() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: [1]
                    local_nets:
                      - 10.0.0.0/8
                      - 10.1.0.0/8
                      - 300.0.0.0/8
                      - "2001:db8::"
                      - "[fe80::]/10"
                """);
        assertThat(p).containsExactly(
                "tenants.yaml:6:9: bad local_nets entry: '10.1.0.0/8' has host bits set (network is 10.0.0.0/8)",
                "tenants.yaml:7:9: bad local_nets entry: '300.0.0.0/8': bad IPv4 address '300.0.0.0'",
                "tenants.yaml:8:9: bad local_nets entry: '2001:db8::' has no prefix length (write e.g. 10.0.0.0/8)");
    }

    @Test
    void shouldReportEmptyTenantListWhenNoTenants() {
        assertThat(problems("tenants: []\n"))
                .containsExactly("tenants.yaml:1:10: no tenants defined: 'tenants' must list at least one tenant");
        assertThat(problems("tenants:\n"))
                .containsExactly("tenants.yaml:1:9: 'tenants' must be a list of tenants, got nothing (null)");
        assertThat(problems(""))
                .containsExactly("tenants.yaml:1:1: empty file: expected a mapping with key 'tenants'");
        assertThat(problems("# only a comment\n"))
                .containsExactly("tenants.yaml:1:1: empty file: expected a mapping with key 'tenants'");
        assertThat(problems("other: 1\n")).containsExactly(
                "tenants.yaml:1:1: unknown key 'other' at top level; allowed: tenants, defaults, capture_cores",
                "tenants.yaml:1:1: missing key 'tenants'");
        assertThat(problems("- id: acme\n"))
                .containsExactly("tenants.yaml:1:1: expected a mapping with key 'tenants', got a list");
    }

    @Test
    void shouldReportTenantWithoutTrafficWhenNothingSelected() {
        assertThat(problems("""
                tenants:
                  - id: acme
                    local_nets: [10.0.0.0/8]
                  - id: globex
                    vlans: []
                    untagged: false
                """)).containsExactly(
                "tenants.yaml:2:5: tenant acme selects no traffic: give vlans, untagged: true or interfaces",
                "tenants.yaml:4:5: tenant globex selects no traffic: give vlans, untagged: true or interfaces");
    }

    @Test
    void shouldReportDuplicateKeyWhenRepeated() {
        assertThat(problems("""
                tenants:
                  - id: acme
                    vlans: [1]
                    vlans: [2]
                """)).containsExactly("tenants.yaml:4:5: duplicate key 'vlans' (first at line 3)");
    }

    @Test
    void shouldReportSyntaxErrorWithPositionWhenYamlIsBroken() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: [1, 2
                  - id: globex
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0)).matches("tenants\\.yaml:[45]:\\d+: YAML syntax error: .+");
    }

    @Test
    void shouldRejectSecondDocumentWhenStreamHasTwo() {
        assertThat(problems("""
                tenants:
                  - id: acme
                    vlans: [1]
                ---
                tenants: []
                """)).anySatisfy(s -> assertThat(s).contains("only one YAML document is allowed"));
    }

    @Test
    void shouldCollectAllProblemsWhenManyAreWrong() {
        List<String> p = problems("""
                tenants:
                  - id: acme
                    vlans: [1005]
                  - id: acme
                    vlans: [1005, 5000]
                    local_nets: [10.0.0.1/8]
                    nonsense: true
                """);
        assertThat(p).hasSize(5);
        assertThat(p).containsExactly(
                "tenants.yaml:4:9: duplicate tenant id 'acme' (first defined at line 2)",
                "tenants.yaml:5:13: vlan 1005 already belongs to tenant acme (line 3)",
                "tenants.yaml:5:19: vlan 5000 out of range 0..4095",
                "tenants.yaml:6:18: bad local_nets entry: '10.0.0.1/8' has host bits set (network is 10.0.0.0/8)",
                "tenants.yaml:7:5: unknown key 'nonsense' in tenant; allowed: id, vlans, vlan_tag, untagged, interfaces, local_nets, private_is_local, sinks, dedicated_cores, max_flows, max_reassembly_bytes, max_queue_slots, max_signatures, max_pattern_length,"
                        + " max_dfa_states, max_total_dfa_states, max_intel_entries, payload_depth, max_filters, max_notices");
    }

    @Test
    void shouldReadCaptureCoresWhenGivenAtTopLevel() throws Exception {
        TenantsConfig c = TenantsConfig.parse("""
                capture_cores: "0"
                tenants:
                  - id: a
                    vlans: [10]
                """, "tenants.yaml");
        assertThat(c.captureCores().toArray()).containsExactly(0);
        assertThat(TenantsConfig.parse("tenants:\n  - id: a\n    vlans: [10]\n", "t.yaml").captureCores().isEmpty())
                .isTrue();
        TenantConfigException e = catchThrowableOfType(TenantConfigException.class, () -> TenantsConfig.parse("""
                capture_cores: "3-1"
                tenants:
                  - id: a
                    vlans: [10]
                """, "tenants.yaml"));
        assertThat(e.problems()).singleElement().asString().startsWith("tenants.yaml:1:16: bad capture_cores '3-1': ");
    }
}
