package io.picket.flow.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-direction TCP stream bookkeeping with Zeek's {@code TCP_Reassembler} semantics: which
 * parts of the byte stream were seen, delivered in order, acknowledged or skipped. Content
 * gaps (data the peer acknowledged but that was never seen) become {@code missed_bytes} and
 * the {@code G}/{@code g} history letters, exactly when Zeek reports them.
 *
 * <p>Blocks are kept as sorted, disjoint {@code [seq, upper)} intervals of relative sequence
 * numbers (starting at 1), split on insertion like Zeek's block list. Owned by the shard
 * thread of the connection.
 */
final class TcpReassembler {
    /** Zeek's {@code tcp_max_initial_window}. */
    static final long MAX_INITIAL_WINDOW = 16384;
    /** Zeek's {@code tcp_max_above_hole_without_any_acks}. */
    static final long MAX_ABOVE_HOLE_WITHOUT_ACKS = 16384;
    /** Zeek's {@code tcp_excessive_data_without_further_acks}. */
    static final long EXCESSIVE_DATA_WITHOUT_ACKS = 10 * 1024 * 1024;

    private final TcpEndpoint endp;
    long lastReassemSeq = 1;
    long trimSeq = 1;
    boolean skipDeliveries;
    boolean didEof;
    boolean hadGap;

    private long[] bSeq = new long[4];
    private long[] bUpper = new long[4];
    /** Bytes of blocks not yet delivered (null for delivered blocks or when nobody wants data). */
    private byte[][] bData = new byte[4][];
    /** Blocks inserted by the current {@link #dataSent} call, whose bytes are still in the packet. */
    private boolean[] bFresh = new boolean[4];
    private int n;
    private long dataSize;

    // Source of the bytes of the segment being processed: stream seq curSeq is at curSeg[curOff].
    private MemorySegment curSeg;
    private long curOff;
    private long curSeq;

    TcpReassembler(TcpEndpoint endp) {
        this.endp = endp;
    }

    boolean hasBlocks() {
        return n > 0;
    }

    /** Zeek's {@code HasUndeliveredData}: any block is still held (delivered but unacked counts too). */
    boolean hasUndeliveredData() {
        return n > 0;
    }

    private long numUndeliveredBytes() {
        return n == 0 ? 0 : bUpper[n - 1] - lastReassemSeq;
    }

    private void clearBlocks() {
        for (int i = 0; i < n; i++) {
            release(bData[i]);
        }
        java.util.Arrays.fill(bData, 0, n, null);
        n = 0;
        dataSize = 0;
    }

    /** Returns a buffer's bytes to the tenant's reassembly quota. */
    private void release(byte[] d) {
        if (d != null && endp.session.quotas != null) {
            endp.session.quotas.releaseBuffer(endp.session.conn.tenant(), d.length);
        }
    }

    /** The connection was removed: every buffer is returned to the quota and dropped. */
    void releaseAll() {
        for (int i = 0; i < n; i++) {
            release(bData[i]);
            bData[i] = null;
        }
    }

    /** Removes block {@code i} (a fresh, unbuffered one) as if its segment had never been seen. */
    private void removeAt(int i) {
        dataSize -= bUpper[i] - bSeq[i];
        System.arraycopy(bSeq, i + 1, bSeq, i, n - i - 1);
        System.arraycopy(bUpper, i + 1, bUpper, i, n - i - 1);
        System.arraycopy(bData, i + 1, bData, i, n - i - 1);
        System.arraycopy(bFresh, i + 1, bFresh, i, n - i - 1);
        n--;
        bData[n] = null;
        bFresh[n] = false;
    }

    /**
     * Data of {@code len} bytes at relative {@code seq} was seen (Zeek's {@code DataSent}); its
     * bytes are {@code data[offset, offset + len)}.
     */
    boolean dataSent(long seq, int len, MemorySegment data, long offset) {
        long ack = endp.toRelativeSeqSpace(endp.ackSeq, endp.ackWraps);
        long upper = seq + len;
        if (skipDeliveries) {
            return false;
        }
        if (seq < ack) {
            if (upper <= ack) {
                return false;
            }
            offset += ack - seq;
            seq = ack;
        }
        curSeg = data;
        curOff = offset;
        curSeq = seq;
        newBlock(seq, upper);
        keepUndeliveredBytes();
        curSeg = null;
        if (endp.noDataAcked() && numUndeliveredBytes() > MAX_ABOVE_HOLE_WITHOUT_ACKS) {
            endp.session.weird("above_hole_data_without_any_acks", null);
            clearBlocks();
            skipDeliveries = true;
        }
        if (dataSize > EXCESSIVE_DATA_WITHOUT_ACKS) {
            endp.session.weird("excessive_data_without_further_acks", null);
            clearBlocks();
            skipDeliveries = true;
        }
        return true;
    }

    private void newBlock(long seq, long upper) {
        if (upper <= seq) {
            return;
        }
        if (upper <= trimSeq) {
            return;
        }
        if (seq < trimSeq) {
            seq = trimSeq;
        }
        int first = insert(seq, upper);
        blockInserted(first >= 0 ? first : indexContaining(seq));
    }

    /**
     * Inserts the parts of [seq, upper) not yet covered by a block, like Zeek's block list.
     *
     * @return index of the first newly inserted piece, or -1 if everything was covered already
     */
    private int insert(long seq, long upper) {
        int i = 0;
        while (i < n && bUpper[i] <= seq) {
            i++;
        }
        int first = -1;
        long cur = seq;
        while (cur < upper) {
            if (i >= n || upper <= bSeq[i] && cur < bSeq[i]) {
                addAt(i, cur, upper);
                return first >= 0 ? first : i;
            }
            if (cur < bSeq[i]) {
                addAt(i, cur, bSeq[i]);
                if (first < 0) {
                    first = i;
                }
                i++;
            }
            // bSeq[i] <= cur < bUpper[i]: skip the covered part
            cur = Math.max(cur, bUpper[i]);
            i++;
        }
        return first;
    }

    private void addAt(int i, long s, long u) {
        if (n == bSeq.length) {
            bSeq = java.util.Arrays.copyOf(bSeq, n * 2);
            bUpper = java.util.Arrays.copyOf(bUpper, n * 2);
            bData = java.util.Arrays.copyOf(bData, n * 2);
            bFresh = java.util.Arrays.copyOf(bFresh, n * 2);
        }
        System.arraycopy(bSeq, i, bSeq, i + 1, n - i);
        System.arraycopy(bUpper, i, bUpper, i + 1, n - i);
        System.arraycopy(bData, i, bData, i + 1, n - i);
        System.arraycopy(bFresh, i, bFresh, i + 1, n - i);
        bSeq[i] = s;
        bUpper[i] = u;
        bData[i] = null;
        bFresh[i] = curSeg != null;
        n++;
        dataSize += u - s;
    }

    private void removeFirst() {
        release(bData[0]);
        dataSize -= bUpper[0] - bSeq[0];
        System.arraycopy(bSeq, 1, bSeq, 0, n - 1);
        System.arraycopy(bUpper, 1, bUpper, 0, n - 1);
        System.arraycopy(bData, 1, bData, 0, n - 1);
        System.arraycopy(bFresh, 1, bFresh, 0, n - 1);
        n--;
        bData[n] = null;
    }

    /**
     * Copies the bytes of blocks of the current segment that could not be delivered yet. A block
     * over the tenant's reassembly quota is not kept at all: its segment counts as lost, and the
     * hole becomes a content gap once the peer acknowledges past it.
     */
    private void keepUndeliveredBytes() {
        boolean want = endp.session.wantsPayload();
        for (int i = 0; i < n; i++) {
            if (bFresh[i]) {
                bFresh[i] = false;
                if (want && bSeq[i] >= lastReassemSeq) {
                    int len = (int) (bUpper[i] - bSeq[i]);
                    io.picket.flow.ShardQuotas q = endp.session.quotas;
                    if (q != null && !q.reserveBuffer(endp.session.conn.tenant(), len)) {
                        removeAt(i);
                        i--;
                        continue;
                    }
                    byte[] copy = new byte[len];
                    MemorySegment.copy(curSeg, ValueLayout.JAVA_BYTE, curOff + (bSeq[i] - curSeq), copy, 0, len);
                    bData[i] = copy;
                }
            }
        }
    }

    private void deliver(int i) {
        int len = (int) (bUpper[i] - bSeq[i]);
        if (bFresh[i] && curSeg != null) {
            endp.session.deliverStream(endp, curSeg, curOff + (bSeq[i] - curSeq), len);
        } else if (bData[i] != null) {
            // Buffered bytes go out through the shard thread's native buffer: nothing is
            // allocated per delivery, and analyzers see the packets' segment class.
            io.picket.flow.NativeScratch scratch = io.picket.flow.NativeScratch.current();
            MemorySegment copy = scratch.copyOf(bData[i], 0, Math.min(len, bData[i].length));
            try {
                endp.session.deliverStream(endp, copy, 0, len);
            } finally {
                scratch.release();
            }
        }
        release(bData[i]);
        bData[i] = null;
        bFresh[i] = false;
    }

    private int indexContaining(long seq) {
        for (int i = 0; i < n; i++) {
            if (bUpper[i] > seq) {
                return i;
            }
        }
        return n - 1;
    }

    private void blockInserted(int idx) {
        if (idx < 0 || idx >= n) {
            return;
        }
        if (bSeq[idx] > lastReassemSeq || bUpper[idx] <= lastReassemSeq) {
            return;
        }
        for (int i = idx; i < n; i++) {
            if (bSeq[i] > lastReassemSeq) {
                break;
            }
            if (bSeq[i] == lastReassemSeq) {
                long len = bUpper[i] - bSeq[i];
                lastReassemSeq += len;
                if (!skipDeliveries) {
                    deliver(i);
                }
            }
        }
        if (endp.noDataAcked() && endp.size() > MAX_INITIAL_WINDOW) {
            trimToSeq(lastReassemSeq);
        }
    }

    /** The peer acknowledged up to relative {@code seq} (Zeek's {@code AckReceived}). */
    void ackReceived(long seq) {
        if (endp.finCnt > 0 && seq >= endp.finSeq) {
            seq = endp.finSeq - 1;
        }
        if (seq <= trimSeq) {
            return;
        }
        trimToSeq(seq);
        checkEof();
    }

    private void trimToSeq(long seq) {
        if (seq > lastReassemSeq) {
            undelivered(seq);
        }
        while (n > 0 && bUpper[0] <= seq) {
            removeFirst();
        }
        if (n > 0 && bSeq[0] == lastReassemSeq) {
            blockInserted(0);
        }
        trimSeq = seq;
    }

    private void undelivered(long upToSeq) {
        if (upToSeq <= 2 && endp.session.isPartial) {
            // A partial connection's faked initial sequence numbers: ignore (as Zeek does).
            return;
        }
        if (!skipDeliveries) {
            int i = 0;
            while (i < n) {
                if (bSeq[i] < lastReassemSeq) {
                    i++;
                    continue;
                }
                if (bSeq[i] >= upToSeq) {
                    break;
                }
                long gapLen = bSeq[i] - lastReassemSeq;
                gap(lastReassemSeq, gapLen);
                lastReassemSeq += gapLen;
                blockInserted(i);
                i = 0;
            }
            if (upToSeq > lastReassemSeq) {
                gap(lastReassemSeq, upToSeq - lastReassemSeq);
            }
        }
        if (upToSeq > lastReassemSeq) {
            lastReassemSeq = upToSeq;
        }
    }

    private void gap(long seq, long len) {
        if (establishedOrCleanlyClosing(endp) && establishedOrCleanlyClosing(endp.peer)) {
            endp.gap();
            endp.session.onContentGap(len);
        }
        endp.session.deliverGap(endp, len);
        hadGap = true;
    }

    private static boolean establishedOrCleanlyClosing(TcpEndpoint e) {
        return e.state == TcpEndpoint.ESTABLISHED
                || (e.state == TcpEndpoint.CLOSED && e.prevState == TcpEndpoint.ESTABLISHED);
    }

    /** Zeek's {@code CheckEOF}: reports end of this direction once everything was delivered. */
    void checkEof() {
        if (!didEof && (endp.finCnt > 0 || endp.state == TcpEndpoint.CLOSED || endp.state == TcpEndpoint.RESET)
                && !dataPending()) {
            didEof = true;
            endp.session.endpointEof(endp);
        }
    }

    boolean dataPending() {
        if (skipDeliveries) {
            return false;
        }
        long delivered = endp.startSeq64() + lastReassemSeq;
        long last = TcpEndpoint.toFullSeqSpace(endp.lastSeq, endp.seqWraps);
        if (Long.compareUnsigned(last, delivered) < 0) {
            return false;
        }
        if (delivered != last - 1 && delivered != last) {
            return true;
        }
        return endp.state != TcpEndpoint.RESET && endp.peer.reassembler.hasUndeliveredData();
    }
}
