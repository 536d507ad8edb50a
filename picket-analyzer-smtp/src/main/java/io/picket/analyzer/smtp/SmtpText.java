package io.picket.analyzer.smtp;

import io.picket.log.format.ZeekAddresses;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The string helpers of Zeek's scripts that smtp.log uses, on ISO-8859-1 strings (one char per
 * byte): {@code extract_email_addrs_vec}/{@code _set} and {@code split_mime_email_addresses}
 * ({@code base/utils/email.zeek}), {@code extract_ip_addresses} ({@code base/utils/addrs.zeek})
 * with leftmost-longest matching as Zeek's regular expressions do. Stateless.
 */
final class SmtpText {

    /** Longest IPv6 text form (8 groups with an embedded dotted quad). */
    private static final int MAX_IPV6_TEXT = 45;

    private SmtpText() {
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * {@code extract_email_addrs_vec}: every match of
     * {@code (^|[<,:[:blank:]])[^<,:[:blank:]@]+"@"[^>,;[:blank:]]+([>,;[:blank:]]|$)} in order,
     * with {@code [<>,:;[:blank:]]} removed.
     */
    static List<String> emailAddrs(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = emailMatch(s, i);
            if (end < 0) {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder(end - i);
            for (int k = i; k < end; k++) {
                char c = s.charAt(k);
                if (c != '<' && c != '>' && c != ',' && c != ':' && c != ';' && !blank(c)) {
                    sb.append(c);
                }
            }
            out.add(sb.toString());
            i = end;
        }
        return out;
    }

    /** End of the email match starting at {@code i}, or -1. */
    private static int emailMatch(String s, int i) {
        int n = s.length();
        int p = i;
        char c0 = s.charAt(i);
        if (c0 == '<' || c0 == ',' || c0 == ':' || blank(c0)) {
            p = i + 1;
        } else if (i != 0) {
            return -1;
        }
        int local = p;
        while (p < n) {
            char c = s.charAt(p);
            if (c == '<' || c == ',' || c == ':' || blank(c) || c == '@') {
                break;
            }
            p++;
        }
        if (p == local || p >= n || s.charAt(p) != '@') {
            return -1;
        }
        p++;
        int domain = p;
        while (p < n) {
            char c = s.charAt(p);
            if (c == '>' || c == ',' || c == ';' || blank(c)) {
                break;
            }
            p++;
        }
        if (p == domain) {
            return -1;
        }
        return p < n ? p + 1 : p;
    }

    /** {@code split_mime_email_addresses}: matches of {@code ("[^"]*")?[^,]+}, stripped. */
    static Set<String> mimeAddrs(String s) {
        Set<String> out = new LinkedHashSet<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int plain = i;
            while (plain < n && s.charAt(plain) != ',') {
                plain++;
            }
            int quoted = -1;
            if (s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close > 0) {
                    int k = close + 1;
                    while (k < n && s.charAt(k) != ',') {
                        k++;
                    }
                    if (k > close + 1) {
                        quoted = k;
                    }
                }
            }
            int end = Math.max(plain, quoted);
            if (end == i) {
                i++;
                continue;
            }
            out.add(strip(s.substring(i, end)));
            i = end;
        }
        return out;
    }

    /** Zeek's {@code strip}: leading and trailing whitespace removed. */
    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && Character.isWhitespace(s.charAt(a)) && s.charAt(a) < 0x80) {
            a++;
        }
        while (b > a && Character.isWhitespace(s.charAt(b - 1)) && s.charAt(b - 1) < 0x80) {
            b--;
        }
        return s.substring(a, b);
    }

    /**
     * {@code extract_ip_addresses(input, check_wrapping)}: the addresses in Zeek's text form;
     * with {@code checkWrapping} only those alone or wrapped in [], (), {} or spaces.
     */
    static List<String> ipAddresses(String s, boolean checkWrapping) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = ipMatch(s, i);
            if (end < 0) {
                i++;
                continue;
            }
            String text = s.substring(i, end);
            String formatted = format(text);
            if (formatted != null) {
                if (!checkWrapping) {
                    out.add(formatted);
                } else {
                    // split_string_all gives (before, match, after); wrapping is checked on the
                    // neighbouring parts, empty parts count only when both are empty
                    boolean alone = i == 0 && end == n;
                    char before = i > 0 ? s.charAt(i - 1) : 0;
                    char after = end < n ? s.charAt(end) : 0;
                    boolean wrapped = (before == '[' && after == ']') || (before == '(' && after == ')')
                            || (before == '{' && after == '}') || (before == ' ' && after == ' ');
                    if (alone || wrapped) {
                        out.add(formatted);
                    }
                }
            }
            i = end;
        }
        return out;
    }

    /** End of the longest address match at {@code i} (IPv4 dotted quad or IPv6), or -1. */
    private static int ipMatch(String s, int i) {
        int v4 = ipv4Match(s, i);
        int v6 = ipv6Match(s, i);
        return Math.max(v4, v6);
    }

    private static int ipv4Match(String s, int i) {
        int p = i;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (p >= s.length() || s.charAt(p) != '.') {
                    return -1;
                }
                p++;
            }
            int q = decimal(s, p);
            if (q < 0) {
                return -1;
            }
            p = q;
        }
        return p;
    }

    /** Longest {@code ipv4_decim} at {@code p}: 1-2 digits, or 3 digits 0xx/1xx/2[0-4]x/25[0-5]. */
    private static int decimal(String s, int p) {
        int n = s.length();
        int d = 0;
        while (p + d < n && d < 3 && digit(s.charAt(p + d))) {
            d++;
        }
        if (d == 3) {
            int v = Integer.parseInt(s.substring(p, p + 3));
            if (v <= 255 || s.charAt(p) == '0' || s.charAt(p) == '1') {
                return p + 3;
            }
            return p + 2;
        }
        return d == 0 ? -1 : p + d;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean hex(char c) {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The longest prefix at {@code i} of the run of hex digits, ':' and '.' that parses as IPv6. */
    private static int ipv6Match(String s, int i) {
        int n = s.length();
        int p = i;
        while (p < n && p - i < MAX_IPV6_TEXT && (hex(s.charAt(p)) || s.charAt(p) == ':' || s.charAt(p) == '.')) {
            p++;
        }
        if (p - i < 2 || s.substring(i, p).indexOf(':') < 0) {
            return -1;
        }
        for (int end = p; end > i + 1; end--) {
            if (parseIpv6(s.substring(i, end)) != null) {
                return end;
            }
        }
        return -1;
    }

    /** Zeek's text form of an address, or null when it is not one. */
    static String format(String text) {
        if (text.indexOf(':') >= 0) {
            byte[] a = parseIpv6(text);
            return a == null ? null : ZeekAddresses.format(a);
        }
        byte[] a = parseIpv4(text);
        return a == null ? null : ZeekAddresses.format(a);
    }

    static byte[] parseIpv4(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int k = 0; k < 4; k++) {
            String p = parts[k];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            for (int j = 0; j < p.length(); j++) {
                if (!digit(p.charAt(j))) {
                    return null;
                }
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[k] = (byte) v;
        }
        return out;
    }

    /** RFC 4291 text (with "::" and a trailing dotted quad) to 16 bytes, or null. */
    static byte[] parseIpv6(String t) {
        int dc = t.indexOf("::");
        if (dc >= 0 && t.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        String left = dc >= 0 ? t.substring(0, dc) : t;
        String right = dc >= 0 ? t.substring(dc + 2) : "";
        if (!groups(left, head, dc < 0 || right.isEmpty()) || !groups(right, tail, true)) {
            return null;
        }
        int total = head.size() + tail.size();
        if (dc < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int k = 0; k < head.size(); k++) {
            out[2 * k] = (byte) (head.get(k) >> 8);
            out[2 * k + 1] = (byte) (int) head.get(k);
        }
        for (int k = 0; k < tail.size(); k++) {
            int g = 8 - tail.size() + k;
            out[2 * g] = (byte) (tail.get(k) >> 8);
            out[2 * g + 1] = (byte) (int) tail.get(k);
        }
        return out;
    }

    private static boolean groups(String part, List<Integer> out, boolean quadAllowed) {
        if (part.isEmpty()) {
            return true;
        }
        String[] gs = part.split(":", -1);
        for (int k = 0; k < gs.length; k++) {
            String g = gs[k];
            if (k == gs.length - 1 && quadAllowed && g.indexOf('.') >= 0) {
                byte[] q = parseIpv4(g);
                if (q == null) {
                    return false;
                }
                out.add(((q[0] & 0xff) << 8) | (q[1] & 0xff));
                out.add(((q[2] & 0xff) << 8) | (q[3] & 0xff));
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            for (int j = 0; j < g.length(); j++) {
                if (!hex(g.charAt(j))) {
                    return false;
                }
            }
            out.add(Integer.parseInt(g, 16));
        }
        return true;
    }

    private static final java.util.regex.Pattern FILENAME_PREFIX =
            java.util.regex.Pattern.compile("^.*[nN][aA][mM][eE][ \\t]*\\*?=[ \\t]*");
    private static final java.util.regex.Pattern LANGUAGE_CHECK = java.util.regex.Pattern.compile(
            "^[a-zA-Z0-9!#$%&\\x2B-\\x5E_`{}~]+'[a-zA-Z0-9!#$%&\\x2B-\\x5E_`{}~]*'");
    private static final java.util.regex.Pattern LANGUAGE_PREFIX = java.util.regex.Pattern.compile("^.+'.*'");

    /**
     * base/utils/files.zeek {@code extract_filename_from_content_disposition}: the value after the
     * last {@code name=}, unquoted, without an RFC 2231 charset/language prefix, URI-unescaped.
     */
    static String filenameFromDisposition(String data) {
        String f = FILENAME_PREFIX.matcher(data).replaceFirst("");
        if (f.startsWith("\"")) {
            int end = f.indexOf('"', 1);
            f = end < 0 ? f.substring(1) : f.substring(1, end);
        }
        if (LANGUAGE_CHECK.matcher(f).find()) {
            f = LANGUAGE_PREFIX.matcher(f).replaceFirst("");
        }
        return unescapeUri(f);
    }

    /** Zeek's {@code unescape_URI} (HTTP's unescaping without an analyzer, so without weirds). */
    static String unescapeUri(String s) {
        byte[] d = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int to = d.length;
        byte[] out = new byte[to + 1];
        int o = 0;
        int i = 0;
        while (i < to) {
            if (d[i] == '%') {
                i++;
                if (i == to) {
                    out[o++] = '%';
                    break;
                } else if (i + 1 == to) {
                    out[o++] = '%';
                    out[o++] = d[i];
                    break;
                } else if (d[i] == '%') {
                    i--;
                } else if (hex(d[i]) >= 0 && hex(d[i + 1]) >= 0) {
                    out[o++] = (byte) ((hex(d[i]) << 4) + hex(d[i + 1]));
                    i++;
                } else if (to - i >= 5 && d[i] == 'u' && hex(d[i + 1]) >= 0 && hex(d[i + 2]) >= 0
                        && hex(d[i + 3]) >= 0 && hex(d[i + 4]) >= 0) {
                    if (!(d[i + 1] == '0' && d[i + 2] == '0')) {
                        out[o++] = (byte) ((hex(d[i + 1]) << 4) + hex(d[i + 2]));
                    }
                    out[o++] = (byte) ((hex(d[i + 3]) << 4) + hex(d[i + 4]));
                    i += 4;
                } else {
                    out[o++] = '%';
                    out[o++] = d[i];
                }
            } else {
                out[o++] = d[i];
            }
            i++;
        }
        return new String(out, 0, o, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int hex(byte b) {
        int c = b & 0xff;
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
