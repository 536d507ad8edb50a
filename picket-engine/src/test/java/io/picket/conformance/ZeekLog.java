package io.picket.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Zeek log as the conformance tests compare it: column names and rows of raw field text,
 * read from a Zeek TSV log, a btest baseline (banner line dropped) or a {@code zeek-cut -m}
 * projection. Test-only.
 */
record ZeekLog(List<String> columns, List<List<String>> rows) {

    private static final Pattern FIRST_TS = Pattern.compile("(^|[^0-9])([0-9]{9,10}\\.[0-9]{1,8})");

    static ZeekLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).startsWith("### BTest baseline")) {
            lines = lines.subList(1, lines.size());
        }
        List<String> columns = null;
        List<List<String>> rows = new ArrayList<>();
        boolean cut = !lines.isEmpty() && !lines.get(0).startsWith("#");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (cut && i == 0) {
                columns = Arrays.asList(line.split("\t", -1));
                continue;
            }
            if (line.startsWith("#fields\t")) {
                columns = Arrays.asList(line.substring(8).split("\t", -1));
                continue;
            }
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            rows.add(Arrays.asList(line.split("\t", -1)));
        }
        if (columns == null) {
            throw new IOException(file + ": no column header");
        }
        return new ZeekLog(List.copyOf(columns), rows);
    }

    /** Projection like {@code zeek-cut -m cols}: missing columns give empty strings. */
    ZeekLog cut(List<String> cols) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> r = new ArrayList<>();
            for (String c : cols) {
                int i = columns.indexOf(c);
                r.add(i < 0 || c.isEmpty() ? "" : row.get(i));
            }
            out.add(r);
        }
        return new ZeekLog(cols, out);
    }

    /** The btest canonifier: masks the first timestamp-looking token of a row. */
    static List<String> maskFirstTimestamp(List<String> row) {
        String joined = String.join("\t", row);
        if (joined.contains("XXXXXXXXXX.XXXXXX")) {
            return row; // already canonified (an expected baseline): mask nothing else
        }
        Matcher m = FIRST_TS.matcher(joined);
        if (m.find()) {
            joined = joined.substring(0, m.start(2)) + "XXXXXXXXXX.XXXXXX" + joined.substring(m.end(2));
        }
        return Arrays.asList(joined.split("\t", -1));
    }
}
