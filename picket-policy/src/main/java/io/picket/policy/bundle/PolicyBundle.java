package io.picket.policy.bundle;

import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.intel.IntelIndex;
import io.picket.policy.notice.NoticePolicy;
import io.picket.policy.signature.SignatureSet;
import io.picket.policy.steering.Steering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One tenant's compiled policy: its signatures ({@code signatures/*.sig}), intel
 * ({@code intel/*.dat}) and log filters ({@code filters.yaml}), validated as a whole against {@link Limits}. Immutable and shared by all
 * shard threads; a new version is loaded off the packet path and published with
 * {@link PolicyBundleSlot#swap}. Files are read in name order; names in errors are relative to
 * the tenant folder.
 */
public final class PolicyBundle {
    private static final PolicyBundle EMPTY = new PolicyBundle("", SignatureSet.empty(), IntelIndex.empty(),
            Limits.DEFAULT);

    private final String name;
    private final SignatureSet signatures;
    private final IntelIndex intel;
    private final Limits limits;
    /** The tenant's steering ({@code steering.yaml}), or null when the folder has none. */
    private final Steering steering;
    /** The notice policy ({@code notice.yaml}; Zeek's defaults when absent). */
    private final NoticePolicy notices;
    /** The tenant's log filters ({@code filters.yaml}); empty when it has none. */
    private final io.picket.policy.filter.LogFilters filters;

    private PolicyBundle(String name, SignatureSet signatures, IntelIndex intel, Limits limits) {
        this(name, signatures, intel, limits, null);
    }

    private PolicyBundle(String name, SignatureSet signatures, IntelIndex intel, Limits limits, Steering steering) {
        this(name, signatures, intel, limits, steering, NoticePolicy.DEFAULT, io.picket.policy.filter.LogFilters.empty());
    }

    private PolicyBundle(String name, SignatureSet signatures, IntelIndex intel, Limits limits, Steering steering,
                         NoticePolicy notices, io.picket.policy.filter.LogFilters filters) {
        this.notices = notices;
        this.filters = filters;
        this.name = name;
        this.signatures = signatures;
        this.intel = intel;
        this.limits = limits;
        this.steering = steering;
    }

    /** A bundle without signatures or intel. */
    public static PolicyBundle empty() {
        return EMPTY;
    }

    /** Loads a tenant folder with {@link Limits#DEFAULT}. */
    public static PolicyBundle load(Path dir) throws PolicyException {
        return load(dir, Limits.DEFAULT);
    }

    /**
     * Loads {@code dir/signatures/*.sig} and {@code dir/intel/*.dat} (either folder may be absent)
     * and validates everything; throws one {@link PolicyException} listing all errors of all files.
     */
    public static PolicyBundle load(Path dir, Limits limits) throws PolicyException {
        return load(dir, limits, null, java.util.Map.of());
    }

    /**
     * As {@link #load(Path, Limits)}; analyzer names in {@code steering.yaml} are checked against
     * {@code knownAnalyzers} (null = not checked) together with everything else.
     */
    public static PolicyBundle load(Path dir, Limits limits, java.util.Set<String> knownAnalyzers)
            throws PolicyException {
        return load(dir, limits, knownAnalyzers, java.util.Map.of());
    }

    /**
     * As {@link #load(Path, Limits)}, also reading {@code dir/filters.yaml} (log filters, see
     * {@link io.picket.policy.filter.LogFilters}): its log names, columns and predicates are
     * checked against {@code schemas} (log path to the schema the run writes).
     */
    public static PolicyBundle load(Path dir, Limits limits, java.util.Map<String, io.picket.log.LogSchema> schemas)
            throws PolicyException {
        return load(dir, limits, null, schemas);
    }

    /** As {@link #load(Path, Limits)}, with both the analyzer names and the log schemas to check against. */
    public static PolicyBundle load(Path dir, Limits limits, java.util.Set<String> knownAnalyzers,
                                    java.util.Map<String, io.picket.log.LogSchema> schemas)
            throws PolicyException {
        List<PolicyError> errors = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new PolicyException(List.of(new PolicyError(dir.toString(), 0, 0, "not a directory")));
        }
        List<SourceFile> sigs = read(dir, "signatures", ".sig", errors);
        List<SourceFile> dats = read(dir, "intel", ".dat", errors);
        SourceFile steering = readSteering(dir, errors);
        NoticePolicy notices = NoticePolicy.DEFAULT;
        try {
            notices = noticePolicy(dir, limits, schemas);
        } catch (PolicyException e) {
            errors.addAll(e.errors());
        }
        io.picket.policy.filter.LogFilters filters = filters(dir, limits, schemas, errors);
        return of(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(), sigs, dats, steering,
                limits, knownAnalyzers, errors).withNotices(notices).withFilters(filters);
    }

    /**
     * Compiles a bundle from sources with a steering file ({@code null} = none): each steering
     * profile's signature set is compiled from the signature files its globs select.
     */
    public static PolicyBundle of(String name, List<SourceFile> signatureFiles, List<SourceFile> intelFiles,
                                  SourceFile steering, Limits limits) throws PolicyException {
        return of(name, signatureFiles, intelFiles, steering, limits, null, new ArrayList<>());
    }

    /** As above, checking steering analyzer names against {@code knownAnalyzers} (null = not checked). */
    public static PolicyBundle of(String name, List<SourceFile> signatureFiles, List<SourceFile> intelFiles,
                                  SourceFile steering, Limits limits, java.util.Set<String> knownAnalyzers)
            throws PolicyException {
        return of(name, signatureFiles, intelFiles, steering, limits, knownAnalyzers, new ArrayList<>());
    }

    private static SourceFile readSteering(Path dir, List<PolicyError> errors) {
        Path p = dir.resolve(Steering.FILE_NAME);
        if (!Files.exists(p)) {
            return null;
        }
        try {
            return new SourceFile(Steering.FILE_NAME, Files.readString(p));
        } catch (IOException e) {
            errors.add(new PolicyError(Steering.FILE_NAME, 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /** Reads {@code dir/notice.yaml}; Zeek's defaults ({@link NoticePolicy#DEFAULT}) when there is none. */
    public static NoticePolicy noticePolicy(Path dir) throws PolicyException {
        Path f = dir.resolve("notice.yaml");
        if (!Files.isRegularFile(f)) {
            return NoticePolicy.DEFAULT;
        }
        try {
            return NoticePolicy.parse(SourceFile.read(f, "notice.yaml"));
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyError("notice.yaml", 0, 0, "cannot read: " + e.getMessage())));
        }
    }

    /**
     * As {@link #noticePolicy(Path)}, compiling the tenant-defined notices within {@code limits}
     * and type-checking them against {@code schemas} (log path to the schema the run writes).
     */
    public static NoticePolicy noticePolicy(Path dir, Limits limits,
            java.util.Map<String, io.picket.log.LogSchema> schemas) throws PolicyException {
        Path f = dir.resolve("notice.yaml");
        if (!Files.isRegularFile(f)) {
            return NoticePolicy.DEFAULT;
        }
        try {
            return NoticePolicy.parse(SourceFile.read(f, "notice.yaml"), limits, schemas);
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyError("notice.yaml", 0, 0, "cannot read: " + e.getMessage())));
        }
    }

    /** This bundle with another notice policy. */
    public PolicyBundle withNotices(NoticePolicy policy) {
        return policy == notices ? this : new PolicyBundle(name, signatures, intel, limits, steering, policy, filters);
    }

    /** Reads {@code dir/filters.yaml} when present; adds its errors to {@code errors}. */
    private static io.picket.policy.filter.LogFilters filters(Path dir, Limits limits,
            java.util.Map<String, io.picket.log.LogSchema> schemas, List<PolicyError> errors) {
        Path p = dir.resolve("filters.yaml");
        if (!Files.isRegularFile(p)) {
            return io.picket.policy.filter.LogFilters.empty();
        }
        try {
            return io.picket.policy.filter.LogFilters.parse(SourceFile.read(p, "filters.yaml"), limits, schemas);
        } catch (IOException e) {
            errors.add(new PolicyError("filters.yaml", 0, 0, "cannot read: " + e.getMessage()));
        } catch (PolicyException e) {
            errors.addAll(e.errors());
        }
        return io.picket.policy.filter.LogFilters.empty();
    }

    /** This bundle with {@code filters} as its log filters. */
    public PolicyBundle withFilters(io.picket.policy.filter.LogFilters filters) {
        return filters == this.filters ? this
                : new PolicyBundle(name, signatures, intel, limits, steering, notices, filters);
    }

    /** Compiles a bundle from sources (no file system access). */
    public static PolicyBundle of(String name, List<SourceFile> signatureFiles, List<SourceFile> intelFiles,
                                  Limits limits) throws PolicyException {
        return of(name, signatureFiles, intelFiles, null, limits, null, new ArrayList<>());
    }

    private static PolicyBundle of(String name, List<SourceFile> signatureFiles, List<SourceFile> intelFiles,
                                   SourceFile steeringFile, Limits limits, java.util.Set<String> knownAnalyzers,
                                   List<PolicyError> errors)
            throws PolicyException {
        SignatureSet sigs = null;
        IntelIndex intel = null;
        try {
            sigs = SignatureSet.compile(signatureFiles, limits);
        } catch (PolicyException e) {
            errors.addAll(e.errors());
        }
        try {
            intel = IntelIndex.load(intelFiles, limits);
        } catch (PolicyException e) {
            errors.addAll(e.errors());
        }
        Steering steering = null;
        if (steeringFile != null) {
            try {
                steering = Steering.load(steeringFile, sigs == null ? null : signatureFiles,
                        sigs == null ? SignatureSet.empty() : sigs, limits, knownAnalyzers);
            } catch (PolicyException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyException(errors);
        }
        return new PolicyBundle(name, sigs, intel, limits, steering);
    }

    private static List<SourceFile> read(Path dir, String sub, String ext, List<PolicyError> errors) {
        Path d = dir.resolve(sub);
        List<SourceFile> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> s = Files.list(d)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(ext) && Files.isRegularFile(p))
                    .sorted().toList();
            for (Path p : files) {
                String shown = sub + "/" + p.getFileName();
                try {
                    out.add(SourceFile.read(p, shown));
                } catch (IOException e) {
                    errors.add(new PolicyError(shown, 0, 0, "cannot read: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            errors.add(new PolicyError(sub, 0, 0, "cannot list: " + e.getMessage()));
        }
        return out;
    }

    /** The tenant folder name (or the name given to {@link #of}). */
    public String name() {
        return name;
    }

    public SignatureSet signatures() {
        return signatures;
    }

    public IntelIndex intel() {
        return intel;
    }

    public Limits limits() {
        return limits;
    }

    /** The tenant's steering profiles and rules, or null when the bundle has no {@code steering.yaml}. */
    public Steering steering() {
        return steering;
    }

    /** The notice policy ({@code notice.yaml}; Zeek's defaults when absent). */
    public NoticePolicy notices() {
        return notices;
    }

    /** The tenant's log filters ({@code filters.yaml}); empty when it has none. */
    public io.picket.policy.filter.LogFilters filters() {
        return filters;
    }
}
