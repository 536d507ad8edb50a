package io.picket.analyzer.http;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.HttpContentObserver;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP analyzer of one TCP connection: Zeek's {@code HTTP_Analyzer} (request and reply
 * lines, HTTP/0.9, pipelining, 1xx replies, CONNECT and Upgrade hand-off, gaps, weirds) together
 * with the state machine of Zeek's {@code base/protocols/http} scripts that builds http.log
 * records ({@code main.zeek}: pending requests matched to replies in order, {@code trans_depth},
 * logging when a reply ends or at connection end; {@code entities.zeek}/{@code files.zeek}:
 * file ids, file names and sniffed MIME types).
 *
 * <p>Called only on the shard thread that owns the connection. Never throws on input; memory
 * is bounded: lines keep at most {@link ContentLine#MAX_STORED} bytes, headers 64 KiB, at most
 * {@link #MAX_UNANSWERED} unanswered request methods and Zeek's 100 pending records.
 */
public final class HttpAnalyzer implements Analyzer {
    /** Zeek's {@code HTTP::max_pending_requests}. */
    static final int MAX_PENDING = 100;
    /** Zeek's {@code DPD::ignore_violations_after}. */
    static final long IGNORE_VIOLATIONS_AFTER = 10 * 1024;
    /** Zeek's {@code dpd_buffer_size}. */
    static final int DPD_BUFFER = 1024;
    /** Cap on queued unanswered request methods (Zeek's queue is unbounded). */
    static final int MAX_UNANSWERED = 4096;

    static final int FLAG_SINGULAR_CR = 1;
    static final int FLAG_SINGULAR_LF = 2;

    private static final int REQ_LINE = 0;
    private static final int REQ_MESSAGE = 1;
    private static final int REQ_NOTHING = 3;
    private static final int REP_LINE = 0;
    private static final int REP_MESSAGE = 1;
    private static final int REP_NOTHING = 3;
    private static final int REP_HTTP09 = 4;

    /** Zeek's {@code HTTP::http_methods}. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "HEAD", "OPTIONS", "PUT",
            "DELETE", "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
            "UNLOCK", "POLL", "REPORT", "SUBSCRIBE", "BMOVE", "SEARCH");
    /** Zeek's {@code HTTP::proxy_headers}. */
    private static final Set<String> PROXY_HEADERS = Set.of("FORWARDED", "X-FORWARDED-FOR",
            "X-FORWARDED-FROM", "CLIENT-IP", "VIA", "XROXY-CONNECTION", "PROXY-CONNECTION");
    private static final byte[] EMPTY_REASON = "<empty>".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> NO_TAGS = Collections.emptyList();
    private static final Pattern FILENAME_IN_DISPOSITION = Pattern.compile("[fF][iI][lL][eE][nN][aA][mM][eE][ \\t]*\\*?=");
    private static final Pattern NAME_IN_CONTENT_TYPE = Pattern.compile("[nN][aA][mM][eE][ \\t]*=");
    private static final Pattern FILENAME_PREFIX = Pattern.compile("^.*[nN][aA][mM][eE][ \\t]*\\*?=[ \\t]*");
    private static final Pattern LANGUAGE_CHECK = Pattern.compile(
            "^[a-zA-Z0-9!#$%&\\x2B-\\x5E_`{}~]+'[a-zA-Z0-9!#$%&\\x2B-\\x5E_`{}~]*'");
    private static final Pattern LANGUAGE_PREFIX = Pattern.compile("^.+'.*'");
    private static final Pattern BASIC = Pattern.compile("^[bB][aA][sS][iI][cC] ");
    private static final Pattern BASIC_PREFIX = Pattern.compile("[bB][aA][sS][iI][cC][ \\t]+");

    private final AnalyzerContext ctx;
    /** Signature matching on HTTP content; null when the tenant has no HTTP conditions. */
    final HttpContentObserver sig;

    /**
     * Per-thread buffer for copies of segment bytes (16 KiB). Deliveries on one thread never
     * nest, so all connections of a shard share it.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    // scratch (owned by this connection)
    final int[] tokScratch = new int[2];
    final long[] longScratch = new long[1];
    final byte[] byteScratch = new byte[1];

    // Zeek HTTP_Analyzer state (one analyzer instance; reset when DPD re-attaches the analyzer)
    private ContentLine clOrig = new ContentLine(this, true);
    private ContentLine clResp = new ContentLine(this, false);
    private int requestState = REQ_LINE;
    private int replyState = REP_LINE;
    private int numRequests;
    private int numReplies;
    private int requestVersion;
    private int replyVersion;
    private boolean keepAlive;
    private boolean connectionClose;
    private boolean requestOngoing;
    private boolean replyOngoing;
    private boolean connectRequest;
    private boolean tunnel;
    private boolean upgraded;
    private boolean upgradeConnection;
    private byte[] upgradeProtocol;
    /** HTTP_Upgrade's child (the WebSocket analyzer or a protocol detection) or CONNECT's PIA; null before/without. */
    private Analyzer upgradeChild;
    private int upgradeRest;
    private byte[] requestMethod;
    private int replyCode;
    private byte[] replyReason;
    private ArrayDeque<byte[]> unanswered = new ArrayDeque<>();
    private HttpMessage requestMessage;
    private HttpMessage replyMessage;
    private boolean respRaw;
    private boolean confirmed;
    private int flags;

    // Analyzer removal and DPD re-attachment (Zeek's dpd.zeek and PIA)
    private long streamBytes;
    private long origSeen;
    private long respSeen;
    private String pendingViolation;
    private boolean dormant;
    private boolean gone;
    private boolean replaying;
    private HttpDetector redetector;
    private boolean origStartedBeforeRemoval;
    private boolean respStartedBeforeRemoval;
    private byte[] pia;
    private int piaUsed;
    private int[] piaLen;
    private boolean[] piaOrig;
    private boolean[] piaSeen;
    private int piaChunks;
    private boolean piaOpen = true;

    // Zeek script state (HTTP::State, shared by the connection's HTTP analyzers, and c$http)
    private final HttpState st;
    private HttpTransaction cur;
    private Map<String, HttpFile> rangeFiles;

    // log columns of this run's schema
    private LogSchema schema;
    private int[] col;

    public HttpAnalyzer(AnalyzerContext ctx) {
        this.ctx = ctx;
        this.sig = ctx.httpContent();
        this.st = HttpState.of(ctx);
    }

    // ===================================================================== SPI entry points

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (length <= 0 || gone) {
            return;
        }
        long streamOffset = isOrig ? origSeen : respSeen;
        if (isOrig) {
            origSeen += length;
        } else {
            respSeen += length;
        }
        streamBytes += length;
        boolean buffered = piaOpen && remember(isOrig, data, offset, length);
        if (dormant) {
            if (redetect(isOrig, data, offset, length, streamOffset)) {
                reattach(isOrig, data, offset, length, buffered);
            }
        } else {
            if (buffered) {
                piaSeen[piaChunks - 1] = true;
            }
            deliver(isOrig, data, offset, length);
            if (origSeen > 0 && respSeen > 0) {
                dropPia();
            }
        }
        afterDelivery();
    }

    private void deliver(boolean isOrig, MemorySegment data, long offset, int length) {
        // HTTP_Analyzer::DeliverStream ignores connections picked up mid-stream.
        if (ctx.partial()) {
            return;
        }
        if (upgraded || tunnel) {
            // HTTP_Analyzer::DeliverStream: ForwardStream to the upgrade analyzer or CONNECT's PIA
            if (upgradeChild != null) {
                upgradeChild.onStream(isOrig, data, offset, length);
            }
            return;
        }
        if (!isOrig && respRaw) {
            byte[] s = copyScratch();
            int done = 0;
            while (done < length && !upgraded && !tunnel) {
                int n = Math.min(s.length, length - done);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + done, s, 0, n);
                done += n;
                deliverHttp09Reply(s, 0, n);
            }
            return;
        }
        (isOrig ? clOrig : clResp).deliver(data, offset, length, copyScratch());
        if ((upgraded || tunnel) && upgradeRest > 0 && upgradeRest <= length) {
            // the rest of the 101/CONNECT reply's segment (SetPlainDelivery), forwarded as Zeek does
            int rest = upgradeRest;
            upgradeRest = 0;
            if (upgradeChild != null) {
                upgradeChild.onStream(isOrig, data, offset + length - rest, rest);
            }
        }
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        if (upgradeChild != null) {
            upgradeChild.onGap(isOrig, length);
        }
        if (gone) {
            return;
        }
        streamBytes += length;
        if (isOrig) {
            origSeen += length;
        } else {
            respSeen += length;
        }
        dropPia();
        if (!dormant) {
            gap(isOrig, length);
        }
        afterDelivery();
    }

    private void gap(boolean isOrig, long length) {
        HttpMessage msg = isOrig ? requestMessage : replyMessage;
        if (msg != null && msg.undelivered(length)) {
            return;
        }
        if (isOrig) {
            requestMade(true);
            replyMade(true);
            clOrig.setSkipDeliveries(true);
        } else {
            replyMade(true);
            clResp.setSkipDeliveries(true);
        }
    }

    @Override
    public void onEndOfStream(boolean isOrig) {
        if (upgradeChild != null) {
            upgradeChild.onEndOfStream(isOrig);
        }
        if (gone || dormant) {
            return;
        }
        if (!(upgraded || tunnel)) {
            ContentLine cl = isOrig ? clOrig : clResp;
            if (!(!isOrig && respRaw)) {
                cl.endpointEof();
            }
        }
        if (isOrig) {
            requestMade(false);
        } else {
            replyMade(false);
        }
        afterDelivery();
    }

    @Override
    public void onConnectionDone() {
        if (upgradeChild != null) {
            Analyzer child = upgradeChild;
            upgradeChild = null;
            child.onConnectionDone();
        }
        if (gone) {
            return;
        }
        if (!dormant) {
            done();
        }
        finalizeHttp();
        gone = true;
        dropPia();
    }

    /** HTTP_Analyzer::Done: unfinished messages end as interrupted. */
    private void done() {
        requestMade(true);
        replyMade(true);
        if (requestMessage != null) {
            requestMessage.dispose();
            requestMessage = null;
        }
        if (replyMessage != null) {
            replyMessage.dispose();
            replyMessage = null;
        }
    }

    /** finalize_http: logs every pending record. */
    private void finalizeHttp() {
        for (Map.Entry<Integer, HttpTransaction> e : st.pending.entrySet()) {
            if (e.getKey() != 0) {
                log(e.getValue());
            }
        }
        st.pending.clear();
    }

    // ============================================ removal on violation and DPD re-attachment

    /**
     * Zeek's AnalyzerViolation as handled by dpd.zeek: ignored after 10 KiB of payload;
     * otherwise the analyzer is removed once the current data is processed. A confirmed
     * analyzer is removed for good (the engine drops it and its service; the pending records
     * are logged now, as Zeek's finalize_http would at connection end). An unconfirmed one goes
     * dormant: Zeek's responder-side DPD signature may attach a fresh HTTP analyzer later,
     * which is replayed the buffered beginning of the connection and shares the script state.
     */
    private void violation(String reason) {
        if (replaying) {
            pendingViolation = reason;
            return;
        }
        if (streamBytes > IGNORE_VIOLATIONS_AFTER) {
            ctx.violation(reason);
            return;
        }
        if (pendingViolation == null) {
            pendingViolation = reason;
        }
    }

    private void afterDelivery() {
        if (pendingViolation == null || dormant || gone) {
            pendingViolation = null;
            return;
        }
        String reason = pendingViolation;
        pendingViolation = null;
        done();
        if (confirmed) {
            finalizeHttp();
            gone = true;
            dropPia();
            ctx.violation(reason);
            return;
        }
        if (st.confirmedBy != null) {
            // another HTTP analyzer of the connection confirmed (the one that handed this one a
            // SOCKS or WebSocket payload): dpd.zeek drops the service by name and this one goes
            gone = true;
            dropPia();
            ctx.violation(reason);
            return;
        }
        dormant = true;
        origStartedBeforeRemoval = origSeen > 0;
        respStartedBeforeRemoval = respSeen > 0;
        if (piaOpen && !(origStartedBeforeRemoval && respStartedBeforeRemoval)) {
            redetector = new HttpDetector();
        } else {
            dropPia();
        }
    }

    /** Feeds the DPD signatures with the beginning of a direction not seen before removal. */
    private boolean redetect(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        if (redetector == null || !piaOpen) {
            return false;
        }
        if (isOrig ? origStartedBeforeRemoval : respStartedBeforeRemoval) {
            return false;
        }
        int verdict = redetector.onData(isOrig, data, offset, length, streamOffset);
        if (verdict == HttpDetector.NO_MATCH) {
            redetector = null;
        }
        return verdict == HttpDetector.MATCH;
    }

    private void reattach(boolean isOrig, MemorySegment data, long offset, int length, boolean buffered) {
        redetector = null;
        dormant = false;
        resetParser();
        int chunks = buffered ? piaChunks - 1 : piaChunks;
        MemorySegment seg = MemorySegment.ofArray(pia);
        int pos = 0;
        for (int c = 0; c < chunks && !gone; c++) {
            replaying = piaSeen[c];
            deliver(piaOrig[c], seg, pos, piaLen[c]);
            replaying = false;
            pos += piaLen[c];
        }
        dropPia();
        deliver(isOrig, data, offset, length);
    }

    /** Copies the beginning of the connection (Zeek's dpd_buffer_size); false once full. */
    private boolean remember(boolean isOrig, MemorySegment data, long offset, int length) {
        if (pia == null) {
            pia = new byte[Math.min(DPD_BUFFER, Math.max(128, Integer.highestOneBit(Math.max(1, length - 1)) << 1))];
            piaLen = new int[16];
            piaOrig = new boolean[16];
            piaSeen = new boolean[16];
        }
        if (piaUsed >= DPD_BUFFER) {
            dropPia();
            return false;
        }
        if (piaChunks == piaLen.length) {
            piaLen = Arrays.copyOf(piaLen, piaChunks * 2);
            piaOrig = Arrays.copyOf(piaOrig, piaChunks * 2);
            piaSeen = Arrays.copyOf(piaSeen, piaChunks * 2);
        }
        int keep = Math.min(length, DPD_BUFFER - piaUsed);
        if (piaUsed + keep > pia.length) {
            // grown as the beginning comes in, up to DPD_BUFFER
            pia = Arrays.copyOf(pia, Math.min(DPD_BUFFER, Integer.highestOneBit(piaUsed + keep - 1) << 1));
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, pia, piaUsed, keep);
        piaLen[piaChunks] = keep;
        piaOrig[piaChunks] = isOrig;
        piaSeen[piaChunks] = false;
        piaChunks++;
        piaUsed += keep;
        return true;
    }

    private void dropPia() {
        piaOpen = false;
        pia = null;
        piaLen = null;
        piaOrig = null;
        piaSeen = null;
        piaChunks = 0;
    }

    /** A fresh HTTP_Analyzer (the script state of the connection is kept). */
    private void resetParser() {
        clOrig = new ContentLine(this, true);
        clResp = new ContentLine(this, false);
        requestState = REQ_LINE;
        replyState = REP_LINE;
        numRequests = 0;
        numReplies = 0;
        requestVersion = 0;
        replyVersion = 0;
        keepAlive = false;
        connectionClose = false;
        requestOngoing = false;
        replyOngoing = false;
        connectRequest = false;
        tunnel = false;
        upgraded = false;
        upgradeConnection = false;
        upgradeProtocol = null;
        requestMethod = null;
        requestUri = null;
        replyCode = 0;
        replyReason = null;
        unanswered = new ArrayDeque<>();
        requestMessage = null;
        replyMessage = null;
        respRaw = false;
    }

    // ================================================================ HTTP_Analyzer proper

    /** A complete line from one direction's {@link ContentLine}. */
    void onLine(boolean isOrig, byte[] line, int len, long fullLen) {
        if (upgraded || tunnel) {
            return;
        }
        if (isOrig) {
            switch (requestState) {
                case REQ_LINE -> requestLine(line, len, fullLen);
                case REQ_MESSAGE -> requestMessage.deliverLine(line, len, fullLen);
                default -> {
                }
            }
        } else {
            switch (replyState) {
                case REP_LINE -> {
                    if (replyLine(line, len)) {
                        numReplies++;
                        if (!unanswered.isEmpty()) {
                            confirm();
                        }
                        replyState = REP_MESSAGE;
                        replyOngoing = true;
                        httpReply();
                        if (connectRequest && replyCode != 200) {
                            connectRequest = false;
                        }
                        replyMessage = initMessage(replyMessage, clResp, false, expectReplyBody(), fullLen);
                    } else if (len != 0) {
                        violation("not a http reply line");
                        replyState = REP_NOTHING;
                    }
                }
                case REP_MESSAGE -> {
                    replyMessage.deliverLine(line, len, fullLen);
                    if (connectRequest && len == 0 && !tunnel) {
                        tunnel = true;
                        int rest = clResp.remainingInSegment();
                        if (rest > 0) {
                            weird("protocol_data_with_HTTP_CONNECT_reply", Integer.toString(rest));
                        }
                        clOrig.detach();
                        clResp.detach();
                        // the proxied stream goes to a child PIA (TLS through the proxy, ...)
                        upgradeRest = Math.max(rest, 0);
                        upgradeChild = ctx.childDetection();
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Bytes handed through unsplit (a body of known length or until close). */
    void onPlain(boolean isOrig, byte[] d, int off, int len) {
        if (upgraded || tunnel) {
            return;
        }
        if (isOrig) {
            if (requestMessage != null) {
                requestMessage.deliver(d, off, len, false);
            } else {
                weird("unexpected_client_HTTP_data", null);
            }
        } else {
            if (replyMessage != null) {
                replyMessage.deliver(d, off, len, false);
            } else {
                weird("unexpected_server_HTTP_data", null);
            }
        }
    }

    private void requestLine(byte[] line, int len, long fullLen) {
        int res = parseRequestLine(line, len);
        if (res > 0) {
            numRequests++;
            if (!keepAlive && numRequests > 1) {
                weird("unexpected_multiple_HTTP_requests", null);
            }
            requestState = REQ_MESSAGE;
            requestOngoing = true;
            if (unanswered.size() < MAX_UNANSWERED) {
                unanswered.add(requestMethod);
            }
            httpRequest();
            requestMessage = initMessage(requestMessage, clOrig, true, HttpEntity.BODY_MAYBE, fullLen);
            if (requestVersion == 9) {
                if (!"GET".equals(ascii(requestMethod))) {
                    weird("invalid_http_09_request_method", ascii(requestMethod));
                }
                if (replyMessage != null) {
                    weird("http_09_reply_before_request", null);
                    replyMessage.done(false);
                    replyMessage.dispose();
                    replyMessage = null;
                }
                replyState = REP_HTTP09;
                respRaw = true;
                clResp.detach();
            }
        } else if (numRequests != 0 && !keepAlive) {
            // crud_trailing_HTTP_request: an http_event only
            return;
        } else if (len == 0) {
            weird("empty_http_request", null);
        } else {
            violation("not a http request line");
            requestState = REQ_NOTHING;
        }
    }

    private void deliverHttp09Reply(byte[] d, int off, int len) {
        if (replyState != REP_HTTP09) {
            // Zeek hands raw data to its line state machine once the 0.9 reply is over.
            onLine(false, d, len, len);
            return;
        }
        if (replyMessage == null) {
            setVersion(false, 9);
            if (!unanswered.isEmpty()) {
                confirm();
                unanswered.poll();
            }
            connectionClose = true;
            replyOngoing = true;
            httpReply();
            replyMessage = initMessage(null, clResp, false, expectReplyBody(), 0);
            replyMessage.deliver(d, off, 0, true);
        }
        replyMessage.deliver(d, off, len, false);
    }

    /** HTTP_RequestLine: 1 for a request, 0 for a bad one. */
    private int parseRequestLine(byte[] line, int len) {
        int endOfMethod = 0;
        while (endOfMethod < len && isTokenChar(line[endOfMethod] & 0xff)) {
            endOfMethod++;
        }
        if (endOfMethod == 0) {
            if (len - 9 >= 0 && regionMatchesIgnoreCase(line, len - 9, len, " HTTP/")) {
                weird("bad_HTTP_request_with_version", null);
            } else {
                weird("bad_HTTP_request", null);
            }
            return 0;
        }
        int rest = skipWhitespace(line, endOfMethod, len);
        if (rest == endOfMethod) {
            weird("bad_HTTP_request", null);
            return 0;
        }
        int[] uri = parseRequest(line, rest, len);
        if (requestVersion == 9) {
            boolean maybeGet = endOfMethod >= 3;
            boolean hasUri = uri[1] > uri[0];
            if (!maybeGet || !hasUri) {
                weird("bad_HTTP_request", null);
                return 0;
            }
        }
        requestMethod = Arrays.copyOf(line, endOfMethod);
        if (sig != null) {
            sig.request(requestUri, 0, requestUri.length);
        }
        return 1;
    }

    private byte[] requestUri;

    /** ParseRequest: sets the request version; returns the URI bounds. */
    private int[] parseRequest(byte[] line, int from, int to) {
        int endOfUri = from;
        while (endOfUri < to && (isReservedUriChar(line[endOfUri] & 0xff)
                || isUnreservedUriChar(line[endOfUri] & 0xff) || line[endOfUri] == '%')) {
            endOfUri++;
        }
        boolean match = regionMatches(line, from, to, "HTTP/");
        if (!match) {
            match = regionMatchesIgnoreCase(line, from, to, "HTTP/");
            if (match) {
                weird("lowercase_HTTP_keyword", null);
            }
        }
        if (endOfUri >= to && match) {
            weird("missing_HTTP_uri", null);
            endOfUri = from;
        }
        int versionStart;
        for (versionStart = endOfUri; versionStart < to; ++versionStart) {
            endOfUri = versionStart;
            versionStart = skipWhitespace(line, versionStart, to);
            if (regionMatches(line, versionStart, to, "HTTP/")) {
                break;
            }
            if (regionMatchesIgnoreCase(line, versionStart, to, "HTTP/")) {
                weird("lowercase_HTTP_keyword", null);
                break;
            }
        }
        if (versionStart >= to) {
            setVersion(true, 9);
        } else if (versionStart + 8 <= to) {
            setVersion(true, parseVersion(line, versionStart + 5, to));
        }
        requestUri = Mime.unescapeUri(line, from, endOfUri, this::weird);
        int[] r = tokScratch;
        r[0] = from;
        r[1] = endOfUri;
        return r;
    }

    /** HTTP_Version: major*10+minor, 0 when malformed (bad_HTTP_version is an event only). */
    private static int parseVersion(byte[] d, int from, int to) {
        if (to - from >= 3 && isDigit(d[from]) && d[from + 1] == '.' && isDigit(d[from + 2])) {
            return (d[from] - '0') * 10 + (d[from + 2] - '0');
        }
        return 0;
    }

    private void setVersion(boolean request, int v) {
        int old = request ? requestVersion : replyVersion;
        if (old != 0 && old != v) {
            weird("HTTP_version_mismatch", null);
        }
        if (request) {
            requestVersion = v;
        } else {
            replyVersion = v;
        }
        if (v > 10) {
            keepAlive = true;
        }
    }

    /** HTTP_ReplyLine: true for a reply line; sets the reply code and reason phrase. */
    private boolean replyLine(byte[] line, int len) {
        int rest;
        if (regionMatches(line, 0, len, "HTTP/")) {
            rest = 5;
        } else if (regionMatchesIgnoreCase(line, 0, len, "HTTP/")) {
            weird("lowercase_HTTP_keyword", null);
            rest = 5;
        } else {
            return false;
        }
        setVersion(false, parseVersion(line, rest, len));
        while (rest < len && !Mime.isLws(line[rest] & 0xff)) {
            rest++;
        }
        if (rest >= len) {
            return false;
        }
        rest = skipWhitespace(line, rest, len);
        if (rest + 3 > len) {
            return false;
        }
        if (isDigit(line[rest]) && isDigit(line[rest + 1]) && isDigit(line[rest + 2])) {
            replyCode = (line[rest] - '0') * 100 + (line[rest + 1] - '0') * 10 + (line[rest + 2] - '0');
        } else {
            replyCode = 0;
        }
        for (rest += 3; rest < len; ++rest) {
            if (Mime.isLws(line[rest] & 0xff)) {
                break;
            }
        }
        if (rest >= len) {
            replyReason = null;
            return true;
        }
        rest = skipWhitespace(line, rest, len);
        replyReason = Arrays.copyOfRange(line, rest, len);
        return true;
    }

    private int expectReplyBody() {
        byte[] method = unanswered.peek();
        if (method != null && startsWithIgnoreCase("HEAD", method)) {
            return HttpEntity.BODY_NOT_EXPECTED;
        }
        if ((replyCode >= 100 && replyCode < 200) || replyCode == 204 || replyCode == 304) {
            return HttpEntity.BODY_NOT_EXPECTED;
        }
        return HttpEntity.BODY_EXPECTED;
    }

    private HttpMessage initMessage(HttpMessage old, ContentLine cl, boolean isOrig, int expectBody, long headerLen) {
        if (old != null) {
            if (!old.finished) {
                weird("HTTP_overlapping_messages", null);
            }
            old.dispose();
        }
        return new HttpMessage(this, cl, isOrig, expectBody, headerLen);
    }

    private void httpRequest() {
        confirm();
        if (startsWithIgnoreCase("CONNECT", requestMethod)) {
            connectRequest = true;
        }
        evRequest(requestMethod, requestUri);
    }

    private void httpReply() {
        evReply(versionString(replyVersion), replyCode, replyReason);
    }

    private void requestMade(boolean interrupted) {
        if (!requestOngoing) {
            return;
        }
        requestOngoing = false;
        if (requestMessage != null) {
            requestMessage.done(interrupted);
        }
        requestMethod = null;
        requestUri = null;
        requestState = interrupted ? REQ_NOTHING : REQ_LINE;
    }

    private void replyMade(boolean interrupted) {
        if (!replyOngoing) {
            return;
        }
        replyOngoing = false;
        if (replyMessage != null) {
            replyMessage.done(interrupted);
        }
        if ((replyCode < 100 || replyCode >= 200) && !unanswered.isEmpty()) {
            unanswered.poll();
        }
        replyReason = null;
        if (replyCode == 101 && unanswered.size() == 1 && upgradeConnection
                && upgradeProtocol != null && upgradeProtocol.length > 0) {
            int rest = clResp.remainingInSegment();
            if (rest > 0) {
                weird("protocol_data_with_HTTP_upgrade_reply", Integer.toString(rest));
            }
            upgraded = true;
            upgradeRest = Math.max(rest, 0);
            clOrig.detach();
            clResp.detach();
            upgradeChild = upgradeAnalyzer();
        }
        replyCode = 0;
        upgradeConnection = false;
        upgradeProtocol = null;
        replyState = (interrupted || upgraded) ? REP_NOTHING : REP_LINE;
    }

    /**
     * HTTP_Upgrade: the analyzer {@code HTTP::upgrade_analyzers} names for the Upgrade token
     * (exact, then lower case: only {@code websocket} is registered), else a child protocol
     * detection. For WebSocket, c$http's host, uri and user agent go to c$websocket first.
     */
    private Analyzer upgradeAnalyzer() {
        String token = ascii(upgradeProtocol);
        if (token.toLowerCase(java.util.Locale.ROOT).equals("websocket")) {
            io.picket.analyzer.websocket.WebSocketHandshake ws = io.picket.analyzer.websocket.WebSocketHandshake.of(ctx);
            if (cur != null) {
                ws.fromHttp(cur.host, cur.uri, cur.userAgent);
            }
            return ctx.startChild(io.picket.analyzer.websocket.WebSocketProvider.NAME);
        }
        return ctx.childDetection();
    }

    /** HTTP_MessageDone. */
    void messageDone(boolean isOrig) {
        if (isOrig) {
            requestMade(false);
        } else {
            replyMade(false);
        }
    }

    /** HTTP_Header: connection flags, then the http_header event. */
    void httpHeader(boolean isOrig, byte[] h, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        boolean connection = Mime.iequals(h, nameFrom, nameTo, "connection");
        if (connection) {
            int[] t = tokScratch;
            if (Mime.token(h, valueFrom, valueTo, false, t) >= 0) {
                if (isOrig && Mime.iequals(h, t[0], t[1], "keep-alive")) {
                    keepAlive = true;
                }
                if (!isOrig) {
                    if (Mime.iequals(h, t[0], t[1], "close")) {
                        connectionClose = true;
                    } else if (Mime.iequals(h, t[0], t[1], "upgrade")) {
                        upgradeConnection = true;
                    }
                }
            }
        }
        if (!isOrig && Mime.iequals(h, nameFrom, nameTo, "upgrade")) {
            int[] t = tokScratch;
            upgradeProtocol = Mime.token(h, valueFrom, valueTo, false, t) >= 0
                    ? Mime.copy(h, t[0], t[1]) : new byte[0];
        }
        if (sig != null) {
            sig.header(isOrig, h, nameFrom, nameTo, valueFrom, valueTo);
        }
        evHeader(isOrig, ascii(Mime.upper(h, nameFrom, nameTo)), Mime.copy(h, valueFrom, valueTo));
    }

    // ============================================================ script layer (main.zeek)

    private HttpTransaction setState(boolean isOrig) {
        int idx = isOrig ? st.currentRequest : st.currentResponse;
        HttpTransaction t = st.pending.get(idx);
        if (t == null) {
            t = new HttpTransaction(ctx.networkTime(), ++st.transDepth);
            st.pending.put(idx, t);
        }
        cur = t;
        return t;
    }

    private void evRequest(byte[] method, byte[] uri) {
        if (st.currentRequest < st.currentResponse) {
            scriptWeird("HTTP_response_before_request", null);
            st.currentRequest = st.currentResponse;
        }
        if (st.pending.size() > MAX_PENDING) {
            scriptWeird("HTTP_excessive_pipelining", null);
            if (st.currentResponse == 0) {
                st.currentResponse++;
            }
            while (st.currentResponse < st.currentRequest) {
                HttpTransaction t = st.pending.remove(st.currentResponse);
                if (t != null) {
                    log(t);
                }
                st.currentResponse++;
            }
        }
        st.currentRequest++;
        HttpTransaction t = setState(true);
        t.method = method;
        t.uri = uri;
        String m = ascii(method);
        if (!METHODS.contains(m)) {
            scriptWeird("unknown_HTTP_method", m);
        }
    }

    private void evReply(String version, int code, byte[] reason) {
        HttpTransaction cr = st.pending.get(st.currentResponse);
        if (cr == null || (cr.statusCode >= 0 && !(cr.statusCode >= 100 && cr.statusCode <= 199))) {
            st.currentResponse++;
        }
        HttpTransaction t = setState(false);
        t.statusCode = code;
        Object msg = reason == null ? EMPTY_REASON : reason;
        t.statusMsg = msg;
        t.version = version;
        if (code >= 100 && code <= 199) {
            t.infoCode = code;
            t.infoMsg = msg;
        }
    }

    private void evHeader(boolean isOrig, String name, byte[] value) {
        HttpTransaction t = setState(isOrig);
        if (name.startsWith("SEC-WEBSOCKET-") && !replaying) {
            // websocket/main.zeek's http_header handler (c$websocket)
            io.picket.analyzer.websocket.WebSocketHandshake.of(ctx).header(ctx, isOrig, name, value);
        }
        if (isOrig && !replaying && ctx.wantsSeen()) {
            seenHeader(name, value);
        }
        if (isOrig) {
            switch (name) {
                case "REFERER" -> t.referrer = value;
                case "HOST" -> t.host = value;
                case "RANGE" -> t.rangeRequest = true;
                case "ORIGIN" -> t.origin = value;
                case "USER-AGENT" -> t.userAgent = value;
                default -> {
                    if (PROXY_HEADERS.contains(name)) {
                        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
                        byte[] entry = new byte[n.length + 4 + value.length];
                        System.arraycopy(n, 0, entry, 0, n.length);
                        entry[n.length] = ' ';
                        entry[n.length + 1] = '-';
                        entry[n.length + 2] = '>';
                        entry[n.length + 3] = ' ';
                        System.arraycopy(value, 0, entry, n.length + 4, value.length);
                        t.addProxied(entry);
                    } else if (name.equals("AUTHORIZATION") || name.equals("PROXY-AUTHORIZATION")) {
                        basicAuth(t, value);
                    }
                }
            }
        }
        // entities.zeek (priority 3): file names from both directions' headers
        if (name.equals("CONTENT-DISPOSITION") || name.equals("CONTENT-TYPE")) {
            String v = new String(value, StandardCharsets.ISO_8859_1);
            Pattern check = name.equals("CONTENT-DISPOSITION") ? FILENAME_IN_DISPOSITION : NAME_IN_CONTENT_TYPE;
            if (check.matcher(v).find() && cur != null && cur.hasCurrentEntity) {
                cur.currentEntityFilename = filenameFromDisposition(v);
            }
        }
    }

    private void basicAuth(HttpTransaction t, byte[] value) {
        String v = new String(value, StandardCharsets.ISO_8859_1);
        if (!BASIC.matcher(v).find()) {
            return;
        }
        byte[] encoded = BASIC_PREFIX.matcher(v).replaceFirst("").getBytes(StandardCharsets.ISO_8859_1);
        byte[] userpass = Base64Decoder.decodeAll(encoded, 0, encoded.length, this::weird);
        int colon = -1;
        for (int i = 0; i < userpass.length; i++) {
            if (userpass[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon >= 0) {
            t.username = Arrays.copyOf(userpass, colon);
        } else {
            byte[] prefix = "<problem-decoding> (".getBytes(StandardCharsets.US_ASCII);
            byte[] u = Arrays.copyOf(prefix, prefix.length + value.length + 1);
            System.arraycopy(value, 0, u, prefix.length, value.length);
            u[u.length - 1] = ')';
            t.username = u;
        }
    }

    /** extract_filename_from_content_disposition (base/utils/files.zeek). */
    private byte[] filenameFromDisposition(String data) {
        String f = FILENAME_PREFIX.matcher(data).replaceFirst("");
        if (f.startsWith("\"")) {
            int end = f.indexOf('"', 1);
            f = end < 0 ? f.substring(1) : f.substring(1, end);
        }
        if (LANGUAGE_CHECK.matcher(f).find()) {
            f = LANGUAGE_PREFIX.matcher(f).replaceFirst("");
        }
        byte[] b = f.getBytes(StandardCharsets.ISO_8859_1);
        return Mime.unescapeUri(b, 0, b.length, null);
    }

    void evBeginEntity(boolean isOrig) {
        HttpTransaction t = setState(isOrig);
        t.hasCurrentEntity = true;
        t.currentEntityFilename = null;
    }

    void evEndEntity(boolean isOrig) {
        if (cur != null) {
            cur.hasCurrentEntity = false;
            cur.currentEntityFilename = null;
        }
    }

    void evMessageDone(boolean isOrig, long bodyLength) {
        HttpTransaction t = setState(isOrig);
        if (isOrig) {
            t.requestBodyLen = bodyLength;
            if (!replaying && ctx.wantsSeen()) {
                // policy/frameworks/intel/seen/http-url.zeek
                ctx.seen(buildUrl(t), "Intel::URL", "HTTP::IN_URL");
            }
        } else {
            t.responseBodyLen = bodyLength;
        }
        if (!isOrig && !(cur.statusCode >= 100 && cur.statusCode <= 199)) {
            log(cur);
            st.pending.remove(st.currentResponse);
        }
    }

    /**
     * A new file for an entity's first data (Zeek's get_file_handle + file_over_new_connection);
     * range requests answered in parts share one file per URL within the connection.
     */
    HttpFile fileFor(boolean isOrig) {
        HttpTransaction t = cur;
        if (t == null) {
            return null;
        }
        String key = null;
        if (t.rangeRequest && !isOrig) {
            key = urlKey(t);
            if (rangeFiles != null) {
                HttpFile f = rangeFiles.get(key);
                if (f != null) {
                    return f;
                }
            }
        }
        HttpFile f = new HttpFile(ctx.newFileId(), isOrig);
        f.rec = t;
        t.addFile(isOrig, f.fuid, t.hasCurrentEntity ? t.currentEntityFilename : null);
        if (t.hasCurrentEntity && t.currentEntityFilename != null && !replaying && ctx.wantsSeen()) {
            // policy/frameworks/intel/seen/file-names.zeek (file_over_new_connection): f$info$filename,
            // the file not sniffed yet (no mime type), Files::describe = HTTP::describe_file
            ctx.seen(new String(t.currentEntityFilename, StandardCharsets.ISO_8859_1), "Intel::FILE_NAME",
                    "Files::IN_NAME", f.fuid, null, "http://" + buildUrl(t));
        }
        if (key != null) {
            if (rangeFiles == null) {
                rangeFiles = new java.util.HashMap<>();
            }
            if (rangeFiles.size() < 64) {
                f.urlKey = key.getBytes(StandardCharsets.ISO_8859_1);
                rangeFiles.put(key, f);
            }
        }
        return f;
    }

    /** base/protocols/http/utils.zeek {@code HTTP::build_url}: host (port unless 80) and URI. */
    private String buildUrl(HttpTransaction t) {
        String uri = t.uri != null ? new String(t.uri, StandardCharsets.ISO_8859_1) : "/<missed_request>";
        if (uri.contains("://")) {
            return uri;
        }
        String host;
        if (t.host != null) {
            host = new String(t.host, StandardCharsets.ISO_8859_1);
        } else {
            host = ctx.respHost();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]"; // addr_to_uri
            }
        }
        int port = ctx.respPort();
        return port != 80 ? host + ":" + port + uri : host + uri;
    }

    private static String urlKey(HttpTransaction t) {
        String uri = t.uri != null ? new String(t.uri, StandardCharsets.ISO_8859_1) : "/<missed_request>";
        String host = t.host != null ? new String(t.host, StandardCharsets.ISO_8859_1) : "";
        return host + uri;
    }

    void endFile(HttpFile f) {
        if (f == null || f.ended) {
            return;
        }
        f.end();
        if (f.urlKey != null && rangeFiles != null) {
            rangeFiles.remove(new String(f.urlKey, StandardCharsets.ISO_8859_1));
        }
    }

    // ================================================================== log record

    private void log(HttpTransaction t) {
        if (t.logged) {
            return;
        }
        t.logged = true;
        if (schema == null) {
            schema = ctx.schema(HttpLog.SCHEMA);
            col = HttpLog.columns(schema);
        }
        LogRecord r = new LogRecord(schema);
        ctx.setConnectionId(r);
        put(r, HttpLog.TS, t.ts);
        put(r, HttpLog.TRANS_DEPTH, t.transDepth);
        put(r, HttpLog.METHOD, t.method);
        put(r, HttpLog.HOST, t.host);
        put(r, HttpLog.URI, t.uri);
        put(r, HttpLog.REFERRER, t.referrer);
        put(r, HttpLog.VERSION, t.version);
        put(r, HttpLog.USER_AGENT, t.userAgent);
        put(r, HttpLog.ORIGIN, t.origin);
        put(r, HttpLog.REQUEST_BODY_LEN, t.requestBodyLen);
        put(r, HttpLog.RESPONSE_BODY_LEN, t.responseBodyLen);
        put(r, HttpLog.STATUS_CODE, t.statusCode >= 0 ? t.statusCode : null);
        put(r, HttpLog.STATUS_MSG, t.statusMsg);
        put(r, HttpLog.INFO_CODE, t.infoCode >= 0 ? t.infoCode : null);
        put(r, HttpLog.INFO_MSG, t.infoMsg);
        put(r, HttpLog.TAGS, NO_TAGS);
        put(r, HttpLog.USERNAME, t.username);
        put(r, HttpLog.PASSWORD, null);
        put(r, HttpLog.PROXIED, t.proxied);
        put(r, HttpLog.ORIG_FUIDS, t.origFuids);
        put(r, HttpLog.ORIG_FILENAMES, t.origFilenames);
        put(r, HttpLog.ORIG_MIME_TYPES, t.origMimeTypes);
        put(r, HttpLog.RESP_FUIDS, t.respFuids);
        put(r, HttpLog.RESP_FILENAMES, t.respFilenames);
        put(r, HttpLog.RESP_MIME_TYPES, t.respMimeTypes);
        ctx.log(r);
    }

    private void put(LogRecord r, int column, Object value) {
        int i = col[column];
        if (i >= 0) {
            r.set(i, value);
        }
    }

    // ====================================================================== helpers

    void weird(String name, String addl) {
        if (!replaying) {
            ctx.weird(name, addl);
        }
    }

    /** policy/frameworks/intel/seen/http-headers.zeek: indicators in request headers. */
    private void seenHeader(String name, byte[] value) {
        switch (name) {
            case "HOST" -> {
                String v = new String(value, StandardCharsets.ISO_8859_1);
                String host = stripPort(v); // gsub(value, /:[[:digit:]]+$/, "")
                ctx.seen(host, validIp(host) ? "Intel::ADDR" : "Intel::DOMAIN", "HTTP::IN_HOST_HEADER");
            }
            case "X-FORWARDED-FOR" -> {
                // only a value that is one address as a whole (is_valid_ip), then that address
                String v = new String(value, StandardCharsets.ISO_8859_1);
                if (validIp(v)) {
                    ctx.seen(v, "Intel::ADDR", "HTTP::IN_X_FORWARDED_FOR_HEADER");
                }
            }
            case "REFERER" -> ctx.seen(new String(value, StandardCharsets.ISO_8859_1).replaceFirst("^.*://", ""),
                    "Intel::URL", "HTTP::IN_REFERRER_HEADER");
            case "USER-AGENT" -> ctx.seen(new String(value, StandardCharsets.ISO_8859_1), "Intel::SOFTWARE",
                    "HTTP::IN_USER_AGENT_HEADER");
            default -> {
            }
        }
    }

    /** {@code gsub(v, /:[[:digit:]]+$/, "")}: a trailing {@code :port} removed. */
    static String stripPort(String v) {
        int i = v.length();
        while (i > 0 && v.charAt(i - 1) >= '0' && v.charAt(i - 1) <= '9') {
            i--;
        }
        return i < v.length() && i > 0 && v.charAt(i - 1) == ':' ? v.substring(0, i - 1) : v;
    }

    /**
     * Zeek's {@code is_valid_ip} ({@code IPAddr::IsValid}, inet_pton): four dotted decimal octets
     * without leading zeros up to 255, or an IPv6 literal without brackets or zone.
     */
    static boolean validIp(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            if (s.indexOf('[') >= 0 || s.indexOf('%') >= 0 || s.indexOf('/') >= 0) {
                return false;
            }
            try {
                return java.net.InetAddress.ofLiteral(s) != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int val = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                val = val * 10 + (s.charAt(i) - '0');
                if (val > 255) {
                    return false;
                }
                i++;
            }
            int len = i - start;
            if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
        return parts == 4;
    }

    /** A weird raised by Zeek's scripts (weird.log source "-" in Zeek). */
    private void scriptWeird(String name, String addl) {
        if (!replaying) {
            ctx.weird(name, addl, null);
        }
    }

    /** A weird of Zeek's ContentLine analyzer (weird.log source CONTENTLINE). */
    void contentLineWeird(String name) {
        if (!replaying) {
            ctx.weird(name, null, "CONTENTLINE");
        }
    }

    private void confirm() {
        if (!confirmed) {
            confirmed = true;
            if (st.confirmedBy == null) {
                st.confirmedBy = this;
            }
            ctx.confirm();
        }
    }

    /** Zeek's {@code Connection::FlagEvent}: true the first time per connection. */
    boolean flagOnce(int flag) {
        if ((flags & flag) != 0) {
            return false;
        }
        flags |= flag;
        return true;
    }

    int replyCode() {
        return replyCode;
    }

    /** State sizes, for tests of the memory bounds. */
    int pendingRecords() {
        return st.pending.size();
    }

    int unansweredRequests() {
        return unanswered.size();
    }

    int lineCapacity(boolean isOrig) {
        return (isOrig ? clOrig : clResp).capacity();
    }

    boolean requestOngoing() {
        return requestOngoing;
    }

    int requestVersion() {
        return requestVersion;
    }

    int replyVersion() {
        return replyVersion;
    }

    boolean connectionClose() {
        return connectionClose;
    }

    private static byte[] copyScratch() {
        return SCRATCH.get();
    }

    String text(byte[] d, int off, int len) {
        return new String(d, off, len, StandardCharsets.ISO_8859_1);
    }

    private static String ascii(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String versionString(int v) {
        return (v / 10) + "." + (v % 10);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isTokenChar(int c) {
        return c > 31 && c < 127 && c != ' ' && c != '\t' && c != '(' && c != ')' && c != '<'
                && c != '>' && c != '@' && c != ',' && c != ';' && c != ':' && c != '\\' && c != '"'
                && c != '/' && c != '[' && c != ']' && c != '?' && c != '=' && c != '{' && c != '}';
    }

    private static boolean isReservedUriChar(int c) {
        return c != 0 && ":/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isUnreservedUriChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c != 0 && "-_.!~*'()".indexOf(c) >= 0);
    }

    /** util::skip_whitespace: spaces and tabs. */
    private static int skipWhitespace(byte[] d, int from, int to) {
        while (from < to && (d[from] == ' ' || d[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static boolean regionMatches(byte[] d, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (d[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionMatchesIgnoreCase(byte[] d, int from, int to, String prefix) {
        if (from < 0 || to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            int c = d[from + i] & 0xff;
            int p = prefix.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (p >= 'A' && p <= 'Z') {
                p += 32;
            }
            if (c != p) {
                return false;
            }
        }
        return true;
    }

    /** strncasecmp(literal, method, method.length) == 0. */
    private static boolean startsWithIgnoreCase(String literal, byte[] method) {
        if (method == null || method.length > literal.length()) {
            return false;
        }
        for (int i = 0; i < method.length; i++) {
            int c = method[i] & 0xff;
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != Character.toLowerCase(literal.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
