package io.picket.analyzer.ssl;

/**
 * Big-endian reads over a slice of a byte array with binpac's bounds rule: reading past the end
 * throws {@link ParseError}. Used on the shard thread that owns the connection.
 */
final class ByteReader {
    final byte[] b;
    int pos;
    final int end;

    ByteReader(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    int remaining() {
        return end - pos;
    }

    void need(int n, String where) {
        if (n < 0 || end - pos < n) {
            throw ParseError.outOfBound(where, n, end - pos);
        }
    }

    int u8(String where) {
        need(1, where);
        return b[pos++] & 0xff;
    }

    int u16(String where) {
        need(2, where);
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u24(String where) {
        need(3, where);
        int v = ((b[pos] & 0xff) << 16) | ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    long u32(String where) {
        need(4, where);
        long v = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** Skips {@code n} bytes and returns the offset where they started. */
    int skip(int n, String where) {
        need(n, where);
        int at = pos;
        pos += n;
        return at;
    }

    byte[] bytes(int n, String where) {
        int at = skip(n, where);
        byte[] out = new byte[n];
        System.arraycopy(b, at, out, 0, n);
        return out;
    }

    /** A reader over the next {@code n} bytes (binpac {@code &length}); this one moves past them. */
    ByteReader sub(int n, String where) {
        int at = skip(n, where);
        return new ByteReader(b, at, at + n);
    }
}
