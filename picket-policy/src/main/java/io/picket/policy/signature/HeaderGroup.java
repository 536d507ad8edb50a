package io.picket.policy.signature;

import io.picket.regex.MultiDfa;
import java.util.List;

/**
 * Signatures sharing the same header tests (Zeek's rule tree node, {@code RuleHdrTest}): the tests
 * are evaluated once per endpoint. The group's patterns are the contiguous global range
 * {@code [firstPattern, firstPattern + patternCount)}; {@code byType[t]} lists their offsets in
 * that range, and {@code matchers[t]} is the one combined automaton of those patterns (pattern
 * {@code k} of it is offset {@code byType[t][k]}), {@code null} if the group has none of type
 * {@code t}. Immutable; the automata are shared by all shard threads.
 */
record HeaderGroup(List<SigModel.HeaderTest> tests, int[] pureRules, int[] patternRules, int firstPattern,
                   int patternCount, int[][] byType, MultiDfa[] matchers) {
}
