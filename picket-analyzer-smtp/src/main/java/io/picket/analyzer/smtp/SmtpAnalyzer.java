package io.picket.analyzer.smtp;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Zeek's SMTP analyzer for one connection ({@code src/analyzer/protocol/smtp/SMTP.cc}) with the
 * logic of {@code base/protocols/smtp/main.zeek}, {@code entities.zeek} and {@code files.zeek}:
 * both directions split into lines as Zeek's NUL-sensitive ContentLine analyzer does, the
 * command/reply state machine (pipelined commands queued until their replies), message data
 * handed to {@link MimeMail} for the headers, files and decoded body segments (whose URLs are
 * Intel::URL sightings in {@code SMTP::IN_MESSAGE} when the tenant has intel, see
 * {@link UrlFinder}), and one smtp.log row per transaction. On
 * the 220 reply to {@code STARTTLS} the rest of both streams goes to the {@code ssl} analyzer,
 * started with {@link AnalyzerContext#startChild}. Lines are kept up to {@link #MAX_LINE} bytes
 * (longer ones are cut, weird {@code contentline_size_exceeded}); the pipeline holds at most 1000
 * commands as in Zeek. BDAT chunks (RFC 3030) are split into lines as Zeek's BDAT analyzer does and
 * end the message after the LAST chunk. Owned by the connection's shard thread; never throws on any input.
 */
final class SmtpAnalyzer implements Analyzer {

    /** Bytes kept of one line (Picket's bound; Zeek's buffer grows without one). */
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_PENDING_CMDS = 1000;
    static final int MAX_INVALID_TRANSACTIONS = 25;
    static final int MAX_ADDRESSES = 1000;
    static final int MAX_PATH = 1000;
    /** File ids kept per transaction (Picket's bound; Zeek keeps every one). */
    static final int MAX_FUIDS = 10_000;
    /** {@code SMTP::IN_MESSAGE} URLs reported per message (Picket's bound; Zeek reports every one). */
    static final int MAX_MESSAGE_URLS = 10_000;

    // SMTP_cmd.def order
    static final int EHLO = 0;
    static final int HELO = 1;
    static final int MAIL = 2;
    static final int RCPT = 3;
    static final int DATA = 4;
    static final int QUIT = 5;
    static final int RSET = 6;
    static final int VRFY = 7;
    static final int EXPN = 8;
    static final int HELP = 9;
    static final int NOOP = 10;
    static final int STARTTLS = 11;
    static final int X_ANONYMOUSTLS = 12;
    static final int CONN_ESTABLISHMENT = 13;
    static final int END_OF_DATA = 14;
    static final int SEND = 15;
    static final int SOML = 16;
    static final int SAML = 17;
    static final int TURN = 18;
    static final int BDAT = 19;
    static final int ETRN = 20;
    static final int AUTH = 21;
    static final int AUTH_ANSWER = 22;
    static final int LAST = 23;
    private static final String[] WORDS = {"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "VRFY", "EXPN",
        "HELP", "NOOP", "STARTTLS", "X_ANONYMOUSTLS", "CONN_ESTABLISHMENT", "END_OF_DATA", "SEND", "SOML", "SAML",
        "TURN", "BDAT", "ETRN", "AUTH", "AUTH_ANSWER", "LAST"};

    // SMTP.h states
    static final int CONNECTED = 0;
    static final int INITIATED = 1;
    static final int NOT_AVAILABLE = 2;
    static final int READY = 3;
    static final int MAIL_OK = 4;
    static final int RCPT_OK = 5;
    static final int IN_DATA = 6;
    static final int AFTER_DATA = 7;
    static final int IN_AUTH = 8;
    static final int IN_TLS = 9;
    static final int QUIT_STATE = 10;
    static final int AFTER_GAP = 11;
    static final int GAP_RECOVERY = 12;
    static final int IN_BDAT = 13;
    /** Zeek's {@code SMTP::bdat_max_line_length}. */
    static final int BDAT_MAX_LINE = 4096;

    private final AnalyzerContext ctx;
    private final LogSchema schema;

    // ContentLine per direction (0 = originator)
    private final byte[][] line = {new byte[128], new byte[128]};
    private final int[] lineLen = new int[2];
    private final long[] lineFull = new long[2];
    private final int[] lastChar = new int[2];
    private boolean flaggedSingleCr;
    private boolean flaggedNul;

    // SMTP.cc state
    private int state = CONNECTED;
    private int firstCmd = CONN_ESTABLISHMENT;
    private int lastRepliedCmd = -1;
    private int pendingReply;
    private final int[] pendingQ = new int[MAX_PENDING_CMDS];
    private int pendingHead;
    private int pendingSize;
    private boolean origIsSender = true;
    private MimeMail mail;
    /** The decode buffer every message of the connection reuses (made with the first message). */
    private byte[] segment;
    /** find_all_urls_without_scheme of smtp-url-extraction.zeek (made when the tenant has intel). */
    private UrlFinder urlFinder;
    private int messageUrls;
    private final UrlFinder.Sink urlSink = this::messageUrl;
    private Analyzer tls;
    private boolean disabled;
    private final boolean[] ended = new boolean[2];
    /** ContentLine plain delivery: bytes of a BDAT chunk still to come, per direction. */
    private final long[] plainRemaining = new long[2];
    private Bdat bdat;

    // main.zeek state
    private boolean session;
    private String helo;
    private long messagesTransferred;
    private boolean transMailFromSeen;
    private boolean transRcptToSeen;
    private long invalidTransactions;
    private boolean bdatLastObserved;
    private boolean analyzerId;
    private Info info;

    /** One smtp.log row being built (Zeek's {@code SMTP::Info}). */
    private static final class Info {
        double ts;
        long transDepth;
        String helo;
        String mailfrom;
        Set<String> rcptto;
        String date;
        String from;
        Set<String> to;
        Set<String> cc;
        String replyTo;
        String msgId;
        String inReplyTo;
        String subject;
        String xOriginatingIp;
        String firstReceived;
        String secondReceived;
        String lastReply;
        List<String> path = new ArrayList<>(2);
        String userAgent;
        boolean tls;
        boolean processReceivedFrom = true;
        boolean hasClientActivity;
        boolean processSmtpHeaders = true;
        long entityCount;
        List<String> fuids = new ArrayList<>(1);
        /** entities.zeek's {@code c$smtp$entity$filename} of the current entity (kept only when the tenant has intel). */
        String entityFilename;
    }

    private final MimeMail.Listener mimeListener = new MimeMail.Listener() {
        @Override
        public void beginEntity() {
            mimeBeginEntity();
        }

        @Override
        public void header(String upperName, String value) {
            mimeOneHeader(upperName, value);
        }

        @Override
        public void endEntity() {
            if (info != null && ctx.wantsSeen()) {
                seenEntityEnd(info);
            }
        }

        @Override
        public void data(byte[] b, int off, int len) {
            messageData(b, off, len);
        }

        @Override
        public void weird(String name, String addl) {
            ctx.weird(name, addl);
        }

        @Override
        public void fileStarted() {
            String fuid = null;
            if (info != null && !info.tls && info.fuids.size() < MAX_FUIDS) {
                fuid = ctx.newFileId();
                info.fuids.add(fuid);
            }
            if (info != null && info.entityFilename != null && ctx.wantsSeen()) {
                // policy/frameworks/intel/seen/file-names.zeek (file_over_new_connection): the file is
                // not sniffed yet (no mime type); Files::describe = SMTP::describe_file
                ctx.seen(info.entityFilename, "Intel::FILE_NAME", "Files::IN_NAME",
                        fuid != null ? fuid : ctx.newFileId(), null, describe(info));
            }
        }
    };

    SmtpAnalyzer(AnalyzerContext ctx) {
        this.ctx = ctx;
        this.schema = ctx.schema(SmtpLog.SCHEMA);
        updateState(firstCmd, 0, true);
    }

    // ------------------------------------------------------------------ stream and lines

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (state == IN_TLS) {
            if (tls != null) {
                tls.onStream(isOrig, data, offset, length);
            }
            return;
        }
        if (disabled || ctx.partial()) {
            return; // Zeek's ContentLine skips partial connections
        }
        int d = isOrig ? 0 : 1;
        long end = offset + length;
        for (long p = offset; p < end; p++) {
            if (plainRemaining[d] > 0) {
                int n = (int) Math.min(plainRemaining[d], end - p);
                plainRemaining[d] -= n;
                lastChar[d] = 0;
                if (bdat != null && bdat.remaining > 0) {
                    bdatData(data, p, n);
                }
                p += n - 1;
                if (disabled) {
                    return;
                }
                continue;
            }
            int c = data.get(ValueLayout.JAVA_BYTE, p) & 0xff;
            boolean emit = false;
            switch (c) {
                case '\r' -> {
                    if (p + 1 < end && data.get(ValueLayout.JAVA_BYTE, p + 1) == '\n') {
                        p++;
                        c = '\n';
                    }
                    emit = true;
                }
                case '\n' -> {
                    if (lastChar[d] == '\r' && lineFull[d] == 0) {
                        lastChar[d] = c;
                        continue; // the LF of a CR that ended the previous segment
                    }
                    emit = true;
                }
                case 0 -> {
                    if (!flaggedNul) {
                        flaggedNul = true;
                        ctx.weird("NUL_in_line", null, "CONTENTLINE");
                    }
                    append(d, c); // Zeek keeps the NUL in the line
                }
                default -> append(d, c);
            }
            if (emit) {
                lastChar[d] = c;
                emitLine(isOrig, d);
                if (state == IN_TLS || disabled) {
                    if (state == IN_TLS && tls != null && p + 1 < end) {
                        tls.onStream(isOrig, data, p + 1, (int) (end - p - 1));
                    }
                    return;
                }
                continue;
            }
            if (lastChar[d] == '\r' && !flaggedSingleCr) {
                flaggedSingleCr = true;
                ctx.weird("line_terminated_with_single_CR", null, "CONTENTLINE");
            }
            lastChar[d] = c;
        }
    }

    private void append(int d, int c) {
        if (lineLen[d] < MAX_LINE) {
            if (lineLen[d] == line[d].length) {
                line[d] = java.util.Arrays.copyOf(line[d], Math.min(MAX_LINE, line[d].length * 2));
            }
            line[d][lineLen[d]++] = (byte) c;
        }
        lineFull[d]++;
    }

    private void emitLine(boolean isOrig, int d) {
        if (lineFull[d] > lineLen[d]) {
            ctx.weird("contentline_size_exceeded", null, "CONTENTLINE");
        }
        int len = lineLen[d];
        lineLen[d] = 0;
        lineFull[d] = 0;
        byte[] b = line[d];
        // SMTP.cc DeliverStream: allow /(\r)*\n/ as end of line
        while (len > 0 && b[len - 1] == '\r') {
            len--;
        }
        processLine(b, len, isOrig);
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        if (state == IN_TLS) {
            if (tls != null) {
                tls.onGap(isOrig, length);
            }
            return;
        }
        if (disabled || length <= 0) {
            return;
        }
        int d = isOrig ? 0 : 1;
        lineLen[d] = 0;
        lineFull[d] = 0;
        plainRemaining[d] -= Math.min(plainRemaining[d], length);
        // Zeek 8 compares the state with the BDAT command code here, so a gap ends only DATA mail
        if (state == IN_DATA) {
            endData();
        }
        pendingSize = 0;
        firstCmd = -1;
        lastRepliedCmd = -1;
        state = AFTER_GAP;
    }

    /** Zeek's ConnectionFinished: once both directions ended, an open message ends (the state stays). */
    @Override
    public void onEndOfStream(boolean isOrig) {
        ended[isOrig ? 0 : 1] = true;
        if (state != IN_TLS && ended[0] && ended[1] && mail != null) {
            endData();
        }
    }

    /** Bytes held by the line buffers (for the memory bound). */
    int bufferedCapacity() {
        return line[0].length + line[1].length;
    }

    @Override
    public void onConnectionDone() {
        if (mail != null) {
            endData();
        }
        if (info != null) {
            smtpMessage(); // finalize_smtp
        }
    }

    // ------------------------------------------------------------------ SMTP.cc ProcessLine

    private void processLine(byte[] b, int len, boolean orig) {
        boolean isSender = origIsSender == orig;
        if (isSender) {
            int cmdCode = -1;
            String cmd = "";
            int argFrom = 0;
            if (state == AFTER_GAP) {
                return; // the line after a gap is neither command nor data for Zeek
            } else if (state == IN_DATA && len == 1 && b[0] == '.') {
                cmd = ".";
                cmdCode = END_OF_DATA;
                argFrom = 1;
                newCmd(cmdCode);
            } else if (state == IN_DATA) {
                int from = len > 0 && b[0] == '.' ? 1 : 0;
                if (mail == null) {
                    beginData();
                }
                mail.line(b, from, len - from);
                return;
            } else if (state == IN_AUTH) {
                cmd = "**";
                cmdCode = AUTH_ANSWER;
                newCmd(cmdCode);
            } else {
                int w = 0;
                while (w < len && !isSpace(b[w])) {
                    w++;
                }
                argFrom = w;
                while (argFrom < len && isSpace(b[argFrom])) {
                    argFrom++;
                }
                cmdCode = parseCmd(b, w);
                if (cmdCode >= 0) {
                    cmd = new String(b, 0, w, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
                    newCmd(cmdCode);
                }
            }
            if (cmdCode >= 0) {
                if (cmdCode == END_OF_DATA) {
                    updateState(cmdCode, 0, orig);
                }
                if (!cmd.isEmpty() || argFrom < len) {
                    requestEvent(cmd, new String(b, argFrom, len - argFrom, StandardCharsets.ISO_8859_1));
                }
                boolean update = cmdCode != END_OF_DATA;
                if (cmdCode == BDAT) {
                    update = processBdatArg(b, argFrom, len - argFrom, orig);
                } else if (bdat != null) {
                    // a command while chunks are open: the client never sent the LAST chunk
                    ctx.weird("smtp_missing_bdat_last_chunk", null);
                    endData();
                }
                if (update && !disabled) {
                    updateState(cmdCode, 0, orig);
                }
            }
            return;
        }
        int replyCode = -1;
        if (len >= 3 && digit(b[0]) && digit(b[1]) && digit(b[2])) {
            replyCode = (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0');
        }
        if (replyCode < 100 || replyCode > 599) {
            ctx.violation("reply code -1 out of range");
            return;
        }
        if (pendingReply != 0 && replyCode != pendingReply) {
            pendingReply = 0;
        }
        if (pendingReply == 0) {
            newReply(replyCode, orig);
        }
        int msgFrom;
        boolean cont;
        if (len > 3 && b[3] == '-') {
            pendingReply = replyCode;
            msgFrom = 4;
            cont = true;
        } else {
            pendingReply = 0;
            msgFrom = 3;
            cont = false;
        }
        while (msgFrom < len && isSpace(b[msgFrom])) {
            msgFrom++;
        }
        String cmd = switch (lastRepliedCmd) {
            case CONN_ESTABLISHMENT -> ">";
            case END_OF_DATA -> ".";
            default -> lastRepliedCmd >= 0 ? WORDS[lastRepliedCmd] : "(UNKNOWN)";
        };
        replyEvent(replyCode, cmd, new String(b, msgFrom, len - msgFrom, StandardCharsets.ISO_8859_1), cont);
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0b || c == 0x0c;
    }

    /** SMTP.cc ParseCmd: the command word, case-insensitively, or -1. */
    static int parseCmd(byte[] b, int len) {
        if (len == 0) {
            return -1;
        }
        if (equalsIgnoreCase(b, len, "X-ANONYMOUSTLS")) {
            return X_ANONYMOUSTLS;
        }
        for (int code = EHLO; code < LAST; code++) {
            if (equalsIgnoreCase(b, len, WORDS[code])) {
                return code;
            }
        }
        return -1;
    }

    private static boolean equalsIgnoreCase(byte[] b, int len, String w) {
        if (len != w.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void newCmd(int cmdCode) {
        if (firstCmd < 0) {
            firstCmd = cmdCode;
            return;
        }
        if (pendingSize == MAX_PENDING_CMDS) {
            ctx.weird("smtp_excessive_pending_cmds", null);
            pendingSize = 0;
        }
        pendingQ[(pendingHead + pendingSize) % MAX_PENDING_CMDS] = cmdCode;
        pendingSize++;
    }

    private void newReply(int replyCode, boolean orig) {
        if (state == AFTER_GAP && replyCode > 0) {
            state = GAP_RECOVERY;
            requestEvent("(UNKNOWN)", "");
        }
        int cmdCode = firstCmd;
        lastRepliedCmd = firstCmd;
        firstCmd = -1;
        if (pendingSize > 0) {
            firstCmd = pendingQ[pendingHead];
            pendingHead = (pendingHead + 1) % MAX_PENDING_CMDS;
            pendingSize--;
        }
        updateState(cmdCode, replyCode, orig);
    }

    /** SMTP.cc UpdateState: the state after a command (reply 0) or its reply; reply checks left out. */
    private void updateState(int cmdCode, int replyCode, boolean orig) {
        switch (cmdCode) {
            case CONN_ESTABLISHMENT -> {
                if (replyCode == 0) {
                    state = INITIATED;
                } else if (replyCode == 421 || replyCode == 554) {
                    state = NOT_AVAILABLE;
                }
            }
            case EHLO, HELO -> {
                if (replyCode == 0) {
                    state = READY;
                } else if (replyCode == 421 || replyCode == 500 || replyCode == 501 || replyCode == 504
                        || replyCode == 550) {
                    state = INITIATED;
                }
            }
            case MAIL, SEND, SOML, SAML -> {
                switch (replyCode) {
                    case 0 -> state = MAIL_OK;
                    case 421, 451, 452, 500, 501, 503, 550, 552, 553 -> {
                        if (state != IN_DATA) {
                            state = READY;
                        }
                    }
                    default -> {
                    }
                }
            }
            case RCPT -> {
                if (replyCode == 0) {
                    state = RCPT_OK;
                }
            }
            case DATA -> {
                switch (replyCode) {
                    case 0 -> beginData();
                    case 354 -> {
                    }
                    case 421 -> {
                        if (state == IN_DATA) {
                            endData();
                        }
                        state = QUIT_STATE;
                    }
                    default -> {
                        if (state == IN_DATA) {
                            endData();
                        }
                        state = READY;
                    }
                }
            }
            case END_OF_DATA -> {
                if (replyCode == 0) {
                    endData();
                    state = AFTER_DATA;
                }
                if (replyCode > 0) {
                    state = READY;
                }
            }
            case RSET -> {
                if (replyCode == 0) {
                    state = READY;
                }
            }
            case QUIT -> {
                if (replyCode == 0) {
                    state = QUIT_STATE;
                }
            }
            case AUTH, AUTH_ANSWER -> {
                if (replyCode == 334) {
                    state = IN_AUTH;
                } else if (replyCode != 0) {
                    state = INITIATED;
                }
            }
            case TURN -> {
                if (replyCode == 250) {
                    origIsSender = !origIsSender;
                    state = CONNECTED;
                }
            }
            case BDAT -> {
                if (replyCode == 0) {
                    state = IN_BDAT;
                }
            }
            case STARTTLS, X_ANONYMOUSTLS -> {
                if (replyCode == 220) {
                    startTls();
                }
            }
            default -> {
                if (state == GAP_RECOVERY && replyCode == 354) {
                    beginData();
                }
            }
        }
    }

    private void startTls() {
        state = IN_TLS;
        lineLen[0] = lineLen[1] = 0;
        lineFull[0] = lineFull[1] = 0;
        tls = ctx.startChild("ssl");
        // smtp_starttls
        if (info != null) {
            info.tls = true;
            info.hasClientActivity = true;
        }
    }

    private void beginData() {
        beginData(IN_DATA);
    }

    private void beginData(int newState) {
        state = newState;
        if (mail != null) {
            ctx.weird("smtp_nested_mail_transaction", null);
            mail.done();
        }
        if (segment == null) {
            segment = new byte[MimeMail.SEGMENT];
        }
        messageUrls = 0;
        mail = new MimeMail(mimeListener, segment);
    }

    private void endData() {
        if (bdat != null) {
            Bdat b = bdat;
            bdat = null;
            if (b.len > 0 && mail != null) {
                ctx.weird("smtp_bdat_undelivered_at_done", null, "SMTP_BDAT");
                mail.line(b.buf, 0, b.len, false);
            }
        }
        if (mail == null) {
            ctx.weird("smtp_unmatched_end_of_data", null);
        } else {
            MimeMail m = mail;
            mail = null;
            m.done();
        }
    }

    // ------------------------------------------------------------------ BDAT (BDAT.cc)

    /** One BDAT transfer: the chunk bytes still expected and the unfinished line. */
    private static final class Bdat {
        long remaining;
        boolean last;
        byte[] buf = new byte[256];
        int len;
        byte[] scratch;
    }

    /** SMTP.cc ProcessBdatArg with BDAT.cc parse_bdat_arg: false when the command is not valid. */
    private boolean processBdatArg(byte[] b, int from, int len, boolean orig) {
        String error = null;
        long size = 0;
        boolean last = false;
        if (len <= 0 || len > 25) {
            error = "BDAT argument bad length";
        } else if (!digit(b[from])) {
            error = "BDAT not followed by a valid chunk-size";
        } else {
            int p = from;
            java.math.BigInteger v = java.math.BigInteger.ZERO;
            while (p < from + len && digit(b[p])) {
                v = v.multiply(java.math.BigInteger.TEN).add(java.math.BigInteger.valueOf(b[p] - '0'));
                p++;
            }
            if (p < from + len && b[p] != ' ') {
                error = "BDAT chunk-size not valid";
            } else if (v.bitLength() > 64) {
                error = "BDAT chunk-size too large";
            } else {
                if (p < from + len) {
                    last = from + len - p >= 5 && (b[p + 1] | 0x20) == 'l' && (b[p + 2] | 0x20) == 'a'
                            && (b[p + 3] | 0x20) == 's' && (b[p + 4] | 0x20) == 't';
                    if (!last || p + 5 != from + len) {
                        error = "BDAT chunk-size followed by junk";
                    }
                }
                if (error == null && v.bitLength() > 63) {
                    ctx.weird("smtp_huge_bdat_chunk", v.toString());
                    return false;
                }
                size = v.longValue();
            }
        }
        if (error != null) {
            ctx.weird("smtp_invalid_bdat_command", error);
            return false;
        }
        plainRemaining[orig ? 0 : 1] = size;
        if (bdat == null) {
            beginData(IN_BDAT);
            bdat = new Bdat();
        }
        bdat.remaining = size;
        bdat.last = last;
        return true;
    }

    /** BDAT.cc DeliverStream: chunk bytes split into lines at CRLF (bare LF, forced at 4096 bytes). */
    private void bdatData(MemorySegment data, long offset, int n) {
        Bdat t = bdat;
        if (t.len > 0 && t.buf[t.len - 1] == '\r' && data.get(ValueLayout.JAVA_BYTE, offset) != '\n') {
            ctx.weird("smtp_bdat_line_cr_only", null, "SMTP_BDAT");
            mailLine(t.buf, 0, t.len, false);
            t.len = 0;
        }
        int carried = t.len;
        int size = carried + n;
        if (t.scratch == null || t.scratch.length < size) {
            t.scratch = new byte[Math.max(size, 1024)];
        }
        byte[] s = t.scratch;
        System.arraycopy(t.buf, 0, s, 0, carried);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, s, carried, n);
        int lineStart = 0;
        for (int i = carried > 0 ? carried - 1 : 0; i < size; i++) {
            if (i < size - 1 && s[i] == '\r' && s[i + 1] == '\n') {
                mailLine(s, lineStart, i - lineStart, true);
                lineStart = i + 2;
                i++;
            } else if (s[i] == '\n') {
                ctx.weird("smtp_bdat_line_lf_only", null, "SMTP_BDAT");
                mailLine(s, lineStart, i - lineStart + 1, false);
                lineStart = i + 1;
            } else if (i - lineStart >= BDAT_MAX_LINE) {
                ctx.weird("smtp_bdat_line_too_long", Integer.toString(size), "SMTP_BDAT");
                mailLine(s, lineStart, i - lineStart, false);
                lineStart = i;
            }
        }
        int rest = size - lineStart;
        if (t.buf.length < rest) {
            t.buf = java.util.Arrays.copyOf(t.buf, Math.max(rest, t.buf.length * 2));
        }
        System.arraycopy(s, lineStart, t.buf, 0, rest);
        t.len = rest;
        t.remaining -= n;
        if (t.last && t.remaining == 0) {
            if (t.len > 0) {
                mailLine(t.buf, 0, t.len, false);
                t.len = 0;
            }
            endData();
        }
    }

    private void mailLine(byte[] b, int off, int len, boolean crlf) {
        if (mail != null) {
            mail.line(b, off, len, crlf);
        }
    }

    // ------------------------------------------------------------------ main.zeek

    private void setSession() {
        session = true;
        if (info == null) {
            info = newInfo();
        }
    }

    private Info newInfo() {
        Info l = new Info();
        l.ts = ctx.networkTime();
        l.transDepth = messagesTransferred + 1;
        l.helo = helo;
        l.path.add(ctx.respHost());
        l.path.add(ctx.origHost());
        return l;
    }

    private void smtpMessage() {
        if (info.hasClientActivity) {
            write(info);
            info = newInfo();
        }
    }

    private void mailTransactionInvalid(String addl) {
        ctx.weird("smtp_mail_transaction_invalid", addl);
        invalidTransactions++;
        if (invalidTransactions > MAX_INVALID_TRANSACTIONS && analyzerId) {
            ctx.weird("smtp_excessive_invalid_mail_transactions",
                    invalidTransactions + "/" + MAX_INVALID_TRANSACTIONS);
            analyzerId = false;
            disabled = true; // disable_analyzer: no more lines are parsed
        }
    }

    private void requestEvent(String cmd, String arg) {
        ctx.confirm();
        if (!session || info == null) {
            setSession();
        }
        analyzerId = analyzerId || !disabled;
        String upper = cmd; // already upper-cased like Zeek's ToUpper
        if (upper.equals("HELO") || upper.equals("EHLO")) {
            helo = arg;
            info.helo = arg;
        } else if (upper.equals("RCPT") && startsWithIgnoreCase(arg, "to:")) {
            if (info.rcptto == null) {
                info.rcptto = new LinkedHashSet<>();
            }
            for (String a : new LinkedHashSet<>(SmtpText.emailAddrs(arg))) {
                if (info.rcptto.size() >= MAX_ADDRESSES) {
                    ctx.weird("smtp_too_many_rcptto_addresses", null, null);
                    break;
                }
                info.rcptto.add(a.replaceAll("ORCPT=rfc822;?", ""));
            }
            info.hasClientActivity = true;
            transRcptToSeen = true;
            if (!transMailFromSeen) {
                mailTransactionInvalid("rcpt to missing mail from");
            }
        } else if (upper.equals("MAIL") && startsWithIgnoreCase(arg, "from:")) {
            smtpMessage();
            List<String> addrs = SmtpText.emailAddrs(arg);
            if (!addrs.isEmpty() && !addrs.getFirst().isEmpty()) {
                info.mailfrom = addrs.getFirst();
            }
            info.hasClientActivity = true;
            transMailFromSeen = true;
            transRcptToSeen = false;
        } else if (upper.equals("DATA") || upper.equals("BDAT")) {
            if (!transRcptToSeen) {
                mailTransactionInvalid("data missing rcpt to");
            }
            if (upper.equals("BDAT") && arg.endsWith(" LAST")) {
                transMailFromSeen = false;
                transRcptToSeen = false;
                bdatLastObserved = true;
            }
        } else if (upper.equals(".")) {
            transMailFromSeen = false;
            transRcptToSeen = false;
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private void replyEvent(int code, String cmd, String msg, boolean cont) {
        if (info == null) {
            setSession();
        }
        info.lastReply = code + " " + msg;
        if (cmd.equals(".") || (!cont && cmd.equals("BDAT") && bdatLastObserved)) {
            messagesTransferred++;
            bdatLastObserved = false;
            smtpMessage();
            info = newInfo();
        }
    }

    private void mimeBeginEntity() {
        if (info != null) {
            info.entityFilename = null; // entities.zeek: c$smtp$entity = Entity()
            info.entityCount++;
            if (info.entityCount > 1) {
                info.processSmtpHeaders = false;
            }
        }
    }

    private void mimeOneHeader(String name, String value) {
        if (info != null && ctx.wantsSeen()
                && ((name.equals("CONTENT-DISPOSITION") && FILENAME_IN_DISPOSITION.matcher(value).find())
                        || (name.equals("CONTENT-TYPE") && NAME_IN_CONTENT_TYPE.matcher(value).find()))) {
            info.entityFilename = SmtpText.filenameFromDisposition(value);
        }
        Info l = info;
        if (l == null || !l.processSmtpHeaders) {
            return;
        }
        switch (name) {
            case "MESSAGE-ID" -> l.msgId = value;
            case "RECEIVED" -> {
                if (l.firstReceived != null) {
                    l.secondReceived = l.firstReceived;
                }
                l.firstReceived = value;
            }
            case "IN-REPLY-TO" -> l.inReplyTo = value;
            case "SUBJECT" -> l.subject = value;
            case "FROM" -> l.from = value;
            case "REPLY-TO" -> l.replyTo = value;
            case "DATE" -> l.date = value;
            case "TO" -> {
                if (l.to == null) {
                    l.to = new LinkedHashSet<>();
                }
                for (String a : SmtpText.mimeAddrs(value)) {
                    if (l.to.size() >= MAX_ADDRESSES) {
                        ctx.weird("smtp_too_many_to_addresses", null, null);
                        break;
                    }
                    l.to.add(a);
                }
            }
            case "CC" -> {
                if (l.cc == null) {
                    l.cc = new LinkedHashSet<>();
                }
                for (String a : SmtpText.mimeAddrs(value)) {
                    if (l.cc.size() >= MAX_ADDRESSES) {
                        ctx.weird("smtp_too_many_cc_addresses", null, null);
                        break;
                    }
                    l.cc.add(a);
                }
            }
            case "X-ORIGINATING-IP" -> {
                List<String> ips = SmtpText.ipAddresses(value, false);
                if (!ips.isEmpty()) {
                    l.xOriginatingIp = ips.getFirst();
                }
            }
            case "X-MAILER", "USER-AGENT", "X-USER-AGENT" -> l.userAgent = value;
            default -> {
            }
        }
        if (name.equals("RECEIVED") && l.processReceivedFrom) {
            List<String> ips = SmtpText.ipAddresses(value, true);
            if (ips.isEmpty()) {
                return;
            }
            String ip = ips.size() > 1 ? ips.get(1) : ips.getFirst();
            // mail_path_capture = ALL_HOSTS: every address matches, the path goes on
            if (!l.path.getLast().equals(ip)) {
                if (l.path.size() >= MAX_PATH) {
                    ctx.weird("smtp_max_path_length_exceeded", null, null);
                    return;
                }
                l.path.add(ip);
            }
        }
    }

    private static final java.util.regex.Pattern FILENAME_IN_DISPOSITION =
            java.util.regex.Pattern.compile("[fF][iI][lL][eE][nN][aA][mM][eE][ \\t]*\\*?=");
    private static final java.util.regex.Pattern NAME_IN_CONTENT_TYPE =
            java.util.regex.Pattern.compile("[nN][aA][mM][eE][ \\t]*=");

    /** smtp/main.zeek {@code SMTP::describe}: "mailfrom -> first rcptto (plus n others): subject...", or "". */
    static String describe(Info l) {
        if (l.mailfrom == null || l.rcptto == null) {
            return "";
        }
        String oneTo = l.rcptto.isEmpty() ? "" : l.rcptto.iterator().next();
        String abbrev = l.subject != null && l.subject.length() > 20 ? l.subject.substring(0, 21) + "..." : "";
        return l.mailfrom + " -> " + oneTo + (l.rcptto.size() > 1 ? " (plus " + (l.rcptto.size() - 1) + " others)" : "")
                + (abbrev.isEmpty() ? "" : ": " + abbrev);
    }

    /**
     * policy/frameworks/intel/seen/smtp.zeek's {@code mime_end_entity} handlers, in their order:
     * the path and X-Originating-IP addresses, the user agent, then the mail addresses.
     */
    private void seenEntityEnd(Info l) {
        for (String a : l.path) {
            ctx.seen(a, "Intel::ADDR", "SMTP::IN_RECEIVED_HEADER");
        }
        if (l.xOriginatingIp != null) {
            ctx.seen(l.xOriginatingIp, "Intel::ADDR", "SMTP::IN_X_ORIGINATING_IP_HEADER");
        }
        if (l.userAgent != null) {
            ctx.seen(l.userAgent, "Intel::SOFTWARE", "SMTP::IN_HEADER");
        }
        if (l.mailfrom != null) {
            ctx.seen(l.mailfrom, "Intel::EMAIL", "SMTP::IN_MAIL_FROM");
        }
        if (l.rcptto != null) {
            for (String a : l.rcptto) {
                ctx.seen(a, "Intel::EMAIL", "SMTP::IN_RCPT_TO");
            }
        }
        if (l.from != null) {
            for (String a : new LinkedHashSet<>(SmtpText.emailAddrs(l.from))) { // extract_email_addrs_set
                ctx.seen(a, "Intel::EMAIL", "SMTP::IN_FROM");
            }
        }
        if (l.to != null) {
            for (String a : l.to) {
                List<String> first = SmtpText.emailAddrs(a); // extract_first_email_addr
                ctx.seen(first.isEmpty() ? "" : first.getFirst(), "Intel::EMAIL", "SMTP::IN_TO");
            }
        }
        if (l.cc != null) {
            for (String a : l.cc) {
                ctx.seen(a, "Intel::EMAIL", "SMTP::IN_CC");
            }
        }
        if (l.replyTo != null) {
            ctx.seen(l.replyTo, "Intel::EMAIL", "SMTP::IN_REPLY_TO");
        }
    }

    /**
     * policy/frameworks/intel/seen/smtp-url-extraction.zeek: every file of an SMTP message gets a data
     * event analyzer ({@code file_new}), whose {@code intel_mime_data} runs
     * {@code find_all_urls_without_scheme} over each data segment and reports every URL as
     * {@code Intel::URL} in {@code SMTP::IN_MESSAGE} with the connection only (no file fields).
     * Runs only when the tenant has intel; a message reports at most {@link #MAX_MESSAGE_URLS}.
     */
    private void messageData(byte[] b, int off, int len) {
        if (messageUrls >= MAX_MESSAGE_URLS || !ctx.wantsSeen()) {
            return;
        }
        if (urlFinder == null) {
            urlFinder = new UrlFinder();
        }
        urlFinder.find(b, off, len, urlSink);
    }

    private void messageUrl(byte[] b, int start, int end) {
        if (messageUrls < MAX_MESSAGE_URLS) {
            messageUrls++;
            ctx.seen(new String(b, start, end - start, StandardCharsets.ISO_8859_1), "Intel::URL", "SMTP::IN_MESSAGE");
        }
    }

    private void write(Info l) {
        LogRecord r = new LogRecord(schema);
        ctx.setConnectionId(r);
        r.set("ts", l.ts);
        r.set("trans_depth", l.transDepth);
        r.set("helo", bytes(l.helo));
        r.set("mailfrom", bytes(l.mailfrom));
        r.set("rcptto", set(l.rcptto));
        r.set("date", bytes(l.date));
        r.set("from", bytes(l.from));
        r.set("to", set(l.to));
        r.set("cc", set(l.cc));
        r.set("reply_to", bytes(l.replyTo));
        r.set("msg_id", bytes(l.msgId));
        r.set("in_reply_to", bytes(l.inReplyTo));
        r.set("subject", bytes(l.subject));
        r.set("x_originating_ip", l.xOriginatingIp);
        r.set("first_received", bytes(l.firstReceived));
        r.set("second_received", bytes(l.secondReceived));
        r.set("last_reply", bytes(l.lastReply));
        r.set("path", List.copyOf(l.path));
        r.set("user_agent", bytes(l.userAgent));
        r.set("tls", l.tls);
        r.set("fuids", List.copyOf(l.fuids));
        ctx.log(r);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> set(Set<String> s) {
        if (s == null) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(s.size());
        for (String e : s) {
            out.add(bytes(e));
        }
        return out;
    }
}
