package io.picket.sink.spool;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict reader of one config mapping (a Jackson {@link JsonNode}): typed getters with defaults
 * and bounds, problems collected (not thrown) with the option's path, and {@link #finish()}
 * reporting every key nobody asked for. Used at startup by the sink config parser and by each
 * {@link SinkProvider}; not thread-safe.
 *
 * <p>Sizes are an integer number of bytes or a number with a unit ({@code 512KiB}, {@code 64MiB},
 * {@code 1GiB}, {@code 10MB}); durations need a unit ({@code 250ms}, {@code 5s}, {@code 2m},
 * {@code 1h}); choices are lower-case words ({@code drop_oldest}).
 */
public final class ConfigReader {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final UnaryOperator<String> env;
    private final Set<String> used = new LinkedHashSet<>();

    private ConfigReader(JsonNode node, String path, List<String> problems, UnaryOperator<String> env) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.env = env;
    }

    /** A reader of {@code node} (must be a mapping, else a problem is recorded) at {@code path}. */
    public static ConfigReader of(JsonNode node, String path, List<String> problems, UnaryOperator<String> env) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": expected a mapping, got " + describe(node));
            node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        return new ConfigReader(node, path, problems, env);
    }

    public String path() {
        return path;
    }

    /** Problems recorded so far (shared with child readers). */
    public List<String> problems() {
        return problems;
    }

    public boolean has(String key) {
        used.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** Records a problem with option {@code key}. */
    public void problem(String key, String message) {
        problems.add(where(key) + ": " + message);
    }

    public String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonNode value(String key) {
        used.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    public String string(String key, String def) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
            problem(key, "expected a string, got " + describe(v));
            return def;
        }
        return v.asText();
    }

    public String requiredString(String key) {
        if (value(key) == null) {
            problem(key, "required");
            return null;
        }
        return string(key, null);
    }

    public int integer(String key, int def, int min, int max) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            problem(key, "expected an integer, got " + describe(v));
            return def;
        }
        int i = v.intValue();
        if (i < min || i > max) {
            problem(key, "must be between " + min + " and " + max + ", got " + i);
            return def;
        }
        return i;
    }

    public boolean bool(String key, boolean def) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            problem(key, "expected true or false, got " + describe(v));
            return def;
        }
        return v.booleanValue();
    }

    /** A byte size; see the class comment for the syntax. */
    public long bytes(String key, long def, long min, long max) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.longValue();
        } else if (v.isTextual()) {
            Matcher m = SIZE.matcher(v.asText().trim());
            if (!m.matches()) {
                problem(key, "expected a size like 64MiB, got " + describe(v));
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
            try {
                n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            } catch (ArithmeticException | NumberFormatException e) {
                problem(key, "size too large: " + v.asText());
                return def;
            }
        } else {
            problem(key, "expected a size like 64MiB, got " + describe(v));
            return def;
        }
        if (n < min || n > max) {
            problem(key, "must be between " + min + " and " + max + " bytes, got " + n);
            return def;
        }
        return n;
    }

    /** A duration with unit; see the class comment. */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        Matcher m = v.isTextual() ? DURATION.matcher(v.asText().trim()) : null;
        if (m == null || !m.matches()) {
            problem(key, "expected a duration with a unit (250ms, 5s, 2m, 1h), got " + describe(v));
            return def;
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            problem(key, "duration too large: " + v.asText());
            return def;
        }
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(key, "must be between " + text(min) + " and " + text(max) + ", got " + v.asText());
            return def;
        }
        return d;
    }

    /** One of the constants of {@code type}, written in lower case. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            names.add(name);
            if (v.isTextual() && v.asText().equals(name)) {
                return e;
            }
        }
        problem(key, "expected one of " + String.join(", ", names) + ", got " + describe(v));
        return def;
    }

    /** A nested mapping; an empty one when absent (so its defaults apply). */
    public ConfigReader child(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return new ConfigReader(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                    where(key), problems, env);
        }
        return of(v, where(key), problems, env);
    }

    /** A secret given as {@code {file: PATH}} or {@code {env: NAME}}; null when absent. */
    public Secret secret(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return null;
        }
        return secretValue(key, v);
    }

    private Secret secretValue(String key, JsonNode v) {
        if (v.isTextual()) {
            problem(key, "secrets are not written inline: use {file: PATH} or {env: NAME}");
            return null;
        }
        if (!v.isObject() || v.size() != 1 || !(v.has("file") || v.has("env")) || !v.elements().next().isTextual()) {
            problem(key, "expected {file: PATH} or {env: NAME}, got " + describe(v));
            return null;
        }
        if (v.has("file")) {
            Path p = Path.of(v.get("file").asText());
            if (!Files.isReadable(p)) {
                problem(key, "secret file " + p + " does not exist or is not readable");
            }
            return Secret.file(p);
        }
        String name = v.get("env").asText();
        Secret s = Secret.env(name, env);
        if (!s.available()) {
            problem(key, "environment variable " + name + " is not set");
        }
        return s;
    }

    /** A mapping of names to strings or secrets ({@code file}/{@code env}); empty when absent. */
    public Map<String, Object> stringOrSecretMap(String key) {
        JsonNode v = value(key);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            problem(key, "expected a mapping, got " + describe(v));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode x = e.getValue();
            if (x.isObject()) {
                Secret s = secretValue(key + "." + e.getKey(), x);
                if (s != null) {
                    out.put(e.getKey(), s);
                }
            } else if (x.isValueNode() && !x.isNull()) {
                out.put(e.getKey(), x.asText());
            } else {
                problem(key + "." + e.getKey(), "expected a string or {file|env: ...}, got " + describe(x));
            }
        }
        return out;
    }

    /** A list of strings; {@code def} when absent. */
    public List<String> stringList(String key, List<String> def) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        if (!v.isArray()) {
            problem(key, "expected a list, got " + describe(v));
            return def;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                problem(key, "expected strings, got " + describe(x));
                return def;
            }
            out.add(x.asText());
        }
        return out;
    }

    /** Records a problem for every key of the mapping that no getter asked for. */
    public void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!used.contains(k)) {
                problems.add(where(k) + ": unknown option (known here: " + String.join(", ", used) + ")");
            }
        }
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.isTextual() ? "\"" + v.asText() + "\"" : v.asText();
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
