package io.picket.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Field-by-field comparison of an expected Zeek log with Picket's, rows as a multiset: each
 * expected row is paired with the unused actual row that agrees on the most fields; uids are
 * compared through a bijection (first-appearance order), timestamps after masking. Cells that
 * differ are either mismatches or, when {@code excused} accepts them, listed with a reason.
 */
final class ConformanceReport {
    record Cell(String caseName, String log, String column, String expected, String actual, String row,
            String reason) {
    }

    private final Map<String, int[]> perLog = new LinkedHashMap<>();
    final List<Cell> mismatches = new ArrayList<>();
    final List<Cell> excused = new ArrayList<>();

    interface Excuse {
        /** Returns a reason if a differing cell is excused (e.g. needs an analyzer), else null. */
        String reason(String caseName, String column, String expected, String actual);
    }

    void compare(String caseName, String logName, ZeekLog expected, ZeekLog actualFull, Excuse excuse) {
        ZeekLog actual = actualFull.cut(expected.columns());
        List<String> cols = expected.columns();
        List<List<String>> exp = expected.rows().stream().map(ZeekLog::maskFirstTimestamp).toList();
        List<List<String>> act = actual.rows().stream().map(ZeekLog::maskFirstTimestamp).toList();
        Map<String, String> uidMapExp = new HashMap<>();
        Map<String, String> uidMapAct = new HashMap<>();
        boolean[] used = new boolean[act.size()];
        int[] counts = perLog.computeIfAbsent(caseName + " " + logName, k -> new int[4]);
        counts[2] += exp.size();
        counts[3] += act.size();
        for (List<String> e : exp) {
            int best = -1;
            int bestScore = -1;
            for (int j = 0; j < act.size(); j++) {
                if (used[j]) {
                    continue;
                }
                int score = 0;
                for (int c = 0; c < cols.size(); c++) {
                    if (same(cols.get(c), e.get(c), act.get(j).get(c), uidMapExp, uidMapAct, false)) {
                        score++;
                    }
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = j;
                }
            }
            String rowKey = rowKey(cols, e);
            for (int c = 0; c < cols.size(); c++) {
                String col = cols.get(c);
                if (col.isEmpty()) {
                    continue;
                }
                counts[1]++;
                String ev = e.get(c);
                String av = best < 0 ? "<no row>" : act.get(best).get(c);
                if (best >= 0 && same(col, ev, av, uidMapExp, uidMapAct, true)) {
                    counts[0]++;
                    continue;
                }
                String why = excuse.reason(caseName, col, ev, av);
                Cell cell = new Cell(caseName, logName, col, ev, av, rowKey, why);
                if (why != null) {
                    excused.add(cell);
                    counts[0]++;
                } else {
                    mismatches.add(cell);
                }
            }
            if (best >= 0) {
                used[best] = true;
            }
        }
        for (int j = 0; j < act.size(); j++) {
            if (!used[j]) {
                mismatches.add(new Cell(caseName, logName, "<row>", "<none>", String.join(" ", act.get(j)),
                        rowKey(cols, act.get(j)), null));
            }
        }
    }

    private static String rowKey(List<String> cols, List<String> row) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "name")) {
            int i = cols.indexOf(k);
            if (i >= 0) {
                sb.append(row.get(i)).append(' ');
            }
        }
        return sb.toString().trim();
    }

    private static boolean same(String col, String e, String a, Map<String, String> mapE, Map<String, String> mapA,
            boolean bind) {
        if (col.equals("uid") || col.equals("tunnel_parents") || col.endsWith("uids") || col.equals("fuid")
                || col.endsWith("fuids")) {
            if (e.equals("-") || a.equals("-") || e.equals("(empty)") || a.equals("(empty)")) {
                return e.equals(a);
            }
            if (e.contains(",") || a.contains(",")) {
                String[] es = e.split(",");
                String[] as = a.split(",");
                if (es.length != as.length) {
                    return false;
                }
                java.util.Set<String> mapped = new java.util.HashSet<>();
                for (String x : es) {
                    String m = mapE.get(x);
                    if (m == null) {
                        return false;
                    }
                    mapped.add(m);
                }
                return mapped.equals(new java.util.HashSet<>(java.util.Arrays.asList(as)));
            }
            String me = mapE.get(e);
            String ma = mapA.get(a);
            if (me == null && ma == null) {
                if (bind) {
                    mapE.put(e, a);
                    mapA.put(a, e);
                }
                return a.matches("[CF][0-9a-zA-Z]{8,24}(,[CF][0-9a-zA-Z]{8,24})*");
            }
            return a.equals(me) && e.equals(ma);
        }
        return e.equals(a);
    }

    int matched() {
        return perLog.values().stream().mapToInt(v -> v[0]).sum();
    }

    int total() {
        return perLog.values().stream().mapToInt(v -> v[1]).sum();
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-34s %-14s %8s %8s %9s %8s%n", "case", "log", "exp rows", "act rows",
                "fields", "match"));
        for (Map.Entry<String, int[]> en : perLog.entrySet()) {
            String[] k = en.getKey().split(" ", 2);
            int[] v = en.getValue();
            sb.append(String.format("%-34s %-14s %8d %8d %4d/%-4d %7.2f%%%n", k[0], k[1], v[2], v[3], v[0], v[1],
                    v[1] == 0 ? 100.0 : 100.0 * v[0] / v[1]));
        }
        sb.append(String.format("TOTAL fields matched: %d/%d (%.2f%%)%n", matched(), total(),
                total() == 0 ? 100.0 : 100.0 * matched() / total()));
        if (!excused.isEmpty()) {
            sb.append("Excused cells (").append(excused.size()).append("):\n");
            Map<String, Integer> byReason = new LinkedHashMap<>();
            for (Cell c : excused) {
                byReason.merge(c.caseName() + " " + c.column() + ": " + c.reason(), 1, Integer::sum);
            }
            byReason.forEach((k, n) -> sb.append("  ").append(n).append(" x ").append(k).append('\n'));
        }
        if (!mismatches.isEmpty()) {
            sb.append("Mismatches (").append(mismatches.size()).append("):\n");
            for (Cell c : mismatches) {
                sb.append(String.format("  %s %s [%s] %s: expected '%s' got '%s'%n", c.caseName(), c.log(),
                        c.row(), c.column(), c.expected(), c.actual()));
            }
        }
        return sb.toString();
    }

    static BiPredicate<String, String> any() {
        return (a, b) -> true;
    }
}
