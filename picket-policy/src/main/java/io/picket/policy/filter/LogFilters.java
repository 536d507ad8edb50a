package io.picket.policy.filter;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.policy.Limits;
import io.picket.policy.PolicyError;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.expr.LogExpression;
import io.picket.policy.expr.LogExpressionException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A tenant's log filters, read from {@code filters.yaml}: per log path (Zeek's {@code #path}), a
 * list of filters applied in order to each record of that log. A record is written only if every
 * filter keeps it ({@code pred:} true, {@code drop:} false); a predicate that fails to evaluate
 * keeps the record and is counted. The written columns are those in every {@code include:} list
 * (when given) and in no {@code exclude:} list, in the log's order, so the TSV header shows exactly
 * those (as Zeek writes a filter's {@code include}/{@code exclude}).
 *
 * <pre>
 * dns:
 *   - name: no-aaaa
 *     drop: qtype_name == "AAAA"
 * conn:
 *   - name: web
 *     pred: id.resp_p == 80 || id.resp_p == 443
 *     exclude: [tunnel_parents]
 * </pre>
 *
 * <p>Immutable apart from per-schema caches; shared by shard threads. {@link #apply} runs on the
 * shard thread that writes the record.
 */
public final class LogFilters {
    private static final LogFilters EMPTY = new LogFilters(Map.of());
    private static final Pattern PATH = Pattern.compile("[a-z0-9_]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> KEYS = Set.of("name", "pred", "drop", "include", "exclude");
    /** Marks a schema whose columns are all written. */
    private static final Projection ALL = new Projection(null, null);

    private final Map<String, List<LogFilter>> byPath;
    private final Map<LogSchema, Projection> projections = new ConcurrentHashMap<>();

    private LogFilters(Map<String, List<LogFilter>> byPath) {
        this.byPath = byPath;
    }

    /** No filters: every record is written whole. */
    public static LogFilters empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    /** The filters of log {@code path}, in file order (empty when none). */
    public List<LogFilter> filters(String path) {
        return byPath.getOrDefault(path, List.of());
    }

    /** Log paths that have filters, in file order. */
    public Set<String> paths() {
        return byPath.keySet();
    }

    /**
     * Reads and compiles {@code file}. Log names and columns are checked and predicates type-checked
     * against {@code schemas} (path to schema) where the log is there; other logs' predicates are
     * type-checked on first use (a failure then is an evaluation error: counted, record kept). When
     * {@code schemas} is not empty a log missing from it is an error.
     *
     * @throws PolicyException listing every problem with file:line:col (for a predicate, the
     *                         position inside the expression)
     */
    public static LogFilters parse(SourceFile file, Limits limits, Map<String, LogSchema> schemas)
            throws PolicyException {
        Parser p = new Parser(file, limits, schemas);
        Map<String, List<LogFilter>> out = p.parse();
        if (!p.errors.isEmpty()) {
            throw new PolicyException(p.errors);
        }
        return out.isEmpty() ? EMPTY : new LogFilters(out);
    }

    /**
     * The record as it should be written, or null when a filter drops it. Records of logs without
     * filters are returned as they are and not counted. Called on the shard thread; allocates only
     * for predicate evaluation and when columns are removed.
     */
    public LogRecord apply(LogRecord record, FilterCounts counts) {
        List<LogFilter> fs = byPath.get(record.schema().path());
        if (fs == null) {
            return record;
        }
        for (int i = 0; i < fs.size(); i++) {
            LogFilter f = fs.get(i);
            if (f.predicate() != null) {
                boolean v;
                try {
                    v = f.predicate().test(record);
                } catch (LogExpressionException e) {
                    counts.errors++;
                    continue;
                }
                if (v == f.dropWhenTrue()) {
                    counts.dropped++;
                    return null;
                }
            }
        }
        counts.kept++;
        Projection p = projections.get(record.schema());
        if (p == null) {
            if (projections.size() >= 256) {
                projections.clear();
            }
            p = projections.computeIfAbsent(record.schema(), s -> projection(s, fs));
        }
        return p == ALL ? record : p.apply(record);
    }

    /** The schema records of {@code base} are written with (the same one when no column is removed). */
    public LogSchema schema(LogSchema base) {
        List<LogFilter> fs = byPath.get(base.path());
        if (fs == null) {
            return base;
        }
        Projection p = projections.computeIfAbsent(base, s -> projection(s, fs));
        return p == ALL ? base : p.schema;
    }

    private static Projection projection(LogSchema s, List<LogFilter> fs) {
        List<LogField> kept = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String n = s.field(i).name();
            boolean keep = true;
            for (LogFilter f : fs) {
                if ((f.include() != null && !f.include().contains(n)) || f.exclude().contains(n)) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(s.field(i));
                from.add(i);
            }
        }
        if (kept.size() == s.size() || kept.isEmpty()) {
            return ALL;
        }
        return new Projection(new LogSchema(s.path(), kept), from.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The written columns of one schema: the reduced schema and, per column, its source index. */
    private record Projection(LogSchema schema, int[] from) {
        LogRecord apply(LogRecord r) {
            LogRecord out = new LogRecord(schema);
            for (int i = 0; i < from.length; i++) {
                out.set(i, r.get(from[i]));
            }
            return out;
        }
    }

    /** Reads one filters.yaml; collects every error. */
    private static final class Parser {
        private final SourceFile file;
        private final Limits limits;
        private final Map<String, LogSchema> schemas;
        private final int[] text;
        final List<PolicyError> errors = new ArrayList<>();
        private int count;

        Parser(SourceFile file, Limits limits, Map<String, LogSchema> schemas) {
            this.file = file;
            this.limits = limits;
            this.schemas = schemas;
            this.text = file.text().codePoints().toArray();
        }

        Map<String, List<LogFilter>> parse() {
            Map<String, List<LogFilter>> out = new LinkedHashMap<>();
            Node root;
            try {
                LoaderOptions o = new LoaderOptions();
                o.setMaxAliasesForCollections(10);
                o.setCodePointLimit(4 * 1024 * 1024);
                root = new Yaml(new SafeConstructor(o), new org.yaml.snakeyaml.representer.Representer(
                        new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), o)
                        .compose(new StringReader(file.text()));
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark();
                errors.add(new PolicyError(file.name(), m == null ? 0 : m.getLine() + 1,
                        m == null ? 0 : m.getColumn() + 1, "YAML: " + e.getProblem()));
                return out;
            } catch (YAMLException e) {
                errors.add(new PolicyError(file.name(), 0, 0, "YAML: " + e.getMessage()));
                return out;
            }
            if (root == null) {
                return out;
            }
            if (!(root instanceof MappingNode m)) {
                error(root, "must be a mapping of log names to lists of filters, e.g. dns: [{name: x, drop: ...}]");
                return out;
            }
            for (NodeTuple t : m.getValue()) {
                String path = scalar(t.getKeyNode(), "log name");
                if (path == null) {
                    continue;
                }
                if (!PATH.matcher(path).matches()) {
                    error(t.getKeyNode(), "bad log name '" + path + "' (Zeek's path, e.g. conn, dns, http)");
                    continue;
                }
                if (out.containsKey(path)) {
                    error(t.getKeyNode(), "log '" + path + "' given twice");
                    continue;
                }
                LogSchema schema = schemas.get(path);
                if (schema == null && !schemas.isEmpty()) {
                    error(t.getKeyNode(), "unknown log '" + path + "' (known: "
                            + String.join(", ", new TreeSet<>(schemas.keySet())) + ")");
                    continue;
                }
                if (!(t.getValueNode() instanceof SequenceNode seq)) {
                    error(t.getValueNode(), "filters of " + path + " must be a list");
                    continue;
                }
                List<LogFilter> list = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (Node item : seq.getValue()) {
                    LogFilter f = filter(path, schema, item, names);
                    if (f != null) {
                        list.add(f);
                    }
                }
                if (!list.isEmpty()) {
                    out.put(path, List.copyOf(list));
                }
            }
            return out;
        }

        private LogFilter filter(String path, LogSchema schema, Node item, Set<String> names) {
            if (!(item instanceof MappingNode m)) {
                error(item, "a filter must be a mapping with name and pred, drop, include or exclude");
                return null;
            }
            if (++count > limits.maxFilters()) {
                if (count == limits.maxFilters() + 1) {
                    error(item, "more than maxFilters " + limits.maxFilters() + " filters");
                }
                return null;
            }
            Map<String, NodeTuple> keys = new LinkedHashMap<>();
            int before = errors.size();
            for (NodeTuple t : m.getValue()) {
                String k = scalar(t.getKeyNode(), "key");
                if (k == null) {
                    continue;
                }
                if (!KEYS.contains(k)) {
                    error(t.getKeyNode(), "unknown key '" + k + "' (name, pred, drop, include, exclude)");
                } else if (keys.put(k, t) != null) {
                    error(t.getKeyNode(), "key '" + k + "' given twice");
                }
            }
            String name = null;
            if (!keys.containsKey("name")) {
                error(item, "filter without a name");
            } else {
                Node n = keys.get("name").getValueNode();
                name = scalar(n, "name");
                if (name != null && !NAME.matcher(name).matches()) {
                    error(n, "bad filter name '" + name + "' (letters, digits, . _ -)");
                } else if (name != null && !names.add(name)) {
                    error(n, "filter '" + name + "' of " + path + " given twice");
                }
            }
            if (keys.containsKey("pred") && keys.containsKey("drop")) {
                error(keys.get("drop").getKeyNode(), "give either pred (keep when true) or drop (drop when true)");
            }
            NodeTuple pt = keys.containsKey("pred") ? keys.get("pred") : keys.get("drop");
            LogExpression pred = pt == null ? null : predicate(pt.getValueNode(), schema);
            Set<String> include = keys.containsKey("include") ? columns(keys.get("include").getValueNode(), schema)
                    : null;
            Set<String> exclude = keys.containsKey("exclude") ? columns(keys.get("exclude").getValueNode(), schema)
                    : Set.of();
            if (pt == null && include == null && !keys.containsKey("exclude")) {
                error(item, "filter does nothing: give pred, drop, include or exclude");
            }
            if (schema != null && include != null && exclude != null) {
                boolean any = false;
                for (LogField f : schema.fields()) {
                    any |= include.contains(f.name()) && !exclude.contains(f.name());
                }
                if (!any && errors.size() == before) {
                    error(item, "include/exclude leave no column of " + path);
                }
            }
            if (errors.size() != before) {
                return null;
            }
            return new LogFilter(path, name, pred, !keys.containsKey("pred"), include, exclude,
                    item.getStartMark().getLine() + 1, item.getStartMark().getColumn() + 1);
        }

        private LogExpression predicate(Node n, LogSchema schema) {
            if (!(n instanceof ScalarNode s)) {
                error(n, "a predicate must be a CEL expression (a string)");
                return null;
            }
            try {
                LogExpression e = LogExpression.parse(s.getValue(), LogExpression.ResultType.BOOL, limits);
                if (schema != null) {
                    e.check(schema);
                }
                return e;
            } catch (LogExpressionException x) {
                for (LogExpressionException.Issue i : x.issues()) {
                    int[] at = position(s, i.line(), i.column());
                    errors.add(new PolicyError(file.name(), at[0], at[1], "CEL: " + i.message()));
                }
                if (x.issues().isEmpty()) {
                    error(n, "CEL: " + x.getMessage());
                }
                return null;
            }
        }

        private Set<String> columns(Node n, LogSchema schema) {
            if (!(n instanceof SequenceNode seq)) {
                error(n, "must be a list of column names, e.g. [id.orig_h, query]");
                return Set.of();
            }
            Set<String> out = new LinkedHashSet<>();
            for (Node c : seq.getValue()) {
                String name = scalar(c, "column name");
                if (name == null) {
                    continue;
                }
                if (schema != null && schema.indexOf(name) < 0) {
                    error(c, "no column '" + name + "' in " + schema.path() + ".log");
                } else if (!out.add(name)) {
                    error(c, "column '" + name + "' given twice");
                }
            }
            return Set.copyOf(out);
        }

        private String scalar(Node n, String what) {
            if (n instanceof ScalarNode s) {
                return s.getValue();
            }
            error(n, what + " must be a plain value");
            return null;
        }

        private void error(Node n, String message) {
            errors.add(new PolicyError(file.name(), n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1,
                    message));
        }

        /**
         * The file line and column (1-based) of position {@code line:col} (1-based) inside the value
         * of {@code s}: the value's characters are aligned with the file text from the node's start,
         * which follows quoting, escapes, folding and block indentation closely enough for errors.
         */
        private int[] position(ScalarNode s, int line, int col) {
            int[] value = s.getValue().codePoints().toArray();
            int offset = 0;
            for (int l = 1; l < line && offset < value.length; offset++) {
                if (value[offset] == '\n') {
                    l++;
                }
            }
            offset = Math.min(value.length, offset + Math.max(0, col - 1));
            int src = s.getStartMark().getIndex();
            int end = Math.min(text.length, s.getEndMark().getIndex());
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
                src = offset >= value.length ? Math.max(s.getStartMark().getIndex(), end) : s.getStartMark().getIndex();
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
    }
}
