package io.picket.analyzer.http;

/**
 * One MIME entity of an HTTP message, following Zeek's {@code HTTP_Entity} on top of
 * {@code MIME_Entity}: header lines (with folding), Content-Length, chunked transfer coding,
 * Content-Range for 206 replies, gzip/deflate, multipart and message bodies (child entities),
 * Content-Transfer-Encoding, and the body length Zeek reports (decoded bytes, plus 2 per line
 * for bodies delivered line by line). Decoded data goes to the entity's file. Owned by the
 * connection's shard thread; never throws.
 */
final class HttpEntity implements ZipDecoder.Output, Base64Decoder.Sink {
    static final int BODY_NOT_EXPECTED = 0;
    static final int BODY_EXPECTED = 1;
    static final int BODY_MAYBE = 2;

    static final int CT_MULTIPART = 0;
    static final int CT_MESSAGE = 1;
    static final int CT_TEXT = 2;
    static final int CT_OTHER = 3;
    private static final String[] CONTENT_TYPES = {"multipart", "message", "text"};

    static final int CTE_QP = 3;
    static final int CTE_BASE64 = 4;
    static final int CTE_OTHER = 5;
    private static final String[] ENCODINGS = {"7bit", "8bit", "binary", "quoted-printable", "base64"};

    static final int NON_CHUNKED = 0;
    static final int BEFORE_CHUNK = 1;
    static final int EXPECT_CHUNK_SIZE = 2;
    static final int EXPECT_CHUNK_DATA = 3;
    static final int EXPECT_CHUNK_DATA_CRLF = 4;
    static final int EXPECT_CHUNK_TRAILER = 5;
    static final int EXPECT_NOTHING = 6;

    private static final int IDENTITY = 0;
    private static final int GZIP = 1;
    private static final int DEFLATE = 3;

    private static final byte[] CRLF = {'\r', '\n'};
    /** Cap on one (folded) header kept for parsing. */
    private static final int MAX_HEADER = 64 * 1024;

    final HttpMessage message;
    final HttpAnalyzer an;
    final HttpEntity parent;
    final int depth;
    private final int expectBody;

    boolean inHeader = true;
    boolean endOfData;
    private byte[] hdr;
    private int hdrLen;
    private int hdrLines;
    private boolean hasHdr;

    int contentType = CT_TEXT;
    private byte[] boundary;
    private int contentEncoding;
    private HttpEntity child;
    private Base64Decoder base64;
    private boolean delayCrlf;

    private int chunked = NON_CHUNKED;
    private long contentLength = -1;
    private long rangeLength = -1;
    private long expectDataLength;
    long bodyLength;
    long headerLength;
    private int encoding = IDENTITY;
    private ZipDecoder zip;
    private boolean partialContent;
    private long fileOffset;
    private boolean expect100;
    private HttpFile file;

    HttpEntity(HttpMessage message, HttpEntity parent, int expectBody) {
        this.message = message;
        this.an = message.an;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.expectBody = expectBody;
        this.contentEncoding = parent == null ? CTE_OTHER : parent.contentEncoding;
    }

    HttpFile file() {
        return file;
    }

    // ---------------------------------------------------------------- HTTP_Entity::Deliver

    void deliver(byte[] d, int off, int len, boolean crlf) {
        deliver(d, off, len, len, crlf);
    }

    /** A line or plain chunk; {@code fullLen} is the line's real length when it was truncated. */
    void deliver(byte[] d, int off, int len, long fullLen, boolean crlf) {
        if (endOfData) {
            return;
        }
        if (inHeader) {
            if (!crlf) {
                an.weird("http_no_crlf_in_header_list", null);
            }
            headerLength += fullLen;
            mimeDeliver(d, off, len, fullLen, crlf);
            return;
        }
        if (contentType == CT_MULTIPART || contentType == CT_MESSAGE) {
            deliverBody(d, off, len, fullLen, crlf);
            if (depth == 0 && contentLength > 0) {
                expectDataLength -= fullLen;
                if (crlf) {
                    expectDataLength -= 2;
                }
                if (expectDataLength <= 0) {
                    message.cl.setPlainDelivery(0);
                    endOfData();
                }
            }
        } else if (chunked != NON_CHUNKED) {
            switch (chunked) {
                case EXPECT_CHUNK_SIZE -> {
                    long[] v = an.longScratch;
                    if (!Mime.atoi(d, off, off + len, 16, v)) {
                        an.weird("HTTP_bad_chunk_size", an.text(d, off, len));
                        v[0] = 0;
                    }
                    expectDataLength = v[0];
                    if (expectDataLength > 0) {
                        chunked = EXPECT_CHUNK_DATA;
                        message.cl.setPlainDelivery(expectDataLength);
                    } else {
                        inHeader = true;
                        chunked = EXPECT_CHUNK_TRAILER;
                    }
                }
                case EXPECT_CHUNK_DATA -> {
                    expectDataLength -= fullLen;
                    if (expectDataLength <= 0) {
                        message.cl.setPlainDelivery(0);
                        chunked = EXPECT_CHUNK_DATA_CRLF;
                    }
                    deliverBody(d, off, len, fullLen, false);
                }
                case EXPECT_CHUNK_DATA_CRLF -> chunked = EXPECT_CHUNK_SIZE;
                default -> {
                }
            }
        } else if (contentLength >= 0) {
            deliverBody(d, off, len, fullLen, false);
            expectDataLength -= fullLen;
            if (expectDataLength <= 0) {
                message.cl.setPlainDelivery(0);
                message.cl.setDeliverySize(-1);
                endOfData();
            }
        } else {
            deliverBody(d, off, len, fullLen, crlf);
        }
    }

    private void deliverBody(byte[] d, int off, int len, long fullLen, boolean crlf) {
        if (encoding == GZIP || encoding == DEFLATE) {
            if (zip == null) {
                zip = new ZipDecoder(an, new byte[4096]);
            }
            zip.deliver(d, off, len, this);
        } else {
            deliverBodyClear(d, off, len, fullLen, crlf);
        }
    }

    @Override
    public void inflated(byte[] b, int off, int len) {
        deliverBodyClear(b, off, len, len, false);
    }

    @Override
    public void octets(byte[] b, int off, int len) {
        submitData(b, off, len);
    }

    private void deliverBodyClear(byte[] d, int off, int len, long fullLen, boolean crlf) {
        boolean first = bodyLength == 0;
        bodyLength += fullLen;
        if (crlf) {
            bodyLength += 2;
        }
        mimeDeliver(d, off, len, fullLen, crlf);
        if (an.sig != null) {
            an.sig.body(message.isOrig, d, off, len, first);
        }
    }

    /** HTTP_Entity::Undelivered: true when the gap lies inside the body and was absorbed. */
    boolean undelivered(long len) {
        if ((endOfData && inHeader) || bodyLength == 0) {
            return false;
        }
        if (file != null) {
            file.gap(len);
        }
        if (partialContent) {
            fileOffset += len;
        }
        if (chunked != NON_CHUNKED) {
            if (chunked == EXPECT_CHUNK_DATA && expectDataLength >= len) {
                bodyLength += len;
                expectDataLength -= len;
                message.cl.setPlainDelivery(expectDataLength);
                if (expectDataLength == 0) {
                    chunked = EXPECT_CHUNK_DATA_CRLF;
                }
                return true;
            }
            return false;
        } else if (contentLength >= 0) {
            if (expectDataLength >= len) {
                bodyLength += len;
                expectDataLength -= len;
                message.cl.setPlainDelivery(expectDataLength);
                if (expectDataLength <= 0) {
                    endOfData();
                }
                return true;
            }
            return false;
        }
        return false;
    }

    // ------------------------------------------------------------ MIME_Entity::Deliver

    private void mimeDeliver(byte[] d, int off, int len, long fullLen, boolean crlf) {
        if (inHeader) {
            if (len == 0 || d[off] == 0) {
                finishHeader();
                inHeader = false;
                submitAllHeaders();
                if (!endOfData) {
                    beginBody();
                }
            } else if (Mime.isLws(d[off] & 0xff)) {
                contHeader(d, off, len);
            } else {
                newHeader(d, off, len);
            }
        } else {
            newDataLine(d, off, len, crlf);
        }
    }

    private void newHeader(byte[] d, int off, int len) {
        finishHeader();
        if (len == 0) {
            return;
        }
        hasHdr = true;
        hdrLen = 0;
        hdrLines = 0;
        appendHeader(d, off, len);
    }

    private void contHeader(byte[] d, int off, int len) {
        if (!hasHdr) {
            int ws = 0;
            while (ws < len && Mime.isLws(d[off + ws] & 0xff)) {
                ws++;
            }
            newHeader(d, off + ws, len - ws);
            return;
        }
        appendHeader(d, off, len);
    }

    private void appendHeader(byte[] d, int off, int len) {
        hdrLines++;
        int n = Math.min(len, MAX_HEADER - hdrLen);
        if (n <= 0) {
            return;
        }
        if (hdr == null || hdr.length < hdrLen + n) {
            int size = Math.max(hdr == null ? 256 : hdr.length * 2, hdrLen + n);
            hdr = java.util.Arrays.copyOf(hdr == null ? new byte[0] : hdr, Math.min(size, MAX_HEADER));
        }
        System.arraycopy(d, off, hdr, hdrLen, n);
        hdrLen += n;
    }

    /** MIME_Entity::FinishHeader: parses the collected header and submits it. */
    private void finishHeader() {
        if (!hasHdr) {
            return;
        }
        hasHdr = false;
        int[] t = an.tokScratch;
        int end = hdrLen;
        int j = Mime.fieldName(hdr, 0, end, t);
        if (j < 0) {
            return;
        }
        int nameFrom = t[0];
        int nameTo = t[1];
        int k = Mime.skipLwsComments(hdr, j, end);
        if (k >= end || hdr[k] != ':') {
            return;
        }
        int valueFrom = k + 1;
        while (valueFrom < end && Mime.isSpace(hdr[valueFrom] & 0xff)) {
            valueFrom++;
        }
        parseMimeHeader(nameFrom, nameTo, valueFrom, end);
        submitHeader(nameFrom, nameTo, valueFrom, end);
    }

    private void parseMimeHeader(int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (Mime.iequals(hdr, nameFrom, nameTo, "content-type")) {
            parseContentType(valueFrom, valueTo);
        } else if (Mime.iequals(hdr, nameFrom, nameTo, "content-transfer-encoding")) {
            int[] t = an.tokScratch;
            if (Mime.token(hdr, valueFrom, valueTo, false, t) < 0) {
                return;
            }
            contentEncoding = CTE_OTHER;
            for (int i = 0; i < ENCODINGS.length; i++) {
                if (Mime.iequals(hdr, t[0], t[1], ENCODINGS[i])) {
                    contentEncoding = i;
                    break;
                }
            }
        }
    }

    private void parseContentType(int from, int to) {
        int[] t = an.tokScratch;
        int p = Mime.token(hdr, from, to, false, t);
        if (p < 0) {
            return;
        }
        int tyFrom = t[0];
        int tyTo = t[1];
        p = Mime.skipLwsComments(hdr, p, to);
        if (p >= to || hdr[p] != '/') {
            return;
        }
        p = Mime.token(hdr, p + 1, to, false, t);
        if (p < 0) {
            return;
        }
        contentType = CT_OTHER;
        for (int i = 0; i < CONTENT_TYPES.length; i++) {
            if (Mime.iequals(hdr, tyFrom, tyTo, CONTENT_TYPES[i])) {
                contentType = i;
                break;
            }
        }
        if (contentType == CT_MULTIPART || contentType == CT_MESSAGE) {
            parseParameters(p, to);
        }
        if (contentType == CT_MULTIPART && boundary == null) {
            contentType = CT_OTHER;
        }
    }

    /** MIME_Entity::ParseFieldParameters (only the multipart boundary is kept). */
    private void parseParameters(int p, int to) {
        int[] t = an.tokScratch;
        while (true) {
            int o = Mime.skipLwsComments(hdr, p, to);
            if (o >= to || hdr[o] != ';') {
                break;
            }
            p = o + 1;
            o = Mime.token(hdr, p, to, false, t);
            if (o < 0) {
                return;
            }
            int attrFrom = t[0];
            int attrTo = t[1];
            p = o;
            o = Mime.skipLwsComments(hdr, p, to);
            if (o >= to || hdr[o] != '=') {
                continue;
            }
            p = o + 1;
            boolean isBoundary = contentType == CT_MULTIPART && Mime.iequals(hdr, attrFrom, attrTo, "boundary");
            int end = value(p, to, isBoundary);
            if (end < 0) {
                continue;
            }
            p = end;
        }
    }

    /** MIME_get_value; stores the boundary when asked. Returns the index after the value. */
    private int value(int p, int to, boolean isBoundary) {
        int[] t = an.tokScratch;
        int o = isBoundary ? p : Mime.skipLwsComments(hdr, p, to);
        if (o < to && hdr[o] == '"') {
            int end = Mime.quotedString(hdr, o, to, t);
            if (end < 0) {
                return -1;
            }
            if (isBoundary) {
                boundary = Mime.decodeQuotedPairs(hdr, t[0], t[1]);
            }
            return end;
        }
        int end = Mime.token(hdr, o, to, isBoundary, t);
        if (end < 0) {
            return -1;
        }
        if (isBoundary) {
            boundary = Mime.copy(hdr, t[0], t[1]);
        }
        return end;
    }

    // ------------------------------------------------------- HTTP_Entity::SubmitHeader

    private void submitHeader(int nameFrom, int nameTo, int valueFrom, int valueTo) {
        byte[] h = hdr;
        int[] t = an.tokScratch;
        if (depth == 0 && hdrLines > 1) {
            an.weird("HTTP_obsolete_line_folding", an.text(h, nameFrom, nameTo - nameFrom));
        }
        if (Mime.iequals(h, nameFrom, nameTo, "content-length")) {
            if (chunked != NON_CHUNKED) {
                an.weird("HTTP_content_length_and_chunked", null);
            }
            if (Mime.token(h, valueFrom, valueTo, false, t) >= 0) {
                long[] v = an.longScratch;
                if (Mime.atoi(h, t[0], t[1], 10, v) && v[0] >= 0) {
                    if (v[0] > 0 && h[t[0]] == '0') {
                        an.weird("HTTP_content_length_leading_zeros", an.text(h, t[0], t[1] - t[0]));
                    }
                    contentLength = v[0];
                    if (partialContent && rangeLength != contentLength) {
                        an.weird("HTTP_range_not_matching_len", null);
                        if (rangeLength > contentLength) {
                            contentLength = rangeLength;
                        }
                    }
                    if (contentLength == 0 && expect100) {
                        an.weird("HTTP_content_length_0_and_expect_100_cont", null);
                    }
                } else {
                    an.weird("HTTP_bad_content_length", an.text(h, t[0], t[1] - t[0]));
                    contentLength = 0;
                }
            }
        } else if (Mime.iequals(h, nameFrom, nameTo, "content-range") && an.replyCode() == 206) {
            if (chunked != NON_CHUNKED) {
                an.weird("HTTP_content_range_and_chunked", null);
            }
            contentRange(h, valueFrom, valueTo);
        } else if (Mime.iequals(h, nameFrom, nameTo, "transfer-encoding")) {
            if (depth == 0) {
                int version = an.requestOngoing() ? an.requestVersion() : an.replyVersion();
                int p = Mime.token(h, valueFrom, valueTo, false, t);
                if (p >= 0 && Mime.iequals(h, t[0], t[1], "chunked") && version == 11) {
                    chunked = BEFORE_CHUNK;
                    if (p < valueTo) {
                        an.weird("HTTP_chunked_multi", an.text(h, p, valueTo - p));
                    }
                    if (contentLength >= 0) {
                        an.weird("HTTP_content_length_and_chunked", null);
                    }
                }
            } else {
                an.weird("HTTP_nested_transfer_encoding_header", null);
            }
        } else if (Mime.iequals(h, nameFrom, nameTo, "content-encoding")) {
            if (Mime.token(h, valueFrom, valueTo, false, t) >= 0) {
                if (Mime.iequals(h, t[0], t[1], "gzip") || Mime.iequals(h, t[0], t[1], "x-gzip")) {
                    encoding = GZIP;
                }
                if (Mime.iequals(h, t[0], t[1], "deflate")) {
                    encoding = DEFLATE;
                }
            }
        } else if (Mime.iequals(h, nameFrom, nameTo, "expect")) {
            int p = Mime.token(h, valueFrom, valueTo, false, t);
            if (p < 0 || !Mime.iequals(h, t[0], t[1], "100-continue")) {
                an.weird("HTTP_expect_not_100_continue", p < 0 ? "" : an.text(h, t[0], t[1] - t[0]));
            }
            expect100 = true;
            if (contentLength == 0) {
                an.weird("HTTP_content_length_0_and_expect_100_cont", null);
            }
        }
        an.httpHeader(message.isOrig, h, nameFrom, nameTo, valueFrom, valueTo);
    }

    private void contentRange(byte[] h, int valueFrom, int valueTo) {
        int[] t = an.tokScratch;
        int p = Mime.token(h, valueFrom, valueTo, false, t);
        if (p < 0 || !(t[1] - t[0] == 5 && h[t[0]] == 'b' && h[t[0] + 1] == 'y' && h[t[0] + 2] == 't'
                && h[t[0] + 3] == 'e' && h[t[0] + 4] == 's')) {
            an.weird("HTTP_content_range_unknown_byte_unit", null);
            return;
        }
        StringBuilder range = new StringBuilder();
        for (int i = p; i < valueTo; i++) {
            if (h[i] != ' ') {
                range.append((char) (h[i] & 0xff));
            }
        }
        String r = range.toString();
        int slash = r.indexOf('/');
        if (slash < 0) {
            an.weird("HTTP_content_range_cannot_parse", null);
            return;
        }
        String spec = r.substring(0, slash);
        String instance = r.substring(slash + 1);
        int dash = spec.indexOf('-');
        if (dash < 0) {
            an.weird("HTTP_content_range_cannot_parse", null);
            return;
        }
        long[] v = an.longScratch;
        byte[] first = spec.substring(0, dash).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] last = spec.substring(dash + 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        boolean okF = Mime.atoi(first, 0, first.length, 10, v);
        long f = v[0];
        boolean okL = Mime.atoi(last, 0, last.length, 10, v);
        long l = v[0];
        if (!okF || !okL) {
            an.weird("HTTP_content_range_cannot_parse", r);
            return;
        }
        if (f < 0 || l < 0) {
            an.weird("HTTP_content_range_invalid", r);
            return;
        }
        if (l < f) {
            an.weird("HTTP_non_positive_content_range", r);
            return;
        }
        if (l - f > Long.MAX_VALUE - 1) {
            an.weird("HTTP_content_range_overflow", r);
            return;
        }
        long len = l - f + 1;
        if (!instance.equals("*")) {
            byte[] ib = instance.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!Mime.atoi(ib, 0, ib.length, 10, v)) {
                an.weird("HTTP_content_range_invalid_instance", r);
            }
        }
        partialContent = true;
        fileOffset = f;
        rangeLength = len;
        if (contentLength > 0) {
            if (contentLength != rangeLength) {
                an.weird("HTTP_range_not_matching_len", null);
                if (rangeLength > contentLength) {
                    contentLength = rangeLength;
                }
            }
        } else {
            contentLength = rangeLength;
        }
    }

    // --------------------------------------------------- HTTP_Entity::SubmitAllHeaders

    private void submitAllHeaders() {
        if (parent != null && parent.contentType == CT_MULTIPART) {
            message.cl.suppressWeirds(true);
            message.cl.setCrlfAsEol(false);
        }
        if (contentLength >= 0) {
            message.cl.setDeliverySize(contentLength);
        }
        if (chunked == EXPECT_CHUNK_TRAILER) {
            chunked = EXPECT_NOTHING;
            endOfData();
            return;
        }
        if (expectBody == BODY_NOT_EXPECTED) {
            endOfData();
            return;
        }
        if (contentType == CT_MULTIPART || contentType == CT_MESSAGE) {
            if (chunked != NON_CHUNKED) {
                an.weird("HTTP_chunked_transfer_for_multipart_message", null);
            }
            if (depth == 0 && contentLength >= 0) {
                if (contentLength > 0) {
                    expectDataLength = contentLength;
                    message.cl.setDeliverySize(contentLength);
                } else {
                    endOfData();
                }
            }
        } else if (chunked != NON_CHUNKED) {
            chunked = EXPECT_CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength > 0) {
                expectDataLength = contentLength;
                message.cl.setPlainDelivery(contentLength);
            } else {
                endOfData();
            }
        } else if (an.connectionClose() || encoding == GZIP || encoding == DEFLATE) {
            expectDataLength = Integer.MAX_VALUE;
            message.cl.setPlainDelivery(Integer.MAX_VALUE);
        } else if (expectBody != BODY_EXPECTED) {
            endOfData();
        }
    }

    private void beginBody() {
        if (contentEncoding == CTE_BASE64) {
            base64 = new Base64Decoder(an::weird);
        }
        if (contentType == CT_MESSAGE) {
            beginChild();
        }
    }

    // --------------------------------------------------------------- body data lines

    private void newDataLine(byte[] d, int off, int len, boolean crlf) {
        if (contentType == CT_MULTIPART) {
            int kind = checkBoundary(d, off, len);
            if (kind == 1) {
                if (child != null) {
                    endChild();
                }
                if (!endOfData) {
                    beginChild();
                }
                return;
            }
            if (kind == 2) {
                if (child != null) {
                    endChild();
                }
                endOfData();
                return;
            }
        }
        if (contentType == CT_MULTIPART || contentType == CT_MESSAGE) {
            if (child != null) {
                child.deliver(d, off, len, crlf);
            }
        } else {
            decodeDataLine(d, off, len, crlf);
        }
    }

    /** 0: not a boundary, 1: boundary, 2: closing boundary. */
    private int checkBoundary(byte[] d, int off, int len) {
        if (boundary == null) {
            return 0;
        }
        if (len >= 2 && d[off] == '-' && d[off + 1] == '-') {
            int p = off + 2;
            int n = len - 2;
            int i = 0;
            for (; i < n && i < boundary.length; i++) {
                if (d[p + i] != boundary[i]) {
                    return 0;
                }
            }
            if (i < boundary.length) {
                return 0;
            }
            n -= i;
            p += i;
            return n >= 2 && d[p] == '-' && d[p + 1] == '-' ? 2 : 1;
        }
        return 0;
    }

    private void decodeDataLine(byte[] d, int off, int len, boolean crlf) {
        switch (contentEncoding) {
            case CTE_QP -> decodeQuotedPrintable(d, off, len);
            case CTE_BASE64 -> {
                if (base64 != null) {
                    base64.decode(d, off, off + len, this);
                }
            }
            default -> decodeBinary(d, off, len, crlf);
        }
    }

    private void decodeBinary(byte[] d, int off, int len, boolean crlf) {
        if (delayCrlf) {
            delayCrlf = false;
            submitData(CRLF, 0, 2);
        }
        submitData(d, off, len);
        if (crlf) {
            if (parent != null && parent.contentType == CT_MULTIPART) {
                delayCrlf = true;
            } else {
                submitData(CRLF, 0, 2);
            }
        }
    }

    private void decodeQuotedPrintable(byte[] d, int off, int len) {
        int end = len - 1;
        while (end >= 0 && (d[off + end] == '\t' || d[off + end] == ' ')) {
            end--;
        }
        boolean softBreak = false;
        byte[] one = an.byteScratch;
        for (int i = 0; i <= end; i++) {
            int c = d[off + i] & 0xff;
            if (c == '=') {
                if (i == end) {
                    softBreak = true;
                } else {
                    boolean legal = false;
                    if (i + 2 < len) {
                        int a = Mime.hex(d[off + i + 1] & 0xff);
                        int b = Mime.hex(d[off + i + 2] & 0xff);
                        if (a >= 0 && b >= 0) {
                            one[0] = (byte) ((a << 4) + b);
                            submitData(one, 0, 1);
                            legal = true;
                            i += 2;
                        }
                    }
                    if (!legal) {
                        one[0] = (byte) c;
                        submitData(one, 0, 1);
                    }
                }
            } else {
                one[0] = (byte) c;
                submitData(one, 0, 1);
            }
        }
        if (!softBreak) {
            submitData(CRLF, 0, 2);
        }
    }

    /** HTTP_Entity::SubmitData: decoded entity data goes to the file. */
    private void submitData(byte[] d, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (file == null) {
            file = an.fileFor(message.isOrig);
            if (file == null) {
                return;
            }
        }
        if (partialContent) {
            file.dataIn(d, off, len, fileOffset);
            fileOffset += len;
        } else {
            file.dataIn(d, off, len);
        }
    }

    // ------------------------------------------------------------------ children, end

    private void beginChild() {
        child = new HttpEntity(message, this, BODY_EXPECTED);
        message.beginEntity(child);
    }

    private void endChild() {
        HttpEntity c = child;
        c.endOfData();
        c.dispose();
        child = null;
    }

    /** HTTP_Entity::EndOfData and MIME_Entity::EndOfData. */
    void endOfData() {
        if (zip != null) {
            zip.end();
            zip = null;
            encoding = IDENTITY;
        }
        if (an.sig != null) {
            an.sig.bodyEnd(message.isOrig); // as Zeek, before the end-of-data guard of MIME_Entity
        }
        if (endOfData) {
            return;
        }
        endOfData = true;
        if (inHeader) {
            finishHeader();
            inHeader = false;
            submitAllHeaders();
        } else {
            if (child != null) {
                endChild();
            }
            if (base64 != null) {
                base64.done(this);
                base64 = null;
            }
        }
        message.endEntity(this);
    }

    /** Releases native resources without any event (a message replaced or dropped). */
    void dispose() {
        if (zip != null) {
            zip.end();
            zip = null;
        }
        if (child != null) {
            child.dispose();
        }
    }
}
