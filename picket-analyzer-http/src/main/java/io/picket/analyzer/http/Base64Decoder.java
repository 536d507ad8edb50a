package io.picket.analyzer.http;

/**
 * Zeek's streaming {@code Base64Converter} ({@code src/Base64.cc}): groups of four symbols,
 * {@code '='} counts as padding (value 0), other characters are skipped with one
 * {@code base64_illegal_encoding} weird per decoder, groups after padding are ignored.
 * Owned by the shard thread of its connection.
 */
final class Base64Decoder {
    private static final byte[] TABLE = new byte[256];

    static {
        java.util.Arrays.fill(TABLE, (byte) -1);
        for (int i = 0; i < 26; i++) {
            TABLE['A' + i] = (byte) i;
            TABLE['a' + i] = (byte) (i + 26);
        }
        for (int i = 0; i < 10; i++) {
            TABLE['0' + i] = (byte) (i + 52);
        }
        TABLE['+'] = 62;
        TABLE['/'] = 63;
        TABLE['='] = 0;
    }

    /** Receives decoded bytes. */
    interface Sink {
        void octets(byte[] b, int off, int len);
    }

    private final Mime.WeirdSink weirds;
    private final int[] group = new int[4];
    private final byte[] out = new byte[3];
    private int next;
    private int padding;
    private boolean afterPadding;
    private int errored;

    Base64Decoder(Mime.WeirdSink weirds) {
        this.weirds = weirds;
    }

    void decode(byte[] d, int from, int to, Sink sink) {
        int i = from;
        while (true) {
            if (next == 4) {
                if (afterPadding) {
                    if (++errored == 1) {
                        illegal("extra base64 groups after '=' padding are ignored");
                    }
                    next = 0;
                    continue;
                }
                int numOctets = 3 - padding;
                int bits = ((group[0] & 0x3f) << 18) | ((group[1] & 0x3f) << 12)
                        | ((group[2] & 0x3f) << 6) | (group[3] & 0x3f);
                int n = 0;
                if (--numOctets >= 0) {
                    out[n++] = (byte) (bits >> 16);
                }
                if (--numOctets >= 0) {
                    out[n++] = (byte) (bits >> 8);
                }
                if (--numOctets >= 0) {
                    out[n++] = (byte) bits;
                }
                if (n > 0) {
                    sink.octets(out, 0, n);
                }
                if (padding > 0) {
                    afterPadding = true;
                }
                next = 0;
                padding = 0;
            }
            if (i >= to) {
                break;
            }
            int c = d[i] & 0xff;
            if (c == '=') {
                padding++;
            }
            int k = TABLE[c];
            if (k >= 0) {
                group[next++] = k;
            } else if (++errored == 1) {
                illegal("character " + (int) d[i] + " ignored by Base64 decoding");
            }
            i++;
        }
    }

    /** Flushes an incomplete group padded with '='. */
    void done(Sink sink) {
        if (next != 0) {
            if (next < 4) {
                illegal("incomplete base64 group, padding with " + ((4 - next) * 6) + " bits of 0");
            }
            byte[] pad = {'=', '=', '='};
            decode(pad, 0, 4 - next, sink);
        }
    }

    private void illegal(String msg) {
        if (weirds != null) {
            weirds.weird("base64_illegal_encoding", msg);
        }
    }

    /** One-shot decoding ({@code decode_base64_conn}). */
    static byte[] decodeAll(byte[] d, int from, int to, Mime.WeirdSink weirds) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(to - from);
        Base64Decoder dec = new Base64Decoder(weirds);
        Sink sink = out::write;
        dec.decode(d, from, to, sink);
        dec.done(sink);
        return out.toByteArray();
    }
}
