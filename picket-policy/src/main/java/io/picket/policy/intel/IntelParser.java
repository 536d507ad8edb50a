package io.picket.policy.intel;

import io.picket.policy.IpAddress;
import io.picket.policy.PolicyError;
import io.picket.policy.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of Zeek intel files as Zeek's input framework ASCII reader reads them for
 * {@code Intel::read_files}: meta lines ({@code #separator}, {@code #set_separator},
 * {@code #empty_field}, {@code #unset_field}, {@code #fields}), other {@code #} lines are comments,
 * tab-separated rows, {@code -} unset and {@code (empty)} empty. Required columns:
 * {@code indicator}, {@code indicator_type}, {@code meta.source}. Every bad line is reported with
 * file:line:col and skipped. Stateless.
 */
public final class IntelParser {
    private IntelParser() {
    }

    /** Parses one file, appending items to {@code out} and problems to {@code errors}. */
    public static void parse(SourceFile file, List<IntelItem> out, List<PolicyError> errors) {
        String sep = "\t";
        String unset = "-";
        String empty = "(empty)";
        List<String> fields = null;
        Map<String, Integer> col = new HashMap<>();
        boolean bad = false;
        String text = file.text();
        int lineNo = 0;
        int start = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lineNo++;
            start = end + 1;
            if (nl < 0 && line.isEmpty()) {
                break;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("#separator ")) {
                    sep = unescape(line.substring("#separator ".length()));
                } else if (line.startsWith("#set_separator" + sep)) {
                    // sets are not used by intel items
                } else if (line.startsWith("#empty_field" + sep)) {
                    empty = line.substring(("#empty_field" + sep).length());
                } else if (line.startsWith("#unset_field" + sep)) {
                    unset = line.substring(("#unset_field" + sep).length());
                } else if (line.startsWith("#fields" + sep)) {
                    fields = List.of(line.substring(("#fields" + sep).length()).split(java.util.regex.Pattern.quote(sep), -1));
                    col.clear();
                    bad = false;
                    for (int i = 0; i < fields.size(); i++) {
                        if (col.putIfAbsent(fields.get(i), i) != null) {
                            errors.add(new PolicyError(file.name(), lineNo, 1, "duplicate column " + fields.get(i)));
                            bad = true;
                        }
                    }
                    for (String req : List.of("indicator", "indicator_type", "meta.source")) {
                        if (!col.containsKey(req)) {
                            errors.add(new PolicyError(file.name(), lineNo, 1, "#fields lacks the required column "
                                    + req));
                            bad = true;
                        }
                    }
                    for (String f : fields) {
                        if (!f.equals("indicator") && !f.equals("indicator_type") && !f.startsWith("meta.")) {
                            errors.add(new PolicyError(file.name(), lineNo, 1, "unknown column " + f
                                    + " (intel items have indicator, indicator_type and meta.* fields)"));
                            bad = true;
                        }
                    }
                }
                continue;
            }
            if (fields == null) {
                errors.add(new PolicyError(file.name(), lineNo, 1, "data line before the #fields header"));
                fields = List.of();
                bad = true;
                continue;
            }
            if (bad) {
                continue;
            }
            String[] vals = line.split(java.util.regex.Pattern.quote(sep), -1);
            int[] offs = new int[vals.length];
            for (int i = 1, o = 0; i < vals.length; i++) {
                o += vals[i - 1].length() + sep.length();
                offs[i] = o;
            }
            if (vals.length != fields.size()) {
                errors.add(new PolicyError(file.name(), lineNo, 1, "line has " + vals.length + " fields, #fields names "
                        + fields.size()));
                continue;
            }
            IntelItem item = item(file.name(), lineNo, vals, offs, col, unset, empty, errors);
            if (item != null) {
                out.add(item);
            }
        }
    }

    private static IntelItem item(String file, int line, String[] vals, int[] offs, Map<String, Integer> col,
                                  String unset, String empty, List<PolicyError> errors) {
        int before = errors.size();
        String indicator = value(vals, col.get("indicator"), unset, empty);
        String typeText = value(vals, col.get("indicator_type"), unset, empty);
        String source = value(vals, col.get("meta.source"), unset, empty);
        if (indicator == null || indicator.isEmpty()) {
            err(errors, file, line, offs, col.get("indicator"), "indicator is unset or empty");
        }
        IntelType type = typeText == null ? null : IntelType.fromZeek(typeText);
        if (type == null) {
            err(errors, file, line, offs, col.get("indicator_type"), "invalid indicator_type '" + typeText
                    + "' (expected Intel::ADDR, Intel::SUBNET, Intel::DOMAIN, Intel::URL, Intel::SOFTWARE, "
                    + "Intel::EMAIL, Intel::USER_NAME, Intel::FILE_HASH, Intel::FILE_NAME, Intel::CERT_HASH "
                    + "or Intel::PUBKEY_HASH)");
        }
        if (source == null) {
            err(errors, file, line, offs, col.get("meta.source"), "meta.source is unset");
        }
        if (type == IntelType.ADDR && indicator != null && !IpAddress.parse(indicator, new long[2])) {
            err(errors, file, line, offs, col.get("indicator"), "'" + indicator + "' is not an address");
        }
        if (type == IntelType.SUBNET && indicator != null && parseSubnet(indicator) == null) {
            err(errors, file, line, offs, col.get("indicator"), "'" + indicator + "' is not a subnet (addr/len)");
        }
        boolean doNotice = bool(vals, col.get("meta.do_notice"), unset, empty, file, line, offs, errors);
        boolean whitelist = bool(vals, col.get("meta.whitelist"), unset, empty, file, line, offs, errors);
        IntelWhere ifIn = IntelWhere.IN_ANYWHERE;
        String ifText = value(vals, col.get("meta.if_in"), unset, empty);
        if (ifText != null) {
            ifIn = IntelWhere.fromZeek(ifText);
            if (ifIn == null) {
                err(errors, file, line, offs, col.get("meta.if_in"), "invalid meta.if_in '" + ifText + "'");
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : col.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("meta.") && !List.of("meta.source", "meta.desc", "meta.url", "meta.do_notice",
                    "meta.whitelist", "meta.if_in").contains(k)) {
                String v = value(vals, e.getValue(), unset, empty);
                if (v != null) {
                    extra.put(k.substring(5), v);
                }
            }
        }
        if (errors.size() != before) {
            return null;
        }
        IntelMeta meta = new IntelMeta(source, value(vals, col.get("meta.desc"), unset, empty),
                value(vals, col.get("meta.url"), unset, empty), doNotice, ifIn, whitelist, extra);
        return new IntelItem(indicator, type, meta);
    }

    private static void err(List<PolicyError> errors, String file, int line, int[] offs, Integer c, String msg) {
        errors.add(new PolicyError(file, line, c == null ? 1 : offs[c] + 1, msg));
    }

    private static String value(String[] vals, Integer c, String unset, String empty) {
        if (c == null) {
            return null;
        }
        String v = vals[c];
        if (v.equals(unset)) {
            return null;
        }
        return v.equals(empty) ? "" : v;
    }

    private static boolean bool(String[] vals, Integer c, String unset, String empty, String file, int line,
                                int[] offs, List<PolicyError> errors) {
        String v = value(vals, c, unset, empty);
        if (v == null) {
            return false;
        }
        if (v.equals("T") || v.equals("1")) {
            return true;
        }
        if (!v.equals("F") && !v.equals("0")) {
            err(errors, file, line, offs, c, "invalid boolean '" + v + "' (expected T or F)");
        }
        return false;
    }

    /** Parses {@code addr/len} into {hi, lo, len over 128 bits}, masked; null if invalid. */
    static long[] parseSubnet(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        long[] a = new long[2];
        if (!IpAddress.parse(s.substring(0, slash), a)) {
            return null;
        }
        int len;
        try {
            len = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        boolean v4 = IpAddress.isIpv4(a[0], a[1]);
        if (len < 0 || len > (v4 ? 32 : 128)) {
            return null;
        }
        int full = v4 ? 96 + len : len;
        long mh = full >= 64 ? -1L : full == 0 ? 0 : -1L << (64 - full);
        long ml = full <= 64 ? 0 : full == 128 ? -1L : -1L << (128 - full);
        return new long[] {a[0] & mh, a[1] & ml, full};
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }

    static List<IntelItem> parseAll(List<SourceFile> files, List<PolicyError> errors) {
        List<IntelItem> out = new ArrayList<>();
        for (SourceFile f : files) {
            parse(f, out, errors);
        }
        return out;
    }
}
