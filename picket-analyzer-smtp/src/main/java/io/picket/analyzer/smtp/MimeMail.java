package io.picket.analyzer.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The part of Zeek's {@code MIME_Mail}/{@code MIME_Entity} that smtp.log needs, over the lines of
 * one message (dot-unstuffed, without line ends): each entity's headers (continuation lines
 * appended as Zeek does, name upper-cased, value after the colon without leading whitespace),
 * {@code multipart/*} bodies split at their boundary into sub-entities, {@code message/rfc822}
 * bodies as a nested entity, and the first decoded body byte of each leaf entity, where Zeek's
 * file analysis makes a file. Memory is bounded: a header keeps at most {@link #MAX_HEADER}
 * bytes and nesting stops at {@link #MAX_DEPTH}. Owned by the connection's shard thread.
 */
final class MimeMail {

    /** What the analyzer is told (Zeek's events mime_begin_entity, mime_one_header, file_new). */
    interface Listener {
        void beginEntity();

        void header(String upperName, String value);

        void fileStarted();

        /** Zeek's {@code mime_end_entity}: the entity (its sub-entities before it) ended. */
        default void endEntity() {
        }
    }

    static final int MAX_HEADER = 32 * 1024;
    static final int MAX_DEPTH = 32;

    private static final int ENC_OTHER = 0;
    private static final int ENC_BASE64 = 1;
    private static final int ENC_QP = 2;

    private final Listener listener;
    private final Entity top;
    private boolean done;
    private boolean crlf = true;

    MimeMail(Listener listener) {
        this.listener = listener;
        this.top = new Entity(0);
    }

    /** One line of the message, which ended with CRLF. */
    void line(byte[] b, int off, int len) {
        line(b, off, len, true);
    }

    /** One line of the message; {@code crlf}: it ended with CRLF (Zeek's {@code trailing_CRLF}). */
    void line(byte[] b, int off, int len, boolean crlf) {
        if (!done) {
            this.crlf = crlf;
            top.line(b, off, len);
        }
    }

    /** The end of the message (end of data, a gap, or the connection's end). */
    void done() {
        if (!done) {
            done = true;
            top.end();
        }
    }

    private final class Entity {
        final int depth;
        boolean inHeader = true;
        byte[] header;
        int headerLen;
        boolean multipart;
        boolean message;
        String boundary;
        int encoding;
        Entity child;
        boolean ended;
        boolean file;
        int base64Chars;
        boolean finished;

        Entity(int depth) {
            this.depth = depth;
            listener.beginEntity();
        }

        void line(byte[] b, int off, int len) {
            if (inHeader) {
                if (len == 0) {
                    finishHeader();
                    inHeader = false;
                    if (multipart && boundary == null) {
                        multipart = false; // Zeek: boundary delimiter not specified, body taken as is
                    }
                    return;
                }
                if (b[off] == ' ' || b[off] == '\t') {
                    if (header != null) {
                        append(b, off, len);
                    }
                } else {
                    finishHeader();
                    header = new byte[Math.min(Math.max(len, 64), MAX_HEADER)];
                    headerLen = 0;
                    append(b, off, len);
                }
                return;
            }
            if (multipart) {
                int kind = boundary(b, off, len);
                if (kind != 0) {
                    if (child != null) {
                        child.end();
                        child = null;
                    }
                    if (kind == 1 && !ended && depth + 1 < MAX_DEPTH) {
                        child = new Entity(depth + 1);
                    } else if (kind == 2) {
                        ended = true;
                    }
                } else if (child != null) {
                    child.line(b, off, len);
                }
                return;
            }
            if (message) {
                if (child == null && !ended && depth + 1 < MAX_DEPTH) {
                    child = new Entity(depth + 1);
                    ended = true;
                }
                if (child != null) {
                    child.line(b, off, len);
                }
                return;
            }
            if (!file && decodesToData(b, off, len)) {
                file = true;
                listener.fileStarted();
            }
        }

        private boolean decodesToData(byte[] b, int off, int len) {
            switch (encoding) {
                case ENC_BASE64 -> {
                    for (int i = 0; i < len; i++) {
                        int c = b[off + i];
                        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                                || c == '/') {
                            base64Chars++;
                        }
                    }
                    return base64Chars >= 2;
                }
                case ENC_QP -> {
                    return !(len == 1 && b[off] == '=') && (len > 0 || crlf);
                }
                default -> {
                    return len > 0 || crlf; // binary: the bytes and, with a CRLF, the line end
                }
            }
        }

        /** 1: a boundary, 2: the closing boundary, 0: another line. */
        private int boundary(byte[] b, int off, int len) {
            int bl = boundary.length();
            if (len < bl + 2 || b[off] != '-' || b[off + 1] != '-') {
                return 0;
            }
            for (int i = 0; i < bl; i++) {
                if ((b[off + 2 + i] & 0xff) != boundary.charAt(i)) {
                    return 0;
                }
            }
            if (len >= bl + 4 && b[off + 2 + bl] == '-' && b[off + 3 + bl] == '-') {
                return 2;
            }
            return 1;
        }

        private void append(byte[] b, int off, int len) {
            int n = Math.min(len, MAX_HEADER - headerLen);
            if (n <= 0) {
                return;
            }
            if (headerLen + n > header.length) {
                header = java.util.Arrays.copyOf(header, Math.min(MAX_HEADER, Math.max(headerLen + n, header.length * 2)));
            }
            System.arraycopy(b, off, header, headerLen, n);
            headerLen += n;
        }

        /** Zeek's FinishHeader: parse the collected header and hand it over. */
        private void finishHeader() {
            if (header == null) {
                return;
            }
            byte[] h = header;
            int n = headerLen;
            header = null;
            int p = 0;
            while (p < n && (h[p] & 0xff) >= 33 && (h[p] & 0xff) <= 126 && h[p] != ':') {
                p++;
            }
            if (p == 0) {
                return;
            }
            String name = new String(h, 0, p, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            p = skipLwsComments(h, p, n);
            if (p >= n || h[p] != ':') {
                return;
            }
            p++;
            while (p < n && isSpace(h[p])) {
                p++;
            }
            String value = new String(h, p, n - p, StandardCharsets.ISO_8859_1);
            if (name.equals("CONTENT-TYPE")) {
                contentType(value);
            } else if (name.equals("CONTENT-TRANSFER-ENCODING")) {
                String t = token(value, 0);
                encoding = t == null ? ENC_OTHER
                        : t.equalsIgnoreCase("base64") ? ENC_BASE64
                        : t.equalsIgnoreCase("quoted-printable") ? ENC_QP : ENC_OTHER;
            }
            listener.header(name, value);
        }

        private void contentType(String v) {
            String type = token(v, 0);
            if (type == null) {
                return;
            }
            int slash = v.indexOf('/');
            String sub = slash < 0 ? "" : token(v, slash + 1);
            multipart = type.equalsIgnoreCase("multipart");
            message = type.equalsIgnoreCase("message") && sub != null && sub.equalsIgnoreCase("rfc822");
            boundary = multipart ? parameter(v, "boundary") : null;
        }

        void end() {
            if (inHeader) {
                finishHeader();
                inHeader = false;
            }
            if (child != null) {
                child.end();
                child = null;
            }
            if (!finished) {
                finished = true;
                listener.endEntity();
            }
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0b || c == 0x0c;
    }

    private static int skipLwsComments(byte[] h, int p, int n) {
        while (p < n) {
            if (h[p] == ' ' || h[p] == '\t') {
                p++;
            } else if (h[p] == '(') {
                int depth = 0;
                while (p < n) {
                    if (h[p] == '\\' && p + 1 < n) {
                        p += 2;
                        continue;
                    }
                    if (h[p] == '(') {
                        depth++;
                    } else if (h[p] == ')' && --depth == 0) {
                        p++;
                        break;
                    }
                    p++;
                }
            } else {
                break;
            }
        }
        return p;
    }

    private static boolean tspecial(char c) {
        return "()<>@,;:\\\"/[]?=".indexOf(c) >= 0 || c <= ' ' || c >= 127;
    }

    /** The MIME token starting at {@code from} after blanks, or null. */
    private static String token(String v, int from) {
        int i = from;
        while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
            i++;
        }
        int s = i;
        while (i < v.length() && !tspecial(v.charAt(i))) {
            i++;
        }
        return i == s ? null : v.substring(s, i);
    }

    /** A {@code ; name=value} parameter of a header value (token or quoted string), or null. */
    static String parameter(String v, String name) {
        int i = v.indexOf(';');
        while (i >= 0 && i < v.length()) {
            int p = i + 1;
            while (p < v.length() && Character.isWhitespace(v.charAt(p))) {
                p++;
            }
            int e = p;
            while (e < v.length() && !tspecial(v.charAt(e))) {
                e++;
            }
            String key = v.substring(p, e);
            while (e < v.length() && (v.charAt(e) == ' ' || v.charAt(e) == '\t')) {
                e++;
            }
            if (e < v.length() && v.charAt(e) == '=') {
                e++;
                while (e < v.length() && (v.charAt(e) == ' ' || v.charAt(e) == '\t')) {
                    e++;
                }
                String value;
                if (e < v.length() && v.charAt(e) == '"') {
                    StringBuilder sb = new StringBuilder();
                    int q = e + 1;
                    while (q < v.length() && v.charAt(q) != '"') {
                        if (v.charAt(q) == '\\' && q + 1 < v.length()) {
                            q++;
                        }
                        sb.append(v.charAt(q));
                        q++;
                    }
                    value = sb.toString();
                    e = q;
                } else {
                    // an unquoted boundary runs to ';' or whitespace (Zeek is lenient there)
                    boolean lenient = key.equalsIgnoreCase("boundary");
                    int s = e;
                    while (e < v.length() && (lenient ? v.charAt(e) != ';' && v.charAt(e) > ' '
                            : !tspecial(v.charAt(e)))) {
                        e++;
                    }
                    value = v.substring(s, e);
                }
                if (key.equalsIgnoreCase(name)) {
                    return value.isEmpty() ? null : value;
                }
            }
            i = v.indexOf(';', e);
        }
        return null;
    }
}
