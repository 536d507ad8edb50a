package io.picket.policy.signature;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.regex.Dfa;
import io.picket.regex.DfaBuilder;
import io.picket.regex.MultiDfa;
import io.picket.regex.RegexNode;
import io.picket.regex.ZeekRegexParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled, validated set of Zeek signatures of one tenant. Immutable and shared by all shard
 * threads; each connection gets its own {@link ConnectionMatcher} from {@link #newConnectionMatcher}.
 *
 * <p>Compilation parses every file, translates each pattern to RE2/J (rejecting what RE2/J cannot
 * express), builds a DFA per pattern within {@link Limits#maxDfaStates()}, resolves
 * {@code requires-signature} references and checks the bundle limits; all problems are reported
 * together in one {@link PolicyException}.
 */
public final class SignatureSet {
    private static final SignatureSet EMPTY = new SignatureSet(List.of(), List.of(), List.of(), Limits.DEFAULT,
            cacheBudget(Limits.DEFAULT));

    final List<CompiledRule> rules;
    final List<HeaderGroup> groups;
    final List<CompiledPattern> patterns;
    final Limits limits;
    private final Map<String, CompiledRule> byId = new HashMap<>();
    private final boolean[] usedTypes = new boolean[PatternType.values().length];
    /** The budget of the lazily built combined automata of all groups (see {@link #cacheBudget}). */
    final MultiDfa.Budget budget;
    private final java.util.concurrent.ConcurrentHashMap<Long, MatcherLayout> layouts =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_LAYOUTS = 256;
    /** The layout found last (a racy hint: layouts are immutable and carry their mask). */
    private volatile MatcherLayout lastLayout;

    private SignatureSet(List<CompiledRule> rules, List<HeaderGroup> groups, List<CompiledPattern> patterns,
                         Limits limits, MultiDfa.Budget budget) {
        this.budget = budget;
        this.rules = rules;
        this.groups = groups;
        this.patterns = patterns;
        this.limits = limits;
        for (CompiledRule r : rules) {
            byId.put(r.id, r);
        }
        for (CompiledPattern p : patterns) {
            usedTypes[p.type().ordinal()] = true;
        }
    }

    /**
     * The per-tenant budget of the combined automata's lazily built states: at most
     * {@link Limits#maxTotalDfaStates()} states and {@value #BYTES_PER_STATE_BUDGET} bytes per such
     * state of estimated memory, shared by all groups and pattern types of the set.
     */
    static MultiDfa.Budget cacheBudget(Limits limits) {
        return new MultiDfa.Budget(limits.maxTotalDfaStates(), BYTES_PER_STATE_BUDGET * limits.maxTotalDfaStates());
    }

    /** Estimated bytes budgeted per allowed combined-automaton state. */
    static final long BYTES_PER_STATE_BUDGET = 64;

    /** States of the combined automata built so far (all shards). */
    public long cachedDfaStates() {
        return budget.states();
    }

    /** Estimated bytes of the combined automata's built states. */
    public long cachedDfaBytes() {
        return budget.bytes();
    }

    /** Transitions of the combined automata left unbuilt because the state budget was spent. */
    public long dfaCacheRefusals() {
        return budget.refusals();
    }

    /** Inputs matched by NFA simulation because their automaton state could not be built. */
    public long dfaSpills() {
        return budget.spills();
    }

    /**
     * The layout for the groups selected by {@code mask} (bit g = group g; at most 64 groups), built
     * on first use and cached (up to 256 distinct selections, beyond that built per call). Called
     * on shard threads.
     */
    MatcherLayout layout(long mask) {
        MatcherLayout l = lastLayout;
        if (l != null && l.mask == mask) {
            return l;
        }
        l = layouts.get(mask);
        if (l == null) {
            l = new MatcherLayout(this, new long[] {mask}, mask);
            if (layouts.size() < MAX_CACHED_LAYOUTS) {
                MatcherLayout prev = layouts.putIfAbsent(mask, l);
                if (prev != null) {
                    l = prev;
                }
            }
        }
        lastLayout = l;
        return l;
    }

    /** The set without signatures. */
    public static SignatureSet empty() {
        return EMPTY;
    }

    /** Number of signatures (active or not). */
    public int size() {
        return rules.size();
    }

    /** True if some signature has a content condition of {@code type}. */
    public boolean uses(PatternType type) {
        return usedTypes[type.ordinal()];
    }

    /** True if some signature looks at HTTP content (request URI, headers or bodies). */
    public boolean usesHttp() {
        return uses(PatternType.HTTP_REQUEST) || uses(PatternType.HTTP_REQUEST_HEADER)
                || uses(PatternType.HTTP_REQUEST_BODY) || uses(PatternType.HTTP_REPLY_HEADER)
                || uses(PatternType.HTTP_REPLY_BODY);
    }

    /** Signature ids in definition order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(rules.size());
        for (CompiledRule r : rules) {
            ids.add(r.id);
        }
        return ids;
    }

    /** RE2/J translations of the patterns of a signature, in definition order (empty if unknown). */
    public List<String> re2Patterns(String signatureId) {
        CompiledRule r = byId.get(signatureId);
        if (r == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int p : r.patterns) {
            out.add(patterns.get(p).re2());
        }
        return out;
    }

    /** Total DFA states of all patterns. */
    public long dfaStates() {
        long n = 0;
        for (CompiledPattern p : patterns) {
            n += p.dfa().states();
        }
        return n;
    }

    /** A matcher for one connection; it calls {@code listener} on the feeding thread. */
    public ConnectionMatcher newConnectionMatcher(ConnectionFacts facts, MatchListener listener) {
        return new ConnectionMatcher(this, facts, listener);
    }

    /** Compiles signature files; throws listing every error with file:line:col. */
    public static SignatureSet compile(List<SourceFile> files, Limits limits) throws PolicyException {
        return compile(files, limits, cacheBudget(limits));
    }

    /** {@link #compile(List, Limits)} with the combined automata building against {@code budget}. */
    static SignatureSet compile(List<SourceFile> files, Limits limits, MultiDfa.Budget budget) throws PolicyException {
        List<PolicyError> errors = new ArrayList<>();
        List<SigModel.Signature> all = new ArrayList<>();
        for (SourceFile f : files) {
            all.addAll(SigParser.parse(f.name(), f.text(), errors));
        }
        Map<String, SigModel.Signature> byId = new LinkedHashMap<>();
        List<SigModel.Signature> unique = new ArrayList<>();
        for (SigModel.Signature s : all) {
            SigModel.Signature prev = byId.putIfAbsent(s.id(), s);
            if (prev != null) {
                errors.add(new PolicyError(s.file(), s.line(), s.column(), "signature " + s.id()
                        + " defined twice (first at " + prev.file() + ":" + prev.line() + ")"));
            } else {
                unique.add(s);
            }
        }
        if (unique.size() > limits.maxSignatures()) {
            SigModel.Signature over = unique.get(limits.maxSignatures());
            errors.add(new PolicyError(over.file(), over.line(), over.column(), "too many signatures: "
                    + unique.size() + " > limit " + limits.maxSignatures()));
        }
        // Compile patterns.
        Map<SigModel.PatternSpec, Compiled> compiled = new java.util.IdentityHashMap<>();
        long totalStates = 0;
        for (SigModel.Signature s : unique) {
            for (SigModel.PatternSpec ps : s.patterns()) {
                Compiled c = compilePattern(s, ps, limits, errors);
                if (c != null) {
                    totalStates += c.dfa.states();
                    if (totalStates > limits.maxTotalDfaStates()) {
                        errors.add(new PolicyError(s.file(), ps.line(), ps.column(), "total DFA states exceed limit "
                                + limits.maxTotalDfaStates()));
                        totalStates = Long.MIN_VALUE / 2;
                    }
                    compiled.put(ps, c);
                }
            }
        }
        // Resolve references.
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < unique.size(); i++) {
            index.put(unique.get(i).id(), i);
        }
        for (SigModel.Signature s : unique) {
            for (SigModel.Precondition pc : s.preconditions()) {
                if (!index.containsKey(pc.id())) {
                    errors.add(new PolicyError(s.file(), pc.line(), pc.column(), "signature " + s.id()
                            + " requires unknown signature " + pc.id()));
                }
            }
        }
        if (!errors.isEmpty()) {
            Map<String, Integer> fileOrder = new HashMap<>();
            for (SourceFile f : files) {
                fileOrder.putIfAbsent(f.name(), fileOrder.size());
            }
            errors.sort(java.util.Comparator.<PolicyError>comparingInt(e -> fileOrder.getOrDefault(e.file(), 0))
                    .thenComparingInt(PolicyError::line).thenComparingInt(PolicyError::column));
            throw new PolicyException(errors);
        }
        return build(unique, compiled, index, limits, errors, budget);
    }

    private record Compiled(Dfa dfa, String re2, RegexNode node) {
    }

    private static Compiled compilePattern(SigModel.Signature s, SigModel.PatternSpec ps, Limits limits,
                                           List<PolicyError> errors) {
        if (ps.text().length() > limits.maxPatternLength()) {
            errors.add(new PolicyError(s.file(), ps.line(), ps.column(), "pattern of " + ps.text().length()
                    + " characters exceeds limit " + limits.maxPatternLength()));
            return null;
        }
        RegexNode node;
        try {
            node = ZeekRegexParser.parse(ps.text(), ps.caseInsensitive());
        } catch (ZeekRegexParser.RegexSyntaxException e) {
            errors.add(new PolicyError(s.file(), ps.line(), ps.column() + e.offset(), "bad pattern /" + ps.text()
                    + "/: " + e.getMessage()));
            return null;
        }
        String re2 = Re2Translator.translate(node);
        try {
            Re2Translator.compile(re2);
        } catch (RuntimeException e) {
            errors.add(new PolicyError(s.file(), ps.line(), ps.column(), "pattern /" + ps.text()
                    + "/ cannot be expressed in RE2/J: " + e.getMessage()));
            return null;
        }
        try {
            return new Compiled(DfaBuilder.build(node, limits.maxDfaStates()), re2, node);
        } catch (DfaBuilder.TooLargeException e) {
            errors.add(new PolicyError(s.file(), ps.line(), ps.column(), "pattern /" + ps.text() + "/: "
                    + e.getMessage() + " (limit maxDfaStates)"));
            return null;
        }
    }

    private static SignatureSet build(List<SigModel.Signature> sigs, Map<SigModel.PatternSpec, Compiled> compiled,
                                      Map<String, Integer> index, Limits limits, List<PolicyError> errors,
                                      MultiDfa.Budget budget) throws PolicyException {
        // Group active rules by identical header tests, in first-appearance order.
        Map<List<SigModel.HeaderTest>, List<Integer>> groupsByTests = new LinkedHashMap<>();
        for (int i = 0; i < sigs.size(); i++) {
            SigModel.Signature s = sigs.get(i);
            if (s.active()) {
                groupsByTests.computeIfAbsent(s.headerTests(), k -> new ArrayList<>()).add(i);
            }
        }
        int[] groupOf = new int[sigs.size()];
        java.util.Arrays.fill(groupOf, -1);
        int[][] patIds = new int[sigs.size()][];
        List<CompiledPattern> patterns = new ArrayList<>();
        List<HeaderGroup> groups = new ArrayList<>();
        for (Map.Entry<List<SigModel.HeaderTest>, List<Integer>> e : groupsByTests.entrySet()) {
            int g = groups.size();
            int first = patterns.size();
            List<Integer> pure = new ArrayList<>();
            List<Integer> withPatterns = new ArrayList<>();
            List<List<Integer>> byType = new ArrayList<>();
            List<List<RegexNode>> nodes = new ArrayList<>();
            for (int t = 0; t < PatternType.values().length; t++) {
                byType.add(new ArrayList<>());
                nodes.add(new ArrayList<>());
            }
            SigModel.Signature firstSig = sigs.get(e.getValue().get(0));
            for (int ri : e.getValue()) {
                SigModel.Signature s = sigs.get(ri);
                groupOf[ri] = g;
                int[] ids = new int[s.patterns().size()];
                for (int k = 0; k < ids.length; k++) {
                    SigModel.PatternSpec ps = s.patterns().get(k);
                    Compiled c = compiled.get(ps);
                    int id = patterns.size();
                    patterns.add(new CompiledPattern(id, ps.type(), c.dfa(), ps.depth(), ri, ps.text(), c.re2()));
                    byType.get(ps.type().ordinal()).add(id - first);
                    nodes.get(ps.type().ordinal()).add(c.node());
                    ids[k] = id;
                }
                patIds[ri] = ids;
                (ids.length == 0 ? pure : withPatterns).add(ri);
            }
            int[][] bt = new int[byType.size()][];
            MultiDfa[] matchers = new MultiDfa[byType.size()];
            for (int t = 0; t < bt.length; t++) {
                bt[t] = byType.get(t).stream().mapToInt(Integer::intValue).toArray();
                if (bt[t].length > 0) {
                    try {
                        matchers[t] = MultiDfa.of(nodes.get(t), budget,
                                (int) Math.min(Integer.MAX_VALUE, limits.maxTotalDfaStates()));
                    } catch (DfaBuilder.TooLargeException ex) {
                        errors.add(new PolicyError(firstSig.file(), firstSig.line(), firstSig.column(),
                                "the " + PatternType.values()[t].keyword() + " patterns of the signatures with the "
                                + "header tests of signature " + firstSig.id() + ": " + ex.getMessage()
                                + " (limit maxTotalDfaStates)"));
                    }
                }
            }
            groups.add(new HeaderGroup(List.copyOf(e.getKey()), pure.stream().mapToInt(Integer::intValue).toArray(),
                    withPatterns.stream().mapToInt(Integer::intValue).toArray(), first, patterns.size() - first, bt,
                    matchers));
        }
        List<CompiledRule> rules = new ArrayList<>();
        for (int i = 0; i < sigs.size(); i++) {
            SigModel.Signature s = sigs.get(i);
            int[] ids = patIds[i] != null ? patIds[i] : new int[0];
            long minDepth = Long.MAX_VALUE;
            for (SigModel.PatternSpec ps : s.patterns()) {
                minDepth = Math.min(minDepth, ps.depth());
            }
            int n = s.preconditions().size();
            int[] preRule = new int[n];
            boolean[] rev = new boolean[n];
            boolean[] neg = new boolean[n];
            for (int k = 0; k < n; k++) {
                SigModel.Precondition pc = s.preconditions().get(k);
                preRule[k] = index.get(pc.id());
                rev[k] = pc.reverse();
                neg[k] = pc.negate();
            }
            rules.add(new CompiledRule(i, s.id(), s.active(), groupOf[i], ids, minDepth,
                    List.copyOf(s.conditions()), preRule, rev, neg, List.copyOf(s.actions())));
        }
        Map<Integer, List<Integer>> deps = new HashMap<>();
        for (CompiledRule r : rules) {
            if (!r.active) {
                continue;
            }
            for (int pr : r.preRule) {
                deps.computeIfAbsent(pr, k -> new ArrayList<>()).add(r.index);
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : deps.entrySet()) {
            rules.get(e.getKey()).dependents = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new SignatureSet(Collections.unmodifiableList(rules), List.copyOf(groups), List.copyOf(patterns),
                limits, budget);
    }
}
