package io.picket.analyzer.ssl;

/**
 * A cursor over DER (as OpenSSL's decoder accepts it: definite lengths only) in a byte array.
 * {@link #next()} reads one TLV header and leaves its position in the public fields; a
 * malformed or truncated element makes it return false. Used by the owning shard thread only.
 */
final class Der {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int PRINTABLE_STRING = 0x13;
    static final int T61_STRING = 0x14;
    static final int IA5_STRING = 0x16;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int VISIBLE_STRING = 0x1a;
    static final int UNIVERSAL_STRING = 0x1c;
    static final int BMP_STRING = 0x1e;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    final byte[] buf;
    int pos;
    int end;

    /** Identifier octet (first byte; the tag number for high tags is in {@link #tagNumber}). */
    int tag;
    int tagNumber;
    int start;
    int valueOffset;
    int valueLength;

    Der(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads the next TLV header; on success the cursor moves past the whole element. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        start = pos;
        int p = pos;
        tag = buf[p++] & 0xff;
        tagNumber = tag & 0x1f;
        if (tagNumber == 0x1f) {
            int n = 0;
            int c;
            do {
                if (p >= end || n > (1 << 23)) {
                    return false;
                }
                c = buf[p++] & 0xff;
                n = (n << 7) | (c & 0x7f);
            } while ((c & 0x80) != 0);
            tagNumber = n;
        }
        if (p >= end) {
            return false;
        }
        int l = buf[p++] & 0xff;
        long len;
        if (l < 0x80) {
            len = l;
        } else {
            int n = l & 0x7f;
            if (n == 0 || n > 4) {
                return false;
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                if (p >= end) {
                    return false;
                }
                len = (len << 8) | (buf[p++] & 0xff);
            }
        }
        if (len > end - p) {
            return false;
        }
        valueOffset = p;
        valueLength = (int) len;
        pos = p + valueLength;
        return true;
    }

    /** Reads the next element and checks its identifier octet. */
    boolean next(int expectedTag) {
        return next() && tag == expectedTag;
    }

    int valueEnd() {
        return valueOffset + valueLength;
    }

    /** A cursor over the current element's contents. */
    Der inner() {
        return new Der(buf, valueOffset, valueOffset + valueLength);
    }

    /** Dotted text of an OBJECT IDENTIFIER value, or null when malformed. */
    static String oid(byte[] b, int off, int len) {
        if (len <= 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(len * 3);
        long v = 0;
        boolean first = true;
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xff;
            if (v == 0 && c == 0x80) {
                return null;
            }
            if (v > (Long.MAX_VALUE >> 8)) {
                return null;
            }
            v = (v << 7) | (c & 0x7f);
            if ((c & 0x80) == 0) {
                if (first) {
                    int a = v < 40 ? 0 : v < 80 ? 1 : 2;
                    sb.append(a).append('.').append(v - 40L * a);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            } else if (i == len - 1) {
                return null;
            }
        }
        return sb.toString();
    }

    /** Number of significant bits of an unsigned big-endian number. */
    static int bitLength(byte[] b, int off, int len) {
        int i = 0;
        while (i < len && b[off + i] == 0) {
            i++;
        }
        if (i == len) {
            return 0;
        }
        return (len - i - 1) * 8 + (32 - Integer.numberOfLeadingZeros(b[off + i] & 0xff));
    }
}
