package io.picket.analyzer.dns;

import java.util.Arrays;

/**
 * A growable byte buffer for the text of one answer ({@code fmt(...)} results in main.zeek),
 * plus Zeek's address text and NetBIOS name decoding. One instance per analyzer, owned by the
 * shard thread; reused for every answer. Text is raw bytes: the log writer escapes it.
 */
final class DnsText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[128];
    private int len;

    DnsText clear() {
        len = 0;
        return this;
    }

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    /** A copy of the current text. */
    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    boolean startsWith(String ascii) {
        if (len < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    DnsText ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    DnsText bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    DnsText bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    DnsText decimal(long v) {
        return ascii(Long.toString(v));
    }

    DnsText hexLower(byte[] b, int off, int n) {
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
            int c = b[off + i] & 0xff;
            buf[len++] = HEX[c >>> 4];
            buf[len++] = HEX[c & 0xf];
        }
        return this;
    }

    /** Dotted-quad IPv4 text of four bytes at {@code off}. */
    DnsText ipv4(byte[] a, int off) {
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                ascii(".");
            }
            decimal(a[off + i] & 0xff);
        }
        return this;
    }

    /**
     * Zeek's text of a 16-byte address: an IPv4-mapped address ({@code ::ffff:a.b.c.d}) is an
     * IPv4 address to Zeek and prints dotted; the rest as glibc's {@code inet_ntop}.
     */
    DnsText ipv6(byte[] a, int off) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            if (a[off + i] != 0) {
                mapped = false;
                break;
            }
        }
        if (mapped && (a[off + 10] & 0xff) == 0xff && (a[off + 11] & 0xff) == 0xff) {
            return ipv4(a, off + 12);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    ascii(":");
                }
                continue;
            }
            if (i != 0) {
                ascii(":");
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                ipv4(a, off + 12);
                break;
            }
            ascii(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            ascii(":");
        }
        return this;
    }

    /**
     * Zeek's {@code decode_netbios_name}: the 32-letter first-level encoding decoded, suffix byte
     * and trailing spaces/NULs dropped; null where Zeek returns the empty string.
     */
    static byte[] decodeNetbiosName(byte[] name) {
        if (name.length != 32) {
            return null;
        }
        byte[] out = new byte[16];
        int length = 0;
        for (int i = 0, j = 0; i < 16; i++) {
            int c0 = upper(name[j++] & 0xff);
            int c1 = upper(name[j++] & 0xff);
            if (c0 < 'A' || c0 > 'P' || c1 < 'A' || c1 > 'P') {
                return null;
            }
            int b = ((c0 - 'A') << 4) + (c1 - 'A');
            out[i] = (byte) b;
            if (isAlnum(b) || isPunct(b) || b == ' ' || b < 3) {
                length++;
            } else {
                break;
            }
        }
        if (length == 16) {
            length = 15;
        }
        while (true) {
            if (length == 0) {
                return null;
            }
            int c = out[length - 1] & 0xff;
            if (c != ' ' && c != 0) {
                break;
            }
            length--;
        }
        return Arrays.copyOf(out, length);
    }

    private static int upper(int c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }

    private static boolean isAlnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isPunct(int c) {
        return c > 0x20 && c < 0x7f && !isAlnum(c);
    }
}
