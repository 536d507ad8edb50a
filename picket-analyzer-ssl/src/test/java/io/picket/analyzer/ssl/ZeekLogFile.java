package io.picket.analyzer.ssl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Zeek TSV log from the test resources: its field names and rows. */
record ZeekLogFile(List<String> fields, List<String[]> rows) {

    static ZeekLogFile load(String resource) {
        try (InputStream in = ZeekLogFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> fields = List.of();
            List<String[]> rows = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#fields\t")) {
                    fields = Arrays.asList(line.substring(8).split("\t", -1));
                } else if (!line.startsWith("#") && !line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return new ZeekLogFile(fields, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows projected on the given columns, tab-joined. */
    List<String> project(List<String> columns) {
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (String c : columns) {
                if (sb.length() > 0) {
                    sb.append('\t');
                }
                sb.append(row[fields.indexOf(c)]);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
