package io.picket.policy.notice;

import io.picket.policy.yaml.YamlTree;
import io.picket.policy.yaml.YamlTree.Entry;
import io.picket.policy.yaml.YamlTree.Kind;
import io.picket.policy.yaml.YamlTree.MapNode;
import io.picket.policy.yaml.YamlTree.Node;
import io.picket.policy.yaml.YamlTree.Scalar;
import io.picket.policy.yaml.YamlTree.SeqNode;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code notice.yaml} with Jackson's streaming YAML parser into a small tree that keeps the
 * line and column of every key and value, then validates it. Collects every problem. Runs on the
 * control thread when a bundle is loaded.
 */
final class NoticeYaml {
    private static final Pattern INTERVAL = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s*(usecs?|msecs?|secs?|s|mins?|m|hrs?|h|days?|d)?");
    private static final double MAX_INTERVAL = 366 * 86400.0;

    private static final List<String> TOP_KEYS = List.of("ignored_types", "not_suppressed_types",
            "default_suppression_interval", "suppression_intervals", "ssh_bruteforcing", "scan", "notices");
    private static final List<String> NOTICE_KEYS = List.of("note", "log", "when", "msg", "sub", "identifier",
            "suppress_for");
    private static final Pattern NOTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)+");
    private static final List<String> SSH_KEYS = List.of("enabled", "password_guesses_limit", "guessing_timeout");
    private static final List<String> SCAN_KEYS = List.of("enabled", "addr_scan_threshold", "addr_scan_interval",
            "port_scan_threshold", "port_scan_interval");

    private final String source;
    private final io.picket.policy.Limits limits;
    private final Map<String, io.picket.log.LogSchema> schemas;
    private final List<PolicyError> problems = new ArrayList<>();
    private final Map<String, List<CustomNotice>> custom = new LinkedHashMap<>();
    private final Map<String, Double> customIntervals = new HashMap<>();
    private final Set<String> customNames = new java.util.LinkedHashSet<>();
    private int[] fileText = new int[0];

    NoticeYaml(String source) {
        this(source, io.picket.policy.Limits.DEFAULT, Map.of());
    }

    NoticeYaml(String source, io.picket.policy.Limits limits, Map<String, io.picket.log.LogSchema> schemas) {
        this.source = source;
        this.limits = limits;
        this.schemas = schemas;
    }

    NoticePolicy read(String text) throws PolicyException {
        fileText = text.codePoints().toArray();
        Node root = tree(text);
        NoticePolicy d = NoticePolicy.DEFAULT;
        Set<String> ignored = new HashSet<>();
        Set<String> notSuppressed = new HashSet<>();
        Map<String, Double> intervals = new HashMap<>();
        double defaultSuppression = d.defaultSuppression();
        boolean ssh = d.sshBruteforcing();
        double limit = d.passwordGuessesLimit();
        double timeout = d.guessingTimeout();
        boolean scan = d.scan();
        double addrThreshold = d.addrScanThreshold();
        double addrInterval = d.addrScanInterval();
        double portThreshold = d.portScanThreshold();
        double portInterval = d.portScanInterval();
        if (root instanceof MapNode map) {
            checkKeys(map, TOP_KEYS, "at top level");
            Map<String, Entry> e = map.entries();
            notices(e.get("notices"));
            types(e.get("ignored_types"), ignored);
            types(e.get("not_suppressed_types"), notSuppressed);
            defaultSuppression = interval(e.get("default_suppression_interval"), defaultSuppression, true);
            Entry si = e.get("suppression_intervals");
            if (si != null) {
                if (si.value() instanceof MapNode m) {
                    for (Entry t : m.entries().values()) {
                        if (type(t.key(), t.line(), t.col())) {
                            intervals.put(t.key(), interval(t, 0, true));
                            if (customIntervals.containsKey(t.key())) {
                                problems.add(new PolicyError(source, t.line(), t.col(), "suppression interval of '"
                                        + t.key() + "' given twice (here and as suppress_for of the notice)"));
                            }
                        }
                    }
                } else if (!isNull(si.value())) {
                    problem(si.value(), "suppression_intervals must be a mapping of notice type to interval, got "
                            + describe(si.value()));
                }
            }
            MapNode sshMap = section(e.get("ssh_bruteforcing"), SSH_KEYS);
            if (sshMap != null) {
                ssh = bool(sshMap.entries().get("enabled"), ssh);
                limit = positive(sshMap.entries().get("password_guesses_limit"), limit);
                timeout = interval(sshMap.entries().get("guessing_timeout"), timeout, false);
            }
            MapNode scanMap = section(e.get("scan"), SCAN_KEYS);
            if (scanMap != null) {
                Map<String, Entry> s = scanMap.entries();
                scan = bool(s.get("enabled"), scan);
                addrThreshold = positive(s.get("addr_scan_threshold"), addrThreshold);
                addrInterval = interval(s.get("addr_scan_interval"), addrInterval, false);
                portThreshold = positive(s.get("port_scan_threshold"), portThreshold);
                portInterval = interval(s.get("port_scan_interval"), portInterval, false);
            }
        } else if (root != null && !isNull(root)) {
            problem(root, "expected a mapping with keys " + String.join(", ", TOP_KEYS) + ", got " + describe(root));
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(PolicyError::line).thenComparingInt(PolicyError::column));
            throw new PolicyException(problems);
        }
        customIntervals.forEach(intervals::putIfAbsent);
        return new NoticePolicy(ignored, notSuppressed, defaultSuppression, intervals, ssh, limit, timeout, scan,
                addrThreshold, addrInterval, portThreshold, portInterval, custom);
    }

    private MapNode section(Entry e, List<String> keys) {
        if (e == null || isNull(e.value())) {
            return null;
        }
        if (e.value() instanceof MapNode m) {
            checkKeys(m, keys, "in " + e.key());
            return m;
        }
        problem(e.value(), e.key() + " must be a mapping (" + String.join(", ", keys) + "), got "
                + describe(e.value()));
        return null;
    }

    private void types(Entry e, Set<String> out) {
        if (e == null || isNull(e.value())) {
            return;
        }
        if (!(e.value() instanceof SeqNode seq)) {
            problem(e.value(), e.key() + " must be a list of notice types, got " + describe(e.value()));
            return;
        }
        for (Node n : seq.items()) {
            if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                if (type(s.text(), s.line(), s.col())) {
                    out.add(s.text());
                }
            } else {
                problem(n, "a notice type must be a name such as SSH::Password_Guessing, got " + describe(n));
            }
        }
    }

    private boolean type(String name, int line, int col) {
        if (NoticePolicy.KNOWN_TYPES.contains(name) || customNames.contains(name)) {
            return true;
        }
        String hint = null;
        for (String k : NoticePolicy.KNOWN_TYPES) {
            if (YamlTree.editDistance(k.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 2) {
                hint = k;
                break;
            }
        }
        problems.add(new PolicyError(source, line, col, "unknown notice type '" + name + "'"
                + (hint != null ? " (did you mean '" + hint + "'?)" : "") + "; known: "
                + String.join(", ", NoticePolicy.KNOWN_TYPES)
                + (customNames.isEmpty() ? "" : " and this file's notices " + String.join(", ", customNames))));
        return false;
    }

    /** The {@code notices:} list: tenant-defined notices, each compiled against its log's schema. */
    private void notices(Entry e) {
        if (e == null || isNull(e.value())) {
            return;
        }
        if (!(e.value() instanceof SeqNode seq)) {
            problem(e.value(), "notices must be a list of notices (note, log, when, msg), got " + describe(e.value()));
            return;
        }
        int count = 0;
        for (Node item : seq.items()) {
            if (!(item instanceof MapNode m)) {
                problem(item, "a notice must be a mapping with note, log, when and msg, got " + describe(item));
                continue;
            }
            if (++count > limits.maxNotices()) {
                if (count == limits.maxNotices() + 1) {
                    problem(item, "more than maxNotices " + limits.maxNotices() + " notices");
                }
                continue;
            }
            int before = problems.size();
            checkKeys(m, NOTICE_KEYS, "in a notice");
            Map<String, Entry> k = m.entries();
            for (String required : List.of("note", "log", "when", "msg")) {
                if (!k.containsKey(required)) {
                    problem(item, "notice without " + required);
                }
            }
            String note = text(k.get("note"), "note");
            if (note != null) {
                Entry ne = k.get("note");
                if (!NOTE.matcher(note).matches()) {
                    problem(ne.value(), "bad notice type '" + note + "' (Module::Name, e.g. Acme::Big_Upload)");
                } else if (NoticePolicy.KNOWN_TYPES.contains(note)) {
                    problem(ne.value(), "'" + note + "' is a built-in notice type; give yours another name");
                } else if (!customNames.add(note)) {
                    problem(ne.value(), "notice '" + note + "' defined twice");
                }
            }
            String log = text(k.get("log"), "log");
            io.picket.log.LogSchema schema = null;
            if (log != null) {
                schema = schemas.get(log);
                if (log.equals("notice")) {
                    problem(k.get("log").value(), "a notice cannot be raised from notice.log itself");
                    log = null;
                } else if (schema == null && !schemas.isEmpty()) {
                    problem(k.get("log").value(), "unknown log '" + log + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(schemas.keySet())) + ")");
                    log = null;
                }
            }
            var when = expression(k.get("when"), io.picket.policy.expr.LogExpression.ResultType.BOOL, schema);
            var msg = expression(k.get("msg"), io.picket.policy.expr.LogExpression.ResultType.STRING, schema);
            var sub = expression(k.get("sub"), io.picket.policy.expr.LogExpression.ResultType.STRING, schema);
            var id = expression(k.get("identifier"), io.picket.policy.expr.LogExpression.ResultType.STRING, schema);
            Entry sf = k.get("suppress_for");
            double suppressFor = sf == null ? Double.NaN : interval(sf, Double.NaN, true);
            if (problems.size() != before || note == null || log == null || when == null || msg == null) {
                continue;
            }
            if (!Double.isNaN(suppressFor)) {
                customIntervals.put(note, suppressFor);
            }
            custom.computeIfAbsent(log, x -> new ArrayList<>()).add(new CustomNotice(note, log, when, msg, sub, id,
                    item.line()));
        }
    }

    private String text(Entry e, String what) {
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.kind() == Kind.STRING) {
            return s.text();
        }
        problem(e.value(), what + " must be a name, got " + describe(e.value()));
        return null;
    }

    /** Compiles one CEL expression; its problems are reported at their place inside the YAML value. */
    private io.picket.policy.expr.LogExpression expression(Entry e, io.picket.policy.expr.LogExpression.ResultType type,
                                                           io.picket.log.LogSchema schema) {
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof Scalar s) || s.kind() == Kind.NULL) {
            problem(e.value(), e.key() + " must be a CEL expression (a string), got " + describe(e.value()));
            return null;
        }
        try {
            var x = io.picket.policy.expr.LogExpression.parse(s.text(), type, limits);
            if (schema != null) {
                x.check(schema);
            }
            return x;
        } catch (io.picket.policy.expr.LogExpressionException x) {
            for (var i : x.issues()) {
                int[] at = position(s, i.line(), i.column());
                problems.add(new PolicyError(source, at[0], at[1], "CEL: " + i.message()));
            }
            if (x.issues().isEmpty()) {
                problem(s, "CEL: " + x.getMessage());
            }
            return null;
        }
    }

    /**
     * The file line and column (1-based) of position {@code line:col} (1-based) inside the value of
     * {@code s}, found by aligning the value's characters with the file text from the scalar's
     * start (follows quotes, escapes and block indentation closely enough for errors).
     */
    private int[] position(Scalar s, int line, int col) {
        int[] value = s.text().codePoints().toArray();
        int[] text = fileText;
        int offset = 0;
        for (int l = 1; l < line && offset < value.length; offset++) {
            if (value[offset] == '\n') {
                l++;
            }
        }
        offset = Math.min(value.length, offset + Math.max(0, col - 1));
        int start = Math.max(0, Math.min(text.length, s.start()));
        int end = Math.max(start, Math.min(text.length, s.end()));
        int src = start;
        for (int k = 0; k < offset && src < end; k++) {
            int v = value[k];
            while (src < end && text[src] != v) {
                src++;
            }
            src++;
        }
        while (offset < value.length && src < end && text[src] != value[offset]) {
            src++;
        }
        if (src >= end) {
            src = offset >= value.length ? end : start;
        }
        int ln = 1;
        int c = 1;
        for (int i = 0; i < src && i < text.length; i++) {
            if (text[i] == '\n') {
                ln++;
                c = 1;
            } else {
                c++;
            }
        }
        return new int[] {ln, c};
    }

    /** An interval: a number of seconds or a number with a Zeek unit (usec, msec, sec, min, hr, day) or s/m/h/d. */
    private double interval(Entry e, double dflt, boolean zeroAllowed) {
        if (e == null || isNull(e.value())) {
            return dflt;
        }
        if (e.value() instanceof Scalar s && s.kind() != Kind.BOOL && s.kind() != Kind.NULL
                && s.kind() != Kind.OTHER) {
            Matcher m = INTERVAL.matcher(s.text().strip());
            if (m.matches()) {
                double v = Double.parseDouble(m.group(1)) * unit(m.group(2));
                if (v > MAX_INTERVAL) {
                    problem(s, e.key() + " '" + s.text() + "' is longer than 366 days");
                } else if (v == 0 && !zeroAllowed) {
                    problem(s, e.key() + " must be longer than 0");
                } else {
                    return v;
                }
                return dflt;
            }
        }
        problem(e.value(), e.key() + " must be an interval such as 30min, 1hr or 90 (seconds), got "
                + describe(e.value()));
        return dflt;
    }

    private static double unit(String u) {
        if (u == null) {
            return 1;
        }
        return switch (u) {
            case "usec", "usecs" -> 1e-6;
            case "msec", "msecs" -> 1e-3;
            case "min", "mins", "m" -> 60;
            case "hr", "hrs", "h" -> 3600;
            case "day", "days", "d" -> 86400;
            default -> 1;
        };
    }

    private double positive(Entry e, double dflt) {
        if (e == null || isNull(e.value())) {
            return dflt;
        }
        if (e.value() instanceof Scalar s && (s.kind() == Kind.INT || s.kind() == Kind.FLOAT)) {
            double v = Double.parseDouble(s.text());
            if (v >= 1 && v <= 1e9) {
                return v;
            }
            problem(s, e.key() + " must be between 1 and 1000000000, got " + s.text());
            return dflt;
        }
        problem(e.value(), e.key() + " must be a number, got " + describe(e.value()));
        return dflt;
    }

    private boolean bool(Entry e, boolean dflt) {
        if (e == null) {
            return dflt;
        }
        if (e.value() instanceof Scalar s && s.kind() == Kind.BOOL) {
            return Boolean.parseBoolean(s.text());
        }
        problem(e.value(), e.key() + " must be true or false, got " + describe(e.value()));
        return dflt;
    }

    private void checkKeys(MapNode map, List<String> allowed, String where) {
        for (Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                String hint = null;
                for (String a : allowed) {
                    if (YamlTree.editDistance(e.key().toLowerCase(Locale.ROOT), a) <= 2) {
                        hint = a;
                        break;
                    }
                }
                problems.add(new PolicyError(source, e.line(), e.col(), "unknown key '" + e.key() + "' " + where
                        + (hint != null ? " (did you mean '" + hint + "'?)" : "") + "; allowed: "
                        + String.join(", ", allowed)));
            }
        }
    }

    private static boolean isNull(Node n) {
        return YamlTree.isNull(n);
    }


    private static String describe(Node n) {
        return YamlTree.describe(n);
    }

    private void problem(Node at, String reason) {
        problems.add(new PolicyError(source, at.line(), at.col(), reason));
    }

    private Node tree(String text) throws PolicyException {
        List<PolicyError> syntax = new ArrayList<>();
        Node root = YamlTree.parse(source, text, syntax);
        if (root == null && !syntax.isEmpty()) {
            throw new PolicyException(syntax);
        }
        problems.addAll(syntax);
        return root;
    }
}
