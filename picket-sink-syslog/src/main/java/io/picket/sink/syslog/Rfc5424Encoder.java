package io.picket.sink.syslog;

import io.picket.log.format.LogBuffer;
import io.picket.sink.spool.Envelope;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds one RFC 5424 message per spooled record:
 * {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID tenant="..." path="..." id="..."] MSG}.
 * TIMESTAMP is the record's {@code ts} in UTC with microseconds ({@code -} when it has none),
 * MSGID the log path (cut to 32 characters), MSG the formatted line as UTF-8 without BOM.
 * Owned by the delivery thread of one sink.
 *
 * <p>Truncation: when {@code maxBytes > 0} and the message is longer, only MSG is shortened, at a
 * UTF-8 character boundary, so the header and structured data always arrive whole.
 */
public final class Rfc5424Encoder {
    private final byte[] prefix;
    private final String tenant;
    private final String sdId;
    private final LogBuffer scratch = new LogBuffer(256);
    private long truncated;

    public Rfc5424Encoder(String tenant, int facility, int severity, String hostname, String appName, String sdId, long pid) {
        this.tenant = tenant;
        this.sdId = sdId;
        String p = "<" + (facility * 8 + severity) + ">1 ";
        this.prefix = p.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.hostPart = (" " + headerField(hostname, 255) + " " + headerField(appName, 48) + " " + pid + " ")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private final byte[] hostPart;

    /** Messages whose MSG was cut so far. */
    public long truncated() {
        return truncated;
    }

    /** Appends the message for {@code e} to {@code out}; returns its length. */
    public int encode(Envelope e, LogBuffer out, int maxBytes) {
        int start = out.length();
        out.append(prefix);
        appendTimestamp(e.timestampMicros(), out);
        out.append(hostPart);
        // MSGID: the path, printable US-ASCII only, at most 32.
        int pathLen = Math.min(e.pathLength(), 32);
        boolean printable = pathLen > 0;
        for (int i = 0; i < pathLen; i++) {
            int c = e.array()[e.pathOffset() + i] & 0xff;
            printable &= c >= 33 && c <= 126;
        }
        if (printable) {
            out.append(e.array(), e.pathOffset(), pathLen);
        } else {
            out.append('-');
        }
        out.append(' ').append('[').appendAscii(sdId);
        param(out, "tenant", tenant);
        param(out, "path", e.path());
        param(out, "id", e.recordId());
        out.append(']');
        int body = e.bodyLength();
        if (body > 0) {
            out.append(' ');
            int room = maxBytes > 0 ? maxBytes - (out.length() - start) : Integer.MAX_VALUE;
            int n = body;
            if (n > room) {
                n = Math.max(0, room);
                // Do not split a UTF-8 sequence: back up over continuation bytes.
                while (n > 0 && (e.array()[e.bodyOffset() + n] & 0xc0) == 0x80) {
                    n--;
                }
                truncated++;
            }
            out.append(e.array(), e.bodyOffset(), n);
        }
        return out.length() - start;
    }

    /** Appends RFC 6587 octet-counting framing ({@code LEN SP MSG}) around one message. */
    public void encodeFramed(Envelope e, LogBuffer out, int maxBytes) {
        scratch.clear();
        int n = encode(e, scratch, maxBytes);
        out.appendLong(n).append(' ').append(scratch.array(), 0, n);
    }

    private static void param(LogBuffer out, String name, String value) {
        out.append(' ').appendAscii(name).append('=').append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.appendUtf8(String.valueOf(c));
        }
        out.append('"');
    }

    static void appendTimestamp(long micros, LogBuffer out) {
        if (micros == Envelope.NO_TIME) {
            out.append('-');
            return;
        }
        long sec = Math.floorDiv(micros, 1_000_000L);
        int us = (int) Math.floorMod(micros, 1_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, us, 6).append('Z');
    }

    private static LogBuffer pad(LogBuffer out, int v, int width) {
        int digits = v == 0 ? 1 : (int) Math.log10(v) + 1;
        for (int i = digits; i < width; i++) {
            out.append('0');
        }
        return out.appendLong(v);
    }

    /** A header field: printable US-ASCII without spaces, cut to {@code max}; {@code -} if empty. */
    static String headerField(String s, int max) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 33 && c <= 126) {
                b.append(c);
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }
}
