package io.picket.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A whole Zeek log held for the large-scale comparison: column names, one value array per row
 * and the row's raw line. TSV rows keep Zeek's field text; JSON rows are parsed and every value
 * turned into a canonical text (numbers as plain decimals without trailing zeros, booleans as
 * {@code T}/{@code F}, arrays joined with commas, absent keys as {@code -}), so a TSV and a JSON
 * log of the same run compare alike. Reads {@code .gz} files transparently. Test-only; malformed
 * input fails with {@link IOException}. In a JSON log a key that no line carries is an unset
 * column, not a missing one.
 */
record BenchLog(List<String> columns, List<String[]> rows, List<String> lines, boolean json) {

    static final String UNSET = "-";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    int column(String name) {
        return columns.indexOf(name);
    }

    static BenchLog readTsv(Path file) throws IOException {
        List<String> columns = null;
        List<String[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = reader(file)) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("#fields\t")) {
                    columns = List.of(line.substring(8).split("\t", -1));
                } else if (!line.startsWith("#") && !line.isEmpty()) {
                    String[] row = line.split("\t", -1);
                    if (columns == null || row.length != columns.size()) {
                        throw new IOException(file + ": row with " + row.length + " fields: " + line);
                    }
                    rows.add(row);
                    lines.add(line);
                }
            }
        }
        if (columns == null) {
            throw new IOException(file + ": no #fields header");
        }
        return new BenchLog(columns, rows, lines, false);
    }

    static BenchLog readJson(Path file) throws IOException {
        List<Map<String, String>> parsed = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = reader(file)) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (!node.isObject()) {
                    throw new IOException(file + ": not a JSON object: " + line);
                }
                Map<String, String> values = new HashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    columns.add(e.getKey());
                    values.put(e.getKey(), canonical(e.getValue()));
                }
                parsed.add(values);
                lines.add(line);
            }
        }
        List<String> cols = List.copyOf(columns);
        List<String[]> rows = new ArrayList<>(parsed.size());
        for (Map<String, String> values : parsed) {
            String[] row = new String[cols.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = values.getOrDefault(cols.get(i), UNSET);
            }
            rows.add(row);
        }
        return new BenchLog(cols, rows, lines, true);
    }

    private static String canonical(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "T" : "F";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(canonical(x)));
            return parts.isEmpty() ? "(empty)" : String.join(",", parts);
        }
        if (v.isNull()) {
            return "null";
        }
        return v.asText();
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
