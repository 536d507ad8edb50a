package io.picket.analyzer.socks;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Zeek's SOCKS analyzer ({@code src/analyzer/protocol/socks}) for one connection. Like Zeek's
 * binpac flow ({@code datagram = SOCKS_Message}), every delivered chunk of a direction is parsed
 * as one SOCKS message on its own (a short chunk is a violation, extra bytes are ignored). Once
 * the originator sent its request and the responder its reply, the rest of the stream goes to a
 * child protocol detection ({@link AnalyzerContext#childDetection()}), so HTTP or TLS inside are
 * analysed on the same uid. socks.log is written when the connection is removed, if the
 * analyzer confirmed (a reply parsed) and was not removed by a violation.
 *
 * <p>Owned by the shard thread of the connection. Allocates only for the log values of a
 * handshake; malformed input ends as a violation or weird, never an exception.
 */
public final class SocksAnalyzer implements Analyzer {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Zeek's {@code Tunnel::SOCKS}. */
    public static final String TUNNEL_TYPE = "Tunnel::SOCKS";

    private static final String[] V5_STATUS = {"succeeded", "general SOCKS server failure",
        "connection not allowed by ruleset", "Network unreachable", "Host unreachable", "Connection refused",
        "TTL expired", "Command not supported", "Address type not supported"};

    private final AnalyzerContext ctx;
    private boolean origDone;
    private boolean respDone;
    /** binpac's SetSkip: a fatal request error; nothing more is parsed. */
    private boolean skip;
    private boolean confirmed;
    private boolean violated;
    private Analyzer child;
    private boolean childAsked;

    // connection-wide binpac state of socks-protocol.pac
    private boolean v5InAuthSubNegotiation;
    private boolean v5Authenticated;
    private int v5AuthMethod = 255;

    // c$socks (set_session): null until the first event
    private LogRecord record;

    public SocksAnalyzer(AnalyzerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (ctx.partial()) {
            return; // punt on partial, as Zeek
        }
        if (origDone && respDone) {
            if (!childAsked) {
                childAsked = true;
                child = ctx.childDetection();
            }
            if (child != null) {
                child.onStream(isOrig, data, offset, length);
            }
            return;
        }
        if (skip || length <= 0) {
            return;
        }
        message(isOrig, data, offset, length);
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        if (child != null) {
            child.onGap(isOrig, length);
        }
    }

    @Override
    public void onEndOfStream(boolean isOrig) {
        if (child != null) {
            child.onEndOfStream(isOrig);
        }
    }

    @Override
    public void onConnectionDone() {
        if (child != null) {
            child.onConnectionDone();
        }
        if (record != null && confirmed && !violated) {
            ctx.log(record);
            record = null;
        }
    }

    // ------------------------------------------------------------------ binpac SOCKS_Message

    private void message(boolean isOrig, MemorySegment d, long off, int len) {
        if (v5InAuthSubNegotiation) {
            authMessage(isOrig, d, off, len);
            return;
        }
        int version = u8(d, off);
        switch (version) {
            case 4 -> {
                if (isOrig) {
                    socks4Request(d, off + 1, len - 1);
                } else {
                    socks4Reply(d, off + 1, len - 1);
                }
            }
            case 5 -> {
                if (!v5Authenticated) {
                    if (isOrig) {
                        // SOCKS5_Auth_Negotiation_Request: method_count, methods
                        if (len < 2 || len < 2 + u8(d, off + 1)) {
                            outOfBound("SOCKS5_Auth_Negotiation_Request");
                        }
                    } else if (len < 2) {
                        outOfBound("SOCKS5_Auth_Negotiation_Reply");
                    } else {
                        int method = u8(d, off + 1);
                        v5InAuthSubNegotiation = method != 0 && method != 0xff;
                        v5Authenticated = true;
                        v5AuthMethod = method;
                    }
                } else if (isOrig) {
                    socks5Request(d, off + 1, len - 1);
                } else {
                    socks5Reply(d, off + 1, len - 1);
                }
            }
            default -> violation("unsupported/unknown SOCKS version " + version);
        }
    }

    /** SOCKS4_Request after the version byte: command, port, addr, user\0 [name\0 for v4a]. */
    private void socks4Request(MemorySegment d, long off, int len) {
        if (len < 7) {
            outOfBound("SOCKS4_Request");
            return;
        }
        int port = u16(d, off + 1);
        long addr = d.get(U32, off + 3) & 0xffffffffL;
        int userEnd = indexOfNul(d, off + 7, len - 7);
        if (userEnd < 0) {
            outOfBound("SOCKS4_Request:user");
            return;
        }
        boolean v4a = addr <= 0xff;
        byte[] name = null;
        if (v4a) {
            long nameOff = off + 7 + userEnd + 1;
            int nameEnd = indexOfNul(d, nameOff, (int) (off + len - nameOff));
            if (nameEnd < 0) {
                outOfBound("SOCKS4_Request:name");
                return;
            }
            name = bytes(d, nameOff, nameEnd);
        }
        LogRecord r = session(4);
        r.set("request.host", ipv4(addr));
        r.set("request.name", name);
        r.set("request_p", port);
        ctx.registerTunnel(TUNNEL_TYPE);
        origDone = true;
    }

    /** SOCKS4_Reply after the version byte: zero, status, port, addr. */
    private void socks4Reply(MemorySegment d, long off, int len) {
        if (len < 8) {
            outOfBound("SOCKS4_Reply");
            return;
        }
        int status = u8(d, off + 1);
        int port = u16(d, off + 2);
        long addr = d.get(U32, off + 4) & 0xffffffffL;
        LogRecord r = session(4);
        r.set("status", v4Status(status));
        r.set("bound.host", ipv4(addr));
        r.set("bound.name", null);
        r.set("bound_p", port);
        confirm();
        respDone = true;
    }

    /** SOCKS5_Request after the version byte: command, reserved, address, port. */
    private void socks5Request(MemorySegment d, long off, int len) {
        int end = addressEnd(d, off + 2, len - 2);
        if (len < 2 || end < 0 || end + 2 > len - 2) {
            outOfBound("SOCKS5_Request");
            return;
        }
        int command = u8(d, off);
        int reserved = u8(d, off + 1);
        if (reserved != 0) {
            violation("invalid value in reserved field: " + reserved);
            skip = true;
            return;
        }
        if (command == 0 || command > 3) {
            violation("undefined value in command field: " + command);
            skip = true;
            return;
        }
        int type = u8(d, off + 2);
        if (type != 1 && type != 3 && type != 4) {
            violation("invalid SOCKSv5 addr type: " + type);
            return;
        }
        LogRecord r = session(5);
        setAddress(r, "request.host", "request.name", d, off + 2);
        r.set("request_p", u16(d, off + 2 + end));
        ctx.registerTunnel(TUNNEL_TYPE);
        origDone = true;
    }

    /** SOCKS5_Reply after the version byte: reply, reserved, bound address, port. */
    private void socks5Reply(MemorySegment d, long off, int len) {
        int end = addressEnd(d, off + 2, len - 2);
        if (len < 2 || end < 0 || end + 2 > len - 2) {
            outOfBound("SOCKS5_Reply");
            return;
        }
        int reply = u8(d, off);
        int type = u8(d, off + 2);
        if (type != 1 && type != 3 && type != 4) {
            violation("invalid SOCKSv5 addr type: " + type);
            return;
        }
        LogRecord r = session(5);
        r.set("status", v5Status(reply));
        setAddress(r, "bound.host", "bound.name", d, off + 2);
        r.set("bound_p", u16(d, off + 2 + end));
        confirm();
        respDone = true;
    }

    /** SOCKS5_Auth_Message: the sub-negotiation of the selected method (only user/password parsed). */
    private void authMessage(boolean isOrig, MemorySegment d, long off, int len) {
        if (v5AuthMethod != 2) {
            ctx.weird("socks5_unsupported_authentication_method", Integer.toString(v5AuthMethod));
        } else if (len < 1) {
            outOfBound("SOCKS5_Auth_Request_UserPass");
        } else {
            int version = u8(d, off);
            if (version != 1) {
                ctx.weird("socks5_unsupported_authentication", "method " + v5AuthMethod + ", version " + version);
            } else if (isOrig) {
                int ulen = len >= 2 ? u8(d, off + 1) : -1;
                int plen = ulen >= 0 && len >= 3 + ulen ? u8(d, off + 2 + ulen) : -1;
                if (plen < 0 || len < 3 + ulen + plen) {
                    outOfBound("SOCKS5_Auth_Request_UserPass_v1");
                } else {
                    // socks_login_userpass_request; the password is only kept with capture_password (off)
                    session(5).set("user", bytes(d, off + 2, ulen));
                }
            } else if (len < 2) {
                outOfBound("SOCKS5_Auth_Reply_UserPass_v1");
            } else {
                session(5).set("status", v5Status(u8(d, off + 1)));
            }
        }
        if (!isOrig) {
            v5InAuthSubNegotiation = false;
        }
    }

    /** Offset after a SOCKS5_Address at {@code off} (relative to it), or -1 when it is cut short. */
    private static int addressEnd(MemorySegment d, long off, int len) {
        if (len < 1) {
            return -1;
        }
        int need = switch (u8(d, off)) {
            case 1 -> 5;
            case 3 -> len >= 2 ? 2 + u8(d, off + 1) : -1;
            case 4 -> 17;
            default -> len; // err: &restofdata, then the port runs out of bound
        };
        return need < 0 || need > len ? -1 : need;
    }

    private static void setAddress(LogRecord r, String host, String name, MemorySegment d, long off) {
        switch (u8(d, off)) {
            case 1 -> r.set(host, ipv4(d.get(U32, off + 1) & 0xffffffffL));
            case 3 -> r.set(name, bytes(d, off + 2, u8(d, off + 1)));
            default -> r.set(host, ipv6(d, off + 1));
        }
    }

    private LogRecord session(int version) {
        if (record == null) {
            record = new LogRecord(ctx.schema(SocksLog.SCHEMA));
            ctx.setConnectionId(record);
            record.set("ts", ctx.networkTime());
            record.set("version", (long) version);
        }
        return record;
    }

    private void confirm() {
        confirmed = true;
        ctx.confirm();
    }

    private void violation(String reason) {
        violated = true;
        ctx.violation(reason);
    }

    private void outOfBound(String where) {
        violation("Binpac exception: binpac exception: out_of_bound: " + where);
    }

    static String v5Status(int code) {
        return code < V5_STATUS.length ? V5_STATUS[code] : "unknown-" + code;
    }

    static String v4Status(int code) {
        return switch (code) {
            case 0x5a -> "succeeded";
            case 0x5b -> "general SOCKS server failure";
            case 0x5c -> "request failed because client is not running identd";
            case 0x5d -> "request failed because client's identd could not confirm the user ID string in the request";
            default -> "unknown-" + code;
        };
    }

    private static int u8(MemorySegment d, long off) {
        return d.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    private static int u16(MemorySegment d, long off) {
        return d.get(U16, off) & 0xffff;
    }

    private static int indexOfNul(MemorySegment d, long off, int len) {
        for (int i = 0; i < len; i++) {
            if (d.get(ValueLayout.JAVA_BYTE, off + i) == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(MemorySegment d, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(d, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return b;
    }

    static String ipv4(long a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** Zeek's text of a 16-byte address: IPv4-mapped dotted, else inet_ntop's compressed form. */
    static String ipv6(MemorySegment d, long off) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = u16(d, off + 2L * i);
        }
        if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
            return ipv4(((long) w[6] << 16) | w[7]);
        }
        int best = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            best = -1;
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
