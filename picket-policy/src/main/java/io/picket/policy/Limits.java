package io.picket.policy;

/**
 * Per-bundle resource limits, checked when a bundle is compiled so that one tenant's policy cannot
 * exhaust memory or CPU. Immutable.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>maxSignatures</td><td>10000</td><td>signatures in all files of a bundle</td></tr>
 *   <tr><td>maxPatternLength</td><td>4096</td><td>characters of one regular expression</td></tr>
 *   <tr><td>maxDfaStates</td><td>4096</td><td>DFA states of one compiled pattern</td></tr>
 *   <tr><td>maxTotalDfaStates</td><td>1000000</td><td>DFA states of all patterns of a bundle</td></tr>
 *   <tr><td>maxIntelEntries</td><td>1000000</td><td>intel lines (indicator, source) of a bundle</td></tr>
 *   <tr><td>payloadDepth</td><td>1024</td><td>payload bytes per connection fed to {@code payload}
 *       patterns (Zeek's {@code dpd_buffer_size} with {@code dpd_match_only_beginning=T})</td></tr>
 *   <tr><td>maxMatchedData</td><td>4096</td><td>bytes of a chunk kept per connection for a
 *       signature whose patterns matched but whose other conditions are still pending</td></tr>
 *   <tr><td>maxFilters</td><td>256</td><td>log filters in a bundle's {@code filters.yaml}</td></tr>
 *   <tr><td>maxExpressionLength</td><td>2048</td><td>characters of one CEL expression</td></tr>
 *   <tr><td>maxExpressionCost</td><td>500</td><td>estimated cost units of one CEL expression
 *       (see {@code io.picket.policy.expr.LogExpression#cost})</td></tr>
 *   <tr><td>maxNotices</td><td>64</td><td>tenant-defined notices in a bundle's {@code notice.yaml}</td></tr>
 * </table>
 */
public record Limits(int maxSignatures, int maxPatternLength, int maxDfaStates, long maxTotalDfaStates,
                     int maxIntelEntries, int payloadDepth, int maxMatchedData, int maxFilters,
                     int maxExpressionLength, long maxExpressionCost, int maxNotices) {

    public static final Limits DEFAULT = new Limits(10_000, 4096, 4096, 1_000_000L, 1_000_000, 1024, 4096, 256,
            2048, 500, 64);

    public Limits {
        if (maxSignatures < 0 || maxPatternLength < 1 || maxDfaStates < 2 || maxTotalDfaStates < 2
                || maxIntelEntries < 0 || payloadDepth < 0 || maxMatchedData < 0 || maxFilters < 0
                || maxExpressionLength < 1 || maxExpressionCost < 1 || maxNotices < 0) {
            throw new IllegalArgumentException("invalid limits");
        }
    }

    public Limits withMaxSignatures(int v) {
        return new Limits(v, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries, payloadDepth,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxPatternLength(int v) {
        return new Limits(maxSignatures, v, maxDfaStates, maxTotalDfaStates, maxIntelEntries, payloadDepth,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxDfaStates(int v) {
        return new Limits(maxSignatures, maxPatternLength, v, maxTotalDfaStates, maxIntelEntries, payloadDepth,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxTotalDfaStates(long v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, v, maxIntelEntries, payloadDepth,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxIntelEntries(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, v, payloadDepth,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withPayloadDepth(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries, v,
                maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxMatchedData(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries,
                payloadDepth, v, maxFilters, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxFilters(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries,
                payloadDepth, maxMatchedData, v, maxExpressionLength, maxExpressionCost, maxNotices);
    }

    public Limits withMaxExpressionLength(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries,
                payloadDepth, maxMatchedData, maxFilters, v, maxExpressionCost, maxNotices);
    }

    public Limits withMaxExpressionCost(long v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries,
                payloadDepth, maxMatchedData, maxFilters, maxExpressionLength, v, maxNotices);
    }

    public Limits withMaxNotices(int v) {
        return new Limits(maxSignatures, maxPatternLength, maxDfaStates, maxTotalDfaStates, maxIntelEntries,
                payloadDepth, maxMatchedData, maxFilters, maxExpressionLength, maxExpressionCost, v);
    }
}
