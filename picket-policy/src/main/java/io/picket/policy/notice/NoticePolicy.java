package io.picket.policy.notice;

import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's notice policy ({@code notice.yaml}): Zeek's {@code Notice::ignored_types},
 * {@code not_suppressed_types}, {@code default_suppression_interval},
 * {@code type_suppression_intervals} and the thresholds of the built-in detectors
 * ({@code SSH::password_guesses_limit}, {@code SSH::guessing_timeout}, {@code Scan::*}) and the
 * tenant-defined notices by log path ({@code notices:}, {@link CustomNotice}). Intervals are in
 * seconds. Immutable.
 */
public record NoticePolicy(Set<String> ignoredTypes, Set<String> notSuppressedTypes, double defaultSuppression,
                           Map<String, Double> typeSuppression, boolean sshBruteforcing, double passwordGuessesLimit,
                           double guessingTimeout, boolean scan, double addrScanThreshold, double addrScanInterval,
                           double portScanThreshold, double portScanInterval,
                           Map<String, List<CustomNotice>> customNotices) {

    /** The notice types Picket raises (Zeek's names); policy files may name only these. */
    public static final List<String> KNOWN_TYPES = List.of(
            "Signatures::Sensitive_Signature", "Signatures::Multiple_Signatures",
            "Signatures::Multiple_Sig_Responders", "Signatures::Count_Signature", "Signatures::Signature_Summary",
            "Intel::Notice", "SSH::Password_Guessing", "SSH::Login_By_Password_Guesser", "Scan::Address_Scan",
            "Scan::Port_Scan");

    /** Zeek's defaults: nothing ignored, 1 hr suppression, 30 guesses in 30 min, scans 25 hosts / 15 ports in 5 min. */
    public static final NoticePolicy DEFAULT = new NoticePolicy(Set.of(), Set.of(), 3600.0, Map.of(), true, 30.0,
            1800.0, true, 25.0, 300.0, 15.0, 300.0);

    public NoticePolicy {
        ignoredTypes = Set.copyOf(ignoredTypes);
        notSuppressedTypes = Set.copyOf(notSuppressedTypes);
        typeSuppression = Map.copyOf(typeSuppression);
        Map<String, List<CustomNotice>> c = new java.util.HashMap<>();
        customNotices.forEach((k, v) -> c.put(k, List.copyOf(v)));
        customNotices = Map.copyOf(c);
    }

    /** A policy without tenant-defined notices. */
    public NoticePolicy(Set<String> ignoredTypes, Set<String> notSuppressedTypes, double defaultSuppression,
                        Map<String, Double> typeSuppression, boolean sshBruteforcing, double passwordGuessesLimit,
                        double guessingTimeout, boolean scan, double addrScanThreshold, double addrScanInterval,
                        double portScanThreshold, double portScanInterval) {
        this(ignoredTypes, notSuppressedTypes, defaultSuppression, typeSuppression, sshBruteforcing,
                passwordGuessesLimit, guessingTimeout, scan, addrScanThreshold, addrScanInterval, portScanThreshold,
                portScanInterval, Map.of());
    }

    /** The tenant-defined notices tested on records of log {@code path} (empty when none). */
    public List<CustomNotice> customNotices(String path) {
        List<CustomNotice> l = customNotices.get(path);
        return l == null ? List.of() : l;
    }

    /** Whether the policy defines notices of its own. */
    public boolean hasCustomNotices() {
        return !customNotices.isEmpty();
    }

    /** Whether {@code note} is a built-in type or one of this policy's tenant-defined notices. */
    public boolean knows(String note) {
        if (KNOWN_TYPES.contains(note)) {
            return true;
        }
        for (List<CustomNotice> l : customNotices.values()) {
            for (CustomNotice c : l) {
                if (c.note().equals(note)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The suppression interval of a notice of {@code note} as Zeek's policy hook sets it. */
    public double suppressFor(String note) {
        Double t = typeSuppression.get(note);
        if (t != null) {
            return t;
        }
        return notSuppressedTypes.contains(note) ? 0.0 : defaultSuppression;
    }

    public boolean ignored(String note) {
        return ignoredTypes.contains(note);
    }

    /**
     * Parses {@code notice.yaml}; unknown keys, unknown notice types, bad intervals and numbers are
     * errors with the file's line and column. An empty file is the default policy.
     */
    public static NoticePolicy parse(SourceFile file) throws PolicyException {
        return new NoticeYaml(file.name()).read(file.text());
    }

    /**
     * As {@link #parse(SourceFile)}; tenant-defined notices are compiled within {@code limits} and
     * type-checked against {@code schemas} (log path to the schema the run writes; when empty, log
     * names are not checked and expressions are type-checked on first use).
     */
    public static NoticePolicy parse(SourceFile file, io.picket.policy.Limits limits,
                                     Map<String, io.picket.log.LogSchema> schemas) throws PolicyException {
        return new NoticeYaml(file.name(), limits, schemas).read(file.text());
    }

    /** Parses and returns errors instead of throwing (for bundles that collect errors of all files). */
    static NoticePolicy parse(SourceFile file, List<PolicyError> errors) {
        try {
            return parse(file);
        } catch (PolicyException e) {
            errors.addAll(e.errors());
            return null;
        }
    }
}
