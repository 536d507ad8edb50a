package io.picket.policy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.expr.LogExpressionTest;
import io.picket.policy.filter.FilterCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** filters.yaml is part of the bundle: validated with the signatures and intel, as a whole. */
class PolicyBundleFiltersTest {
    private static Path tenant(String name) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bundles", name + System.nanoTime());
        Files.createDirectories(dir.resolve("signatures"));
        return dir;
    }

    @Test
    void shouldListFilterAndSignatureErrorsTogetherWhenBothAreBad() throws Exception {
        Path dir = tenant("bad");
        Files.writeString(dir.resolve("signatures/a.sig"), "signature a { colour red }\n");
        Files.writeString(dir.resolve("filters.yaml"), "dns:\n  - name: x\n    drop: query ==\n");
        assertThatThrownBy(() -> PolicyBundle.load(dir, Limits.DEFAULT, Map.of("dns", LogExpressionTest.DNS)))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors())
                        .extracting(PolicyError::file).contains("signatures/a.sig", "filters.yaml"));
    }

    @Test
    void shouldCarryTheFiltersWhenTheBundleIsValid() throws Exception {
        Path dir = tenant("ok");
        Files.writeString(dir.resolve("filters.yaml"), "dns:\n  - name: x\n    drop: qtype_name == \"AAAA\"\n");
        PolicyBundle b = PolicyBundle.load(dir, Limits.DEFAULT, Map.of("dns", LogExpressionTest.DNS));
        assertThat(b.filters().paths()).containsExactly("dns");
        assertThat(b.filters().apply(LogExpressionTest.dns("a", "AAAA"), new FilterCounts())).isNull();
        assertThat(PolicyBundle.load(tenant("none")).filters().isEmpty()).isTrue();
    }

    @Test
    void shouldCheckOnFirstUseWhenNoSchemasAreGiven() throws Exception {
        Path dir = tenant("lazy");
        Files.writeString(dir.resolve("filters.yaml"), "future_log:\n  - name: x\n    drop: nope == 1\n"
                + "dns:\n  - name: y\n    drop: nope == 1\n");
        PolicyBundle b = PolicyBundle.load(dir);
        FilterCounts c = new FilterCounts();
        assertThat(b.filters().apply(LogExpressionTest.dns("a", "A"), c)).isNotNull();
        assertThat(c.errors()).isEqualTo(1);
        assertThat(c.kept()).isEqualTo(1);
    }
}
