package io.picket.analyzer.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One direction's line splitter with Zeek's {@code ContentLine_Analyzer} semantics: CR, LF and
 * CRLF end lines (CRLF only while a multipart body part is read), "plain delivery" hands a
 * given number of bytes through unsplit, a "delivery size" forces out a partial last line.
 * Lines are kept up to {@link #MAX_STORED} bytes; longer lines keep their full length but only
 * their first bytes (no weird: Zeek's own limit is 16 MiB). Owned by the connection's shard
 * thread; never throws.
 */
final class ContentLine {
    /** Bytes of a line kept for parsing (headers, chunk sizes, boundaries, sniffing). */
    static final int MAX_STORED = 64 * 1024;
    private static final int CHUNK = 16 * 1024;

    private final HttpAnalyzer owner;
    private final boolean isOrig;
    private byte[] buf = new byte[128];
    private int stored;
    private long lineLen;
    private int lastChar;
    private boolean crAsEol = true;
    private boolean lfAsEol = true;
    private boolean suppressWeirds;
    private boolean skipDeliveries;
    private boolean detached;
    private long plainLength;
    private long deliveryLength = -1;
    private int remaining;

    ContentLine(HttpAnalyzer owner, boolean isOrig) {
        this.owner = owner;
        this.isOrig = isOrig;
    }

    /** Zeek's {@code SetPlainDelivery}. */
    void setPlainDelivery(long length) {
        if (length >= 0) {
            plainLength = length;
        }
    }

    /** Zeek's {@code SetDeliverySize}. */
    void setDeliverySize(long length) {
        if (length >= -1) {
            deliveryLength = length;
        }
    }

    void setSkipDeliveries(boolean skip) {
        skipDeliveries = skip;
    }

    void suppressWeirds(boolean suppress) {
        suppressWeirds = suppress;
    }

    /** Zeek's {@code SetCRLFAsEOL}: both CR and LF end lines, or only CRLF. */
    void setCrlfAsEol(boolean bareEndsLine) {
        crAsEol = bareEndsLine;
        lfAsEol = bareEndsLine;
    }

    /** Stops all further deliveries (Zeek removes the support analyzer). */
    void detach() {
        detached = true;
        stored = 0;
        lineLen = 0;
    }

    boolean detached() {
        return detached;
    }

    boolean plain() {
        return plainLength > 0;
    }

    /** Size of the line buffer (bounded by {@link #MAX_STORED}). */
    int capacity() {
        return buf.length;
    }

    /** Bytes of the current TCP segment after the line or plain chunk being delivered. */
    int remainingInSegment() {
        return remaining;
    }

    /** Delivers stream bytes read from native memory in bounded chunks. */
    void deliver(MemorySegment seg, long off, int len, byte[] scratch) {
        if (len <= 0 || skipDeliveries || detached) {
            return;
        }
        if (deliveryLength > 0) {
            deliveryLength -= len;
        }
        int done = 0;
        while (done < len && !detached && !skipDeliveries) {
            int n = Math.min(CHUNK, len - done);
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + done, scratch, 0, n);
            done += n;
            doDeliver(scratch, 0, n, len - done);
        }
        finishDelivery();
    }

    /** Delivers bytes from an array (the EOF flush and tests). */
    void deliver(byte[] d, int off, int len) {
        if (len <= 0 || skipDeliveries || detached) {
            return;
        }
        if (deliveryLength > 0) {
            deliveryLength -= len;
        }
        doDeliver(d, off, len, 0);
        finishDelivery();
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LF = {'\n'};

    private void finishDelivery() {
        if (deliveryLength == 0) {
            if (lineLen > 0 && !detached) {
                owner.contentLineWeird("line_terminated_without_CRLF");
                doDeliver(CRLF, 0, 2, 0);
            }
            deliveryLength = -1;
        }
    }

    /** Zeek's {@code EndpointEOF}: a buffered partial line is delivered as a line. */
    void endpointEof() {
        if (lineLen > 0) {
            deliver(LF, 0, 1);
        }
    }

    private void doDeliver(byte[] d, int off, int len, int segRemain) {
        while (len > 0 && !skipDeliveries && !detached) {
            if (crAsEol && lastChar == '\r' && d[off] == '\n') {
                lastChar = '\n';
                off++;
                len--;
            }
            if (plainLength > 0) {
                int n = (int) Math.min(plainLength, len);
                lastChar = 0;
                plainLength -= n;
                remaining = len - n + segRemain;
                if (n > 0) {
                    owner.onPlain(isOrig, d, off, n);
                }
                off += n;
                len -= n;
                if (len == 0 || detached) {
                    return;
                }
            }
            if (len <= 0) {
                break;
            }
            int n = deliverOnce(d, off, len, segRemain);
            off += n;
            len -= n;
        }
    }

    private int deliverOnce(byte[] d, int off, int len, int segRemain) {
        int start = off;
        for (; len > 0; --len, ++off) {
            int c = d[off] & 0xff;
            switch (c) {
                case '\r' -> {
                    if (len > 1 && d[off + 1] == '\n') {
                        --len;
                        ++off;
                        return emit(start, off, len, '\n', segRemain);
                    } else if (crAsEol) {
                        return emit(start, off, len, c, segRemain);
                    } else {
                        append(c);
                    }
                }
                case '\n' -> {
                    if (lastChar == '\r') {
                        if (lineLen == 0) {
                            lastChar = c;
                            continue;
                        }
                        lineLen--;
                        if (stored > lineLen) {
                            stored = (int) lineLen;
                        }
                        return emit(start, off, len, c, segRemain);
                    } else if (lfAsEol) {
                        return emit(start, off, len, c, segRemain);
                    } else {
                        if (!suppressWeirds && owner.flagOnce(HttpAnalyzer.FLAG_SINGULAR_LF)) {
                            owner.contentLineWeird("line_terminated_with_single_LF");
                        }
                        append(c);
                    }
                }
                default -> append(c);
            }
            if (lastChar == '\r' && !suppressWeirds && owner.flagOnce(HttpAnalyzer.FLAG_SINGULAR_CR)) {
                owner.contentLineWeird("line_terminated_with_single_CR");
            }
            lastChar = c;
        }
        return off - start;
    }

    private int emit(int start, int off, int len, int c, int segRemain) {
        lastChar = c;
        remaining = len - 1 + segRemain;
        long full = lineLen;
        int n = stored;
        stored = 0;
        lineLen = 0;
        owner.onLine(isOrig, buf, n, full);
        return off + 1 - start;
    }

    private void append(int c) {
        if (stored < MAX_STORED) {
            if (stored == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(MAX_STORED, buf.length * 2));
            }
            buf[stored++] = (byte) c;
        }
        lineLen++;
    }
}
