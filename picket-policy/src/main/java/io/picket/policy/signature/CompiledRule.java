package io.picket.policy.signature;

import java.util.List;

/**
 * One compiled signature. {@code patterns} are global pattern ids (contiguous per group),
 * {@code preconditions} resolved to rule indices, {@code dependents} the rules that require this
 * one. Immutable after {@link SignatureSet} construction.
 */
final class CompiledRule {
    final int index;
    final String id;
    final boolean active;
    final int group;
    final int[] patterns;
    final long minDepth;
    final List<SigModel.Condition> conditions;
    final int[] preRule;
    final boolean[] preReverse;
    final boolean[] preNegate;
    final List<SigModel.Action> actions;
    int[] dependents = new int[0];

    CompiledRule(int index, String id, boolean active, int group, int[] patterns, long minDepth,
                 List<SigModel.Condition> conditions, int[] preRule, boolean[] preReverse, boolean[] preNegate,
                 List<SigModel.Action> actions) {
        this.index = index;
        this.id = id;
        this.active = active;
        this.group = group;
        this.patterns = patterns;
        this.minDepth = minDepth;
        this.conditions = conditions;
        this.preRule = preRule;
        this.preReverse = preReverse;
        this.preNegate = preNegate;
        this.actions = actions;
    }

    boolean pure() {
        return patterns.length == 0;
    }
}
