package io.picket.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's per-tenant policy limits in tenants.yaml bind that tenant's bundle only: a
 * shallower payload depth changes a's matches and not b's, and a bundle over a's signature limit
 * is refused at load time with the position of the first signature over it.
 */
class TenantPolicyLimitsTest {
    @TempDir
    Path tmp;

    private Path tenants(String aLimits) throws Exception {
        Path t = tmp.resolve("tenants.yaml");
        Files.writeString(t, "tenants:\n  - id: a\n    vlans: [10]\n" + aLimits + "  - id: b\n    vlans: [20]\n");
        return t;
    }

    private EngineConfig config(Path pcap, Path policy, Path tenants) {
        return EngineConfig.of(List.of(pcap), tmp.resolve("logs")).withTenants(tenants).withIgnoreChecksums(true)
                .withPolicy(new PolicyConfig(policy, List.of(), List.of()));
    }

    @Test
    void shouldMatchOnlyWithinTheTenantsPayloadDepth() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 30, 0.01);
        Path policy = tmp.resolve("policy");
        String replies = """
                signature reply-ok {
                  ip-proto == tcp
                  payload /.*HTTP\\/1\\.1 200/
                  event "a reply"
                }
                """;
        PolicyTraffic.bundle(policy, "a", replies, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(policy, "b", replies, PolicyTraffic.INTEL);
        Engine.run(config(pcap, policy, tenants("    payload_depth: 4\n")), ProgressListener.NONE);
        // both directions count against the depth (Zeek's dpd_buffer_size); the chunk that crosses
        // it is still matched whole: a's request crosses 4 bytes, so a's replies are never matched
        assertThat(PolicyTraffic.rows(tmp.resolve("logs"), "a", "signatures.log")).isEmpty();
        assertThat(PolicyTraffic.rows(tmp.resolve("logs"), "b", "signatures.log")).hasSize(30);
    }

    @Test
    void shouldRefuseABundleOverTheTenantsSignatureLimit() throws Exception {
        Path pcap = PolicyTraffic.write(tmp.resolve("t.pcap"), 3, 0.01);
        Path policy = tmp.resolve("policy");
        String two = PolicyTraffic.SIGNATURES + PolicyTraffic.SIGNATURES.replace("attack-uri", "attack-uri-2");
        PolicyTraffic.bundle(policy, "a", two, PolicyTraffic.INTEL);
        PolicyTraffic.bundle(policy, "b", two, PolicyTraffic.INTEL);
        Engine.PolicyLoadException e = catchThrowableOfType(Engine.PolicyLoadException.class,
                () -> Engine.run(config(pcap, policy, tenants("    max_signatures: 1\n")), ProgressListener.NONE));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("a/signatures/attack.sig:9:1: too many signatures: 2 > limit 1")
                .doesNotContain("b/signatures");
    }
}
