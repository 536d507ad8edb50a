package io.picket.sink.spool;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of one spooled record: who it is for and the formatted log line, so a
 * {@link Transport} can route it without the original {@code LogRecord}. Read as a flyweight:
 * {@link #wrap} a payload and call the accessors; no allocation except {@link #path()},
 * {@link #key()} and {@link #body()}.
 *
 * <p>Layout (big-endian): {@code [u8 version=1][u8 format][i64 spool id][i64 sequence]
 * [i64 time in microseconds since the epoch, Long.MIN_VALUE if none][u8 n][n bytes path]
 * [u8 k][k bytes key (uid)][body: the formatted line without its newline]}. Spool id and
 * sequence are filled in by the sink's spool thread just before the record is appended, so
 * {@code (spoolId, sequence)} names the record for good (destinations use it to drop duplicates).
 */
public final class Envelope {
    public static final int VERSION = 1;
    /** Body is one JSON object (Zeek JSON line). */
    public static final int FORMAT_JSON = 0;
    /** Body is one Zeek TSV row. */
    public static final int FORMAT_TSV = 1;
    /** {@link #timestampMicros()} when the record had no {@code ts}. */
    public static final long NO_TIME = Long.MIN_VALUE;

    static final int SPOOL_ID_AT = 2;
    static final int SEQUENCE_AT = 10;
    static final int TIME_AT = 18;
    static final int PATH_AT = 26;

    private byte[] bytes;
    private int keyAt;
    private int bodyAt;

    /** Points this view at one envelope. Throws IllegalArgumentException if it is malformed. */
    public Envelope wrap(byte[] envelope) {
        if (envelope.length < PATH_AT + 2 || envelope[0] != VERSION) {
            throw new IllegalArgumentException("not a picket envelope");
        }
        int pathLen = envelope[PATH_AT] & 0xff;
        int k = PATH_AT + 1 + pathLen;
        if (k >= envelope.length) {
            throw new IllegalArgumentException("truncated envelope");
        }
        int keyLen = envelope[k] & 0xff;
        if (k + 1 + keyLen > envelope.length) {
            throw new IllegalArgumentException("truncated envelope");
        }
        this.bytes = envelope;
        this.keyAt = k;
        this.bodyAt = k + 1 + keyLen;
        return this;
    }

    public byte[] array() {
        return bytes;
    }

    public int format() {
        return bytes[1];
    }

    public boolean isJson() {
        return bytes[1] == FORMAT_JSON;
    }

    public long spoolId() {
        return getLong(bytes, SPOOL_ID_AT);
    }

    public long sequence() {
        return getLong(bytes, SEQUENCE_AT);
    }

    /** {@code ts} of the record in microseconds since the epoch, or {@link #NO_TIME}. */
    public long timestampMicros() {
        return getLong(bytes, TIME_AT);
    }

    public int pathOffset() {
        return PATH_AT + 1;
    }

    public int pathLength() {
        return bytes[PATH_AT] & 0xff;
    }

    /** The log path ({@code conn}, {@code dns}, ...). Allocates. */
    public String path() {
        return new String(bytes, PATH_AT + 1, pathLength(), StandardCharsets.UTF_8);
    }

    public int keyOffset() {
        return keyAt + 1;
    }

    /** Length of the key (the record's uid); 0 when it has none. */
    public int keyLength() {
        return bytes[keyAt] & 0xff;
    }

    /** The key bytes (uid), or null when the record has none. Allocates. */
    public byte[] key() {
        int n = keyLength();
        if (n == 0) {
            return null;
        }
        byte[] k = new byte[n];
        System.arraycopy(bytes, keyAt + 1, k, 0, n);
        return k;
    }

    public int bodyOffset() {
        return bodyAt;
    }

    public int bodyLength() {
        return bytes.length - bodyAt;
    }

    /** A copy of the formatted line. Allocates. */
    public byte[] body() {
        byte[] b = new byte[bodyLength()];
        System.arraycopy(bytes, bodyAt, b, 0, b.length);
        return b;
    }

    /** {@code <spool id hex>-<sequence>}: a stable id for the record, e.g. an Elasticsearch {@code _id}. */
    public String recordId() {
        return Long.toHexString(spoolId()) + "-" + sequence();
    }

    /** Writes spool id and sequence into an encoded envelope. */
    public static void stamp(byte[] envelope, long spoolId, long sequence) {
        putLong(envelope, SPOOL_ID_AT, spoolId);
        putLong(envelope, SEQUENCE_AT, sequence);
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
