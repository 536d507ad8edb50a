package io.picket.analyzer.socks;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Zeek's SOCKS DPD signatures ({@code base/protocols/socks/dpd.sig}): a client pattern on one
 * direction's first bytes ({@code ^\x04[\x01\x02].{0,32}\x00} for v4, {@code ^\x05.[\x00\x01\x02]}
 * for v5) and, once it matched, the server pattern on the other direction
 * ({@code ^\x00[\x5a-\x5d]}, {@code ^\x05(\x00|\x01[\x00\x01\x02])}) enable the analyzer; v4 also
 * in reverse (client bytes from the responder). {@code .} does not match a newline, as in Zeek's
 * patterns. One instance per connection, owned by its shard thread; allocation-free after
 * construction.
 */
public final class SocksDetector implements Detector {
    /** Bytes of each direction's beginning the patterns can look at (v4: 2 + 32 + 1). */
    static final int PREFIX = 35;

    private static final int UNDECIDED = 0;
    private static final int YES = 1;
    private static final int NO = 2;

    private final byte[] orig = new byte[PREFIX];
    private final byte[] resp = new byte[PREFIX];
    private int origLen;
    private int respLen;
    private boolean origBroken;
    private boolean respBroken;

    @Override
    public int onData(boolean isOrig, MemorySegment data, long offset, int length, long streamOffset) {
        byte[] buf = isOrig ? orig : resp;
        int have = isOrig ? origLen : respLen;
        if (streamOffset != have && have < PREFIX) {
            // not the direction's beginning (or a gap): the anchored patterns cannot match there
            if (isOrig) {
                origBroken = true;
            } else {
                respBroken = true;
            }
        } else {
            int n = Math.min(length, PREFIX - have);
            if (n > 0) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buf, have, n);
                if (isOrig) {
                    origLen += n;
                } else {
                    respLen += n;
                }
            }
        }
        return verdict();
    }

    private int verdict() {
        int c4o = origBroken ? NO : v4Client(orig, origLen);
        int c4r = respBroken ? NO : v4Client(resp, respLen);
        int c5o = origBroken ? NO : v5Client(orig, origLen);
        int s4r = respBroken ? NO : v4Server(resp, respLen);
        int s4o = origBroken ? NO : v4Server(orig, origLen);
        int s5r = respBroken ? NO : v5Server(resp, respLen);
        if ((c4o == YES && s4r == YES) || (c4r == YES && s4o == YES) || (c5o == YES && s5r == YES)) {
            return MATCH;
        }
        boolean v4 = c4o != NO && s4r != NO;
        boolean v4rev = c4r != NO && s4o != NO;
        boolean v5 = c5o != NO && s5r != NO;
        return v4 || v4rev || v5 ? NEED_MORE : NO_MATCH;
    }

    /** {@code ^\x04[\x01\x02].{0,32}\x00}. */
    static int v4Client(byte[] b, int n) {
        if (n < 1) {
            return UNDECIDED;
        }
        if (b[0] != 4) {
            return NO;
        }
        if (n < 2) {
            return UNDECIDED;
        }
        if (b[1] != 1 && b[1] != 2) {
            return NO;
        }
        for (int i = 2; i < Math.min(n, PREFIX); i++) {
            if (b[i] == 0) {
                return YES;
            }
            if (b[i] == '\n') {
                return NO;
            }
        }
        return n >= PREFIX ? NO : UNDECIDED;
    }

    /** {@code ^\x00[\x5a\x5b\x5c\x5d]}. */
    static int v4Server(byte[] b, int n) {
        if (n < 1) {
            return UNDECIDED;
        }
        if (b[0] != 0) {
            return NO;
        }
        if (n < 2) {
            return UNDECIDED;
        }
        return b[1] >= 0x5a && b[1] <= 0x5d ? YES : NO;
    }

    /** {@code ^\x05.[\x00\x01\x02]}. */
    static int v5Client(byte[] b, int n) {
        if (n < 1) {
            return UNDECIDED;
        }
        if (b[0] != 5) {
            return NO;
        }
        if (n < 2) {
            return UNDECIDED;
        }
        if (b[1] == '\n') {
            return NO;
        }
        if (n < 3) {
            return UNDECIDED;
        }
        return b[2] >= 0 && b[2] <= 2 ? YES : NO;
    }

    /** {@code ^\x05(\x00|\x01[\x00\x01\x02])}. */
    static int v5Server(byte[] b, int n) {
        if (n < 1) {
            return UNDECIDED;
        }
        if (b[0] != 5) {
            return NO;
        }
        if (n < 2) {
            return UNDECIDED;
        }
        if (b[1] == 0) {
            return YES;
        }
        if (b[1] != 1) {
            return NO;
        }
        if (n < 3) {
            return UNDECIDED;
        }
        return b[2] >= 0 && b[2] <= 2 ? YES : NO;
    }
}
