package io.picket.analyzer.http;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zeek's HTTP DPD signatures ({@code base/protocols/http/dpd.sig}), each direction on its own:
 * the originator's stream starts with optional white space and a request method
 * ({@code ^[[:space:]]*(OPTIONS|GET|...)}), or the responder's stream starts with
 * {@code ^[hH][tT][tT][pP]/[0-9]}. Either one enables the analyzer. Matching looks at the
 * first {@link #DPD_BUFFER} bytes of each direction (Zeek's {@code dpd_buffer_size}).
 * One instance per connection, owned by its shard thread; allocation-free.
 */
public final class HttpDetector implements Detector {
    static final int DPD_BUFFER = 1024;

    /** The method alternatives of dpd_http_client, in Zeek's order. */
    static final String[] METHODS = {"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "ACL",
        "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "CONNECT", "COPY", "LABEL", "LINK", "LOCK",
        "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MOVE", "ORDERPATCH", "PATCH",
        "PROPFIND", "PROPPATCH", "REBIND", "REPORT", "SEARCH", "TRACE", "UNBIND", "UNCHECKOUT",
        "UNLINK", "UNLOCK", "UPDATE", "VERSION-CONTROL", "BCOPY", "BDELETE", "BMOVE", "BPROPFIND",
        "BPROPPATCH", "NOTIFY", "POLL", "SUBSCRIBE", "UNSUBSCRIBE", "X-MS-ENUMATTS", "MKWORKSPACE",
        "RPC_IN_DATA", "RPC_OUT_DATA"};
    private static final int LONGEST = 16;
    private static final byte[] SERVER = {'h', 't', 't', 'p', '/'};

    private static final int OPEN = 0;
    private static final int FAILED = 2;

    private final byte[] orig = new byte[LONGEST];
    private int origLen;
    private long origSeen;
    private boolean origStarted;
    private int origState;
    private final byte[] resp = new byte[SERVER.length + 1];
    private int respLen;
    private long respSeen;
    private int respState;

    @Override
    public int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        if (length > 0) {
            if (isOrig) {
                if (origState == OPEN && onOrig(data, offset, length, streamOffset)) {
                    return MATCH;
                }
            } else if (respState == OPEN && onResp(data, offset, length, streamOffset)) {
                return MATCH;
            }
        }
        return origState == FAILED && respState == FAILED ? NO_MATCH : NEED_MORE;
    }

    private boolean onOrig(MemorySegment data, long offset, int length, long streamOffset) {
        if (streamOffset != origSeen) {
            origState = FAILED;
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (origSeen >= DPD_BUFFER) {
                origState = FAILED;
                return false;
            }
            origSeen++;
            int c = data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
            if (!origStarted && (c == ' ' || (c >= 9 && c <= 13))) {
                continue;
            }
            origStarted = true;
            orig[origLen++] = (byte) c;
            int verdict = methodPrefix();
            if (verdict > 0) {
                return true;
            }
            if (verdict < 0) {
                origState = FAILED;
                return false;
            }
        }
        return false;
    }

    /** 1: a method is a prefix of the bytes; 0: the bytes are a prefix of a method; -1: neither. */
    private int methodPrefix() {
        boolean possible = false;
        for (String m : METHODS) {
            int n = Math.min(m.length(), origLen);
            boolean same = true;
            for (int i = 0; i < n; i++) {
                if (orig[i] != m.charAt(i)) {
                    same = false;
                    break;
                }
            }
            if (same) {
                if (origLen >= m.length()) {
                    return 1;
                }
                possible = true;
            }
        }
        return possible ? 0 : -1;
    }

    private boolean onResp(MemorySegment data, long offset, int length, long streamOffset) {
        if (streamOffset != respSeen) {
            respState = FAILED;
            return false;
        }
        for (int i = 0; i < length; i++) {
            respSeen++;
            int c = data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
            int pos = respLen;
            resp[respLen++] = (byte) c;
            if (pos < SERVER.length) {
                int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
                if (lower != SERVER[pos]) {
                    respState = FAILED;
                    return false;
                }
            } else {
                if (c >= '0' && c <= '9') {
                    return true;
                }
                respState = FAILED;
                return false;
            }
        }
        return false;
    }
}
