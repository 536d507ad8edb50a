package io.picket.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantLimitsYamlTest {

    private static List<String> problems(String yaml) {
        TenantConfigException e = catchThrowableOfType(TenantConfigException.class,
                () -> TenantsConfig.parse(yaml, "tenants.yaml"));
        assertThat(e).as("expected a TenantConfigException for:%n%s", yaml).isNotNull();
        return e.problems();
    }

    @Test
    void shouldBeUnlimitedWhenNoQuotaIsGiven() throws Exception {
        TenantsConfig c = TenantsConfig.parse("""
                tenants:
                  - id: a
                    vlans: [10]
                """, "tenants.yaml");

        assertThat(c.tenant(0).limits()).isEqualTo(TenantLimits.NONE);
        assertThat(c.tenant(0).limits().limitsFlows()).isFalse();
        assertThat(c.tenant(0).limits().limitsReassembly()).isFalse();
    }

    @Test
    void shouldReadQuotasWhenGivenPerTenantAndAsDefaults() throws Exception {
        TenantsConfig c = TenantsConfig.parse("""
                defaults:
                  max_flows: 100000
                  max_reassembly_bytes: 64MiB
                  max_queue_slots: 4096
                tenants:
                  - id: a
                    vlans: [10]
                    max_queue_slots: 16
                    max_flows: 500
                    max_reassembly_bytes: 10000
                  - id: b
                    vlans: [20]
                  - id: c
                    vlans: [30]
                    max_flows: unlimited
                    max_reassembly_bytes: "0"
                """, "tenants.yaml");

        assertThat(c.tenant(0).limits()).isEqualTo(new TenantLimits(500, 10000, 16));
        assertThat(c.tenant(1).limits()).isEqualTo(new TenantLimits(100000, 64L << 20, 4096));
        assertThat(c.tenant(2).limits()).isEqualTo(new TenantLimits(TenantLimits.UNLIMITED, 0, 4096));
    }

    @Test
    void shouldReportPositionsWhenQuotasAreInvalid() {
        assertThat(problems("""
                defaults:
                  max_flows: 1KiB
                  max_flow: 3
                tenants:
                  - id: a
                    vlans: [10]
                    max_flows: 0
                    max_reassembly_bytes: lots
                  - id: b
                    vlans: [20]
                    max_flows: -5
                    max_reassembly_bytes: [1]
                  - id: c
                    vlans: [30]
                    max_reassembly_bytes: 99999999999TiB
                  - id: d
                    vlans: [40]
                    max_queue_slots: 0
                  - id: e
                    vlans: [50]
                    max_queue_slots: 4KiB
                """)).containsExactly(
                "tenants.yaml:2:14: max_flows must be a count of connections such as 100000 or unlimited,"
                        + " got the string '1KiB'",
                "tenants.yaml:3:3: unknown key 'max_flow' in defaults (did you mean 'max_flows'?);"
                        + " allowed: max_flows, max_reassembly_bytes, max_queue_slots, max_signatures,"
                        + " max_pattern_length, max_dfa_states, max_total_dfa_states, max_intel_entries, payload_depth,"
                        + " max_filters, max_notices",
                "tenants.yaml:7:16: max_flows must be at least 1 (omit it or write unlimited for no limit), got 0",
                "tenants.yaml:8:27: max_reassembly_bytes must be a size such as 64MiB or unlimited,"
                        + " got the string 'lots'",
                "tenants.yaml:11:16: max_flows must be a count of connections such as 100000 or unlimited,"
                        + " got the number -5",
                "tenants.yaml:12:27: max_reassembly_bytes must be a size such as 64MiB or unlimited, got a list",
                "tenants.yaml:15:27: max_reassembly_bytes too large: 99999999999TiB",
                "tenants.yaml:18:22: max_queue_slots must be at least 1 (omit it or write unlimited for no limit), got 0",
                "tenants.yaml:21:22: max_queue_slots must be a count of frames such as 4096 or unlimited,"
                        + " got the string '4KiB'");
    }

    @Test
    void shouldReportPositionWhenDefaultsIsNotAMapping() {
        assertThat(problems("""
                defaults: 5
                tenants:
                  - id: a
                    vlans: [10]
                """)).containsExactly(
                "tenants.yaml:1:11: 'defaults' must be a mapping (max_flows, max_reassembly_bytes, max_queue_slots),"
                        + " got the number 5");
    }

    @Test
    void shouldReadPolicyLimitsWhenGivenPerTenantAndAsDefaults() throws Exception {
        TenantsConfig c = TenantsConfig.parse("""
                defaults:
                  max_intel_entries: 50000
                  payload_depth: 2KiB
                tenants:
                  - id: a
                    vlans: [10]
                    max_signatures: 300
                    max_total_dfa_states: 20000
                    payload_depth: 512
                  - id: b
                    vlans: [20]
                """, "tenants.yaml");
        io.picket.policy.Limits a = c.tenant(0).limits().policy();
        io.picket.policy.Limits b = c.tenant(1).limits().policy();
        assertThat(a.maxSignatures()).isEqualTo(300);
        assertThat(a.maxTotalDfaStates()).isEqualTo(20_000);
        assertThat(a.payloadDepth()).isEqualTo(512);
        assertThat(a.maxIntelEntries()).isEqualTo(50_000);
        assertThat(b.maxSignatures()).isEqualTo(io.picket.policy.Limits.DEFAULT.maxSignatures());
        assertThat(b.payloadDepth()).isEqualTo(2048);
        assertThat(b.maxIntelEntries()).isEqualTo(50_000);
    }

    @Test
    void shouldReportPositionsWhenPolicyLimitsAreInvalid() {
        assertThat(problems("""
                tenants:
                  - id: a
                    vlans: [10]
                    max_signatures: unlimited
                    max_dfa_states: 1
                    payload_depth: lots
                    max_notices: 0
                """)).containsExactly(
                "tenants.yaml:4:21: max_signatures cannot be unlimited: give a number (omit it for the default)",
                "tenants.yaml:5:21: max_dfa_states must be a number of at least 2 up to 2147483647, got the number 1",
                "tenants.yaml:6:20: payload_depth must be a size such as 1024 or 4KiB, got the string 'lots'",
                "tenants.yaml:7:18: max_notices must be at least 1, got 0");
    }
}
