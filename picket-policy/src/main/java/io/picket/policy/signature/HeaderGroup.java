package io.picket.policy.signature;

import java.util.List;

/**
 * Signatures sharing the same header tests (Zeek's rule tree node): the tests are evaluated once
 * per endpoint. The group's patterns are the contiguous global range {@code [firstPattern,
 * firstPattern + patternCount)}; {@code byType[t]} lists their offsets in that range. Immutable.
 */
record HeaderGroup(List<SigModel.HeaderTest> tests, int[] pureRules, int[] patternRules, int firstPattern,
                   int patternCount, int[][] byType) {
}
