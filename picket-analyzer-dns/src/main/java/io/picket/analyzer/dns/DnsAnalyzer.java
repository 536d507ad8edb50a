package io.picket.analyzer.dns;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Zeek's DNS analyzer for one connection ({@code DNS_Analyzer} and {@code Contents_DNS} in
 * {@code src/analyzer/protocol/dns/DNS.cc}): each UDP datagram is one message; a TCP stream is
 * a sequence of messages each preceded by a 2-byte length, in any segmentation (a content gap
 * is ignored, as Zeek's {@code Contents_DNS} does: the next bytes continue the framing).
 * Messages go to a {@link DnsInterpreter}, whose events fill dns.log rows in
 * {@link DnsTransactions}; rows still pending are written at {@link #onConnectionDone()}.
 *
 * <p>Owned by the shard thread of the connection; never throws on input. Per connection it
 * keeps a few fields, at most one partial TCP message per direction (at most 64 KiB each) and
 * Zeek's bounded queues of unmatched queries and replies; parse buffers are per thread. A UDP
 * connection carries Zeek's DNS expire timer (removed after {@code dns_session_timeout} idle).
 */
public final class DnsAnalyzer implements Analyzer {
    /** {@code dns_session_timeout}: a UDP DNS connection idle this long is removed. */
    static final double SESSION_TIMEOUT = 10.0;

    private final AnalyzerContext ctx;
    private final boolean udp;
    private final DnsTransactions tx;
    private final DnsInterpreter interp;
    private TcpFramer origFramer;
    private TcpFramer respFramer;
    private boolean locallyFlipped;
    /** Whether the responder is multicast: 0 unknown, 1 no, 2 yes (reset by a flip). */
    private byte respMulticast;

    /**
     * An analyzer with the semantics of Zeek 8.2 (the default of {@link DnsAnalyzerProvider}):
     * messages to multicast responders are paired by transaction id like unicast ones.
     */
    public DnsAnalyzer(AnalyzerContext ctx) {
        this(ctx, false);
    }

    /**
     * @param multicastStandalone true for Zeek 9's handling of messages to multicast
     *        responders (never paired, one row each, zeek/zeek#5608); false for Zeek 8's
     *        (paired by transaction id like unicast ones)
     */
    public DnsAnalyzer(AnalyzerContext ctx, boolean multicastStandalone) {
        this.ctx = ctx;
        this.udp = !"tcp".equals(ctx.transport());
        this.tx = new DnsTransactions(this, ctx, multicastStandalone);
        this.interp = new DnsInterpreter(this, ctx, tx);
        if (udp) {
            scheduleExpire(ctx.networkTime() + SESSION_TIMEOUT);
        }
    }

    private void scheduleExpire(double t) {
        ctx.schedule(t, () -> expire(t));
    }

    /**
     * Zeek's {@code DNS_Analyzer::ExpireTimer}: the connection goes once it has been idle for
     * {@code dns_session_timeout - 1} seconds at a timer tick; ticks come every timeout.
     */
    private void expire(double t) {
        if (t - ctx.lastPacketTime() >= SESSION_TIMEOUT - 1.0) {
            ctx.removeConnection();
        } else {
            scheduleExpire(t + SESSION_TIMEOUT);
        }
    }

    @Override
    public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
        interp.parseMessage(data, offset, length, isOrig ? 1 : 0);
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        TcpFramer f = isOrig ? origFramer : respFramer;
        if (f == null) {
            f = new TcpFramer(isOrig);
            if (isOrig) {
                origFramer = f;
            } else {
                respFramer = f;
            }
        }
        f.deliver(data, offset, length);
    }

    /** Zeek's {@code ConnectionClosed}: both directions' partial messages are parsed. */
    @Override
    public void onEndOfStream(boolean isOrig) {
        if (origFramer != null) {
            origFramer.flush();
        }
        if (respFramer != null) {
            respFramer.flush();
        }
    }

    @Override
    public void onConnectionDone() {
        tx.onConnectionDone();
    }

    DnsTransactions transactions() {
        return tx;
    }

    boolean isUdp() {
        return udp;
    }

    boolean locallyFlipped() {
        return locallyFlipped;
    }

    String respHost() {
        return locallyFlipped ? ctx.origHost() : ctx.respHost();
    }

    int respPort() {
        return locallyFlipped ? ctx.origPort() : ctx.respPort();
    }

    /** Zeek's {@code IsMulticast} of the responder: 224.0.0.0/4 or ff00::/8 (from its text). */
    boolean respIsMulticast() {
        if (respMulticast == 0) {
            respMulticast = isMulticast(respHost()) ? (byte) 2 : (byte) 1;
        }
        return respMulticast == 2;
    }

    private static boolean isMulticast(String h) {
        if (h == null || h.isEmpty()) {
            return false;
        }
        if (h.indexOf(':') >= 0) {
            // ff00::/8: the first group is printed with four digits, the first two "ff".
            return h.indexOf(':') == 4 && (h.charAt(0) == 'f' || h.charAt(0) == 'F')
                    && (h.charAt(1) == 'f' || h.charAt(1) == 'F');
        }
        int first = 0;
        int i = 0;
        for (; i < h.length() && h.charAt(i) != '.'; i++) {
            char c = h.charAt(i);
            if (c < '0' || c > '9' || i > 2) {
                return false;
            }
            first = first * 10 + (c - '0');
        }
        return i > 0 && first >= 224 && first <= 239;
    }

    /** policy/frameworks/intel/seen/dns.zeek: every query name is an {@code Intel::DOMAIN} seen. */
    void seenQuery(byte[] name, int len) {
        if (len > 0 && ctx.wantsSeen()) {
            ctx.seen(new String(name, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1), "Intel::DOMAIN",
                    "DNS::IN_REQUEST");
        }
    }

    /** Zeek's {@code Connection::FlipRoles} asked by the interpreter for a reply seen first. */
    void flipRoles() {
        respMulticast = 0;
        ctx.flipRoles();
        TcpFramer t = origFramer;
        origFramer = respFramer;
        respFramer = t;
    }

    /**
     * Zeek's {@code Contents_DNS}: the 2-byte length, then the message, per direction. A
     * message is copied only when it spans deliveries (and then into a buffer of at most
     * 64 KiB).
     */
    private final class TcpFramer {
        private static final int LEN_HI = 0;
        private static final int LEN_LO = 1;
        private static final int MESSAGE = 2;

        private final boolean orig;
        private int state = LEN_HI;
        private int msgSize;
        private int bufN;
        private byte[] buf;
        private MemorySegment bufSeg;

        TcpFramer(boolean orig) {
            this.orig = orig;
        }

        void deliver(MemorySegment data, long offset, int length) {
            long p = offset;
            int n = length;
            while (n > 0) {
                if (state == LEN_HI) {
                    msgSize = (data.get(ValueLayout.JAVA_BYTE, p) & 0xff) << 8;
                    state = LEN_LO;
                    p++;
                    n--;
                    if (n == 0) {
                        return;
                    }
                }
                if (state == LEN_LO) {
                    msgSize += data.get(ValueLayout.JAVA_BYTE, p) & 0xff;
                    state = MESSAGE;
                    bufN = 0;
                    p++;
                    n--;
                    if (n == 0) {
                        return;
                    }
                }
                if (bufN == 0 && n >= msgSize) {
                    // The whole message is in this delivery: parse it in place.
                    p += msgSize;
                    n -= msgSize;
                    state = LEN_HI;
                    interp.parseMessage(data, p - msgSize, msgSize, orig ? 1 : 0);
                    continue;
                }
                int take = Math.min(msgSize - bufN, n);
                if (take > 0) {
                    ensure(msgSize);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p, buf, bufN, take);
                    bufN += take;
                    p += take;
                    n -= take;
                }
                if (bufN < msgSize) {
                    return;
                }
                int size = msgSize;
                bufN = 0;
                state = LEN_HI;
                interp.parseMessage(bufSeg == null ? MemorySegment.NULL : bufSeg, 0, size, orig ? 1 : 0);
            }
        }

        private void ensure(int size) {
            if (buf == null || buf.length < size) {
                buf = buf == null ? new byte[size] : Arrays.copyOf(buf, size);
                bufSeg = MemorySegment.ofArray(buf);
            }
        }

        /** Zeek's {@code Flush}: a partial message is parsed (again at every close). */
        void flush() {
            if (bufN > 0) {
                interp.parseMessage(bufSeg, 0, bufN, 2);
                msgSize = 0;
            }
        }
    }
}
