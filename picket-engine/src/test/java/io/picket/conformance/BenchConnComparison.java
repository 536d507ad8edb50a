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
import java.util.regex.Pattern;

/**
 * Field-by-field comparison of Zeek's conn.log with Picket's for a large capture. Rows are
 * paired by (ts, 5-tuple[, id.ctx.*]); rows left over are paired by the 5-tuple alone, picking
 * the candidate that agrees on most fields. Every column of Zeek's log except {@code uid}
 * (random) and {@code service} (reported separately) is compared; a row present on one side
 * only counts as a mismatch in every compared column. Test-only, single-threaded.
 */
final class BenchConnComparison {

    /** One differing cell of a paired row (or of a row present on one side only). */
    record Cell(String column, String expected, String actual, String tuple, String kind, int expRow, int actRow) {
    }

    static final Set<String> NOT_COMPARED = Set.of("uid", "service");
    private static final List<String> TUPLE = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "id.ctx.vlan", "id.ctx.inner_vlan", "proto");
    private static final Set<String> NUMERIC = Set.of("duration", "orig_bytes", "resp_bytes", "missed_bytes",
            "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes");
    private static final Pattern UID_OR_SERVICE = Pattern.compile(",\"(uid|service)\":\"[^\"]*\"");

    final String name;
    final BenchLog expected;
    final BenchLog actual;
    final List<String> compared = new ArrayList<>();
    final List<String> missingColumns = new ArrayList<>();
    final List<String> extraColumns = new ArrayList<>();
    /** Pairs as {expected row, actual row}; exact-key pairs first. */
    final List<int[]> pairs = new ArrayList<>();
    int pairedExact;
    int pairedFallback;
    final List<Integer> expectedOnly = new ArrayList<>();
    final List<Integer> actualOnly = new ArrayList<>();
    final Map<String, int[]> perColumn = new LinkedHashMap<>();
    final List<Cell> cells = new ArrayList<>();
    /** Service cells over paired rows: zeek set/ours unset, both unset, equal, differ, ours set/zeek unset. */
    final int[] service = new int[5];

    private final int[] tupleExp;
    private final int[] tupleAct;
    private final int[] colAct;

    BenchConnComparison(String name, BenchLog expected, BenchLog actual) {
        this.name = name;
        this.expected = expected;
        this.actual = actual;
        for (String c : expected.columns()) {
            if (NOT_COMPARED.contains(c)) {
                continue;
            }
            compared.add(c);
            perColumn.put(c, new int[2]);
            if (actual.column(c) < 0 && !actual.json()) {
                missingColumns.add(c);
            }
        }
        for (String c : actual.columns()) {
            if (expected.column(c) < 0) {
                extraColumns.add(c);
            }
        }
        List<String> tuple = TUPLE.stream().filter(c -> expected.column(c) >= 0).toList();
        tupleExp = tuple.stream().mapToInt(expected::column).toArray();
        tupleAct = tuple.stream().mapToInt(actual::column).toArray();
        colAct = compared.stream().mapToInt(actual::column).toArray();
        pair();
        count();
    }

    private static String key(String[] row, int ts, int[] tuple) {
        StringBuilder sb = new StringBuilder(ts < 0 ? "" : row[ts]);
        for (int i : tuple) {
            sb.append('|').append(i < 0 ? "?" : row[i]);
        }
        return sb.toString();
    }

    private void pair() {
        int tsE = expected.column("ts");
        int tsA = actual.column("ts");
        Map<String, Deque<Integer>> byKey = new HashMap<>();
        for (int j = 0; j < actual.rows().size(); j++) {
            byKey.computeIfAbsent(key(actual.rows().get(j), tsA, tupleAct), k -> new ArrayDeque<>()).add(j);
        }
        boolean[] used = new boolean[actual.rows().size()];
        List<Integer> leftover = new ArrayList<>();
        for (int i = 0; i < expected.rows().size(); i++) {
            Deque<Integer> q = byKey.get(key(expected.rows().get(i), tsE, tupleExp));
            Integer j = q == null ? null : q.poll();
            if (j == null) {
                leftover.add(i);
            } else {
                used[j] = true;
                pairs.add(new int[] {i, j});
                pairedExact++;
            }
        }
        Map<String, List<Integer>> byTuple = new HashMap<>();
        for (int j = 0; j < actual.rows().size(); j++) {
            if (!used[j]) {
                byTuple.computeIfAbsent(key(actual.rows().get(j), -1, tupleAct), k -> new ArrayList<>()).add(j);
            }
        }
        for (int i : leftover) {
            String[] e = expected.rows().get(i);
            List<Integer> cands = byTuple.getOrDefault(key(e, -1, tupleExp), List.of());
            int best = -1;
            int bestScore = -1;
            for (int j : cands) {
                if (used[j]) {
                    continue;
                }
                int score = agreeing(e, actual.rows().get(j));
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

    private int agreeing(String[] e, String[] a) {
        int n = 0;
        for (int c = 0; c < compared.size(); c++) {
            String av = colAct[c] >= 0 ? a[colAct[c]] : actual.json() ? BenchLog.UNSET : null;
            if (e[expected.column(compared.get(c))].equals(av)) {
                n++;
            }
        }
        return n;
    }

    private String tuple(String[] row, int[] idx) {
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            if (i >= 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(row[i]);
            }
        }
        return sb.toString();
    }

    private void count() {
        int svcE = expected.column("service");
        int svcA = actual.column("service");
        for (int[] p : pairs) {
            String[] e = expected.rows().get(p[0]);
            String[] a = actual.rows().get(p[1]);
            String t = tuple(e, tupleExp);
            for (int c = 0; c < compared.size(); c++) {
                String col = compared.get(c);
                String ev = e[expected.column(col)];
                String av = colAct[c] >= 0 ? a[colAct[c]] : actual.json() ? BenchLog.UNSET : "<no column>";
                int[] pc = perColumn.get(col);
                pc[1]++;
                if (ev.equals(av)) {
                    pc[0]++;
                } else {
                    cells.add(new Cell(col, ev, av, t, classify(col, ev, av), p[0], p[1]));
                }
            }
            if (svcE >= 0) {
                String se = e[svcE];
                String sa = svcA < 0 ? BenchLog.UNSET : a[svcA];
                boolean setE = !se.equals(BenchLog.UNSET);
                boolean setA = !sa.equals(BenchLog.UNSET);
                service[setE && !setA ? 0 : !setE && !setA ? 1 : setE && se.equals(sa) ? 2 : setE ? 3 : 4]++;
            }
        }
        for (int i : expectedOnly) {
            String[] e = expected.rows().get(i);
            for (String col : compared) {
                perColumn.get(col)[1]++;
            }
            cells.add(new Cell("<row>", rowSummary(expected, e), "<none>", tuple(e, tupleExp),
                    "row only in Zeek's log (" + e[expected.column("proto")] + ")", i, -1));
        }
        for (int j : actualOnly) {
            String[] a = actual.rows().get(j);
            for (String col : compared) {
                perColumn.get(col)[1]++;
            }
            cells.add(new Cell("<row>", "<none>", rowSummary(actual, a), tuple(a, tupleAct),
                    "row only in Picket's log (" + a[actual.column("proto")] + ")", -1, j));
        }
    }

    private static String rowSummary(BenchLog log, String[] row) {
        StringBuilder sb = new StringBuilder();
        for (String c : List.of("ts", "duration", "conn_state", "history", "orig_pkts", "resp_pkts")) {
            int i = log.column(c);
            if (i >= 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(c).append('=').append(row[i]);
            }
        }
        return sb.toString();
    }

    private static String classify(String col, String e, String a) {
        if (NUMERIC.contains(col) || col.equals("ts")) {
            if (e.equals(BenchLog.UNSET) || a.equals(BenchLog.UNSET)) {
                return col + ": " + (e.equals(BenchLog.UNSET) ? "unset in Zeek's, set in ours" : "set in Zeek's, unset in ours");
            }
            try {
                int cmp = new BigDecimal(a).compareTo(new BigDecimal(e));
                return col + ": ours " + (cmp > 0 ? "larger" : "smaller");
            } catch (NumberFormatException x) {
                return col + ": not a number";
            }
        }
        if (col.equals("community_id")) {
            return col + ": differs";
        }
        return col + ": " + e + " -> " + a;
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

    double columnPercent(String col) {
        int[] v = perColumn.get(col);
        return v == null || v[1] == 0 ? 100.0 : 100.0 * v[0] / v[1];
    }

    /** Mismatch classes (column and kind) with their counts, most frequent first. */
    List<Map.Entry<String, List<Cell>>> classes() {
        Map<String, List<Cell>> m = new HashMap<>();
        for (Cell c : cells) {
            m.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
        }
        List<Map.Entry<String, List<Cell>>> out = new ArrayList<>(m.entrySet());
        out.sort(Comparator.<Map.Entry<String, List<Cell>>>comparingInt(en -> -en.getValue().size())
                .thenComparing(Map.Entry::getKey));
        return out;
    }

    /** Up to {@code n} differing cells, taken round-robin (at most 3 each) from the largest classes. */
    List<Cell> top(int n) {
        List<Cell> out = new ArrayList<>();
        List<Map.Entry<String, List<Cell>>> cl = classes();
        for (int round = 0; round < 3 && out.size() < n; round++) {
            for (Map.Entry<String, List<Cell>> en : cl) {
                if (out.size() >= n) {
                    break;
                }
                if (round < en.getValue().size()) {
                    out.add(en.getValue().get(round));
                }
            }
        }
        return out;
    }

    /**
     * The exact-text check for JSON logs: over paired rows whose compared values all agree,
     * the raw lines with the {@code uid} and {@code service} keys dropped; returns
     * {checked, identical} and adds up to 5 differing line pairs to {@code examples}.
     */
    int[] textCheck(int limit, List<String> examples) {
        int checked = 0;
        int identical = 0;
        for (int[] p : pairs) {
            if (checked >= limit) {
                break;
            }
            if (agreeing(expected.rows().get(p[0]), actual.rows().get(p[1])) != compared.size()) {
                continue;
            }
            checked++;
            String e = UID_OR_SERVICE.matcher(expected.lines().get(p[0])).replaceAll("");
            String a = UID_OR_SERVICE.matcher(actual.lines().get(p[1])).replaceAll("");
            if (e.equals(a)) {
                identical++;
            } else if (examples.size() < 10) {
                examples.add("zeek:   " + e);
                examples.add("picket: " + a);
            }
        }
        return new int[] {checked, identical};
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

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("=== conn.log at scale: ").append(name).append(" ===\n");
        sb.append(String.format("rows: expected %d, actual %d, paired %d (%d on ts+5-tuple, %d on 5-tuple only),"
                + " only in Zeek's %d, only in ours %d%n", expected.rows().size(), actual.rows().size(), pairs.size(),
                pairedExact, pairedFallback, expectedOnly.size(), actualOnly.size()));
        if (!missingColumns.isEmpty() || !extraColumns.isEmpty()) {
            sb.append("columns missing in ours: ").append(missingColumns).append("; extra in ours: ")
                    .append(extraColumns).append('\n');
        }
        sb.append(String.format("%-16s %15s %8s%n", "column", "matched/total", "%"));
        perColumn.forEach((c, v) -> sb.append(String.format("%-16s %7d/%-7d %7.2f%%%n", c, v[0], v[1],
                v[1] == 0 ? 100.0 : 100.0 * v[0] / v[1])));
        sb.append(String.format("OVERALL (all columns but uid, service): %d/%d = %.3f%%%n", matched(), total(),
                overall()));
        sb.append(String.format("service over %d paired rows: Zeek set/ours unset %d, both unset %d, equal %d,"
                + " both set but differ %d, ours set/Zeek unset %d%n", pairs.size(), service[0], service[1],
                service[2], service[3], service[4]));
        List<Map.Entry<String, List<Cell>>> cl = classes();
        if (!cl.isEmpty()) {
            sb.append("mismatch classes (").append(cells.size()).append(" cells/rows):\n");
            for (int i = 0; i < Math.min(25, cl.size()); i++) {
                sb.append(String.format("  %6d  %s%n", cl.get(i).getValue().size(), cl.get(i).getKey()));
            }
            if (cl.size() > 25) {
                sb.append("  ... ").append(cl.size() - 25).append(" more classes\n");
            }
            sb.append("top mismatching cells (column | expected | actual | row):\n");
            for (Cell c : top(30)) {
                sb.append(String.format("  %-14s | %s | %s | %s%n", c.column(), c.expected(), c.actual(), c.tuple()));
            }
        }
        return sb.toString();
    }
}
