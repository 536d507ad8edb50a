package io.picket.policy.signature;

import io.picket.regex.MultiDfa;
import java.util.Arrays;

/**
 * The numbering of the candidate patterns of an endpoint whose header tests selected a given set of
 * {@link HeaderGroup}s: the groups in order, each group's first local pattern number ({@code -1}
 * if not selected), and per {@link PatternType} the matcher slots: one combined automaton per
 * selected group with patterns of that type ({@code matchers[t][slot]}), with the local number of
 * each of its patterns ({@code localOf[t][slot][k]}). Built once per distinct selection and cached
 * by the {@link SignatureSet}, so a connection holds a reference instead of arrays sized by the
 * bundle. Immutable; shared by all shard threads.
 */
final class MatcherLayout {
    private static final int TYPES = PatternType.values().length;

    final int[] groups;
    final int[] groupBase;
    final int locals;
    final MultiDfa[][] matchers;
    final int[][][] localOf;
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
        matchers = new MultiDfa[TYPES][];
        localOf = new int[TYPES][][];
        for (int t = 0; t < TYPES; t++) {
            int slots = 0;
            for (int g : groups) {
                if (set.groups.get(g).matchers()[t] != null) {
                    slots++;
                }
            }
            matchers[t] = new MultiDfa[slots];
            localOf[t] = new int[slots][];
            int k = 0;
            for (int g : groups) {
                HeaderGroup grp = set.groups.get(g);
                if (grp.matchers()[t] != null) {
                    matchers[t][k] = grp.matchers()[t];
                    int[] offs = grp.byType()[t];
                    int[] loc = new int[offs.length];
                    for (int i = 0; i < offs.length; i++) {
                        loc[i] = groupBase[g] + offs[i];
                    }
                    localOf[t][k++] = loc;
                }
            }
        }
    }
}
