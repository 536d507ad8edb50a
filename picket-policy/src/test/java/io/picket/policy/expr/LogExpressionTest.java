package io.picket.policy.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.policy.Limits;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class LogExpressionTest {
    public static final LogSchema DNS = LogSchema.of("dns",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("trans_id", ZeekType.COUNT),
            LogField.of("rtt", ZeekType.INTERVAL),
            LogField.of("query", ZeekType.STRING),
            LogField.of("qtype_name", ZeekType.STRING),
            LogField.of("rejected", ZeekType.BOOL),
            LogField.of("answers", ZeekType.VECTOR_STRING),
            LogField.of("TTLs", ZeekType.VECTOR_INTERVAL));

    public static LogRecord dns(String query, String qtype, Object... answers) {
        return new LogRecord(DNS).set(0, 1_300_000_000.25).set(1, "CXWv6p3arKYeMETxOg").set(2, "10.0.0.1")
                .set(3, 53124).set(4, "8.8.8.8").set(5, 53).set(6, "udp").set(7, 4711L).set(9, query)
                .set(10, qtype).set(11, false).set(12, answers.length == 0 ? null : List.of(answers));
    }

    private static LogExpression bool(String src) throws LogExpressionException {
        LogExpression e = LogExpression.parse(src, LogExpression.ResultType.BOOL, Limits.DEFAULT);
        e.check(DNS);
        return e;
    }

    @Test
    void shouldEvaluateColumnsByZeekNameWhenDotted() throws Exception {
        assertThat(bool("id.orig_h == \"10.0.0.1\" && id.resp_p == 53").test(dns("a.example", "A"))).isTrue();
        assertThat(bool("id.resp_p == 80").test(dns("a.example", "A"))).isFalse();
        assertThat(bool("ts > 1300000000 && ts < 1300000001.0").test(dns("a", "A"))).isTrue();
        assertThat(bool("trans_id == 4711 && proto == \"udp\" && rejected == false").test(dns("a", "A"))).isTrue();
        assertThat(bool("qtype_name in [\"A\", \"AAAA\"]").test(dns("a", "AAAA"))).isTrue();
        assertThat(bool("query.endsWith(\".example\") && !query.matches(\"^www\\\\.\")").test(dns("a.example", "A")))
                .isTrue();
        assertThat(bool("\"1.2.3.4\" in answers && size(answers) == 2").test(dns("a", "A", "1.2.3.4", "5.6.7.8")))
                .isTrue();
    }

    @Test
    void shouldMatchAnyPartWhenARegexIsGiven() throws Exception {
        assertThat(bool("query.matches(\"exam\")").test(dns("a.example", "A"))).isTrue();
        assertThat(bool("matches(query, \"^a\\\\.ex\")").test(dns("a.example", "A"))).isTrue();
        assertThat(bool("query.matches(\"^example\")").test(dns("a.example", "A"))).isFalse();
    }

    @Test
    void shouldSeeUnsetColumnsAsNullWhenCompared() throws Exception {
        LogRecord r = dns(null, null);
        assertThat(bool("query == null && qtype_name != \"AAAA\"").test(r)).isTrue();
        assertThat(bool("size(answers) == 0").test(r)).isTrue();
        assertThat(bool("rtt != null && rtt > 1.0").test(r)).isFalse();
        assertThatThrownBy(() -> bool("rtt > 1.0").test(r)).isInstanceOf(LogExpressionException.class);
    }

    @Test
    void shouldReportTypeErrorsWithTheirPositionWhenChecked() {
        assertThatThrownBy(() -> bool("id.resp_p == \"53\""))
                .isInstanceOfSatisfying(LogExpressionException.class, e -> {
                    assertThat(e.issues()).hasSize(1);
                    assertThat(e.issues().get(0).column()).isEqualTo(11);
                    assertThat(e.issues().get(0).message()).contains("_==_").contains("int").contains("string");
                });
        assertThatThrownBy(() -> bool("qtype == \"A\""))
                .isInstanceOfSatisfying(LogExpressionException.class, e -> {
                    assertThat(e.issues().get(0).column()).isEqualTo(1);
                    assertThat(e.issues().get(0).message()).contains("qtype").contains("not a column of dns.log");
                });
        assertThatThrownBy(() -> bool("query")).isInstanceOfSatisfying(LogExpressionException.class,
                e -> assertThat(e.issues().get(0).message()).contains("must yield a bool"));
    }

    @Test
    void shouldReportSyntaxErrorsWithLineAndColumnWhenParsed() {
        assertThatThrownBy(() -> LogExpression.parse("query ==\n  && x", LogExpression.ResultType.BOOL,
                Limits.DEFAULT)).isInstanceOfSatisfying(LogExpressionException.class, e -> {
                    assertThat(e.issues()).isNotEmpty();
                    assertThat(e.issues().get(0).line()).isEqualTo(2);
                    assertThat(e.issues().get(0).column()).isEqualTo(3);
                });
    }

    @Test
    void shouldRejectLoopsAndNonLiteralPatternsWhenParsed() {
        assertThatThrownBy(() -> bool("answers.exists(a, a == \"x\")")).isInstanceOf(LogExpressionException.class);
        assertThatThrownBy(() -> bool("answers.all(a, a == \"x\")")).isInstanceOf(LogExpressionException.class);
        assertThatThrownBy(() -> bool("query.matches(qtype_name)"))
                .hasMessageContaining("must be a string literal");
        assertThatThrownBy(() -> bool("query.matches(\"(a\")")).hasMessageContaining("bad regular expression");
    }

    @Test
    void shouldRejectAnExpressionWhenItsCostExceedsTheLimit() throws Exception {
        String big = "x == 1" + " || x == 1".repeat(150);
        assertThat(LogExpression.parse("query == \"a\"", LogExpression.ResultType.BOOL, Limits.DEFAULT).cost())
                .isEqualTo(3);
        assertThatThrownBy(() -> LogExpression.parse(big, LogExpression.ResultType.BOOL, Limits.DEFAULT))
                .hasMessageContaining("exceeds maxExpressionCost 500");
        assertThat(LogExpression.parse(big, LogExpression.ResultType.BOOL, Limits.DEFAULT.withMaxExpressionCost(1000))
                .cost()).isEqualTo(3 * 151 + 150);
        assertThatThrownBy(() -> LogExpression.parse("query.matches(\"" + "a".repeat(460) + "\")",
                LogExpression.ResultType.BOOL, Limits.DEFAULT)).hasMessageContaining("maxExpressionCost");
        assertThatThrownBy(() -> LogExpression.parse("query == \"" + "a".repeat(3000) + "\"",
                LogExpression.ResultType.BOOL, Limits.DEFAULT)).hasMessageContaining("maxExpressionLength");
    }

    @Test
    void shouldEvaluateStringsWhenResultTypeIsString() throws Exception {
        LogExpression e = LogExpression.parse("query + \" from \" + id.orig_h", LogExpression.ResultType.STRING,
                Limits.DEFAULT);
        assertThat(e.evalString(dns("a.example", "A"))).isEqualTo("a.example from 10.0.0.1");
        assertThat(e.columns()).isEqualTo(Set.of("query", "id.orig_h"));
        LogExpression q = LogExpression.parse("qtype_name", LogExpression.ResultType.STRING, Limits.DEFAULT);
        assertThat(q.evalString(dns("a", null))).isNull();
    }

    @Test
    void shouldTypeCheckOnFirstUseWhenNotCheckedAtLoad() throws Exception {
        LogExpression e = LogExpression.parse("nonexistent == 1", LogExpression.ResultType.BOOL, Limits.DEFAULT);
        assertThatThrownBy(() -> e.test(dns("a", "A"))).isInstanceOf(LogExpressionException.class);
        assertThatThrownBy(() -> e.test(dns("a", "A"))).hasMessageContaining("nonexistent");
    }
}
