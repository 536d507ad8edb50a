package io.picket.log.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that formats append into. Reused record after record by its owner
 * (the writer thread), so formatting allocates nothing once the buffer has reached its working
 * size. Not thread-safe.
 */
public final class LogBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    public LogBuffer() {
        this(1024);
    }

    public LogBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Number of bytes written so far. */
    public int length() {
        return length;
    }

    /** The backing array; valid from 0 to {@link #length()}. */
    public byte[] array() {
        return bytes;
    }

    public byte byteAt(int index) {
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return bytes[index];
    }

    /** Forgets the content, keeping the capacity. */
    public LogBuffer clear() {
        length = 0;
        return this;
    }

    /** Drops everything from {@code newLength} on. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IndexOutOfBoundsException(newLength);
        }
        length = newLength;
    }

    public LogBuffer append(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    public LogBuffer append(byte[] src) {
        return append(src, 0, src.length);
    }

    public LogBuffer append(byte[] src, int offset, int len) {
        ensure(len);
        System.arraycopy(src, offset, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends the low byte of every char: for text known to be ASCII. */
    public LogBuffer appendAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /**
     * Appends the UTF-8 encoding of {@code s}. An unpaired surrogate is encoded as its own
     * three bytes (not valid UTF-8), so that escaping later shows it as hex instead of losing it.
     */
    public LogBuffer appendUtf8(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                append(c);
            } else if (c < 0x800) {
                ensure(2);
                bytes[length++] = (byte) (0xc0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                bytes[length++] = (byte) (0xf0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                ensure(3);
                bytes[length++] = (byte) (0xe0 | (c >> 12));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return this;
    }

    /** Appends {@code \xhh} (lower-case hex) for the byte {@code b}. */
    public LogBuffer appendHexEscape(int b) {
        ensure(4);
        bytes[length++] = '\\';
        bytes[length++] = 'x';
        bytes[length++] = HEX[(b >> 4) & 0xf];
        bytes[length++] = HEX[b & 0xf];
        return this;
    }

    /** Appends the two lower-case hex digits of the byte {@code b}. */
    public LogBuffer appendHexDigits(int b) {
        ensure(2);
        bytes[length++] = HEX[(b >> 4) & 0xf];
        bytes[length++] = HEX[b & 0xf];
        return this;
    }

    /** Appends a signed decimal number. */
    public LogBuffer appendLong(long v) {
        if (v < 0) {
            append('-');
            if (v == Long.MIN_VALUE) {
                return appendAscii("9223372036854775808");
            }
            v = -v;
        }
        return appendUnsignedLong(v);
    }

    /** Appends {@code v} read as an unsigned 64-bit number. */
    public LogBuffer appendUnsignedLong(long v) {
        ensure(20);
        if (v < 0) {
            long q = Long.divideUnsigned(v, 10);
            appendPositive(q);
            bytes[length++] = (byte) ('0' + (int) (v - q * 10));
            return this;
        }
        appendPositive(v);
        return this;
    }

    private void appendPositive(long v) {
        if (v == 0) {
            bytes[length++] = '0';
            return;
        }
        int digits = 0;
        for (long t = v; t != 0; t /= 10) {
            digits++;
        }
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        length = end;
    }

    /**
     * Replaces the byte at {@code index} with its {@code \xhh} escape, shifting the rest right
     * (Zeek escapes a row's leading {@code #} this way).
     */
    public void escapeByteAt(int index) {
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        int b = bytes[index] & 0xff;
        ensure(3);
        System.arraycopy(bytes, index + 1, bytes, index + 4, length - index - 1);
        bytes[index] = '\\';
        bytes[index + 1] = 'x';
        bytes[index + 2] = HEX[b >> 4];
        bytes[index + 3] = HEX[b & 0xf];
        length += 3;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The content decoded as UTF-8 (invalid bytes replaced); for tests and debugging. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int extra) {
        int need = length + extra;
        if (need > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
        }
    }
}
