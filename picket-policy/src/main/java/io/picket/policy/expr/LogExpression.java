package io.picket.policy.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationResult;
import dev.cel.common.CelVarDecl;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.policy.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant-written CEL expression over the records of a log (a filter predicate, a notice
 * condition or message). Columns are variables named as in the log's {@code #fields} line
 * ({@code id.orig_h}, {@code qtype_name}); an unset column is {@code null}.
 *
 * <table>
 *   <caption>Column types as CEL sees them</caption>
 *   <tr><th>Zeek</th><th>CEL</th></tr>
 *   <tr><td>count, int, port</td><td>int (nullable)</td></tr>
 *   <tr><td>time, interval, double</td><td>double (nullable; seconds)</td></tr>
 *   <tr><td>bool</td><td>bool (nullable)</td></tr>
 *   <tr><td>string, enum, addr, subnet</td><td>string (nullable; addresses in Zeek's text form)</td></tr>
 *   <tr><td>set[T], vector[T]</td><td>list(T) (empty when unset)</td></tr>
 * </table>
 *
 * <p>No loops: comprehension macros ({@code all}, {@code exists}, {@code map}, {@code filter}) and
 * {@code has} are not available, so evaluation time is bounded by the expression's size and the
 * record's values. {@link #parse} also rejects an expression whose estimated {@link #cost()}
 * exceeds {@link Limits#maxExpressionCost()} or whose text exceeds {@link Limits#maxExpressionLength()},
 * and regular expressions ({@code matches}) must be string literals that RE2 accepts.
 *
 * <p>Parsed once; type-checked against each {@link LogSchema} it meets ({@link #check} at load time,
 * or on first use by {@link #test}/{@link #evalString}), the compiled program cached per schema.
 * Immutable apart from that cache; safe to share between shard threads. Evaluation errors (an
 * unset column used in arithmetic or ordering, a type mismatch found only at run time) are thrown
 * as {@link LogExpressionException} without a stack trace; callers count them.
 */
public final class LogExpression {
    /** What an expression yields. */
    public enum ResultType {
        BOOL,
        STRING
    }

    /** Cost units of a {@code matches} call on top of its pattern's length. */
    static final int REGEX_COST = 50;
    /** Cost units of a string scan ({@code contains}, {@code startsWith}, {@code endsWith}, {@code in}). */
    static final int SCAN_COST = 5;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableComprehension(false)
            .comprehensionMaxIterations(0)
            .enableHeterogeneousNumericComparisons(true)
            .maxParseRecursionDepth(64)
            .maxRegexProgramSize(10_000)
            .build();

    private static final Set<String> RESERVED = Set.of("as", "break", "const", "continue", "else", "false",
            "for", "function", "if", "import", "in", "let", "loop", "package", "namespace", "null", "return",
            "true", "var", "void", "while");
    private static final java.util.regex.Pattern IDENT = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final class Holder {
        static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros().build();
        static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
                .setStandardEnvironmentEnabled(false)
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES).build())
                .addFunctionBindings(
                        CelFunctionBinding.from("matches", String.class, String.class, LogExpression::matches),
                        CelFunctionBinding.from("matches_string", String.class, String.class, LogExpression::matches))
                .build();
    }

    /** Compiled patterns of {@code matches} (literals of loaded bundles; cleared when it grows past 4096). */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** CEL's {@code matches}: RE2 syntax, true when the pattern matches any part of {@code s}. */
    private static boolean matches(String s, String regex) {
        Pattern p = PATTERNS.get(regex);
        if (p == null) {
            if (PATTERNS.size() >= 4096) {
                PATTERNS.clear();
            }
            p = Pattern.compile(regex);
            PATTERNS.put(regex, p);
        }
        return p.matcher(s).find();
    }

    private final String source;
    private final ResultType resultType;
    private final CelAbstractSyntaxTree parsed;
    private final long cost;
    private final Set<String> columns;
    /** Checked programs by schema instance (a log's schemas are few and long-lived; the bound is a guard). */
    private final Map<LogSchema, Object> programs = new ConcurrentHashMap<>();
    private static final int MAX_SCHEMAS = 256;

    private LogExpression(String source, ResultType resultType, CelAbstractSyntaxTree parsed, long cost,
                          Set<String> columns) {
        this.source = source;
        this.resultType = resultType;
        this.parsed = parsed;
        this.cost = cost;
        this.columns = columns;
    }

    /**
     * Parses {@code source} and checks what can be checked without a schema: syntax, no loops,
     * regular expression literals, length and estimated cost against {@code limits}.
     *
     * @throws LogExpressionException with every problem and its position in {@code source}
     */
    public static LogExpression parse(String source, ResultType resultType, Limits limits)
            throws LogExpressionException {
        if (source.length() > limits.maxExpressionLength()) {
            throw fail(List.of(new LogExpressionException.Issue(1, 1, "expression is " + source.length()
                    + " characters long, more than maxExpressionLength " + limits.maxExpressionLength())));
        }
        CelValidationResult r;
        try {
            r = Holder.PARSER.parse(source);
        } catch (RuntimeException e) {
            throw fail(List.of(new LogExpressionException.Issue(1, 1, "cannot parse: " + e.getMessage())));
        }
        if (r.hasError()) {
            throw fail(issues(r.getErrors()));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = r.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw fail(issues(e.getErrors()));
        }
        List<LogExpressionException.Issue> problems = new ArrayList<>();
        long cost = 0;
        Set<String> columns = new LinkedHashSet<>();
        for (CelNavigableExpr n : (Iterable<CelNavigableExpr>) CelNavigableAst.fromAst(ast).getRoot().allNodes()::iterator) {
            CelExpr e = n.expr();
            cost++;
            switch (e.getKind()) {
                case COMPREHENSION -> problems.add(at(ast, e, "loops are not allowed"));
                case IDENT, SELECT -> {
                    String q = qualified(e);
                    boolean inner = n.parent().map(p -> p.expr().getKind() == CelExpr.ExprKind.Kind.SELECT
                            && qualified(p.expr()) != null).orElse(false);
                    if (q != null && !inner) {
                        columns.add(q);
                    }
                }
                case CALL -> {
                    String f = e.call().function();
                    switch (f) {
                        case "matches" -> {
                            List<CelExpr> args = e.call().args();
                            CelExpr p = args.isEmpty() ? null : args.get(args.size() - 1);
                            if (p == null || p.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                                    || p.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                                problems.add(at(ast, e, "the pattern of matches() must be a string literal"));
                            } else {
                                String pattern = p.constant().stringValue();
                                cost += REGEX_COST + pattern.length();
                                try {
                                    Pattern.compile(pattern);
                                } catch (PatternSyntaxException x) {
                                    problems.add(at(ast, p, "bad regular expression: " + x.getMessage()));
                                }
                            }
                        }
                        case "contains", "startsWith", "endsWith", "@in" -> cost += SCAN_COST;
                        default -> {
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (problems.isEmpty() && cost > limits.maxExpressionCost()) {
            problems.add(new LogExpressionException.Issue(1, 1, "estimated cost " + cost
                    + " exceeds maxExpressionCost " + limits.maxExpressionCost()));
        }
        if (!problems.isEmpty()) {
            throw fail(problems);
        }
        return new LogExpression(source, resultType, ast, cost, Set.copyOf(columns));
    }

    /** The expression text as written. */
    public String source() {
        return source;
    }

    public ResultType resultType() {
        return resultType;
    }

    /**
     * Estimated cost in units: one per node of the syntax tree, plus {@value #SCAN_COST} per string
     * scan or membership test and {@value #REGEX_COST} plus the pattern length per {@code matches}.
     */
    public long cost() {
        return cost;
    }

    /** Names the expression refers to as variables (dotted names whole, e.g. {@code id.orig_h}). */
    public Set<String> columns() {
        return columns;
    }

    /**
     * Type-checks the expression against {@code schema} (once per schema; cached).
     *
     * @throws LogExpressionException with every type error and its position in {@link #source()}
     */
    public void check(LogSchema schema) throws LogExpressionException {
        bound(schema);
    }

    /**
     * Evaluates a {@link ResultType#BOOL} expression on {@code record}. Called on shard threads.
     *
     * @throws LogExpressionException when it does not type-check against the record's schema or
     *                                evaluation fails (e.g. ordering on an unset column)
     */
    public boolean test(LogRecord record) throws LogExpressionException {
        Object v = eval(record);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new LogExpressionException("expression yielded " + describe(v) + ", not a bool", List.of());
    }

    /**
     * Evaluates a {@link ResultType#STRING} expression on {@code record}; null when it yields an
     * unset column. Called on shard threads.
     *
     * @throws LogExpressionException as {@link #test}
     */
    public String evalString(LogRecord record) throws LogExpressionException {
        Object v = eval(record);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof NullValue) {
            return null;
        }
        throw new LogExpressionException("expression yielded " + describe(v) + ", not a string", List.of());
    }

    private static String describe(Object v) {
        return v instanceof NullValue || v == null ? "null" : v.getClass().getSimpleName();
    }

    private Object eval(LogRecord record) throws LogExpressionException {
        Bound b = bound(record.schema());
        try {
            return b.program.eval(name -> b.resolve(name, record));
        } catch (CelEvaluationException e) {
            throw new LogExpressionException(e.getMessage(), List.of());
        } catch (RuntimeException e) {
            throw new LogExpressionException("evaluation failed: " + e, List.of());
        }
    }

    private Bound bound(LogSchema schema) throws LogExpressionException {
        Object p = programs.get(schema);
        if (p == null) {
            if (programs.size() >= MAX_SCHEMAS) {
                programs.clear();
            }
            p = programs.computeIfAbsent(schema, this::compile);
        }
        if (p instanceof LogExpressionException e) {
            throw e;
        }
        return (Bound) p;
    }

    /** A {@link Bound} program or the {@link LogExpressionException} explaining why there is none. */
    private Object compile(LogSchema schema) {
        Map<String, Integer> index = new HashMap<>();
        List<CelVarDecl> vars = new ArrayList<>();
        ZeekType[] types = new ZeekType[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            LogField f = schema.field(i);
            types[i] = f.type();
            if (isName(f.name())) {
                index.put(f.name(), i);
                vars.add(CelVarDecl.newVarDeclaration(f.name(), celType(f.type())));
            }
        }
        CelCompiler checker = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros().addVarDeclarations(vars).build();
        CelValidationResult r;
        try {
            r = checker.check(parsed);
        } catch (RuntimeException e) {
            return fail(List.of(new LogExpressionException.Issue(1, 1, "cannot type-check: " + e.getMessage())));
        }
        if (r.hasError()) {
            return fail(issues(r.getErrors()).stream().map(i -> unknownColumnHint(i, schema)).toList());
        }
        CelAbstractSyntaxTree checked;
        try {
            checked = r.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            return fail(issues(e.getErrors()));
        }
        CelType t = checked.getResultType();
        CelType base = t instanceof NullableType n ? n.targetType() : t;
        CelType want = resultType == ResultType.BOOL ? SimpleType.BOOL : SimpleType.STRING;
        if (!base.equals(want) && base.kind() != CelKind.DYN) {
            return fail(List.of(new LogExpressionException.Issue(1, 1, "expression must yield a "
                    + want.name() + ", it yields " + t.name())));
        }
        try {
            return new Bound(Holder.RUNTIME.createProgram(checked), Map.copyOf(index), types);
        } catch (RuntimeException | dev.cel.common.CelException e) {
            return fail(List.of(new LogExpressionException.Issue(1, 1, "cannot compile: " + e.getMessage())));
        }
    }

    private static LogExpressionException.Issue unknownColumnHint(LogExpressionException.Issue i, LogSchema schema) {
        if (i.message().startsWith("undeclared reference")) {
            return new LogExpressionException.Issue(i.line(), i.column(), i.message().replace(" (in container '')", "")
                    + ": not a column of " + schema.path() + ".log");
        }
        return i;
    }

    /** Whether a column name is a CEL (qualified) identifier. */
    static boolean isName(String name) {
        for (String part : name.split("\\.", -1)) {
            if (!IDENT.matcher(part).matches() || RESERVED.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /** The CEL type of a column of Zeek type {@code t}. */
    static CelType celType(ZeekType t) {
        if (t.isContainer()) {
            return ListType.create(scalar(t.elementType()));
        }
        return NullableType.create(scalar(t));
    }

    private static CelType scalar(ZeekType t) {
        return switch (t) {
            case TIME, INTERVAL, DOUBLE -> SimpleType.DOUBLE;
            case COUNT, INT, PORT -> SimpleType.INT;
            case BOOL -> SimpleType.BOOL;
            default -> SimpleType.STRING;
        };
    }

    /** A record value in its CEL form (see the class table). */
    static Object celValue(ZeekType t, Object v) {
        if (t.isContainer()) {
            if (!(v instanceof Collection<?> c)) {
                return List.of();
            }
            ZeekType e = t.elementType();
            List<Object> out = new ArrayList<>(c.size());
            for (Object x : c) {
                out.add(x == null ? NullValue.NULL_VALUE : celValue(e, x));
            }
            return out;
        }
        if (v == null) {
            return NullValue.NULL_VALUE;
        }
        return switch (t) {
            case TIME, INTERVAL, DOUBLE -> v instanceof Double || !(v instanceof Number n) ? v : (Object) n.doubleValue();
            case COUNT, INT, PORT -> v instanceof Long || !(v instanceof Number n) ? v : (Object) n.longValue();
            case BOOL -> v;
            default -> v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v.toString();
        };
    }

    /** A program checked against one schema, with the column index of each variable. */
    private record Bound(CelRuntime.Program program, Map<String, Integer> index, ZeekType[] types) {
        Optional<Object> resolve(String name, LogRecord record) {
            Integer i = index.get(name);
            if (i == null) {
                return Optional.empty();
            }
            return Optional.of(celValue(types[i], record.get(i)));
        }
    }

    private static String qualified(CelExpr e) {
        return switch (e.getKind()) {
            case IDENT -> e.ident().name();
            case SELECT -> {
                String q = qualified(e.select().operand());
                yield q == null || e.select().testOnly() ? null : q + "." + e.select().field();
            }
            default -> null;
        };
    }

    private static LogExpressionException.Issue at(CelAbstractSyntaxTree ast, CelExpr e, String message) {
        CelSource src = ast.getSource();
        Integer offset = src.getPositionsMap().get(e.id());
        if (offset != null) {
            Optional<CelSourceLocation> loc = src.getOffsetLocation(offset);
            if (loc.isPresent()) {
                return new LogExpressionException.Issue(loc.get().getLine(), loc.get().getColumn() + 1, message);
            }
        }
        return new LogExpressionException.Issue(1, 1, message);
    }

    private static List<LogExpressionException.Issue> issues(Collection<CelIssue> errors) {
        List<LogExpressionException.Issue> out = new ArrayList<>();
        for (CelIssue i : errors) {
            CelSourceLocation l = i.getSourceLocation();
            int line = Math.max(1, l.getLine());
            int col = Math.max(0, l.getColumn()) + 1;
            out.add(new LogExpressionException.Issue(line, col, i.getMessage()));
        }
        return out;
    }

    private static LogExpressionException fail(List<LogExpressionException.Issue> issues) {
        StringBuilder sb = new StringBuilder();
        for (LogExpressionException.Issue i : issues) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(i.line()).append(':').append(i.column()).append(": ").append(i.message());
        }
        return new LogExpressionException(sb.toString(), issues);
    }

    @Override
    public String toString() {
        return source;
    }
}
