package io.picket.policy.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.expr.LogExpressionTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFiltersTest {
    private static final Map<String, LogSchema> SCHEMAS = Map.of("dns", LogExpressionTest.DNS);

    private static LogFilters parse(String yaml) throws PolicyException {
        return LogFilters.parse(SourceFile.of("filters.yaml", yaml), Limits.DEFAULT, SCHEMAS);
    }

    private static List<PolicyError> errors(String yaml) {
        try {
            parse(yaml);
        } catch (PolicyException e) {
            return e.errors();
        }
        throw new AssertionError("no errors");
    }

    @Test
    void shouldDropAndKeepRecordsWhenPredicatesMatch() throws Exception {
        LogFilters f = parse("""
                dns:
                  - name: no-aaaa
                    drop: qtype_name == "AAAA"
                  - name: port-53
                    pred: id.resp_p == 53
                """);
        FilterCounts c = new FilterCounts();
        assertThat(f.apply(LogExpressionTest.dns("a", "AAAA"), c)).isNull();
        LogRecord a = LogExpressionTest.dns("a", "A");
        assertThat(f.apply(a, c)).isSameAs(a);
        assertThat(f.apply(LogExpressionTest.dns("a", "A").set(5, 5353), c)).isNull();
        assertThat(c.kept()).isEqualTo(1);
        assertThat(c.dropped()).isEqualTo(2);
        assertThat(c.errors()).isZero();
    }

    @Test
    void shouldKeepAndCountTheRecordWhenEvaluationFails() throws Exception {
        LogFilters f = parse("""
                dns:
                  - name: slow
                    drop: rtt > 1.0
                """);
        FilterCounts c = new FilterCounts();
        LogRecord r = LogExpressionTest.dns("a", "A");
        assertThat(f.apply(r, c)).isSameAs(r);
        assertThat(c.errors()).isEqualTo(1);
        assertThat(c.kept()).isEqualTo(1);
    }

    @Test
    void shouldRemoveColumnsWhenIncludedOrExcluded() throws Exception {
        LogFilters f = parse("""
                dns:
                  - name: slim
                    include: [ts, uid, query, answers, TTLs]
                  - name: no-ttls
                    exclude: [TTLs]
                """);
        LogRecord out = f.apply(LogExpressionTest.dns("a.example", "A", "1.2.3.4"), new FilterCounts());
        assertThat(out.schema().fields()).extracting(x -> x.name()).containsExactly("ts", "uid", "query", "answers");
        assertThat(out.get("query")).isEqualTo("a.example");
        assertThat(out.get("answers")).isEqualTo(List.of("1.2.3.4"));
        assertThat(f.schema(LogExpressionTest.dns("b", "A").schema())).isSameAs(out.schema());
    }

    @Test
    void shouldPassRecordsOfOtherLogsUntouched() throws Exception {
        LogFilters f = parse("""
                dns:
                  - {name: x, drop: 'true'}
                """);
        LogRecord other = new LogRecord(LogSchema.of("conn"));
        FilterCounts c = new FilterCounts();
        assertThat(f.apply(other, c)).isSameAs(other);
        assertThat(c.kept() + c.dropped()).isZero();
    }

    @Test
    void shouldPointAtTheExpressionCharacterWhenCelFails() {
        List<PolicyError> e = errors("""
                dns:
                  - name: a
                    drop: id.resp_p == "53"
                  - name: b
                    drop: 'qtype_name == AAAA'
                  - name: c
                    pred: |
                      query != null &&
                        query.endsWith(1)
                """);
        assertThat(e).extracting(PolicyError::toString).containsExactly(
                "filters.yaml:3:21: CEL: found no matching overload for '_==_' applied to '(wrapper(int), string)'"
                        + " (candidates: (%A0, %A0))",
                "filters.yaml:5:26: CEL: undeclared reference to 'AAAA': not a column of dns.log",
                "filters.yaml:9:23: CEL: found no matching overload for 'endsWith' applied to"
                        + " 'wrapper(string).(int)' (candidates: string.(string))");
    }

    @Test
    void shouldReportYamlAndStructureErrorsWithPositions() {
        assertThat(errors("dns: [\n")).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(2);
            assertThat(x.message()).startsWith("YAML:");
        });
        List<PolicyError> e = errors("""
                dsn:
                  - {name: a, drop: 'true'}
                dns:
                  - name: a
                    drop: 'true'
                    pred: 'false'
                  - name: a
                    exclude: [nope]
                  - name: b
                    colour: red
                  - drop: 'true'
                  - name: c
                """);
        assertThat(e).extracting(PolicyError::toString).containsExactly(
                "filters.yaml:1:1: unknown log 'dsn' (known: dns)",
                "filters.yaml:5:5: give either pred (keep when true) or drop (drop when true)",
                "filters.yaml:7:11: filter 'a' of dns given twice",
                "filters.yaml:8:15: no column 'nope' in dns.log",
                "filters.yaml:10:5: unknown key 'colour' (name, pred, drop, include, exclude)",
                "filters.yaml:9:5: filter does nothing: give pred, drop, include or exclude",
                "filters.yaml:11:5: filter without a name",
                "filters.yaml:12:5: filter does nothing: give pred, drop, include or exclude");
    }

    @Test
    void shouldRejectMoreFiltersThanTheLimit() {
        String yaml = "dns:\n" + "  - {name: x%d, drop: 'true'}\n".repeat(3);
        String numbered = String.format(yaml, 1, 2, 3);
        assertThatThrownBy(() -> LogFilters.parse(SourceFile.of("filters.yaml", numbered),
                Limits.DEFAULT.withMaxFilters(2), SCHEMAS)).hasMessageContaining("filters.yaml:4:5: more than maxFilters 2");
    }

    @Test
    void shouldAcceptQuotedAndBlockExpressionsWhenYamlNeedsThem() throws Exception {
        LogFilters f = parse("""
                dns:
                  - name: not-dns-ports
                    drop: '!(id.resp_p in [53, 5353])'
                  - name: block
                    pred: |
                      qtype_name != null &&
                      qtype_name != "AAAA"
                """);
        FilterCounts c = new FilterCounts();
        assertThat(f.apply(LogExpressionTest.dns("a", "A"), c)).isNotNull();
        assertThat(f.apply(LogExpressionTest.dns("a", "A").set(5, 80), c)).isNull();
        assertThat(f.apply(LogExpressionTest.dns("a", "AAAA"), c)).isNull();
        assertThat(f.apply(LogExpressionTest.dns("a", null), c)).isNull();
        assertThat(c.kept()).isEqualTo(1);
        assertThat(c.dropped()).isEqualTo(3);
    }

    @Test
    void shouldAcceptAnEmptyFile() throws Exception {
        assertThat(parse("# nothing yet\n").isEmpty()).isTrue();
    }
}
