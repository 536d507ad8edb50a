package io.picket.policy.steering;

import io.picket.policy.signature.SignatureSet;
import java.util.List;
import java.util.Set;

/**
 * One inspection profile of a tenant ({@code normal} or {@code enhanced}): which analyzers may
 * attach to a connection steered here, which signatures run on it (compiled once, when the
 * bundle is loaded) and how many payload bytes the signatures see. Immutable; read by shard
 * threads when a connection starts.
 */
public final class SteeringProfile {
    private final String name;
    private final int index;
    private final Set<String> analyzers;
    private final List<String> signatureGlobs;
    private final SignatureSet signatures;
    private final int payloadDepth;

    SteeringProfile(String name, int index, Set<String> analyzers, List<String> signatureGlobs,
                    SignatureSet signatures, int payloadDepth) {
        this.name = name;
        this.index = index;
        this.analyzers = analyzers == null ? null : Set.copyOf(analyzers);
        this.signatureGlobs = List.copyOf(signatureGlobs);
        this.signatures = signatures;
        this.payloadDepth = payloadDepth;
    }

    /** {@code normal} or {@code enhanced}. */
    public String name() {
        return name;
    }

    /** {@link Steering#NORMAL} or {@link Steering#ENHANCED}. */
    public int index() {
        return index;
    }

    /** True if the analyzer (its registry name, lower case, e.g. {@code http}, {@code teredo}) may run. */
    public boolean allowsAnalyzer(String analyzer) {
        return analyzers == null || analyzers.contains(analyzer);
    }

    /** The analyzers allowed, or null when every analyzer of the run is. */
    public Set<String> analyzers() {
        return analyzers;
    }

    /** Globs over the file names in {@code signatures/} that make up this profile's rule set. */
    public List<String> signatureGlobs() {
        return signatureGlobs;
    }

    /** The signatures of the files the globs select, compiled at bundle load. */
    public SignatureSet signatures() {
        return signatures;
    }

    /** Payload bytes per connection (both directions) fed to signature matching. */
    public int payloadDepth() {
        return payloadDepth;
    }

    @Override
    public String toString() {
        return name + "{analyzers=" + (analyzers == null ? "all" : analyzers) + ", signatures=" + signatureGlobs
                + " (" + signatures.size() + "), payload_depth=" + payloadDepth + "}";
    }
}
