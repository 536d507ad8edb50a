package io.picket.flow.tcp;

/**
 * One direction of a TCP connection as Zeek's {@code TCP_Endpoint} models it: endpoint state,
 * 32-bit sequence bookkeeping with wrap counters, window, FIN/RST counters and the scaled
 * history counters. Owned by the shard thread of its connection.
 */
public final class TcpEndpoint {
    public static final int INACTIVE = 0;
    public static final int SYN_SENT = 1;
    public static final int SYN_ACK_SENT = 2;
    public static final int PARTIAL = 3;
    public static final int ESTABLISHED = 4;
    public static final int CLOSED = 5;
    public static final int RESET = 6;

    int state = INACTIVE;
    int prevState = INACTIVE;
    TcpEndpoint peer;
    boolean isOrig;
    final TcpSession session;

    double startTime;
    double lastTime;
    int startSeq;
    int lastSeq;
    int ackSeq;
    int seqWraps;
    int ackWraps;

    int window;
    int windowScale;
    int windowSeq;
    int windowAckSeq;

    long finSeq;
    int finCnt;
    int rstCnt;
    boolean didClose;

    int gapCnt, chkCnt, rxmtCnt, win0Cnt;
    int gapThresh = 1, chkThresh = 1, rxmtThresh = 1, win0Thresh = 1;

    long histLastSyn, histLastFin, histLastRst;

    final TcpReassembler reassembler;

    TcpEndpoint(TcpSession session, boolean isOrig) {
        this.session = session;
        this.isOrig = isOrig;
        this.reassembler = new TcpReassembler(this);
    }

    public int state() {
        return state;
    }

    public int prevState() {
        return prevState;
    }

    public boolean isOrig() {
        return isOrig;
    }

    public boolean didClose() {
        return didClose;
    }

    void setState(int newState) {
        if (newState != state) {
            // Finishing the handshake switches the connection to the TCP inactivity timeout.
            if (!isHandshake(newState) && isHandshake(state) && isHandshake(peer.state)) {
                session.onHandshakeDone();
            }
            prevState = state;
            state = newState;
            if (newState == RESET) {
                session.onReset();
            }
        }
    }

    private static boolean isHandshake(int s) {
        return s == INACTIVE || s == SYN_SENT || s == SYN_ACK_SENT;
    }

    static long toFullSeqSpace(int seq, int wraps) {
        return ((long) wraps << 32) | (seq & 0xFFFF_FFFFL);
    }

    long startSeq64() {
        return startSeq & 0xFFFF_FFFFL;
    }

    long toRelativeSeqSpace(int seq, int wraps) {
        return toFullSeqSpace(seq, wraps) - startSeq64();
    }

    void initStartSeq(int seq) {
        startSeq = seq;
    }

    void initLastSeq(int seq) {
        lastSeq = seq;
    }

    void initAckSeq(int seq) {
        ackSeq = seq;
    }

    void updateLastSeq(int seq) {
        if (Integer.compareUnsigned(seq, lastSeq) < 0) {
            ++seqWraps;
        }
        lastSeq = seq;
    }

    void updateAckSeq(int seq) {
        if (Integer.compareUnsigned(seq, ackSeq) < 0) {
            ++ackWraps;
        }
        ackSeq = seq;
    }

    /** True if none of this endpoint's data has been acknowledged by the peer. */
    boolean noDataAcked() {
        long ack = toFullSeqSpace(ackSeq, ackWraps);
        long start = startSeq64();
        return ack == start || ack == start + 1;
    }

    boolean isActive() {
        return state != INACTIVE && !didClose;
    }

    /** Payload bytes this endpoint sent, from sequence numbers (Zeek's {@code TCP_Endpoint::Size}). */
    public long size() {
        if (prevState == SYN_SENT && state == RESET && peer.state == INACTIVE && !noDataAcked()) {
            return 0;
        }
        long last64 = toFullSeqSpace(lastSeq, seqWraps);
        long ack64 = toFullSeqSpace(ackSeq, ackWraps);
        long size = Long.compareUnsigned(last64, ack64) > 0 ? last64 - startSeq64() : ack64 - startSeq64();
        if (size != 0) {
            --size;
        }
        if (finCnt > 0 && size != 0) {
            --size;
        }
        return size;
    }

    // ---- history ----

    boolean checkHistory(int mask, char code) {
        if (!isOrig) {
            mask <<= 16;
            code = Character.toLowerCase(code);
        }
        return session.conn.checkHistory(mask, code);
    }

    void addHistory(char code) {
        session.conn.addHistory(isOrig ? code : Character.toLowerCase(code));
    }

    void checksumError() {
        if (++chkCnt == chkThresh) {
            session.conn.addHistory(isOrig ? 'C' : 'c');
            chkThresh = nextThreshold(chkThresh);
        }
    }

    void didRxmit() {
        if (++rxmtCnt == rxmtThresh) {
            session.conn.addHistory(isOrig ? 'T' : 't');
            rxmtThresh = nextThreshold(rxmtThresh);
        }
    }

    void zeroWindow() {
        if (++win0Cnt == win0Thresh) {
            session.conn.addHistory(isOrig ? 'W' : 'w');
            win0Thresh = nextThreshold(win0Thresh);
        }
    }

    void gap() {
        if (++gapCnt == gapThresh) {
            session.conn.addHistory(isOrig ? 'G' : 'g');
            gapThresh = nextThreshold(gapThresh);
        }
    }

    private int nextThreshold(int t) {
        long n = (long) t * 10;
        return n > Integer.MAX_VALUE ? t : (int) n;
    }
}
