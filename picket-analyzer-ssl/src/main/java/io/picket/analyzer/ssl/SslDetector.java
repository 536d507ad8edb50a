package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zeek's SSL/TLS DPD signatures (base/protocols/ssl/dpd.sig), matched on the start of each
 * direction's stream:
 * <pre>
 * dpd_tls_server  responder   /^(\x15\x03[\x00-\x03]....)?\x16\x03[\x00-\x03]..\x02...((\x03[\x00-\x04])|(\x7F[\x00-\x50])).*&#47;
 * dpd_tls_client  originator  /^\x16\x03[\x00-\x03]..\x01...\x03[\x00-\x03].*&#47;
 * </pre>
 * Either one enables the analyzer. With SSLv2 detection on (Zeek's optional
 * policy/protocols/ssl/dpd-v2.sig) the SSLv2 pair is added: client
 * {@code /^...?\x01[\x00\x03][\x00-\x04]/} and server {@code /^...?\x04..\x00\x02/}, the server
 * one requiring the client one ({@code requires-reverse-signature}). One instance per
 * connection, used by its shard thread; keeps at most 18 bytes per direction.
 */
public final class SslDetector implements Detector {
    private static final int KEEP = 18;
    private static final int UNDECIDED = 0;
    private static final int YES = 1;
    private static final int NO = 2;
    private static final int[][] CLIENT_HELLO = {
        {0x16}, {0x03}, {0x00, 0x03}, null, null, {0x01}, null, null, null, {0x03}, {0x00, 0x03}};
    private static final int[][] ALERT_RECORD = {{0x15}, {0x03}, {0x00, 0x03}, null, null, null, null};
    private static final int[][] SERVER_HELLO_HEAD = {{0x16}, {0x03}, {0x00, 0x03}, null, null, {0x02}, null, null, null};
    private static final int[][] V2_CLIENT = {{0x01}, {0x00, 0x00, 0x03, 0x03}, {0x00, 0x04}};
    private static final int[][] V2_SERVER = {{0x04}, null, null, {0x00}, {0x02}};

    private final boolean sslv2;
    private final byte[] orig = new byte[KEEP];
    private final byte[] resp = new byte[KEEP];
    private int origLen;
    private int respLen;
    private boolean origBroken;
    private boolean respBroken;
    private boolean v2ClientMatched;

    public SslDetector(boolean sslv2) {
        this.sslv2 = sslv2;
    }

    @Override
    public int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        if (isOrig) {
            if (!origBroken && origLen < KEEP) {
                if (streamOffset != origLen) {
                    origBroken = true;
                } else {
                    origLen += copy(data, offset, length, orig, origLen);
                }
            }
        } else if (!respBroken && respLen < KEEP) {
            if (streamOffset != respLen) {
                respBroken = true;
            } else {
                respLen += copy(data, offset, length, resp, respLen);
            }
        }
        int client = origBroken ? NO : tlsClient(orig, origLen);
        int server = respBroken ? NO : tlsServer(resp, respLen);
        if (client == YES || server == YES) {
            return MATCH;
        }
        boolean v2Possible = false;
        if (sslv2) {
            int v2client = origBroken ? NO : v2Client(orig, origLen);
            if (v2client == YES) {
                v2ClientMatched = true;
            }
            int v2server = respBroken ? NO : v2Server(resp, respLen);
            if (v2server == YES && v2ClientMatched) {
                return MATCH;
            }
            v2Possible = v2server != NO && (v2ClientMatched || v2client != NO);
        }
        return client == NO && server == NO && !v2Possible ? NO_MATCH : NEED_MORE;
    }

    private static int copy(MemorySegment data, long offset, int length, byte[] into, int at) {
        int n = Math.min(length, into.length - at);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, into, at, n);
        return n;
    }

    /** {@code \x16\x03[\x00-\x03]..\x01...\x03[\x00-\x03]} at offset 0. */
    static int tlsClient(byte[] b, int n) {
        return match(b, n, 0, CLIENT_HELLO);
    }

    /** The server hello, optionally behind a 7-byte alert record. */
    static int tlsServer(byte[] b, int n) {
        int direct = serverHello(b, n, 0);
        if (direct == YES) {
            return YES;
        }
        int alert = match(b, n, 0, ALERT_RECORD);
        int behind = alert == YES ? serverHello(b, n, 7) : alert;
        if (behind == YES) {
            return YES;
        }
        return direct == NO && behind == NO ? NO : UNDECIDED;
    }

    private static int serverHello(byte[] b, int n, int at) {
        int head = match(b, n, at, SERVER_HELLO_HEAD);
        if (head != YES) {
            return head;
        }
        int v = at + 9;
        if (n < v + 1) {
            return UNDECIDED;
        }
        int major = b[v] & 0xff;
        if (major != 0x03 && major != 0x7f) {
            return NO;
        }
        if (n < v + 2) {
            return UNDECIDED;
        }
        int minor = b[v + 1] & 0xff;
        return (major == 0x03 ? minor <= 0x04 : minor <= 0x50) ? YES : NO;
    }

    /** {@code ...?\x01[\x00\x03][\x00-\x04]}: the message type at offset 2 or 3. */
    static int v2Client(byte[] b, int n) {
        return either(match(b, n, 2, V2_CLIENT), match(b, n, 3, V2_CLIENT));
    }

    /** {@code ...?\x04..\x00\x02}. */
    static int v2Server(byte[] b, int n) {
        return either(match(b, n, 2, V2_SERVER), match(b, n, 3, V2_SERVER));
    }

    private static int either(int a, int b) {
        if (a == YES || b == YES) {
            return YES;
        }
        return a == NO && b == NO ? NO : UNDECIDED;
    }

    /**
     * Matches byte classes at {@code at}: null = any byte, {x} = exact, {lo, hi} = range, and
     * four values = two ranges. Returns NO on the first mismatch, UNDECIDED when short.
     */
    private static int match(byte[] b, int n, int at, int[][] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            int p = at + i;
            if (p >= n) {
                return UNDECIDED;
            }
            int[] cls = pattern[i];
            if (cls == null) {
                continue;
            }
            int c = b[p] & 0xff;
            boolean ok = switch (cls.length) {
                case 1 -> c == cls[0];
                case 2 -> c >= cls[0] && c <= cls[1];
                default -> (c >= cls[0] && c <= cls[1]) || (c >= cls[2] && c <= cls[3]);
            };
            if (!ok) {
                return NO;
            }
        }
        return YES;
    }
}
