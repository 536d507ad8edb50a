package io.picket.policy.signature;

import io.picket.regex.Dfa;
import java.util.Arrays;

/**
 * The numbering of the candidate patterns of an endpoint whose header tests selected a given set of
 * {@link HeaderGroup}s: the groups in order, each group's first local pattern number ({@code -1}
 * if not selected), the local numbers per {@link PatternType} and the DFA of each local pattern.
 * Built once per distinct selection and cached by the {@link SignatureSet}, so a connection holds
 * a reference instead of arrays sized by the bundle. Immutable; shared by all shard threads.
 */
final class MatcherLayout {
    private static final int TYPES = PatternType.values().length;

    final int[] groups;
    final int[] groupBase;
    final int locals;
    final int[][] byType;
    final Dfa[] dfa;
    /** The selection as one word when the set has at most 64 groups, else 0 (not cached). */
    final long mask;

    /** The layout of the groups whose bits are set in {@code selected} (bit g = group g). */
    MatcherLayout(SignatureSet set, long[] selected, long mask) {
        this.mask = mask;
        int groupCount = set.groups.size();
        groupBase = new int[groupCount];
        Arrays.fill(groupBase, -1);
        int[] cand = new int[groupCount];
        int nc = 0;
        int count = 0;
        for (int g = 0; g < groupCount; g++) {
            if ((selected[g >>> 6] & (1L << (g & 63))) != 0) {
                groupBase[g] = count;
                count += set.groups.get(g).patternCount();
                cand[nc++] = g;
            }
        }
        groups = Arrays.copyOf(cand, nc);
        locals = count;
        dfa = new Dfa[count];
        int[] counts = new int[TYPES];
        for (int g : groups) {
            HeaderGroup grp = set.groups.get(g);
            for (int t = 0; t < TYPES; t++) {
                counts[t] += grp.byType()[t].length;
            }
            for (int k = 0; k < grp.patternCount(); k++) {
                dfa[groupBase[g] + k] = set.patterns.get(grp.firstPattern() + k).dfa();
            }
        }
        byType = new int[TYPES][];
        for (int t = 0; t < TYPES; t++) {
            byType[t] = new int[counts[t]];
            int n = 0;
            for (int g : groups) {
                for (int off : set.groups.get(g).byType()[t]) {
                    byType[t][n++] = groupBase[g] + off;
                }
            }
        }
    }
}
