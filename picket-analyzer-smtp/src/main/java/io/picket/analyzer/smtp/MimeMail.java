package io.picket.analyzer.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The part of Zeek's {@code MIME_Mail}/{@code MIME_Entity} that smtp.log needs, over the lines of
 * one message (dot-unstuffed, without line ends): each entity's headers (continuation lines
 * appended as Zeek does, name upper-cased, value after the colon without leading whitespace),
 * {@code multipart/*} bodies split at their boundary into sub-entities, {@code message/rfc822}
 * bodies as a nested entity, and the decoded bodies of the leaf entities as Zeek's
 * {@code MIME_Entity} hands them to file analysis: each body line decoded (base64 with its group
 * state carried across lines, quoted-printable with soft line breaks, other encodings as they are
 * with the line's CRLF, held back until the next line inside a multipart) into one
 * {@link #SEGMENT}-byte buffer ({@code mime_segment_length}), submitted when full and at the end of
 * each line. A child entity starts with its parent's transfer encoding, as in Zeek. Memory is
 * bounded: a header keeps at most {@link #MAX_HEADER} bytes, nesting stops at {@link #MAX_DEPTH},
 * decoding uses the one segment buffer. Owned by the connection's shard thread.
 */
final class MimeMail {

    /** What the analyzer is told (Zeek's events mime_begin_entity, mime_one_header, file_new). */
    interface Listener {
        void beginEntity();

        void header(String upperName, String value);

        /** Zeek's {@code file_new}: the entity's first data segment is about to be submitted. */
        void fileStarted();

        /**
         * One data segment of the current entity ({@code MIME_Mail::SubmitData}, the chunk a file
         * analyzer's stream event sees); {@code b} is reused after the call.
         */
        default void data(byte[] b, int off, int len) {
        }

        /** A weird of the decoding ({@code base64_illegal_encoding}, Zeek's {@code conn->Weird}). */
        default void weird(String name, String addl) {
        }

        /** Zeek's {@code mime_end_entity}: the entity (its sub-entities before it) ended. */
        default void endEntity() {
        }
    }

    static final int MAX_HEADER = 32 * 1024;
    static final int MAX_DEPTH = 32;
    /** Zeek's {@code mime_segment_length} (overlap 0): the largest data segment. */
    static final int SEGMENT = 1024;

    private static final int ENC_OTHER = 0;
    private static final int ENC_BASE64 = 1;
    private static final int ENC_QP = 2;

    private final Listener listener;
    private final Entity top;
    private boolean done;
    private boolean crlf = true;
    private final byte[] segment;
    private int segmentLen;
    /** The current entity has submitted data (Zeek's {@code cur_entity_id} is set). */
    private boolean entityFile;

    MimeMail(Listener listener) {
        this(listener, new byte[SEGMENT]);
    }

    /** With the caller's {@link #SEGMENT}-byte buffer, so a message allocates no decode buffer. */
    MimeMail(Listener listener, byte[] segment) {
        this.listener = listener;
        this.segment = segment;
        this.top = new Entity(null);
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
        final Entity parent;
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
        boolean finished;
        /** DecodeBinary's {@code delay_adding_implicit_CRLF}. */
        boolean delayedCrlf;
        // Base64Converter state
        boolean base64Started;
        int b64Bits;
        int b64Next;
        int b64Padding;
        boolean b64AfterPadding;
        int b64Errored;

        Entity(Entity parent) {
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
            this.encoding = parent == null ? ENC_OTHER : parent.encoding;
            segmentLen = 0;
            entityFile = false;
            listener.beginEntity();
        }

        void line(byte[] b, int off, int len) {
            if (inHeader) {
                if (len == 0 || b[off] == 0) { // Zeek: an empty line (or one starting with NUL)
                    finishHeader();
                    inHeader = false;
                    if (multipart && boundary == null) {
                        multipart = false; // Zeek: boundary delimiter not specified, body taken as is
                    }
                    beginBody();
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
                        child = new Entity(this);
                    } else if (kind == 2) {
                        ended = true;
                    }
                } else if (child != null) {
                    child.line(b, off, len);
                }
                return;
            }
            if (message) {
                if (child != null) {
                    child.line(b, off, len);
                }
                return;
            }
            switch (encoding) {
                case ENC_BASE64 -> base64(b, off, len);
                case ENC_QP -> quotedPrintable(b, off, len);
                default -> binary(b, off, len);
            }
            flush();
        }

        /** Zeek's BeginBody: a base64 decoder, and a message's nested entity right away. */
        private void beginBody() {
            base64Started = encoding == ENC_BASE64;
            if (message && child == null && !ended && depth + 1 < MAX_DEPTH) {
                child = new Entity(this);
                ended = true;
            }
        }

        /** DecodeBinary: the line, its CRLF held back inside a multipart (it belongs to the boundary). */
        private void binary(byte[] b, int off, int len) {
            if (delayedCrlf) {
                delayedCrlf = false;
                put('\r');
                put('\n');
            }
            for (int i = 0; i < len; i++) {
                put(b[off + i]);
            }
            if (crlf) {
                if (parent != null && parent.multipart) {
                    delayedCrlf = true;
                } else {
                    put('\r');
                    put('\n');
                }
            }
        }

        /** DecodeQuotedPrintable: trailing blanks dropped, {@code =XX} decoded, a bad {@code =} kept. */
        private void quotedPrintable(byte[] b, int off, int len) {
            int last = len - 1;
            while (last >= 0 && (b[off + last] == ' ' || b[off + last] == '\t')) {
                last--;
            }
            boolean soft = false;
            for (int i = 0; i <= last; i++) {
                byte c = b[off + i];
                if (c == '=') {
                    if (i == last) {
                        soft = true;
                        continue;
                    }
                    if (i + 2 < len) {
                        int hi = hex(b[off + i + 1]);
                        int lo = hex(b[off + i + 2]);
                        if (hi >= 0 && lo >= 0) {
                            put((byte) ((hi << 4) + lo));
                            i += 2;
                            continue;
                        }
                    }
                }
                put(c); // other bytes, controls included, as they are
            }
            if (!soft) {
                put('\r');
                put('\n');
            }
        }

        /** Base64Converter::Decode: other bytes skipped, '=' counted as padding, nothing after a padded group. */
        private void base64(byte[] b, int off, int len) {
            if (!base64Started) {
                return;
            }
            for (int i = 0; i < len; i++) {
                int c = b[off + i] & 0xff;
                if (c == '=') {
                    b64Padding++;
                }
                int k = BASE64[c];
                if (k < 0) {
                    if (++b64Errored == 1) { // the converter reports its first error only
                        listener.weird(BASE64_WEIRD, "character " + (byte) c + " ignored by Base64 decoding");
                    }
                    continue;
                }
                b64Bits = (b64Bits << 6) | k;
                if (++b64Next == 4) {
                    base64Group();
                }
            }
        }

        private void base64Group() {
            if (b64AfterPadding) {
                if (++b64Errored == 1) {
                    listener.weird(BASE64_WEIRD, "extra base64 groups after '=' padding are ignored");
                }
            } else {
                int n = 3 - b64Padding;
                if (n > 0) {
                    put((byte) (b64Bits >>> 16));
                }
                if (n > 1) {
                    put((byte) (b64Bits >>> 8));
                }
                if (n > 2) {
                    put((byte) b64Bits);
                }
                if (b64Padding > 0) {
                    b64AfterPadding = true;
                }
                b64Padding = 0;
            }
            b64Next = 0;
            b64Bits = 0;
        }

        /** Base64Converter::Done: an unfinished group padded with '='. */
        private void finishBase64() {
            if (!base64Started) {
                return;
            }
            base64Started = false;
            if (b64Next != 0) {
                listener.weird(BASE64_WEIRD, "incomplete base64 group, padding with " + (4 - b64Next) * 6
                        + " bits of 0");
                while (b64Next < 4) {
                    b64Padding++;
                    b64Bits <<= 6;
                    b64Next++;
                }
                base64Group();
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
                if (t != null) { // Zeek: no encoding token, the encoding stays
                    encoding = t.equalsIgnoreCase("base64") ? ENC_BASE64
                            : t.equalsIgnoreCase("quoted-printable") ? ENC_QP : ENC_OTHER;
                }
            }
            listener.header(name, value);
        }

        /** Zeek's ParseContentTypeField: without a type/subtype pair the content type stays. */
        private void contentType(String v) {
            String type = token(v, 0);
            if (type == null) {
                return;
            }
            int i = v.indexOf(type) + type.length();
            while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
                i++;
            }
            if (i >= v.length() || v.charAt(i) != '/' || token(v, i + 1) == null) {
                return;
            }
            multipart = type.equalsIgnoreCase("multipart");
            message = type.equalsIgnoreCase("message"); // every message/* subtype nests an entity
            boundary = multipart ? parameter(v, "boundary") : null;
        }

        void end() {
            if (inHeader) {
                finishHeader();
                inHeader = false;
            } else if (!finished) {
                if (child != null) {
                    child.end();
                    child = null;
                }
                finishBase64();
                flush();
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

    private static final int[] BASE64 = new int[256];
    static final String BASE64_WEIRD = "base64_illegal_encoding";

    static {
        java.util.Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
        BASE64['='] = 0;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** DataOctet: one decoded byte into the segment, submitted when the segment is full. */
    private void put(byte c) {
        segment[segmentLen++] = c;
        if (segmentLen == SEGMENT) {
            flush();
        }
    }

    private void put(char c) {
        put((byte) c);
    }

    /** FlushData / SubmitData: the segment so far to the listener (the entity's file starts with the first). */
    private void flush() {
        if (segmentLen == 0) {
            return;
        }
        if (!entityFile) {
            entityFile = true;
            listener.fileStarted();
        }
        int n = segmentLen;
        segmentLen = 0;
        listener.data(segment, 0, n);
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
