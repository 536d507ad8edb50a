package io.picket.tenant;

import io.picket.policy.yaml.YamlTree;
import io.picket.policy.yaml.YamlTree.Entry;
import io.picket.policy.yaml.YamlTree.Kind;
import io.picket.policy.yaml.YamlTree.MapNode;
import io.picket.policy.yaml.YamlTree.Node;
import io.picket.policy.yaml.YamlTree.Scalar;
import io.picket.policy.yaml.YamlTree.SeqNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code tenants.yaml} into {@link Tenant}s. Jackson's streaming YAML parser builds a small
 * tree that keeps the line and column of every key and value, so semantic problems (a VLAN
 * claimed twice, a bad CIDR) are reported where they are written. Problems are collected, not
 * thrown one by one. Used on the control thread at startup or reload.
 */
final class TenantsYaml {

    /** Empty plain values read as null; only true/false are booleans (yes/on stay strings). */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern RANGE = Pattern.compile("(\\d+)\\s*-\\s*(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final int MAX_INTERFACE_NAME = 15;

    private static final List<String> TOP_KEYS = List.of("tenants", "defaults", "capture_cores");
    /** Operator-set limits of a tenant's policy bundle (io.picket.policy.Limits), by tenants.yaml key. */
    private static final List<String> POLICY_KEYS = List.of("max_signatures", "max_pattern_length", "max_dfa_states",
            "max_total_dfa_states", "max_intel_entries", "payload_depth", "max_filters", "max_notices");
    private static final List<String> DEFAULTS_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("max_flows", "max_reassembly_bytes", "max_queue_slots"), POLICY_KEYS.stream())
            .toList();
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
    private static final List<String> TENANT_KEYS = List.of(
            "id", "vlans", "vlan_tag", "untagged", "interfaces", "local_nets", "private_is_local", "sinks",
            "dedicated_cores", "max_flows", "max_reassembly_bytes", "max_queue_slots", "max_signatures",
            "max_pattern_length", "max_dfa_states", "max_total_dfa_states", "max_intel_entries", "payload_depth",
            "max_filters", "max_notices");

    // ---- tree with positions ----

    private record Problem(int line, int col, String reason) {
    }

    /** Who claimed a VLAN id or interface first, for conflict messages. */
    private record Claim(int tenant, int line) {
    }

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    /** Run-wide quotas of {@code defaults:}, for tenants that give none. */
    private TenantLimits defaults = TenantLimits.NONE;

    TenantsYaml(String source) {
        this.source = source;
    }

    /** Parses and validates; returns the tenants or throws with every problem found. */
    List<Tenant> read(String text) throws TenantConfigException {
        Node root = tree(text);
        List<Tenant> tenants = new ArrayList<>();
        if (root == null || (root instanceof Scalar s && s.kind() == Kind.NULL)) {
            problem(1, 1, "empty file: expected a mapping with key 'tenants'");
        } else if (root instanceof MapNode map) {
            checkKeys(map, TOP_KEYS, "at top level");
            defaults(map.entries().get("defaults"));
            Entry capture = map.entries().get("capture_cores");
            if (capture != null) {
                captureCores = cpuList(capture, "capture_cores");
            }
            Entry list = map.entries().get("tenants");
            if (list == null) {
                problem(map, "missing key 'tenants'");
            } else if (list.value() instanceof SeqNode seq) {
                if (seq.items().isEmpty()) {
                    problem(seq, "no tenants defined: 'tenants' must list at least one tenant");
                }
                tenants(seq, tenants);
            } else {
                problem(list.value(), "'tenants' must be a list of tenants, got " + describe(list.value()));
            }
        } else {
            problem(root, "expected a mapping with key 'tenants', got " + describe(root));
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        return tenants;
    }

    // ---- semantic checks ----

    /** Claims made so far by earlier tenants, to detect conflicts. */
    private static final class Claims {
        final Map<String, Integer> idLines = new HashMap<>();
        final Claim[] outer = new Claim[VlanRange.MAX_ID + 1];
        final Claim[] inner = new Claim[VlanRange.MAX_ID + 1];
        final Map<String, Claim> interfaces = new HashMap<>();
        /** Tenant ids by index ("?" where unknown), for messages. */
        final List<String> ids = new ArrayList<>();
    }

    private static final String UNTAGGED_CLAIM = "untagged traffic (vlan 0)";

    private void tenants(SeqNode seq, List<Tenant> out) {
        Claims claims = new Claims();
        for (Node item : seq.items()) {
            if (item instanceof MapNode map) {
                out.add(tenant(map, claims));
            } else {
                problem(item, "a tenant must be a mapping (id, vlans, ...), got " + describe(item));
                claims.ids.add("?");
            }
        }
    }

    private Tenant tenant(MapNode map, Claims claims) {
        int index = claims.ids.size();
        int problemsBefore = problems.size();
        checkKeys(map, TENANT_KEYS, "in tenant");
        String id = tenantId(map, claims.idLines);
        claims.ids.add(id == null ? "?" : id);
        VlanTag tag = vlanTag(map.entries().get("vlan_tag"));

        boolean untagged = false;
        Entry untaggedEntry = map.entries().get("untagged");
        if (untaggedEntry != null && Boolean.TRUE.equals(bool(untaggedEntry))) {
            untagged = true;
            claim(claims.outer, 0, 0, index, untaggedEntry.value(), claims.ids, UNTAGGED_CLAIM, "");
        }
        List<VlanRange> vlans = new ArrayList<>();
        Entry vlansEntry = map.entries().get("vlans");
        for (Node v : vlansEntry == null ? List.<Node>of() : list(vlansEntry)) {
            VlanRange r = vlanEntry(v);
            if (r == null) {
                if (isUntaggedWord(v)) {
                    untagged = true;
                    claim(claims.outer, 0, 0, index, v, claims.ids, UNTAGGED_CLAIM, "");
                }
            } else if (tag == VlanTag.OUTER) {
                vlans.add(r);
                untagged |= r.first() == 0;
                claim(claims.outer, r.first(), r.last(), index, v, claims.ids, null, "");
            } else {
                vlans.add(r);
                claim(claims.inner, r.first(), r.last(), index, v, claims.ids, null, "inner ");
            }
        }
        List<String> interfaces = interfaces(map.entries().get("interfaces"), index, claims);
        LocalNets nets = localNets(map.entries().get("local_nets"), map.entries().get("private_is_local"));

        if (vlans.isEmpty() && !untagged && interfaces.isEmpty() && problems.size() == problemsBefore) {
            problem(map, "tenant " + (id == null ? "" : id + " ")
                    + "selects no traffic: give vlans, untagged: true or interfaces");
        }
        io.picket.affinity.CpuSet cores = dedicatedCores(map.entries().get("dedicated_cores"));
        TenantLimits limits = new TenantLimits(
                limit(map.entries().get("max_flows"), defaults.maxFlows(), false),
                limit(map.entries().get("max_reassembly_bytes"), defaults.maxReassemblyBytes(), true),
                limit(map.entries().get("max_queue_slots"), defaults.maxQueueSlots(), false),
                policyLimits(map, defaults.policy()));
        return new Tenant(id == null ? "?" : id, tag, vlans, untagged, interfaces, nets, cores, limits);
    }

    /** {@code defaults:} mapping: quotas of every tenant that does not set its own. */
    private void defaults(Entry e) {
        if (e == null) {
            return;
        }
        if (!(e.value() instanceof MapNode map)) {
            problem(e.value(), "'defaults' must be a mapping (max_flows, max_reassembly_bytes, max_queue_slots), got "
                    + describe(e.value()));
            return;
        }
        checkKeys(map, DEFAULTS_KEYS, "in defaults");
        defaults = new TenantLimits(limit(map.entries().get("max_flows"), TenantLimits.UNLIMITED, false),
                limit(map.entries().get("max_reassembly_bytes"), TenantLimits.UNLIMITED, true),
                limit(map.entries().get("max_queue_slots"), TenantLimits.UNLIMITED, false),
                policyLimits(map, io.picket.policy.Limits.DEFAULT));
    }

    /**
     * The policy limits of a tenant (or of {@code defaults:}): each key given replaces {@code base}'s
     * value; counts at least 1 ({@code payload_depth} a size, 0 allowed), never {@code unlimited}.
     */
    private io.picket.policy.Limits policyLimits(MapNode map, io.picket.policy.Limits base) {
        io.picket.policy.Limits l = base;
        for (String key : POLICY_KEYS) {
            Entry e = map.entries().get(key);
            if (e == null) {
                continue;
            }
            boolean size = key.equals("payload_depth");
            long v = limit(e, -2, size);
            if (v == -2) {
                continue; // reported by limit()
            }
            long max = key.equals("max_total_dfa_states") ? Long.MAX_VALUE : Integer.MAX_VALUE;
            if (v > max || (key.equals("max_dfa_states") && v < 2)
                    || (key.equals("max_total_dfa_states") && v < 2)) {
                problem(e.value(), key + " must be a number" + (key.endsWith("dfa_states") ? " of at least 2" : "")
                        + (size ? " of bytes" : "") + " up to " + max + ", got " + describe(e.value()));
                continue;
            }
            int i = (int) Math.min(v, Integer.MAX_VALUE);
            l = switch (key) {
                case "max_signatures" -> l.withMaxSignatures(i);
                case "max_pattern_length" -> l.withMaxPatternLength(i);
                case "max_dfa_states" -> l.withMaxDfaStates(i);
                case "max_total_dfa_states" -> l.withMaxTotalDfaStates(v);
                case "max_intel_entries" -> l.withMaxIntelEntries(i);
                case "payload_depth" -> l.withPayloadDepth(i);
                case "max_filters" -> l.withMaxFilters(i);
                default -> l.withMaxNotices(i);
            };
        }
        return l;
    }

    /**
     * {@code max_flows} or {@code max_queue_slots} (a count, at least 1) or {@code max_reassembly_bytes} (a size, at least 0:
     * bytes as an integer or with a unit such as 64MiB); {@code unlimited} or absent = {@code def}.
     */
    private long limit(Entry e, long def, boolean size) {
        if (e == null) {
            return def;
        }
        if (e.value() instanceof Scalar s && s.kind() == Kind.STRING && s.text().strip().equals("unlimited")) {
            if (POLICY_KEYS.contains(e.key())) {
                problem(s, e.key() + " cannot be unlimited: give a number (omit it for the default)");
                return def;
            }
            return TenantLimits.UNLIMITED;
        }
        long min = size ? 0 : 1;
        boolean policyKey = POLICY_KEYS.contains(e.key());
        String expected = policyKey ? (size ? "a size such as 1024 or 4KiB" : "a count such as 1000")
                : size ? "a size such as 64MiB or unlimited"
                : e.key().equals("max_queue_slots") ? "a count of frames such as 4096 or unlimited"
                : "a count of connections such as 100000 or unlimited";
        if (!(e.value() instanceof Scalar s) || (s.kind() != Kind.INT && s.kind() != Kind.STRING)) {
            problem(e.value(), e.key() + " must be " + expected + ", got " + describe(e.value()));
            return def;
        }
        var m = SIZE.matcher(s.text().strip());
        if (!m.matches() || (!size && m.group(2) != null)) {
            problem(s, e.key() + " must be " + expected + ", got " + describe(s));
            return def;
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> 1L;
        };
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException ex) {
            problem(s, e.key() + " too large: " + s.text());
            return def;
        }
        if (n < min) {
            problem(s, e.key() + " must be at least " + min
                    + (policyKey ? "" : " (omit it or write unlimited for no limit)") + ", got " + n);
            return def;
        }
        return n;
    }

    /** {@code dedicated_cores: "2-3"}: cores only this tenant's shards run on (Linux CPU list syntax). */
    private io.picket.affinity.CpuSet dedicatedCores(Entry e) {
        if (e == null) {
            return io.picket.affinity.CpuSet.empty();
        }
        return cpuList(e, "dedicated_cores");
    }

    /** Top-level {@code capture_cores}: where live capture threads run, apart from the shards (empty if absent). */
    io.picket.affinity.CpuSet captureCores() {
        return captureCores;
    }

    private io.picket.affinity.CpuSet captureCores = io.picket.affinity.CpuSet.empty();

    private io.picket.affinity.CpuSet cpuList(Entry e, String key) {
        String text = e.value() instanceof Scalar s && (s.kind() == Kind.STRING || s.kind() == Kind.INT) ? s.text()
                : null;
        if (text == null) {
            problem(e.value(), key + " must be a CPU list such as \"2-3\" or \"4,6\", got " + describe(e.value()));
            return io.picket.affinity.CpuSet.empty();
        }
        try {
            io.picket.affinity.CpuSet set = io.picket.affinity.CpuSet.parse(text);
            if (set.isEmpty()) {
                problem(e.value(), key + " is empty");
            }
            return set;
        } catch (IllegalArgumentException ex) {
            problem(e.value(), "bad " + key + " '" + text + "': " + ex.getMessage());
            return io.picket.affinity.CpuSet.empty();
        }
    }

    private VlanTag vlanTag(Entry e) {
        if (e == null) {
            return VlanTag.OUTER;
        }
        String t = string(e);
        if ("inner".equals(t)) {
            return VlanTag.INNER;
        }
        if (t != null && !"outer".equals(t)) {
            problem(e.value(), "vlan_tag must be 'outer' or 'inner', got '" + t + "'");
        }
        return VlanTag.OUTER;
    }

    private List<String> interfaces(Entry e, int index, Claims claims) {
        List<String> names = new ArrayList<>();
        for (Node n : e == null ? List.<Node>of() : list(e)) {
            String name = interfaceName(n);
            if (name == null) {
                continue;
            }
            Claim prior = claims.interfaces.putIfAbsent(name, new Claim(index, n.line()));
            if (prior == null) {
                names.add(name);
            } else if (prior.tenant() == index) {
                problem(n, "interface " + name + " listed twice (line " + prior.line() + ")");
            } else {
                problem(n, "interface " + name + " already belongs to tenant "
                        + claims.ids.get(prior.tenant()) + " (line " + prior.line() + ")");
            }
        }
        return names;
    }

    /** Listed nets, plus Zeek's private address space unless private_is_local is false. */
    private LocalNets localNets(Entry netsEntry, Entry privateEntry) {
        boolean privateIsLocal = true;
        if (privateEntry != null) {
            Boolean b = bool(privateEntry);
            privateIsLocal = b == null || b;
        }
        List<IpPrefix> prefixes = new ArrayList<>();
        for (Node n : netsEntry == null ? List.<Node>of() : list(netsEntry)) {
            if (n instanceof Scalar s && s.kind() == Kind.STRING) {
                try {
                    prefixes.add(IpPrefix.parse(s.text()));
                } catch (IllegalArgumentException ex) {
                    problem(n, "bad local_nets entry: " + ex.getMessage());
                }
            } else {
                problem(n, "a local_nets entry must be a CIDR string such as 10.0.0.0/8, got " + describe(n));
            }
        }
        LocalNets nets = LocalNets.of(prefixes);
        return privateIsLocal ? nets.union(LocalNets.zeekDefault()) : nets;
    }

    private String tenantId(MapNode map, Map<String, Integer> idLines) {
        Entry e = map.entries().get("id");
        if (e == null) {
            problem(map, "tenant is missing required key 'id'");
            return null;
        }
        if (!(e.value() instanceof Scalar s) || (s.kind() != Kind.STRING && s.kind() != Kind.INT)) {
            problem(e.value(), "id must be a string, got " + describe(e.value()));
            return null;
        }
        String id = s.text();
        if (!ID.matcher(id).matches()) {
            problem(s, "bad tenant id '" + id + "': must match [a-z0-9][a-z0-9_-]{0,62}"
                    + " (lower case; it names the tenant's log folder)");
            return id;
        }
        Integer first = idLines.putIfAbsent(id, s.line());
        if (first != null) {
            problem(s, "duplicate tenant id '" + id + "' (first defined at line " + first + ")");
        }
        return id;
    }

    /**
     * Records {@code first..last} for {@code tenant}; reports each run of ids already owned by
     * another tenant as one problem at {@code where}. Ids a tenant lists twice are harmless and
     * not reported. {@code untaggedLabel} names the claim when it is the untagged claim.
     */
    private void claim(Claim[] table, int first, int last, int tenant, Node where, List<String> ids,
            String untaggedLabel, String kindPrefix) {
        int vid = first;
        while (vid <= last) {
            Claim prior = table[vid];
            if (prior == null) {
                table[vid] = new Claim(tenant, where.line());
                vid++;
                continue;
            }
            int runEnd = vid;
            while (runEnd + 1 <= last && prior.equals(table[runEnd + 1])) {
                runEnd++;
            }
            if (prior.tenant() != tenant) {
                String what;
                if (untaggedLabel != null) {
                    what = untaggedLabel + " already belongs";
                } else if (vid == runEnd) {
                    boolean untaggedSlot = vid == 0 && kindPrefix.isEmpty();
                    what = kindPrefix + "vlan " + vid + (untaggedSlot ? " (untagged traffic)" : "") + " already belongs";
                } else {
                    what = kindPrefix + "vlans " + vid + "-" + runEnd + " already belong";
                }
                problem(where, what + " to tenant " + ids.get(prior.tenant()) + " (line " + prior.line() + ")");
            }
            vid = runEnd + 1;
        }
    }

    /** A VLAN list entry as a range; null (after reporting, unless it is "untagged") otherwise. */
    private VlanRange vlanEntry(Node v) {
        if (!(v instanceof Scalar s) || (s.kind() != Kind.INT && s.kind() != Kind.STRING)) {
            problem(v, "a vlans entry must be a VLAN id, a range \"first-last\" or untagged, got " + describe(v));
            return null;
        }
        String text = s.text().strip();
        if (s.kind() == Kind.STRING && text.equals("untagged")) {
            return null;
        }
        if (NUMBER.matcher(text).matches()) {
            int id = vlanId(text);
            if (id < 0) {
                problem(s, "vlan " + text + " out of range 0..4095");
                return null;
            }
            return new VlanRange(id, id);
        }
        if (s.kind() == Kind.INT) { // negative or non-decimal number
            problem(s, "vlan " + text + " out of range 0..4095");
            return null;
        }
        var m = RANGE.matcher(text);
        if (s.kind() == Kind.STRING && m.matches()) {
            int a = vlanId(m.group(1));
            int b = vlanId(m.group(2));
            if (a < 0 || b < 0) {
                problem(s, "vlan range " + text + " out of range 0..4095");
                return null;
            }
            if (a > b) {
                problem(s, "vlan range " + text + " starts after it ends");
                return null;
            }
            return new VlanRange(a, b);
        }
        problem(s, "bad vlans entry '" + s.text() + "': expected a VLAN id 0..4095, a range such as \"1010-1019\" or untagged");
        return null;
    }

    private static boolean isUntaggedWord(Node v) {
        return v instanceof Scalar s && s.kind() == Kind.STRING && s.text().strip().equals("untagged");
    }

    /** Decimal VLAN id 0..4095, or -1. */
    private static int vlanId(String digits) {
        if (digits.length() > 4) {
            return -1;
        }
        int v = Integer.parseInt(digits);
        return v <= VlanRange.MAX_ID ? v : -1;
    }

    private String interfaceName(Node n) {
        if (!(n instanceof Scalar s) || s.kind() != Kind.STRING) {
            problem(n, "an interfaces entry must be an interface name, got " + describe(n));
            return null;
        }
        String name = s.text();
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            problem(s, "bad interface name '" + name + "': 1.." + MAX_INTERFACE_NAME
                    + " characters without spaces or '/'");
            return null;
        }
        return name;
    }

    // ---- typed access with problems ----

    private List<Node> list(Entry e) {
        if (e.value() instanceof SeqNode seq) {
            return seq.items();
        }
        problem(e.value(), e.key() + " must be a list, got " + describe(e.value()));
        return List.of();
    }

    private String string(Entry e) {
        if (e.value() instanceof Scalar s && s.kind() == Kind.STRING) {
            return s.text();
        }
        problem(e.value(), e.key() + " must be a string, got " + describe(e.value()));
        return null;
    }

    private Boolean bool(Entry e) {
        if (e.value() instanceof Scalar s && s.kind() == Kind.BOOL) {
            return Boolean.parseBoolean(s.text());
        }
        problem(e.value(), e.key() + " must be true or false, got " + describe(e.value()));
        return null;
    }

    private void checkKeys(MapNode map, List<String> allowed, String where) {
        for (Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                String hint = closest(e.key(), allowed);
                problem(e.line(), e.col(), "unknown key '" + e.key() + "' " + where
                        + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                        + "; allowed: " + String.join(", ", allowed));
            }
        }
    }

    private static String closest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = io.picket.policy.yaml.YamlTree.editDistance(key.toLowerCase(java.util.Locale.ROOT), a);
            if (d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return best;
    }


    private static String describe(Node n) {
        return YamlTree.describe(n);
    }

    // ---- problems ----

    private void problem(Node at, String reason) {
        problem(at.line(), at.col(), reason);
    }

    private void problem(int line, int col, String reason) {
        problems.add(new Problem(line, col, reason));
    }

    private TenantConfigException failure() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::col));
        List<String> lines = new ArrayList<>(sorted.size());
        for (Problem p : sorted) {
            lines.add(source + ":" + p.line() + ":" + p.col() + ": " + p.reason());
        }
        return new TenantConfigException(source, lines);
    }

    // ---- YAML to tree ----

    private Node tree(String text) throws TenantConfigException {
        List<io.picket.policy.PolicyError> errors = new ArrayList<>();
        Node root = YamlTree.parse(source, text, errors);
        if (root == null && !errors.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (io.picket.policy.PolicyError e : errors) {
                lines.add(source + ":" + e.line() + ":" + e.column() + ": " + e.message());
            }
            throw new TenantConfigException(source, lines);
        }
        for (io.picket.policy.PolicyError e : errors) {
            problem(e.line(), e.column(), e.message());
        }
        return root;
    }

}
