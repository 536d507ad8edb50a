package io.picket.flow.tcp;

import io.picket.decode.Packet;
import io.picket.flow.Connection;
import io.picket.flow.ConnectionObserver;
import java.lang.foreign.MemorySegment;

/**
 * Zeek's TCP session analysis for one connection ({@code TCPSessionAdapter} + {@code TCPAnalyzer}
 * packet processing): endpoint state machine, history letters, sequence/ack tracking, close
 * handling and the TCP timers. Owned by the shard thread of the connection.
 */
public final class TcpSession {
    static final int TOO_LARGE_SEQ_DELTA = 1048576;

    static final int HIST_SYN_PKT = 0x1;
    static final int HIST_FIN_PKT = 0x2;
    static final int HIST_RST_PKT = 0x4;
    static final int HIST_FIN_RST_PKT = 0x8;
    static final int HIST_DATA_PKT = 0x10;
    static final int HIST_ACK_PKT = 0x20;
    static final int HIST_MULTI_FLAG_PKT = 0x40;

    private static final int ORIG = 1;
    private static final int RESP = 2;

    final Connection conn;
    final TcpTimers timers;
    TcpEndpoint orig;
    TcpEndpoint resp;

    boolean isActive = true;
    boolean isPartial;
    boolean closeDeferred;
    boolean deferredGenEvent;
    boolean seenFirstAck;
    int firstPacketSeen;
    /** The shard's quotas for buffered reassembly bytes, or null (unlimited). */
    io.picket.flow.ShardQuotas quotas;
    /** Bytes of content gaps, conn.log {@code missed_bytes} (kept here: only TCP has gaps). */
    private long missedBytes;

    /** Callbacks into the connection tracker for timers and removal. */
    public interface TcpTimers {
        void scheduleExpire(Connection c, double t);

        void scheduleAttempt(Connection c, double t);

        void scheduleConnDelete(Connection c, double t);

        /** Cancels the TCP analyzer's timers (expire, attempt); the connection timers stay. */
        void cancelAnalyzerTimers(Connection c);

        void setInactivityTimeout(Connection c, double timeout);

        double tcpInactivityTimeout();

        void weird(Connection c, String name, String addl);

        void remove(Connection c);

        /**
         * Zeek's {@code connection_established} (the responder's SYN-ACK, originator not partial),
         * called once the packet's state update is done, with the endpoint states as the event's
         * handlers see them.
         */
        default void established(Connection c) {
        }
    }

    public TcpSession(Connection conn, TcpTimers timers, double now) {
        this.conn = conn;
        this.timers = timers;
        this.orig = new TcpEndpoint(this, true);
        this.resp = new TcpEndpoint(this, false);
        orig.peer = resp;
        resp.peer = orig;
        timers.scheduleExpire(conn, now + TcpConfig.SYN_TIMEOUT);
    }

    /** Accounts this connection's buffered reassembly bytes to {@code q} (its tenant's quota). */
    public void setQuotas(io.picket.flow.ShardQuotas q) {
        this.quotas = q;
    }

    /** The connection was removed: its buffered bytes no longer count against the tenant's quota. */
    public void releaseBuffers() {
        orig.reassembler.releaseAll();
        resp.reassembler.releaseAll();
    }

    public TcpEndpoint orig() {
        return orig;
    }

    public TcpEndpoint resp() {
        return resp;
    }

    public boolean isActive() {
        return isActive;
    }

    /** Zeek's {@code IsPartial()}: the connection did not start with the originator's SYN. */
    public boolean isPartial() {
        return isPartial;
    }

    void weird(String name, String addl) {
        timers.weird(conn, name, addl);
    }

    void onHandshakeDone() {
        timers.setInactivityTimeout(conn, timers.tcpInactivityTimeout());
    }

    void onContentGap(long len) {
        missedBytes += len;
    }

    /** Adds to conn.log {@code missed_bytes}. */
    public void addMissedBytes(long len) {
        missedBytes += len;
    }

    /** Bytes of content gaps (conn.log {@code missed_bytes}). */
    public long missedBytes() {
        return missedBytes;
    }

    boolean wantsPayload() {
        ConnectionObserver o = conn.observer();
        return o != null && o.wantsPayload();
    }

    void deliverStream(TcpEndpoint e, MemorySegment data, long offset, int length) {
        ConnectionObserver o = conn.observer();
        if (o != null && length > 0) {
            o.onStream(e.isOrig, data, offset, length);
        }
    }

    void deliverGap(TcpEndpoint e, long length) {
        ConnectionObserver o = conn.observer();
        if (o != null) {
            o.onGap(e.isOrig, length);
        }
    }

    /** Zeek's {@code FlipRoles} part for the TCP session (the connection flips its own fields). */
    public void flipRoles() {
        TcpEndpoint tmp = resp;
        resp = orig;
        orig = tmp;
        orig.isOrig = !orig.isOrig;
        resp.isOrig = !resp.isOrig;
        firstPacketSeen = ((firstPacketSeen & ORIG) != 0 ? RESP : 0) | ((firstPacketSeen & RESP) != 0 ? ORIG : 0);
        isPartial = false;
    }

    private boolean isClosed() {
        return orig.didClose || resp.didClose;
    }

    private boolean bothClosed() {
        return orig.didClose && resp.didClose;
    }

    /**
     * Zeek's {@code IsReuse}: true if this TCP header (a SYN) starts a new connection on the
     * same 5-tuple, so the old one must be removed first.
     */
    public boolean isReuse(double t, int flags, int seq, int headerLength) {
        if (headerLength < 20) {
            return false;
        }
        TcpEndpoint connOrig = orig;
        if ((flags & Packet.TCP_SYN) == 0) {
            return false;
        }
        if ((flags & Packet.TCP_ACK) != 0) {
            if (orig.state != TcpEndpoint.INACTIVE) {
                return false;
            }
            connOrig = resp;
        }
        if (!isClosed()) {
            if (seq == connOrig.startSeq) {
                return false;
            }
            if ((flags & Packet.TCP_ACK) == 0 && connOrig.state == TcpEndpoint.SYN_ACK_SENT
                    && resp.state == TcpEndpoint.INACTIVE && seq == resp.startSeq) {
                return false;
            }
            weird(connOrig.state == TcpEndpoint.SYN_SENT ? "SYN_seq_jump" : "active_connection_reuse", null);
        } else if ((orig.isActive() || resp.isActive()) && orig.state != TcpEndpoint.RESET
                && resp.state != TcpEndpoint.RESET) {
            weird("active_connection_reuse", null);
        } else if (t - conn.lastTime() < TcpConfig.CONNECTION_LINGER && orig.state != TcpEndpoint.RESET
                && resp.state != TcpEndpoint.RESET) {
            weird("premature_connection_reuse", null);
        }
        return true;
    }

    /** A packet whose TCP checksum failed: counted in the history only. */
    public void checksumError(boolean isOrig) {
        (isOrig ? orig : resp).checksumError();
    }

    private static int segmentLength(int payloadLen, int flags) {
        int segLen = payloadLen;
        if ((flags & Packet.TCP_SYN) != 0) {
            ++segLen;
        }
        if ((flags & Packet.TCP_FIN) != 0) {
            ++segLen;
        }
        if ((flags & Packet.TCP_RST) != 0) {
            segLen -= payloadLen;
        }
        return segLen;
    }

    /**
     * Processes one checksum-valid TCP segment (Zeek's {@code TCPSessionAdapter::Process}).
     *
     * @param isOrig direction at arrival
     * @param len payload length by the IP header
     * @param captured payload bytes captured
     * @param windowScaleOption window scale option of a SYN, or -1
     * @param payload memory holding the payload, {@code payload[payloadOffset, +captured)}
     */
    public void process(double t, boolean isOrig, int flags, int baseSeq, int ackSeq, int win, int len,
            int captured, int windowScaleOption, MemorySegment payload, long payloadOffset) {
        TcpEndpoint endpoint = isOrig ? orig : resp;
        TcpEndpoint peer = endpoint.peer;
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;

        setPartialStatus(flags, endpoint.isOrig);

        int segLen = segmentLength(len, flags);
        int seqOnePastSegment = baseSeq + segLen;

        initEndpoint(endpoint, flags, baseSeq, seqOnePastSegment, t);

        underflow = false;
        long relSeq = relativeSeq(endpoint, baseSeq, endpoint.lastSeq, endpoint.seqWraps);
        boolean seqUnderflow = underflow;
        if (seqUnderflow && !rst) {
            weird("TCP_seq_underflow_or_misorder", null);
        }

        updateHistory(flags, endpoint, relSeq, len);
        // The history rewrite may have flipped the roles: re-read them.
        peer = endpoint.peer;
        updateWindow(endpoint, win, baseSeq, ackSeq, flags);

        if (!orig.didClose || !resp.didClose) {
            conn.setLastTime(t);
        }

        if (syn) {
            if (rst) {
                weird("TCP_christmas", null);
            }
            if ((flags & Packet.TCP_URG) != 0) {
                weird("baroque_SYN", null);
            }
            if (len > 0) {
                weird("SYN_with_data", null);
            }
            initWindow(endpoint, peer, flags, windowScaleOption, baseSeq, ackSeq);
        }

        if (fin) {
            ++endpoint.finCnt;
            endpoint.finSeq = relSeq + segLen;
        }
        if (rst) {
            ++endpoint.rstCnt;
        }

        long relAck = 0;
        if (ack) {
            if (isOrig && !seenFirstAck
                    && (endpoint.state == TcpEndpoint.ESTABLISHED || endpoint.state == TcpEndpoint.SYN_SENT)) {
                seenFirstAck = true;
            }
            if (peer.state == TcpEndpoint.INACTIVE) {
                relAck = 1;
                initPeer(peer, endpoint, flags, ackSeq);
            } else {
                underflow = false;
                relAck = relativeSeq(peer, ackSeq, peer.ackSeq, peer.ackWraps);
                if (underflow) {
                    relAck = 0;
                    weird("TCP_ack_underflow_or_misorder", null);
                } else if (!rst) {
                    updateAckSeq(peer, ackSeq);
                }
            }
        }

        int deltaLast = updateLastSeq(endpoint, seqOnePastSegment, flags, len);
        endpoint.lastTime = t;

        doClose = false;
        genEvent = false;
        establishedEvent = false;
        updateStateMachine(t, endpoint, peer, baseSeq, ackSeq, len, deltaLast, isOrig, flags);
        if (establishedEvent) {
            establishedEvent = false;
            timers.established(conn);
        }
        boolean close = doClose;
        boolean gen = genEvent;

        if (ack) {
            peer.reassembler.ackReceived(relAck);
        }

        checkFirstPacket(isOrig);

        long relDataSeq = syn ? relSeq + 1 : relSeq;
        if (len > 0 && !rst && !seqUnderflow) {
            if (captured >= len) {
                endpoint.reassembler.dataSent(relDataSeq, len, payload, payloadOffset);
            } else {
                weird("truncated_tcp_payload", null);
            }
        }

        endpoint.reassembler.checkEof();

        if (close) {
            connectionClosed(endpoint, endpoint.peer, gen);
        }
    }

    /** Set by {@link #relativeSeq} when the sequence number lies before the endpoint's start. */
    private boolean underflow;
    private boolean doClose;
    /** Set by the state machine where Zeek raises {@code connection_established}. */
    private boolean establishedEvent;
    private boolean genEvent;

    private void checkFirstPacket(boolean isOrig) {
        firstPacketSeen |= isOrig ? ORIG : RESP;
    }

    private void setPartialStatus(int flags, boolean isOrig) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;
        if (isOrig) {
            if ((firstPacketSeen & ORIG) == 0) {
                isPartial = !syn || ack;
            }
        } else {
            if ((firstPacketSeen & RESP) == 0 && !isPartial) {
                isPartial = !syn;
            }
        }
    }

    private void initEndpoint(TcpEndpoint e, int flags, int firstSegSeq, int lastSeq, double t) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        switch (e.state) {
            case TcpEndpoint.INACTIVE -> {
                if (syn) {
                    e.initAckSeq(firstSegSeq);
                    e.initStartSeq(firstSegSeq);
                } else {
                    e.initAckSeq(firstSegSeq - 1);
                    e.initStartSeq(firstSegSeq - 1);
                    lastSeq = firstSegSeq;
                }
                e.initLastSeq(lastSeq);
                e.startTime = t;
            }
            case TcpEndpoint.SYN_SENT, TcpEndpoint.SYN_ACK_SENT -> {
                if (syn && firstSegSeq != e.startSeq) {
                    weird("SYN_seq_jump", null);
                    e.initStartSeq(firstSegSeq);
                    e.initAckSeq(firstSegSeq);
                    e.initLastSeq(lastSeq);
                }
            }
            case TcpEndpoint.ESTABLISHED, TcpEndpoint.PARTIAL -> {
                if (syn) {
                    if (e.size() > 0) {
                        weird("SYN_inside_connection", null);
                    }
                    if (firstSegSeq != e.startSeq) {
                        weird("SYN_seq_jump", null);
                    }
                    e.initStartSeq(firstSegSeq);
                    e.initAckSeq(firstSegSeq);
                    e.initLastSeq(lastSeq);
                }
            }
            case TcpEndpoint.RESET -> {
                if (syn && e.prevState == TcpEndpoint.INACTIVE) {
                    e.initStartSeq(firstSegSeq);
                    e.initAckSeq(firstSegSeq);
                    e.initLastSeq(lastSeq);
                }
            }
            default -> {
            }
        }
    }

    private long relativeSeq(TcpEndpoint e, int curBase, int last, int wraps) {
        int delta = curBase - last;
        if (delta < 0) {
            if (wraps != 0 && Integer.compareUnsigned(curBase, last) > 0) {
                --wraps;
            }
        } else if (delta > 0) {
            if (Integer.compareUnsigned(curBase, last) < 0) {
                ++wraps;
            }
        }
        if (wraps == 0) {
            delta = curBase - e.startSeq;
            if (delta < 0) {
                underflow = true;
            }
            return delta;
        }
        return e.toRelativeSeqSpace(curBase, wraps);
    }

    private void updateHistory(int flags, TcpEndpoint e, long relSeq, int len) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1) {
            if (fin && rst) {
                e.checkHistory(HIST_FIN_RST_PKT, 'I');
            } else {
                e.checkHistory(HIST_MULTI_FLAG_PKT, 'Q');
            }
        } else if (bits == 1) {
            if (syn) {
                char code = ack ? 'H' : 'S';
                if (e.checkHistory(HIST_SYN_PKT, code) && relSeq != e.histLastSyn) {
                    e.addHistory(code);
                }
                e.histLastSyn = relSeq;
            }
            if (fin) {
                if (e.checkHistory(HIST_FIN_PKT, 'F') && relSeq + len != e.histLastFin) {
                    e.addHistory('F');
                }
                e.histLastFin = relSeq + len;
            }
            if (rst) {
                if (e.checkHistory(HIST_RST_PKT, 'R') && relSeq != e.histLastRst) {
                    e.addHistory('R');
                }
                e.histLastRst = relSeq;
            }
        } else {
            if (len > 0 || ack) {
                // A connection that so far only saw a SYN-ACK ("H") was started by the responder:
                // flip it before recording the first pure ACK or data (Zeek rewrites "H" to "^h").
                if (conn.historyIs('H')) {
                    conn.flipRolesRewritingHistory();
                }
            }
            if (len > 0) {
                e.checkHistory(HIST_DATA_PKT, 'D');
            } else if (ack) {
                e.checkHistory(HIST_ACK_PKT, 'A');
            }
        }
    }

    private void updateWindow(TcpEndpoint e, int window, int baseSeq, int ackSeq, int flags) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        int scale = e.windowScale;
        long scaled = ((long) window << scale) & 0xFFFF_FFFFL;
        if (scaled == 0 && !rst && e.peer.state != TcpEndpoint.CLOSED && e.state != TcpEndpoint.RESET) {
            e.zeroWindow();
        }
        if (!syn && !fin && !rst && e.state != TcpEndpoint.CLOSED && e.state != TcpEndpoint.RESET) {
            if (baseSeq - e.windowSeq >= 0 && ackSeq - e.windowAckSeq >= 0) {
                int newEdge = ackSeq + (int) scaled;
                int oldEdge = e.windowAckSeq + e.window;
                int advance = newEdge - oldEdge;
                if (advance < 0 && -advance >= (1 << scale)) {
                    weird("window_recision", null);
                }
                e.window = (int) scaled;
                e.windowAckSeq = ackSeq;
                e.windowSeq = baseSeq;
            }
        }
    }

    private void initWindow(TcpEndpoint e, TcpEndpoint peer, int flags, int scale, int baseSeq, int ackSeq) {
        if (scale < 0) {
            if ((flags & Packet.TCP_ACK) != 0) {
                e.windowScale = 0;
                peer.windowScale = 0;
            } else {
                e.windowScale = 0;
            }
        } else {
            if (scale > 14) {
                weird("TCP_scale_range", Integer.toString(scale));
                scale = 14;
            }
            e.windowScale = scale;
            e.windowSeq = baseSeq;
            e.windowAckSeq = ackSeq;
            peer.windowSeq = ackSeq;
            peer.windowAckSeq = baseSeq;
        }
    }

    private void initPeer(TcpEndpoint peer, TcpEndpoint e, int flags, int ackSeq) {
        if ((flags & (Packet.TCP_SYN | Packet.TCP_FIN | Packet.TCP_RST)) == 0) {
            if (e.state == TcpEndpoint.SYN_SENT || e.state == TcpEndpoint.SYN_ACK_SENT
                    || e.state == TcpEndpoint.ESTABLISHED) {
                weird("possible_split_routing", null);
            }
        }
        peer.initStartSeq(ackSeq - 1);
        peer.initAckSeq(ackSeq - 1);
        peer.initLastSeq(ackSeq - 1);
    }

    private static void updateAckSeq(TcpEndpoint e, int ackSeq) {
        int deltaAck = ackSeq - e.ackSeq;
        if (ackSeq == 0 && deltaAck > TOO_LARGE_SEQ_DELTA) {
            return;
        }
        if (deltaAck > 0) {
            e.updateAckSeq(ackSeq);
        }
    }

    private static int updateLastSeq(TcpEndpoint e, int lastSeq, int flags, int len) {
        int deltaLast = lastSeq - e.lastSeq;
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
            // don't trust
        } else if (fin && e.lastSeq == e.startSeq + 1) {
            e.updateLastSeq(lastSeq);
        } else if (e.state == TcpEndpoint.RESET) {
            // don't trust
        } else if (deltaLast > 0) {
            e.updateLastSeq(lastSeq);
        } else if (len > 0) {
            e.didRxmit();
        }
        return deltaLast;
    }

    private void updateStateMachine(double t, TcpEndpoint endpoint, TcpEndpoint peer, int baseSeq, int ackSeq,
            int len, int deltaLast, boolean isOrig, int flags) {
        switch (endpoint.state) {
            case TcpEndpoint.INACTIVE -> updateInactiveState(t, endpoint, peer, baseSeq, ackSeq, len, isOrig, flags);
            case TcpEndpoint.SYN_SENT, TcpEndpoint.SYN_ACK_SENT -> updateSynSentState(endpoint, peer, len, isOrig,
                    flags);
            case TcpEndpoint.ESTABLISHED, TcpEndpoint.PARTIAL -> updateEstablishedState(endpoint, peer, flags);
            case TcpEndpoint.CLOSED -> updateClosedState(endpoint, deltaLast, flags);
            case TcpEndpoint.RESET -> updateResetState(len, flags);
            default -> {
            }
        }
    }

    private void updateInactiveState(double t, TcpEndpoint endpoint, TcpEndpoint peer, int baseSeq, int ackSeq,
            int len, boolean isOrig, int flags) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;
        if (syn) {
            if (isOrig) {
                if (ack) {
                    weird("connection_originator_SYN_ack", null);
                    endpoint.setState(TcpEndpoint.SYN_ACK_SENT);
                } else {
                    endpoint.setState(TcpEndpoint.SYN_SENT);
                }
                timers.scheduleAttempt(conn, t + TcpConfig.ATTEMPT_DELAY);
            } else {
                if (ack) {
                    if (peer.state != TcpEndpoint.INACTIVE && peer.state != TcpEndpoint.PARTIAL
                            && !seqBetween(ackSeq, peer.startSeq, peer.lastSeq)) {
                        weird("bad_SYN_ack", null);
                    }
                } else if (peer.state == TcpEndpoint.SYN_ACK_SENT && baseSeq == endpoint.startSeq) {
                    // SYN and SYN-ACK seen in reverse order: flip and establish.
                    isPartial = false;
                    conn.flipRoles();
                    peer.setState(TcpEndpoint.ESTABLISHED);
                    firstPacketSeen |= ORIG;
                } else {
                    weird("simultaneous_open", null);
                }
                if (peer.state == TcpEndpoint.SYN_SENT) {
                    peer.setState(TcpEndpoint.ESTABLISHED);
                } else if (peer.state == TcpEndpoint.INACTIVE) {
                    weird("unsolicited_SYN_response", null);
                }
                endpoint.setState(TcpEndpoint.ESTABLISHED);
                if (peer.state != TcpEndpoint.PARTIAL) {
                    establishedEvent = true;
                }
            }
        }

        if (fin) {
            endpoint.setState(TcpEndpoint.CLOSED);
            doClose = genEvent = true;
            if (peer.state != TcpEndpoint.PARTIAL && !syn) {
                weird("spontaneous_FIN", null);
            }
        }

        if (rst) {
            endpoint.setState(TcpEndpoint.RESET);
            boolean isReject = false;
            if (isOrig) {
                if (peer.state == TcpEndpoint.ESTABLISHED) {
                    isReject = true;
                }
            } else if (peer.state == TcpEndpoint.SYN_SENT || peer.state == TcpEndpoint.SYN_ACK_SENT) {
                isReject = true;
            }
            doClose = true;
            genEvent = !isReject;
            if (!isReject && peer.state == TcpEndpoint.INACTIVE) {
                weird("spontaneous_RST", null);
            }
        }

        if (endpoint.state == TcpEndpoint.INACTIVE) {
            if (!isOrig && len == 0 && orig.state == TcpEndpoint.SYN_SENT) {
                // An ACK of the initial SYN before the SYN-ACK: not a partial connection.
            } else if (ack && peer.state == TcpEndpoint.ESTABLISHED) {
                endpoint.setState(TcpEndpoint.ESTABLISHED);
                isPartial = false;
                firstPacketSeen |= isOrig ? ORIG : RESP;
            } else {
                endpoint.setState(TcpEndpoint.PARTIAL);
            }
        }
    }

    private static boolean seqBetween(int seq, int low, int high) {
        return (seq - low) >= 0 && (seq - high) <= 0;
    }

    private void updateSynSentState(TcpEndpoint endpoint, TcpEndpoint peer, int len, boolean isOrig, int flags) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;
        if (syn) {
            if (isOrig) {
                if (ack && !fin && !rst && endpoint.state != TcpEndpoint.SYN_ACK_SENT) {
                    weird("repeated_SYN_with_ack", null);
                }
            } else if (!ack && endpoint.state != TcpEndpoint.SYN_SENT) {
                weird("repeated_SYN_reply_wo_ack", null);
            }
        }
        if (fin) {
            if (peer.state == TcpEndpoint.INACTIVE || peer.state == TcpEndpoint.SYN_SENT) {
                weird("inappropriate_FIN", null);
            }
            endpoint.setState(TcpEndpoint.CLOSED);
            doClose = genEvent = true;
        }
        if (rst) {
            endpoint.setState(TcpEndpoint.RESET);
            connectionReset();
            doClose = true;
        } else if (len > 0) {
            weird("data_before_established", null);
        }
    }

    private void updateEstablishedState(TcpEndpoint endpoint, TcpEndpoint peer, int flags) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        boolean ack = (flags & Packet.TCP_ACK) != 0;
        if (syn) {
            if (endpoint.state == TcpEndpoint.PARTIAL && peer.state == TcpEndpoint.INACTIVE && !ack) {
                weird("SYN_after_partial", null);
                endpoint.setState(TcpEndpoint.SYN_SENT);
            }
        }
        if (fin && !rst) {
            endpoint.setState(TcpEndpoint.CLOSED);
            if (peer.state == TcpEndpoint.RESET && peer.prevState == TcpEndpoint.CLOSED) {
                peer.setState(TcpEndpoint.CLOSED);
            }
            doClose = genEvent = true;
        }
        if (rst) {
            endpoint.setState(TcpEndpoint.RESET);
            doClose = true;
            if (peer.state != TcpEndpoint.RESET || peer.prevState != TcpEndpoint.ESTABLISHED) {
                connectionReset();
            }
        }
    }

    private void updateClosedState(TcpEndpoint endpoint, int deltaLast, int flags) {
        boolean syn = (flags & Packet.TCP_SYN) != 0;
        boolean fin = (flags & Packet.TCP_FIN) != 0;
        boolean rst = (flags & Packet.TCP_RST) != 0;
        if (syn) {
            weird("SYN_after_close", null);
        }
        if (fin && deltaLast > 0) {
            weird("FIN_advanced_last_seq", null);
        }
        if (rst && endpoint.peer.state != TcpEndpoint.CLOSED) {
            endpoint.setState(TcpEndpoint.RESET);
            if (!endpoint.didClose) {
                doClose = true;
            }
        }
    }

    private void updateResetState(int len, int flags) {
        if ((flags & Packet.TCP_SYN) != 0) {
            weird("SYN_after_reset", null);
        }
        if ((flags & Packet.TCP_FIN) != 0) {
            weird("FIN_after_reset", null);
        }
        if (len > 0 && (flags & Packet.TCP_RST) == 0) {
            weird("data_after_reset", null);
        }
    }

    private void connectionReset() {
        isActive = false;
    }

    private boolean dataPending(TcpEndpoint closing) {
        return closing.reassembler.dataPending();
    }

    void endpointEof(TcpEndpoint e) {
        ConnectionObserver o = conn.observer();
        if (o != null) {
            o.onEndOfStream(e.isOrig);
        }
        if (closeDeferred) {
            if (dataPending(e) && bothClosed()) {
                weird("pending_data_when_closed", null);
            }
            connectionClosed(e, e.peer, deferredGenEvent);
            closeDeferred = false;
        }
    }

    private void connectionClosed(TcpEndpoint endpoint, TcpEndpoint peer, boolean gen) {
        if (dataPending(endpoint)) {
            closeDeferred = true;
            if (!deferredGenEvent) {
                deferredGenEvent = gen;
            }
            return;
        }
        closeDeferred = false;
        if (endpoint.didClose) {
            return;
        }
        endpoint.didClose = true;
        resumeExpire(conn.lastTime());
        boolean closeComplete = endpoint.state == TcpEndpoint.RESET || peer.didClose
                || peer.state == TcpEndpoint.INACTIVE;
        if (closeComplete) {
            if (endpoint.prevState != TcpEndpoint.INACTIVE || peer.state != TcpEndpoint.INACTIVE) {
                if (deferredGenEvent) {
                    gen = true;
                    deferredGenEvent = false;
                }
                if (gen) {
                    isActive = false; // connection_finished / half_finished
                }
            }
            timers.cancelAnalyzerTimers(conn);
            expireParked = 0; // the expire series are cancelled with the other analyzer timers
            timers.scheduleConnDelete(conn, conn.lastTime() + TcpConfig.CLOSE_DELAY);
        } else if (endpoint.prevState != TcpEndpoint.INACTIVE) {
            timers.scheduleExpire(conn, conn.lastTime() + TcpConfig.SESSION_TIMER);
        }
    }

    /** Zeek's {@code AttemptTimer}. */
    public void onAttemptTimer() {
        if (!isActive) {
            return;
        }
        if ((orig.state == TcpEndpoint.SYN_SENT || orig.state == TcpEndpoint.SYN_ACK_SENT)
                && resp.state == TcpEndpoint.INACTIVE) {
            isActive = false;
            timers.remove(conn);
        }
    }

    // Zeek re-arms the expire timer every tcp_session_timer for the life of a connection, and a
    // first close starts a second such series. A check removes the connection only if, besides
    // an idle linger, a side has closed and (both have, or a side is reset or was never seen), or
    // neither side was ever seen. Between packets nothing of that changes, so while it is false
    // every check of a series would only re-arm: the series is parked instead and resumed (at its
    // next point after "now") when it can become true: at a close and when a side is reset. Same
    // removal times, far fewer timer operations (most checks of half-closed connections waiting
    // for their inactivity timeout go). At most two series run at once, so two can be parked.
    private byte expireParked;
    private double expireNext;
    private double expireNext2;
    /** Off only in a test that compares parking with re-arming every check, as Zeek does. */
    static boolean parkExpireChecks = true;

    private void parkExpire(double next) {
        if (expireParked == 0) {
            expireNext = next;
        } else {
            expireNext2 = next;
        }
        expireParked++;
    }

    private void resumeExpire(double now) {
        if (expireParked > 0) {
            timers.scheduleExpire(conn, nextPoint(expireNext, now));
            if (expireParked > 1) {
                timers.scheduleExpire(conn, nextPoint(expireNext2, now));
            }
            expireParked = 0;
        }
    }

    /** The first point of the series through {@code next} after {@code now}. */
    private static double nextPoint(double next, double now) {
        if (next <= now) {
            next += Math.floor((now - next) / TcpConfig.SESSION_TIMER + 1) * TcpConfig.SESSION_TIMER;
            while (next <= now) {
                next += TcpConfig.SESSION_TIMER;
            }
        }
        return next;
    }

    /** An endpoint entered the reset state: a parked expire check may now remove the connection. */
    void onReset() {
        resumeExpire(conn.lastTime());
    }

    /** Zeek's {@code ExpireTimer}. */
    public void onExpireTimer(double t) {
        if (!isActive) {
            return;
        }
        // what Zeek's check looks at besides the idle linger; only packets change it
        boolean closeDone = (orig.didClose || resp.didClose)
                && ((orig.didClose && resp.didClose) || orig.state == TcpEndpoint.RESET
                        || resp.state == TcpEndpoint.RESET || orig.state == TcpEndpoint.INACTIVE
                        || resp.state == TcpEndpoint.INACTIVE);
        boolean bothInactive = orig.state == TcpEndpoint.INACTIVE && resp.state == TcpEndpoint.INACTIVE;
        if (conn.lastTime() + TcpConfig.CONNECTION_LINGER < t) {
            if (closeDone) {
                isActive = false;
                timers.remove(conn);
                return;
            }
            if (bothInactive) {
                timers.remove(conn);
                return;
            }
        }
        if (!closeDone && !bothInactive && parkExpireChecks) {
            parkExpire(t + TcpConfig.SESSION_TIMER);
            return;
        }
        timers.scheduleExpire(conn, t + TcpConfig.SESSION_TIMER);
    }

    /** Zeek's conn_state for TCP from the endpoint states and the history. */
    public String connState(String history) {
        int os = orig.state;
        int rs = resp.state;
        boolean oInactive = os == TcpEndpoint.INACTIVE || os == TcpEndpoint.PARTIAL;
        boolean rInactive = rs == TcpEndpoint.INACTIVE || rs == TcpEndpoint.PARTIAL;
        if (rs == TcpEndpoint.RESET) {
            if (os == TcpEndpoint.SYN_SENT || os == TcpEndpoint.SYN_ACK_SENT
                    || (os == TcpEndpoint.RESET && orig.size() == 0 && resp.size() == 0)) {
                return "REJ";
            }
            if (oInactive) {
                return "RSTRH";
            }
            return "RSTR";
        }
        if (os == TcpEndpoint.RESET) {
            if (rInactive) {
                return history != null && RSTOS0.matcher(history).matches() ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (os == TcpEndpoint.CLOSED && rs == TcpEndpoint.CLOSED) {
            return "SF";
        }
        if (os == TcpEndpoint.CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == TcpEndpoint.CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == TcpEndpoint.SYN_SENT && rs == TcpEndpoint.INACTIVE) {
            return "S0";
        }
        if (os == TcpEndpoint.ESTABLISHED && rs == TcpEndpoint.ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    private static final java.util.regex.Pattern RSTOS0 = java.util.regex.Pattern.compile("\\^?S[^HAFGIQ]*R");
}
