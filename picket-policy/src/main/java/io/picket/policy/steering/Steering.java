package io.picket.policy.steering;

import io.picket.policy.IpAddress;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.signature.SignatureSet;
import io.picket.policy.yaml.YamlTree;
import io.picket.policy.yaml.YamlTree.Entry;
import io.picket.policy.yaml.YamlTree.Kind;
import io.picket.policy.yaml.YamlTree.MapNode;
import io.picket.policy.yaml.YamlTree.Node;
import io.picket.policy.yaml.YamlTree.Scalar;
import io.picket.policy.yaml.YamlTree.SeqNode;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's steering ({@code steering.yaml} in its bundle folder): the two inspection profiles
 * {@code normal} and {@code enhanced} and the ordered rules that send a connection to one of them
 * (first match wins, else the default profile). Parsed, validated and compiled on the control
 * thread (each profile's signatures compiled once); immutable afterwards, and
 * {@link #profileFor} is called by shard threads once per new connection without allocating.
 */
public final class Steering {
    /** Index of the {@code normal} profile. */
    public static final int NORMAL = 0;
    /** Index of the {@code enhanced} profile. */
    public static final int ENHANCED = 1;
    /** The profile names by index. */
    public static final List<String> PROFILE_NAMES = List.of("normal", "enhanced");
    /** Default payload depth of {@code enhanced} (at least the bundle's {@link Limits#payloadDepth()}). */
    public static final int ENHANCED_PAYLOAD_DEPTH = 65536;
    /** Largest payload depth a profile may ask for (1 GiB). */
    public static final int MAX_PAYLOAD_DEPTH = 1 << 30;
    /** Largest number of rules in one file. */
    public static final int MAX_RULES = 100_000;
    /** The file name inside the tenant folder. */
    public static final String FILE_NAME = "steering.yaml";

    private static final List<String> TOP_KEYS = List.of("profiles", "default", "rules");
    private static final List<String> PROFILE_KEYS = List.of("analyzers", "signatures", "payload_depth");
    private static final List<String> RULE_KEYS = List.of("profile", "proto", "orig_nets", "resp_nets", "orig_ports",
            "resp_ports", "both_directions");
    private static final Pattern ANALYZER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");
    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})\\s*-\\s*(\\d{1,5})");

    private final String file;
    private final SteeringProfile[] profiles;
    private final int defaultProfile;
    private final SteeringRules rules;
    /** Each analyzer name written in the file, with its position, for {@link #checkAnalyzers}. */
    private final List<NameAt> analyzerNames;

    private record NameAt(String name, int line, int col) {
    }

    private Steering(String file, SteeringProfile[] profiles, int defaultProfile, SteeringRules rules,
                     List<NameAt> analyzerNames) {
        this.file = file;
        this.profiles = profiles;
        this.defaultProfile = defaultProfile;
        this.rules = rules;
        this.analyzerNames = List.copyOf(analyzerNames);
    }

    /** The display name of the source file. */
    public String file() {
        return file;
    }

    /** The profile with index {@link #NORMAL} or {@link #ENHANCED}. */
    public SteeringProfile profile(int index) {
        return profiles[index];
    }

    /** The profile for connections no rule matches. */
    public int defaultProfile() {
        return defaultProfile;
    }

    public SteeringRules rules() {
        return rules;
    }

    /**
     * The profile index of a new connection: the first matching rule's profile, else the default.
     * Originator/responder as the connection has them. No allocation.
     */
    public int profileFor(int ipProto, long origHi, long origLo, int origPort, long respHi, long respLo, int respPort) {
        int r = rules.match(ipProto, origHi, origLo, origPort, respHi, respLo, respPort);
        return r < 0 ? defaultProfile : rules.profileOf(r);
    }

    /**
     * Errors for analyzer names the run does not know ({@code known}: lower-case registry names,
     * plus {@code teredo}); empty when all are known. Names are checked here rather than at parse
     * time because only the engine knows its analyzers.
     */
    public List<PolicyError> checkAnalyzers(Set<String> known) {
        List<PolicyError> out = new ArrayList<>();
        for (NameAt n : analyzerNames) {
            if (!known.contains(n.name())) {
                out.add(new PolicyError(file, n.line(), n.col(), "unknown analyzer '" + n.name() + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Parses and validates {@code source} and compiles each profile's signature set from the
     * {@code signatureFiles} its globs select (globs are matched against the file name without
     * folder); {@code all} is the bundle's set of all files, reused when a profile selects every
     * file. {@code signatureFiles} null means the signatures did not compile: only the file
     * itself is checked. Throws listing every error with file:line:col.
     */
    public static Steering load(SourceFile source, List<SourceFile> signatureFiles, SignatureSet all, Limits limits)
            throws PolicyException {
        return load(source, signatureFiles, all, limits, null);
    }

    /**
     * As {@link #load(SourceFile, List, SignatureSet, Limits)}, also checking analyzer names
     * against {@code knownAnalyzers} (null = no check).
     */
    public static Steering load(SourceFile source, List<SourceFile> signatureFiles, SignatureSet all, Limits limits,
                                Set<String> knownAnalyzers) throws PolicyException {
        List<PolicyError> errors = new ArrayList<>();
        Parser p = new Parser(source.name(), errors, limits);
        Node root = YamlTree.parse(source.name(), source.text(), errors);
        p.top(root);
        if (knownAnalyzers != null) {
            errors.addAll(new Steering(source.name(), null, 0, null, p.analyzerNames).checkAnalyzers(knownAnalyzers));
        }
        if (signatureFiles == null) {
            signatureFiles = List.of();
            p.profiles[NORMAL].matchers.clear();
            p.profiles[NORMAL].globNodes.clear();
            p.profiles[ENHANCED].matchers.clear();
            p.profiles[ENHANCED].globNodes.clear();
        }
        if (errors.isEmpty()) {
            SteeringProfile[] profiles = new SteeringProfile[2];
            Map<Set<Integer>, SignatureSet> compiled = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                ProfileSpec ps = p.profiles[i];
                Set<Integer> chosen = p.select(ps, signatureFiles);
                SignatureSet set;
                if (chosen.size() == signatureFiles.size()) {
                    set = all;
                } else if (compiled.containsKey(chosen)) {
                    set = compiled.get(chosen);
                } else {
                    List<SourceFile> files = new ArrayList<>();
                    for (int k : chosen) {
                        files.add(signatureFiles.get(k));
                    }
                    try {
                        set = SignatureSet.compile(files, limits);
                    } catch (PolicyException e) {
                        for (PolicyError err : e.errors()) {
                            errors.add(new PolicyError(err.file(), err.line(), err.column(), "in profile "
                                    + PROFILE_NAMES.get(i) + " (" + source.name() + ":" + ps.line + "): "
                                    + err.message()));
                        }
                        set = SignatureSet.empty();
                    }
                    compiled.put(chosen, set);
                }
                profiles[i] = new SteeringProfile(PROFILE_NAMES.get(i), i, ps.analyzers, ps.globs, set, ps.depth);
            }
            if (errors.isEmpty()) {
                return new Steering(source.name(), profiles, p.defaultProfile, SteeringRules.compile(p.rules),
                        p.analyzerNames);
            }
        }
        errors.sort(Comparator.comparing((PolicyError e) -> !e.file().equals(source.name()))
                .thenComparingInt(PolicyError::line).thenComparingInt(PolicyError::column));
        throw new PolicyException(errors);
    }

    /** Parses a steering file alone (no signature files); for tests and tools. */
    public static Steering parse(SourceFile source, Limits limits) throws PolicyException {
        return load(source, List.of(), SignatureSet.empty(), limits);
    }

    private static final class ProfileSpec {
        int line;
        /** Null = all analyzers. */
        Set<String> analyzers;
        List<String> globs = List.of("*");
        /** Parsed globs with their positions (empty for the default "*"). */
        List<PathMatcher> matchers = new ArrayList<>();
        List<Scalar> globNodes = new ArrayList<>();
        int depth;
    }

    /** Reads the tree into specs, reporting every problem at its position. */
    private static final class Parser {
        final String file;
        final List<PolicyError> errors;
        final ProfileSpec[] profiles = {new ProfileSpec(), new ProfileSpec()};
        int defaultProfile = NORMAL;
        final List<SteeringRules.Spec> rules = new ArrayList<>();
        final List<NameAt> analyzerNames = new ArrayList<>();

        Parser(String file, List<PolicyError> errors, Limits limits) {
            this.file = file;
            this.errors = errors;
            profiles[NORMAL].depth = limits.payloadDepth();
            profiles[ENHANCED].depth = Math.max(ENHANCED_PAYLOAD_DEPTH, limits.payloadDepth());
        }

        void top(Node root) {
            if (root == null) {
                return; // empty file (or a syntax error already reported): built-in defaults
            }
            if (root instanceof Scalar s && s.kind() == Kind.NULL) {
                return;
            }
            if (!(root instanceof MapNode map)) {
                error(root, "expected a mapping with keys " + String.join(", ", TOP_KEYS) + ", got "
                        + YamlTree.describe(root));
                return;
            }
            checkKeys(map, TOP_KEYS, "at top level");
            Entry ps = map.entries().get("profiles");
            if (ps != null) {
                if (ps.value() instanceof MapNode pm) {
                    for (Entry e : pm.entries().values()) {
                        int idx = PROFILE_NAMES.indexOf(e.key());
                        if (idx < 0) {
                            error(e.line(), e.col(), "unknown profile '" + e.key()
                                    + "' (profiles are normal and enhanced)");
                        } else {
                            profile(profiles[idx], e);
                        }
                    }
                } else if (!isNull(ps.value())) {
                    error(ps.value(), "profiles must be a mapping of normal/enhanced, got "
                            + YamlTree.describe(ps.value()));
                }
            }
            Entry d = map.entries().get("default");
            if (d != null) {
                int idx = profileName(d.value());
                if (idx >= 0) {
                    defaultProfile = idx;
                }
            }
            Entry rs = map.entries().get("rules");
            if (rs != null) {
                if (rs.value() instanceof SeqNode seq) {
                    if (seq.items().size() > MAX_RULES) {
                        error(seq, "too many rules: " + seq.items().size() + " > " + MAX_RULES);
                    }
                    for (Node item : seq.items()) {
                        rule(item);
                    }
                } else if (!isNull(rs.value())) {
                    error(rs.value(), "rules must be a list of rules, got " + YamlTree.describe(rs.value()));
                }
            }
        }

        private void profile(ProfileSpec spec, Entry e) {
            spec.line = e.line();
            if (isNull(e.value())) {
                return;
            }
            if (!(e.value() instanceof MapNode map)) {
                error(e.value(), "profile " + e.key()
                        + " must be a mapping (analyzers, signatures, payload_depth), got " + YamlTree.describe(e.value()));
                return;
            }
            checkKeys(map, PROFILE_KEYS, "in profile " + e.key());
            Entry a = map.entries().get("analyzers");
            if (a != null) {
                if (a.value() instanceof Scalar s && s.kind() == Kind.STRING && s.text().equals("all")) {
                    spec.analyzers = null;
                } else if (a.value() instanceof SeqNode seq) {
                    Set<String> names = new LinkedHashSet<>();
                    for (Node n : seq.items()) {
                        if (n instanceof Scalar s && s.kind() == Kind.STRING && ANALYZER.matcher(s.text()).matches()) {
                            if (!names.add(s.text())) {
                                error(n, "analyzer '" + s.text() + "' listed twice");
                            }
                            analyzerNames.add(new NameAt(s.text(), s.line(), s.col()));
                        } else {
                            error(n, "an analyzers entry must be an analyzer name in lower case such as http or dns, "
                                    + "got " + YamlTree.describe(n));
                        }
                    }
                    spec.analyzers = names;
                } else {
                    error(a.value(), "analyzers must be a list of analyzer names or 'all', got "
                            + YamlTree.describe(a.value()));
                }
            }
            Entry g = map.entries().get("signatures");
            if (g != null) {
                List<String> globs = new ArrayList<>();
                for (Node n : scalarOrList(g)) {
                    if (n instanceof Scalar s && s.kind() == Kind.STRING && !s.text().isBlank()) {
                        try {
                            spec.matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + s.text()));
                            spec.globNodes.add(s);
                            globs.add(s.text());
                        } catch (RuntimeException ex) {
                            error(n, "bad glob '" + s.text() + "': " + firstLine(ex.getMessage()));
                        }
                    } else {
                        error(n, "a signatures entry must be a glob over the file names in signatures/ such as "
                                + "\"*.sig\", got " + YamlTree.describe(n));
                    }
                }
                spec.globs = globs;
            }
            Entry pd = map.entries().get("payload_depth");
            if (pd != null) {
                long v = integer(pd.value(), 0, MAX_PAYLOAD_DEPTH, "payload_depth");
                if (v >= 0) {
                    spec.depth = (int) v;
                }
            }
        }

        /** Indexes of the files a profile selects; a glob that selects nothing is an error. */
        Set<Integer> select(ProfileSpec spec, List<SourceFile> files) {
            Set<Integer> out = new java.util.TreeSet<>();
            if (spec.globNodes.isEmpty() && spec.globs.equals(List.of("*"))) {
                for (int i = 0; i < files.size(); i++) {
                    out.add(i);
                }
                return out;
            }
            for (int g = 0; g < spec.matchers.size(); g++) {
                boolean any = false;
                for (int i = 0; i < files.size(); i++) {
                    String name = files.get(i).name();
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    if (spec.matchers.get(g).matches(Path.of(base))) {
                        out.add(i);
                        any = true;
                    }
                }
                if (!any) {
                    Scalar s = spec.globNodes.get(g);
                    error(s, "signatures glob '" + s.text() + "' matches no file in signatures/");
                }
            }
            return out;
        }

        private void rule(Node item) {
            if (!(item instanceof MapNode map)) {
                error(item, "a rule must be a mapping (profile, proto, orig_nets, resp_nets, orig_ports, resp_ports, "
                        + "both_directions), got " + YamlTree.describe(item));
                return;
            }
            int before = errors.size();
            checkKeys(map, RULE_KEYS, "in rule");
            Entry pe = map.entries().get("profile");
            int profile = -1;
            if (pe == null) {
                error(map, "rule is missing required key 'profile'");
            } else {
                profile = profileName(pe.value());
            }
            long[] proto = null;
            Entry pr = map.entries().get("proto");
            if (pr != null) {
                proto = new long[4];
                for (Node n : scalarOrList(pr)) {
                    int p = protocol(n);
                    if (p >= 0) {
                        proto[p >>> 6] |= 1L << (p & 63);
                    }
                }
            }
            List<long[]> origNets = nets(map.entries().get("orig_nets"));
            List<long[]> respNets = nets(map.entries().get("resp_nets"));
            List<int[]> origPorts = ports(map.entries().get("orig_ports"));
            List<int[]> respPorts = ports(map.entries().get("resp_ports"));
            boolean both = false;
            Entry b = map.entries().get("both_directions");
            if (b != null) {
                if (b.value() instanceof Scalar s && s.kind() == Kind.BOOL) {
                    both = s.text().equals("true");
                } else {
                    error(b.value(), "both_directions must be true or false, got " + YamlTree.describe(b.value()));
                }
            }
            if (errors.size() == before) {
                rules.add(new SteeringRules.Spec(profile, proto, origNets, respNets, origPorts, respPorts, both));
            }
        }

        private int profileName(Node n) {
            if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                int idx = PROFILE_NAMES.indexOf(s.text());
                if (idx >= 0) {
                    return idx;
                }
                error(n, "unknown profile '" + s.text() + "' (profiles are normal and enhanced)");
                return -1;
            }
            error(n, "a profile must be normal or enhanced, got " + YamlTree.describe(n));
            return -1;
        }

        private int protocol(Node n) {
            if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                switch (s.text().toLowerCase(Locale.ROOT)) {
                    case "tcp" -> {
                        return 6;
                    }
                    case "udp" -> {
                        return 17;
                    }
                    case "icmp" -> {
                        return 1;
                    }
                    case "icmp6" -> {
                        return 58;
                    }
                    default -> {
                    }
                }
            }
            if (n instanceof Scalar s && s.kind() == Kind.INT) {
                return (int) integer(n, 0, 255, "proto");
            }
            error(n, "proto must be tcp, udp, icmp, icmp6 or an IP protocol number 0..255, got "
                    + YamlTree.describe(n));
            return -1;
        }

        private List<long[]> nets(Entry e) {
            List<long[]> out = new ArrayList<>();
            if (e == null) {
                return out;
            }
            List<Node> items = scalarOrList(e);
            if (items.isEmpty() && e.value() instanceof SeqNode) {
                error(e.value(), e.key() + " is an empty list (leave it out to match any address)");
            }
            for (Node n : items) {
                if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                    long[] p = prefix(s);
                    if (p != null) {
                        out.add(p);
                    }
                } else {
                    error(n, "a " + e.key() + " entry must be an address or CIDR such as 10.0.0.0/8 or "
                            + "2001:db8::/32, got " + YamlTree.describe(n));
                }
            }
            return out;
        }

        /** {value hi, value lo, mask hi, mask lo} of a CIDR or address, or null after reporting. */
        private long[] prefix(Scalar s) {
            String text = s.text().strip();
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            long[] a = new long[2];
            if (!IpAddress.parse(addr, a)) {
                error(s, "bad address '" + addr + "' in '" + text + "'");
                return null;
            }
            boolean v4 = addr.indexOf(':') < 0;
            int max = v4 ? 32 : 128;
            int len = max;
            if (slash >= 0) {
                String l = text.substring(slash + 1);
                if (!DIGITS.matcher(l).matches() || Integer.parseInt(l) > max) {
                    error(s, "bad prefix length '" + l + "' in '" + text + "' (0.." + max + ")");
                    return null;
                }
                len = Integer.parseInt(l);
            }
            int bits = v4 ? 96 + len : len;
            long mh = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            long ml = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            if ((a[0] & ~mh) != 0 || (a[1] & ~ml) != 0) {
                error(s, "'" + text + "' has host bits set (did you mean "
                        + IpAddress.format(a[0] & mh, a[1] & ml) + "/" + len + "?)");
                return null;
            }
            return new long[] {a[0], a[1], mh, ml};
        }

        private List<int[]> ports(Entry e) {
            List<int[]> out = new ArrayList<>();
            if (e == null) {
                return out;
            }
            List<Node> items = scalarOrList(e);
            if (items.isEmpty() && e.value() instanceof SeqNode) {
                error(e.value(), e.key() + " is an empty list (leave it out to match any port)");
            }
            for (Node n : items) {
                if (n instanceof Scalar s && s.kind() == Kind.INT) {
                    long v = integer(n, 0, 65535, "port");
                    if (v >= 0) {
                        out.add(new int[] {(int) v, (int) v});
                    }
                    continue;
                }
                if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                    String t = s.text().strip();
                    var m = RANGE.matcher(t);
                    if (DIGITS.matcher(t).matches() && Integer.parseInt(t) <= 65535) {
                        out.add(new int[] {Integer.parseInt(t), Integer.parseInt(t)});
                        continue;
                    }
                    if (m.matches()) {
                        int lo = Integer.parseInt(m.group(1));
                        int hi = Integer.parseInt(m.group(2));
                        if (lo > 65535 || hi > 65535) {
                            error(n, "port range '" + t + "' out of range 0..65535");
                        } else if (lo > hi) {
                            error(n, "port range '" + t + "' starts after it ends");
                        } else {
                            out.add(new int[] {lo, hi});
                        }
                        continue;
                    }
                }
                error(n, "a " + e.key() + " entry must be a port 0..65535 or a range such as \"8000-8099\", got "
                        + YamlTree.describe(n));
            }
            return out;
        }

        private long integer(Node n, long min, long max, String what) {
            if (n instanceof Scalar s && s.kind() == Kind.INT) {
                try {
                    long v = Long.parseLong(s.text());
                    if (v >= min && v <= max) {
                        return v;
                    }
                } catch (NumberFormatException ignored) {
                    // falls through to the range error
                }
                error(n, what + " " + s.text() + " out of range " + min + ".." + max);
                return -1;
            }
            error(n, what + " must be a number " + min + ".." + max + ", got " + YamlTree.describe(n));
            return -1;
        }

        private List<Node> scalarOrList(Entry e) {
            if (e.value() instanceof SeqNode seq) {
                return seq.items();
            }
            if (e.value() instanceof Scalar s && s.kind() != Kind.NULL) {
                return List.of(s);
            }
            error(e.value(), e.key() + " must be a value or a list, got " + YamlTree.describe(e.value()));
            return List.of();
        }

        private void checkKeys(MapNode map, List<String> allowed, String where) {
            for (Entry e : map.entries().values()) {
                if (!allowed.contains(e.key())) {
                    error(e.line(), e.col(), "unknown key '" + e.key() + "' " + where + "; allowed: "
                            + String.join(", ", allowed));
                }
            }
        }

        private static boolean isNull(Node n) {
            return YamlTree.isNull(n);
        }

        private void error(Node at, String reason) {
            error(at.line(), at.col(), reason);
        }

        private void error(int line, int col, String reason) {
            errors.add(new PolicyError(file, line, col, reason));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
