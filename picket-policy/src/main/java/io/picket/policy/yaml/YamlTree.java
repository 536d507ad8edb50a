package io.picket.policy.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.picket.policy.PolicyError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that keeps the line and column of every key and value (and the
 * character offsets of every scalar), read with Jackson's streaming YAML parser, so that semantic
 * errors of the policy files (steering.yaml, notice.yaml) can be reported where they are written.
 * Problems (syntax, duplicate keys, several documents) go to the caller's error list. Control
 * thread only.
 */
public final class YamlTree {
    /** Empty plain values read as null; only true/false are booleans (yes/on stay strings). */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();

    public sealed interface Node permits MapNode, SeqNode, Scalar {
        int line();

        int col();
    }

    public record Entry(String key, int line, int col, Node value) {
    }

    public record MapNode(int line, int col, Map<String, Entry> entries) implements Node {
    }

    public record SeqNode(int line, int col, List<Node> items) implements Node {
    }

    public enum Kind { STRING, INT, FLOAT, BOOL, NULL, OTHER }

    /** A scalar with its character offsets in the file (start inclusive, end exclusive). */
    public record Scalar(int line, int col, Kind kind, String text, int start, int end) implements Node {
    }

    private final String file;
    private final List<PolicyError> errors;

    private YamlTree(String file, List<PolicyError> errors) {
        this.file = file;
        this.errors = errors;
    }

    /** The root node of {@code text}, or null when the document is empty or does not parse. */
    public static Node parse(String file, String text, List<PolicyError> errors) {
        YamlTree t = new YamlTree(file, errors);
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken tok = p.nextToken();
            if (tok == null) {
                return null;
            }
            Node root = t.node(p, tok);
            if (p.nextToken() != null) {
                JsonLocation loc = p.currentTokenLocation();
                errors.add(new PolicyError(file, loc.getLineNr(), loc.getColumnNr(),
                        "only one YAML document is allowed"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc != null && loc.getLineNr() > 0 ? loc.getLineNr() : 1;
            int col = loc != null && loc.getColumnNr() > 0 ? loc.getColumnNr() : 1;
            errors.add(new PolicyError(file, line, col, "YAML syntax error: " + firstLine(e.getOriginalMessage())));
            return null;
        } catch (IOException | RuntimeException e) {
            errors.add(new PolicyError(file, 1, 1, "YAML syntax error: " + firstLine(e.getMessage())));
            return null;
        }
    }

    private Node node(JsonParser p, JsonToken t) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        int start = (int) loc.getCharOffset();
        int end = (int) p.currentLocation().getCharOffset();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    Node value = node(p, p.nextToken());
                    Entry e = new Entry(key, kl.getLineNr(), kl.getColumnNr(), value);
                    Entry prior = entries.putIfAbsent(key, e);
                    if (prior != null) {
                        errors.add(new PolicyError(file, e.line(), e.col(), "duplicate key '" + key
                                + "' (first at line " + prior.line() + ")"));
                    }
                }
                return new MapNode(line, col, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(node(p, i));
                }
                return new SeqNode(line, col, items);
            }
            case VALUE_STRING -> {
                return new Scalar(line, col, Kind.STRING, p.getText(), start, end);
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(line, col, Kind.INT, p.getText(), start, end);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(line, col, Kind.FLOAT, p.getText(), start, end);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(line, col, Kind.BOOL, t == JsonToken.VALUE_TRUE ? "true" : "false", start, end);
            }
            case VALUE_NULL -> {
                return new Scalar(line, col, Kind.NULL, "null", start, end);
            }
            default -> {
                return new Scalar(line, col, Kind.OTHER, String.valueOf(p.getText()), start, end);
            }
        }
    }

    /** A short description of a node for error messages ("a list", "the number 3", ...). */
    public static String describe(Node n) {
        return switch (n) {
            case MapNode m -> "a mapping";
            case SeqNode s -> "a list";
            case Scalar s -> switch (s.kind()) {
                case STRING -> "the string '" + s.text() + "'";
                case INT, FLOAT -> "the number " + s.text();
                case BOOL -> s.text();
                case NULL -> "nothing (null)";
                case OTHER -> "'" + s.text() + "'";
            };
        };
    }

    public static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** True for an explicit or empty null value. */
    public static boolean isNull(Node n) {
        return n instanceof Scalar s && s.kind() == Kind.NULL;
    }

    /** Levenshtein distance, for "did you mean" hints on misspelt keys and names. */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
