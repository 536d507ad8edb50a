package io.picket.conformance;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Field-by-field comparison of one of Zeek's analyzer logs (dns, http, ssl, x509, ssh) with
 * Picket's for the benchmark capture. Rows are paired on a per-log key (for example ts +
 * 5-tuple + trans_depth); rows left over are paired on the same key without {@code ts},
 * picking the candidate that agrees on most fields. Every column of Zeek's log is compared;
 * uid-like columns only for presence and element count. A row present on one side only counts
 * as a mismatch in every column. Each differing row is handed to a {@code cause} function that
 * names a known cause (a missing analyzer, a Zeek version difference) or returns null; cells of
 * rows without a known cause are the analyzer owners' bugs. Test-only, single-threaded.
 */
final class BenchAnalyzerLogsTestComparison {

    /** One differing cell of a paired row (or a row present on one side only, column {@code <row>}). */
    record Cell(String column, String expected, String actual, String cause, String kind, int expRow, int actRow) {
    }

    /** uid-like columns, compared for presence and element count only. */
    static final Set<String> PRESENCE_ONLY = Set.of("uid", "fuid", "orig_fuids", "resp_fuids", "cert_chain_fuids",
            "client_cert_chain_fuids", "fuids", "client_cert_fuid", "server_cert_fuid");
    static final String UNEXPLAINED = "UNEXPLAINED";
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final int SHORT = 28;

    final String name;
    final BenchLog expected;
    final BenchLog actual;
    final List<String> compared = new ArrayList<>();
    final List<String> missingColumns = new ArrayList<>();
    final List<String> extraColumns = new ArrayList<>();
    final List<int[]> pairs = new ArrayList<>();
    int pairedExact;
    int pairedFallback;
    final List<Integer> expectedOnly = new ArrayList<>();
    final List<Integer> actualOnly = new ArrayList<>();
    final Map<String, int[]> perColumn = new LinkedHashMap<>();
    final List<Cell> cells = new ArrayList<>();
    /** Known cause (or {@link #UNEXPLAINED}) -> {paired rows that differ, rows only in Zeek's, rows only in ours}. */
    final Map<String, int[]> rowsByCause = new TreeMap<>();

    private final List<String> key;
    private final BiFunction<String[], String[], String> cause;
    private final int[] colExp;
    private final int[] colAct;

    /**
     * @param key columns of the pairing key; {@code ts}, if listed, is dropped for the fallback pass
     * @param cause (Zeek's row or null, Picket's row or null) -> a known cause, or null
     */
    BenchAnalyzerLogsTestComparison(String name, BenchLog expected, BenchLog actual, List<String> key,
            BiFunction<String[], String[], String> cause) {
        this.name = name;
        this.expected = expected;
        this.actual = actual;
        this.key = key;
        this.cause = cause;
        for (String c : expected.columns()) {
            compared.add(c);
            perColumn.put(c, new int[2]);
            if (actual.column(c) < 0) {
                missingColumns.add(c);
            }
        }
        for (String c : actual.columns()) {
            if (expected.column(c) < 0) {
                extraColumns.add(c);
            }
        }
        colExp = compared.stream().mapToInt(expected::column).toArray();
        colAct = compared.stream().mapToInt(actual::column).toArray();
        pair();
        count();
    }

    private static String keyOf(BenchLog log, String[] row, List<String> cols) {
        StringBuilder sb = new StringBuilder();
        for (String c : cols) {
            int i = log.column(c);
            sb.append(i < 0 ? "?" : row[i]).append('|');
        }
        return sb.toString();
    }

    private void pair() {
        Map<String, Deque<Integer>> byKey = new HashMap<>();
        for (int j = 0; j < actual.rows().size(); j++) {
            byKey.computeIfAbsent(keyOf(actual, actual.rows().get(j), key), k -> new ArrayDeque<>()).add(j);
        }
        boolean[] used = new boolean[actual.rows().size()];
        List<Integer> leftover = new ArrayList<>();
        for (int i = 0; i < expected.rows().size(); i++) {
            Deque<Integer> q = byKey.get(keyOf(expected, expected.rows().get(i), key));
            Integer j = q == null ? null : q.poll();
            if (j == null) {
                leftover.add(i);
            } else {
                used[j] = true;
                pairs.add(new int[] {i, j});
                pairedExact++;
            }
        }
        List<String> loose = key.stream().filter(c -> !c.equals("ts")).toList();
        Map<String, List<Integer>> byLoose = new HashMap<>();
        if (loose.size() < key.size()) {
            for (int j = 0; j < actual.rows().size(); j++) {
                if (!used[j]) {
                    byLoose.computeIfAbsent(keyOf(actual, actual.rows().get(j), loose), k -> new ArrayList<>()).add(j);
                }
            }
        }
        for (int i : leftover) {
            String[] e = expected.rows().get(i);
            int best = -1;
            int bestScore = -1;
            for (int j : byLoose.getOrDefault(keyOf(expected, e, loose), List.of())) {
                int score = used[j] ? -1 : agreeing(e, actual.rows().get(j));
                if (score > bestScore) {
                    best = j;
                    bestScore = score;
                }
            }
            if (best < 0) {
                expectedOnly.add(i);
            } else {
                used[best] = true;
                pairs.add(new int[] {i, best});
                pairedFallback++;
            }
        }
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                actualOnly.add(j);
            }
        }
    }

    private String valueExp(String[] e, int c) {
        return canonical(compared.get(c), e[colExp[c]]);
    }

    private String valueAct(String[] a, int c) {
        return colAct[c] < 0 ? "<no column>" : canonical(compared.get(c), a[colAct[c]]);
    }

    /** uid-like columns as {@code set(n)} (n elements), other columns unchanged. */
    static String canonical(String column, String v) {
        if (!PRESENCE_ONLY.contains(column) || v.equals(BenchLog.UNSET) || v.equals("(empty)")) {
            return v;
        }
        return "set(" + v.split(",", -1).length + ")";
    }

    private int agreeing(String[] e, String[] a) {
        int n = 0;
        for (int c = 0; c < compared.size(); c++) {
            if (valueExp(e, c).equals(valueAct(a, c))) {
                n++;
            }
        }
        return n;
    }

    private static String label(String knownCause) {
        return knownCause == null ? UNEXPLAINED : knownCause;
    }

    private void count() {
        for (int[] p : pairs) {
            String[] e = expected.rows().get(p[0]);
            String[] a = actual.rows().get(p[1]);
            String why = null;
            boolean differs = false;
            for (int c = 0; c < compared.size(); c++) {
                String col = compared.get(c);
                String ev = valueExp(e, c);
                String av = valueAct(a, c);
                int[] pc = perColumn.get(col);
                pc[1]++;
                if (ev.equals(av)) {
                    pc[0]++;
                    continue;
                }
                if (!differs) {
                    differs = true;
                    why = label(cause.apply(e, a));
                    rowsByCause.computeIfAbsent(why, k -> new int[3])[0]++;
                }
                cells.add(new Cell(col, ev, av, why, kind(col, ev, av), p[0], p[1]));
            }
        }
        for (int i : expectedOnly) {
            String[] e = expected.rows().get(i);
            perColumn.values().forEach(v -> v[1]++);
            String why = label(cause.apply(e, null));
            rowsByCause.computeIfAbsent(why, k -> new int[3])[1]++;
            cells.add(new Cell("<row>", rowId(expected, e), "<none>", why, "row only in Zeek's log", i, -1));
        }
        for (int j : actualOnly) {
            String[] a = actual.rows().get(j);
            perColumn.values().forEach(v -> v[1]++);
            String why = label(cause.apply(null, a));
            rowsByCause.computeIfAbsent(why, k -> new int[3])[2]++;
            cells.add(new Cell("<row>", "<none>", rowId(actual, a), why, "row only in Picket's log", -1, j));
        }
    }

    /** A short identification of a row: its uid (or fingerprint), ts and 5-tuple where the log has them. */
    static String rowId(BenchLog log, String[] row) {
        StringBuilder sb = new StringBuilder();
        for (String c : List.of("uid", "fingerprint", "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
                "proto", "trans_depth", "trans_id", "query")) {
            int i = log.column(c);
            if (i >= 0) {
                String v = row[i];
                sb.append(sb.isEmpty() ? "" : " ").append(c.equals("fingerprint") ? v.substring(0,
                        Math.min(16, v.length())) : v);
            }
        }
        return sb.toString();
    }

    /** The class of a differing cell: column and the shape of both values (short literals kept). */
    static String kind(String col, String e, String a) {
        if (DECIMAL.matcher(e).matches() && DECIMAL.matcher(a).matches()) {
            int cmp = new BigDecimal(a).compareTo(new BigDecimal(e));
            return col + ": ours " + (cmp > 0 ? "larger" : "smaller");
        }
        return col + ": " + shape(e) + " -> " + shape(a);
    }

    private static String shape(String v) {
        if (v.length() <= SHORT && !DECIMAL.matcher(v).matches()) {
            return v;
        }
        return "<value>";
    }

    int matched() {
        return perColumn.values().stream().mapToInt(v -> v[0]).sum();
    }

    int total() {
        return perColumn.values().stream().mapToInt(v -> v[1]).sum();
    }

    double overall() {
        return total() == 0 ? 100.0 : 100.0 * matched() / total();
    }

    /** Differing cells (a one-sided row counts once per column) without a known cause. */
    int unexplainedCells() {
        int n = 0;
        for (Cell c : cells) {
            if (c.cause().equals(UNEXPLAINED)) {
                n += c.column().equals("<row>") ? compared.size() : 1;
            }
        }
        return n;
    }

    /** The overall share if every cell with a known cause matched. */
    double overallWithoutKnownCauses() {
        return total() == 0 ? 100.0 : 100.0 * (total() - unexplainedCells()) / total();
    }

    /** Mismatch classes (cause, column and kind) with their cells, most frequent first. */
    List<Map.Entry<String, List<Cell>>> classes() {
        Map<String, List<Cell>> m = new HashMap<>();
        for (Cell c : cells) {
            m.computeIfAbsent("[" + c.cause() + "] " + c.kind(), k -> new ArrayList<>()).add(c);
        }
        List<Map.Entry<String, List<Cell>>> out = new ArrayList<>(m.entrySet());
        out.sort(Comparator.<Map.Entry<String, List<Cell>>>comparingInt(en -> en.getKey().startsWith("["
                + UNEXPLAINED) ? 0 : 1).thenComparingInt(en -> -en.getValue().size()).thenComparing(Map.Entry::getKey));
        return out;
    }

    private String example(Cell c) {
        String e = c.expRow() < 0 ? "-" : rowId(expected, expected.rows().get(c.expRow()));
        String a = c.actRow() < 0 ? "-" : rowId(actual, actual.rows().get(c.actRow()));
        if (c.column().equals("<row>")) {
            return c.expRow() < 0 ? "ours: " + a : "zeek: " + e;
        }
        return "zeek " + abbreviate(c.expected()) + " | ours " + abbreviate(c.actual()) + " | zeek row " + e
                + " | our uid " + a.split(" ", 2)[0];
    }

    private static String abbreviate(String v) {
        return v.length() <= 90 ? v : v.substring(0, 87) + "...";
    }

    /** Every differing cell by class, each with the full Zeek and Picket lines of its row. */
    String details() {
        StringBuilder sb = new StringBuilder("# ").append(name).append(": differing cells by class\n");
        for (Map.Entry<String, List<Cell>> en : classes()) {
            sb.append("\n## ").append(en.getValue().size()).append("  ").append(en.getKey()).append('\n');
            for (Cell c : en.getValue()) {
                sb.append(c.column()).append(" | ").append(c.expected()).append(" | ").append(c.actual()).append('\n');
                sb.append("  zeek:   ").append(c.expRow() < 0 ? "<none>" : expected.lines().get(c.expRow())).append('\n');
                sb.append("  picket: ").append(c.actRow() < 0 ? "<none>" : actual.lines().get(c.actRow())).append('\n');
            }
        }
        return sb.toString();
    }

    String table(double ratchet, double target) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== ").append(name).append(" at scale (bench-16M, Zeek 8.2.2) ===\n");
        sb.append(String.format("rows: expected %d, actual %d, paired %d (%d on %s, %d without ts),"
                + " only in Zeek's %d, only in ours %d%n", expected.rows().size(), actual.rows().size(), pairs.size(),
                pairedExact, String.join("+", key), pairedFallback, expectedOnly.size(), actualOnly.size()));
        if (!missingColumns.isEmpty() || !extraColumns.isEmpty()) {
            sb.append("columns missing in ours: ").append(missingColumns).append("; extra in ours: ")
                    .append(extraColumns).append('\n');
        }
        sb.append(String.format("%-28s %15s %8s%n", "column", "matched/total", "%"));
        perColumn.forEach((c, v) -> sb.append(String.format("%-28s %7d/%-7d %7.2f%%%s%n", c, v[0], v[1],
                v[1] == 0 ? 100.0 : 100.0 * v[0] / v[1], PRESENCE_ONLY.contains(c) ? "  (presence/count)" : "")));
        sb.append(String.format("OVERALL %s: %d/%d = %.3f%%   ratchet %.1f%%, target %.1f%%%n", name, matched(),
                total(), overall(), ratchet, target));
        sb.append(String.format("  with known causes discounted: %.3f%% (%d cells without a known cause)%n",
                overallWithoutKnownCauses(), unexplainedCells()));
        if (!rowsByCause.isEmpty()) {
            sb.append("rows that differ, by cause (paired rows with differing cells / only Zeek's / only ours):\n");
            rowsByCause.forEach((c, v) -> sb.append(String.format("  %-70s %4d / %4d / %4d%n", c, v[0], v[1], v[2])));
        }
        List<Map.Entry<String, List<Cell>>> cl = classes();
        if (!cl.isEmpty()) {
            sb.append("mismatch classes (").append(cells.size()).append(" cells/rows), with examples:\n");
            for (int i = 0; i < Math.min(40, cl.size()); i++) {
                List<Cell> cs = cl.get(i).getValue();
                sb.append(String.format("  %5d  %s%n", cs.size(), cl.get(i).getKey()));
                for (int k = 0; k < Math.min(2, cs.size()); k++) {
                    sb.append("           e.g. ").append(example(cs.get(k))).append('\n');
                }
            }
            if (cl.size() > 40) {
                sb.append("  ... ").append(cl.size() - 40).append(" more classes\n");
            }
        }
        return sb.toString();
    }
}
