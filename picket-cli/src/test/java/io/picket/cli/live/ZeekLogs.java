package io.picket.cli.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what a picket run left behind: the tenant folders and their Zeek TSV logs, the summary
 * table on stdout and the per-socket kernel counters on stderr. Test helper; stateless.
 */
final class ZeekLogs {
    /** The conn.log columns that differ between a live capture and a file by nature. */
    static final Set<String> CONN_TIME_AND_UID = Set.of("ts", "uid", "duration");

    private static final Pattern SUMMARY_ROW = Pattern.compile("^(\\S+)\\s+([\\d,]+)\\s+([\\d,]+)");
    private static final Pattern KERNEL = Pattern.compile("kernel received ([\\d,]+), dropped ([\\d,]+)");

    private ZeekLogs() {
    }

    /** Names of the tenant folders under {@code logs}, sorted; none if {@code logs} is missing. */
    static Set<String> tenants(Path logs) {
        if (!Files.isDirectory(logs)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(logs)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the {@code *.log} files in {@code dir}, sorted; none if {@code dir} is missing. */
    static Set<String> logFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The columns of a TSV log that hold receive times or their differences (type {@code time}
     * or {@code interval}, e.g. ts, duration, dns rtt) plus {@code uid}: what a live capture
     * cannot share with a file. Vectors of intervals (dns TTLs) come from the packets and stay.
     */
    static Set<String> timeAndUidColumns(Path log) {
        String[] fields = null;
        String[] types = null;
        for (String line : lines(log)) {
            if (line.startsWith("#fields\t")) {
                fields = line.substring("#fields\t".length()).split("\t", -1);
            } else if (line.startsWith("#types\t")) {
                types = line.substring("#types\t".length()).split("\t", -1);
            }
        }
        if (fields == null || types == null || fields.length != types.length) {
            throw new AssertionError(log + ": no matching #fields and #types lines");
        }
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals("uid") || types[i].equals("time") || types[i].equals("interval")) {
                out.add(fields[i]);
            }
        }
        return out;
    }

    /** The data rows of a TSV log, each as column name to value in {@code #fields} order. */
    static List<Map<String, String>> rows(Path log) {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] fields = null;
        for (String line : lines(log)) {
            if (line.startsWith("#fields\t")) {
                fields = line.substring("#fields\t".length()).split("\t", -1);
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                if (fields == null) {
                    throw new AssertionError(log + ": data before #fields");
                }
                String[] values = line.split("\t", -1);
                if (values.length != fields.length) {
                    throw new AssertionError(log + ": " + values.length + " values for " + fields.length
                            + " fields: " + line);
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < fields.length; i++) {
                    row.put(fields[i], values[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The data rows of a TSV log without the {@code ignored} columns, each as one
     * {@code name=value} string per row (tab-separated, in column order) so lists compare as
     * multisets and differences read well.
     */
    static List<String> rowsWithout(Path log, Set<String> ignored) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> row : rows(log)) {
            StringBuilder b = new StringBuilder();
            row.forEach((k, v) -> {
                if (!ignored.contains(k)) {
                    b.append(b.isEmpty() ? "" : "\t").append(k).append('=').append(v);
                }
            });
            out.add(b.toString());
        }
        return out;
    }

    /** The last line of a file, or "" for an empty one. */
    static String lastLine(Path log) {
        List<String> lines = lines(log);
        return lines.isEmpty() ? "" : lines.getLast();
    }

    /** Tells whether some line of the file starts with {@code #close}. */
    static boolean hasCloseLine(Path log) {
        return lines(log).stream().anyMatch(l -> l.startsWith("#close"));
    }

    /**
     * The packet column of the summary table picket prints on stdout, per row name (tenants,
     * {@code (unassigned)} and {@code total}).
     */
    static Map<String, Long> summaryPackets(String stdout) {
        Map<String, Long> packets = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("tenant ") && line.contains("packets")) {
                inTable = true;
            } else if (inTable) {
                Matcher m = SUMMARY_ROW.matcher(line);
                if (m.find()) {
                    packets.put(m.group(1), number(m.group(2)));
                }
            }
        }
        return packets;
    }

    /** The (received, dropped) pairs of every "kernel received N, dropped D" line on stderr. */
    static List<long[]> kernelCounters(String stderr) {
        List<long[]> out = new ArrayList<>();
        Matcher m = KERNEL.matcher(stderr);
        while (m.find()) {
            out.add(new long[] {number(m.group(1)), number(m.group(2))});
        }
        return out;
    }

    static String describe(List<long[]> counters) {
        return counters.stream().map(Arrays::toString).toList().toString();
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
