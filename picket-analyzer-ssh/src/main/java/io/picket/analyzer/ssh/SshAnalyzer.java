package io.picket.analyzer.ssh;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SSH analyzer of one TCP connection: Zeek's binpac SSH analyzer
 * ({@code src/analyzer/protocol/ssh/}) and the {@code ssh.log} script
 * ({@code scripts/base/protocols/ssh/main.zeek}) in one state machine.
 *
 * <p>Per direction it reads the identification line, then the cleartext binary packets of the
 * key exchange (KEXINIT on both sides, the DH/GEX/ECDH/GSS/RSA messages of the negotiated
 * method, NEWKEYS), then only counts encrypted bytes: after NEWKEYS each delivered segment's size
 * feeds Zeek's authentication heuristic (the size of the encrypted SERVICE_ACCEPT, USERAUTH_FAILURE
 * and USERAUTH_SUCCESS messages). The record is written when authentication succeeds, otherwise
 * when the connection is removed ({@link #onConnectionDone()}).
 *
 * <p>Wire format of an SSH2 binary packet (RFC 4253 section 6):
 * <pre>
 *   0                   1                   2                   3
 *  +-------+-------+-------+-------+-------+-------+---------------+
 *  |        packet_length          |pad_len|msg_typ| payload ...   |
 *  +-------+-------+-------+-------+-------+-------+---------------+
 *  | ... payload (packet_length - pad_len - 2) | padding (pad_len) |
 *  +-------------------------------------------+-------------------+
 * </pre>
 *
 * <p>Limits (bad or oversized input is a weird or a violation, never an exception):
 * <table>
 *   <caption>Buffers kept per direction</caption>
 *   <tr><th>what</th><th>limit</th><th>when exceeded</th></tr>
 *   <tr><td>identification line</td><td>{@value #MAX_LINE} bytes</td>
 *       <td>weird {@code ssh_banner_too_long}, the direction is no longer parsed</td></tr>
 *   <tr><td>cleartext binary packet</td><td>{@value #MAX_FRAME} bytes</td>
 *       <td>weird {@code ssh_packet_too_large}, the packet is skipped unparsed</td></tr>
 * </table>
 *
 * <p>Owned by the shard thread of the connection; not thread-safe. Allocates only while the
 * cleartext handshake is parsed (a few short-lived objects per connection) and for the log record.
 */
public final class SshAnalyzer implements Analyzer {

    /** Longest identification line buffered. */
    static final int MAX_LINE = 64 * 1024;
    /** Longest cleartext binary packet buffered. */
    static final int MAX_FRAME = 256 * 1024;

    // binpac "version" enum (consts.pac)
    static final int SSH1 = 1;
    static final int SSH2 = 2;
    static final int UNK = 3;
    static final int SSH199 = 4;

    // binpac "state" enum (consts.pac)
    static final int VERSION_EXCHANGE = 0;
    static final int KEX_INIT = 1;
    static final int KEX_DH_GEX = 2;
    static final int KEX_DH = 3;
    static final int KEX_ECC = 4;
    static final int KEX_GSS = 5;
    static final int KEX_RSA = 6;
    static final int ENCRYPTED = 7;

    private static final int MSG_NEWKEYS = 21;
    private static final int SSH_SMSG_PUBLIC_KEY = 2;
    private static final int SSH_CMSG_SESSION_KEY = 3;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final byte[] ZLIB = bytes("zlib");
    private static final byte[] ZLIB_OPENSSH = bytes("zlib@openssh.com");

    private final AnalyzerContext ctx;
    private final Flow orig = new Flow(true);
    private final Flow resp = new Flow(false);

    // --- binpac connection state (ssh-protocol.pac SSH_Conn)
    private int version = UNK;
    private int versionClient = UNK;
    private int versionServer = UNK;
    private int encryptedBytesInSegment;
    private boolean kexSeen;
    private boolean kexOrig;
    private byte[] kexAlgsCache;

    // --- C++ analyzer state (SSH.cc)
    private boolean hadGap;
    private boolean authDecisionMade;
    private boolean skippedBanner;
    private boolean sawEncryptedClientData;
    private int serviceAcceptSize;
    private int userauthFailureSize;
    /** Set after a violation: Zeek removes the analyzer, nothing more is parsed. */
    private boolean disabled;
    private boolean confirmed;

    // --- script state (c$ssh)
    private boolean session;
    private boolean logged;
    private double ts;
    private String direction;
    private int logVersion = -1;
    private Boolean authSuccess;
    private long authAttempts;
    private byte[] client;
    private byte[] server;
    private byte[] cipherAlg;
    private byte[] macAlg;
    private byte[] compressionAlg;
    private byte[] kexAlg;
    private byte[] hostKeyAlg;
    private String hostKeyFingerprint;
    /** The first KEXINIT's algorithm lists (script's c$ssh$capabilities). */
    private byte[][][] capabilities;
    private boolean capabilitiesFromServer;

    // --- reader over the packet being parsed (reused; no allocation)
    private MemorySegment rs;
    private long rpos;
    private long rend;
    private String failure;

    /** Creates the analyzer of one connection; called by {@link SshProvider} on the shard thread. */
    public SshAnalyzer(AnalyzerContext ctx) {
        this.ctx = ctx;
    }

    /** Per-direction parsing state (binpac flow + FlowBuffer). */
    private static final class Flow {
        final boolean isOrig;
        int state = VERSION_EXCHANGE;
        /** The identification line ended with CR: a following LF is skipped (binpac CR_OR_LF_1). */
        boolean skipLf;
        /** Identification line over the limit: this direction is no longer parsed. */
        boolean dead;
        byte[] buf;
        int bufLen;
        /** Total length of the packet being assembled, -1 until its length field is known. */
        int frameLen = -1;
        /** Bytes of an oversized packet still to skip. */
        long skip;

        Flow(boolean isOrig) {
            this.isOrig = isOrig;
        }
    }

    // ------------------------------------------------------------------ Analyzer

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (disabled || hadGap || length <= 0 || ctx.partial()) {
            // Zeek's SSH analyzer ignores connections picked up mid-stream (TCP()->IsPartial()).
            return;
        }
        Flow f = isOrig ? orig : resp;
        if (f.state == ENCRYPTED) {
            processEncryptedSegment(length, isOrig);
            return;
        }
        encryptedBytesInSegment = 0;
        parseStream(f, data, offset, offset + length);
        if (encryptedBytesInSegment > 0) {
            // the direction became encrypted inside this segment: count only the encrypted part
            processEncryptedSegment(encryptedBytesInSegment, isOrig);
        }
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        // SSH.cc Undelivered: after a content gap in either direction nothing more is analyzed
        hadGap = true;
    }

    @Override
    public void onConnectionDone() {
        // finalize_ssh: whatever was not logged yet (failures, undecided, partial handshakes)
        if (session && !logged) {
            write();
        }
    }

    // ------------------------------------------------------------------ stream parsing

    private void parseStream(Flow f, MemorySegment data, long pos, long end) {
        while (pos < end && !disabled) {
            if (f.state == ENCRYPTED) {
                encryptedBytesInSegment += (int) (end - pos);
                return;
            }
            if (f.dead) {
                return;
            }
            if (f.skip > 0) {
                long n = Math.min(f.skip, end - pos);
                f.skip -= n;
                pos += n;
                continue;
            }
            if (f.state == VERSION_EXCHANGE) {
                pos = parseLine(f, data, pos, end);
                continue;
            }
            if (f.skipLf) {
                f.skipLf = false;
                if (data.get(ValueLayout.JAVA_BYTE, pos) == '\n') {
                    pos++;
                    continue;
                }
            }
            pos = parseFrame(f, data, pos, end);
        }
    }

    /** Reads the identification line (binpac {@code &oneline}: ends at CR or LF). */
    private long parseLine(Flow f, MemorySegment data, long pos, long end) {
        long term = -1;
        byte tb = 0;
        for (long i = pos; i < end; i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, i);
            if (b == '\r' || b == '\n') {
                term = i;
                tb = b;
                break;
            }
        }
        if (term < 0) {
            if (!append(f, data, pos, (int) (end - pos), MAX_LINE)) {
                f.dead = true;
                f.buf = null;
                f.bufLen = 0;
                ctx.weird("ssh_banner_too_long", null);
            }
            return end;
        }
        int n = (int) (term - pos);
        if (f.bufLen + (long) n > MAX_LINE) {
            f.dead = true;
            f.buf = null;
            f.bufLen = 0;
            ctx.weird("ssh_banner_too_long", null);
            return end;
        }
        byte[] line = new byte[f.bufLen + n];
        if (f.bufLen > 0) {
            System.arraycopy(f.buf, 0, line, 0, f.bufLen);
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, line, f.bufLen, n);
        f.bufLen = 0;
        f.buf = null;
        f.skipLf = tb == '\r';
        onVersionLine(f, line);
        return term + 1;
    }

    /** Assembles one binary packet (binpac SSH_Key_Exchange) and parses it once complete. */
    private long parseFrame(Flow f, MemorySegment data, long pos, long end) {
        if (f.frameLen < 0) {
            if (f.bufLen + (end - pos) < 4) {
                append(f, data, pos, (int) (end - pos), MAX_FRAME);
                return end;
            }
            long pl = 0;
            for (int i = 0; i < 4; i++) {
                int b = i < f.bufLen ? f.buf[i] : data.get(ValueLayout.JAVA_BYTE, pos + i - f.bufLen);
                pl = (pl << 8) | (b & 0xff);
            }
            f.frameLen = kexLength(pl);
            if (f.frameLen > MAX_FRAME) {
                ctx.weird("ssh_packet_too_large", Long.toString(pl));
                f.skip = f.frameLen - f.bufLen;
                f.frameLen = -1;
                f.bufLen = 0;
                return pos;
            }
        }
        int need = f.frameLen - f.bufLen;
        if (f.bufLen == 0 && end - pos >= need) {
            int len = f.frameLen;
            f.frameLen = -1;
            parsePacket(f, data, pos, len);
            return pos + need;
        }
        int n = (int) Math.min(need, end - pos);
        append(f, data, pos, n, MAX_FRAME);
        pos += n;
        if (f.bufLen == f.frameLen) {
            int len = f.frameLen;
            byte[] frame = f.buf;
            f.frameLen = -1;
            f.bufLen = 0;
            parsePacket(f, MemorySegment.ofArray(frame), 0, len);
        }
        return pos;
    }

    /** binpac {@code get_kex_length}: total packet size for the connection's version. */
    private int kexLength(long packetLength) {
        long t = switch (version) {
            case SSH1 -> (packetLength + 4 + 8 - (packetLength % 8)) & 0xffffffffL;
            case SSH2 -> (packetLength + 4) & 0xffffffffL;
            default -> 1;
        };
        int len = (int) t; // C's uint32 -> int conversion
        return Math.max(len, 4); // a frame never shrinks below the length field
    }

    private static boolean append(Flow f, MemorySegment data, long pos, int n, int cap) {
        if (n <= 0) {
            return true;
        }
        int want = f.bufLen + n;
        if (want > cap) {
            return false;
        }
        if (f.buf == null || f.buf.length < want) {
            int size = Math.max(want, f.buf == null ? 256 : f.buf.length * 2);
            f.buf = Arrays.copyOf(f.buf == null ? new byte[0] : f.buf, Math.min(size, cap));
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, f.buf, f.bufLen, n);
        f.bufLen = want;
        return true;
    }

    // ------------------------------------------------------------------ packets

    private void parsePacket(Flow f, MemorySegment seg, long base, int frameLen) {
        rs = seg;
        rpos = base + 4;
        rend = base + frameLen;
        failure = null;
        long packetLength = seg.get(U32, base) & 0xffffffffL;
        switch (version) {
            case SSH1 -> parseSsh1(f, packetLength);
            case SSH2 -> parseSsh2(f, packetLength);
            default -> failure = "invalid index for case: SSH_Key_Exchange: " + version;
        }
        rs = null;
        if (failure != null) {
            violation(failure);
        }
    }

    /** SSH1_Key_Exchange: padding, type, SMSG_PUBLIC_KEY or CMSG_SESSION_KEY, crc. */
    private void parseSsh1(Flow f, long packetLength) {
        int padFill = (int) (8 - packetLength % 8);
        if (!skip(padFill, "SSH1_Key_Exchange:pad_fill")) {
            return;
        }
        int msgType = u8("SSH1_Key_Exchange:msg_type");
        if (msgType < 0) {
            return;
        }
        long length = (packetLength - 5) & 0xffffffffL;
        long start = rpos;
        switch (msgType) {
            case SSH_SMSG_PUBLIC_KEY -> {
                if (!fits(length, "SSH1_PUBLIC_KEY")
                        || !skip(8 + 4, "SSH1_PUBLIC_KEY")
                        || !mpInt("SSH1_PUBLIC_KEY:server_key_exp")
                        || !mpInt("SSH1_PUBLIC_KEY:server_key_mod")
                        || !skip(4, "SSH1_PUBLIC_KEY:host_key")) {
                    return;
                }
                long expPos = rpos;
                if (!mpInt("SSH1_PUBLIC_KEY:host_key_exp")) {
                    return;
                }
                long modPos = rpos;
                if (!mpInt("SSH1_PUBLIC_KEY:host_key_mod")
                        || !skip(12, "SSH1_PUBLIC_KEY")) {
                    return;
                }
                if (ctx.wantsSeen()) {
                    seenSsh1HostKey(expPos, modPos);
                }
            }
            case SSH_CMSG_SESSION_KEY -> {
                if (!fits(length, "SSH1_SESSION_KEY")
                        || !skip(1 + 8, "SSH1_SESSION_KEY")
                        || !mpInt("SSH1_SESSION_KEY:session_key")
                        || !skip(4, "SSH1_SESSION_KEY:flags")) {
                    return;
                }
            }
            default -> {
                failure = "invalid index for case: SSH1_Message: " + msgType;
                return;
            }
        }
        // SSH1_Message &let: the direction is encrypted from now on; the session key confirms
        f.state = ENCRYPTED;
        if (msgType == SSH_CMSG_SESSION_KEY) {
            confirm();
        }
        rpos = start + length;
        skip(4, "SSH1_Key_Exchange:crc");
    }

    private boolean mpInt(String where) {
        if (!need(2, where)) {
            return false;
        }
        int bits = rs.get(U16, rpos) & 0xffff;
        rpos += 2;
        return skip((bits + 7) / 8, where);
    }

    /** SSH2_Key_Exchange: header, the message of the direction's state, padding. */
    private void parseSsh2(Flow f, long packetLength) {
        if (!need(2, "SSH2_Header")) {
            return;
        }
        int padLen = rs.get(ValueLayout.JAVA_BYTE, rpos) & 0xff;
        int msgType = rs.get(ValueLayout.JAVA_BYTE, rpos + 1) & 0xff;
        rpos += 2;
        long payloadLength = (packetLength - padLen - 2) & 0xffffffffL;
        if (msgType == MSG_NEWKEYS) {
            f.state = ENCRYPTED; // SSH2_Header &let detach, before the payload is dispatched
        }
        long start = rpos;
        long size = payloadLength; // size of the message: its &length, or what it parsed
        switch (f.state) {
            case KEX_INIT -> {
                if (!parseKexinit(f.isOrig, payloadLength)) {
                    return;
                }
            }
            case KEX_DH_GEX -> {
                switch (msgType) {
                    case 30 -> { // SSH_MSG_KEX_DH_GEX_REQUEST_OLD
                        size = 4;
                        if (!fits(4, "SSH2_DH_GEX_REQUEST_OLD")) {
                            return;
                        }
                    }
                    case 31 -> { // SSH_MSG_KEX_DH_GEX_GROUP
                        if (!fits(payloadLength, "SSH2_DH_GEX_GROUP") || !string("SSH2_DH_GEX_GROUP:p")
                                || !string("SSH2_DH_GEX_GROUP:g")) {
                            return;
                        }
                    }
                    case 32 -> { // SSH_MSG_KEX_DH_GEX_INIT
                        if (!fits(payloadLength, "SSH2_DH_GEX_INIT") || !string("SSH2_DH_GEX_INIT:e")) {
                            return;
                        }
                    }
                    case 33 -> { // SSH_MSG_KEX_DH_GEX_REPLY
                        if (!fits(payloadLength, "SSH2_DH_GEX_REPLY") || !reply("SSH2_DH_GEX_REPLY")) {
                            return;
                        }
                    }
                    case 34 -> { // SSH_MSG_KEX_DH_GEX_REQUEST
                        size = 12;
                        if (!fits(12, "SSH2_DH_GEX_REQUEST")) {
                            return;
                        }
                    }
                    default -> {
                        if (!fits(payloadLength, "SSH2_Key_Exchange_DH_GEX_Message:unknown")) {
                            return;
                        }
                    }
                }
            }
            case KEX_DH -> {
                switch (msgType) {
                    case 30 -> { // SSH_MSG_KEXDH_INIT
                        if (!fits(payloadLength, "SSH2_DH_GEX_INIT") || !string("SSH2_DH_GEX_INIT:e")) {
                            return;
                        }
                    }
                    case 31 -> { // SSH_MSG_KEXDH_REPLY
                        if (!fits(payloadLength, "SSH2_DH_GEX_REPLY") || !reply("SSH2_DH_GEX_REPLY")) {
                            return;
                        }
                    }
                    default -> {
                        if (!fits(payloadLength, "SSH2_Key_Exchange_DH_Message:unknown")) {
                            return;
                        }
                    }
                }
            }
            case KEX_ECC -> {
                // SSH2_ECC_INIT/REPLY carry no &length: their size is what they parse
                switch (msgType) {
                    case 30 -> { // SSH_MSG_KEX_ECDH_INIT
                        if (!string("SSH2_ECC_INIT:q_c")) {
                            return;
                        }
                    }
                    case 31 -> { // SSH_MSG_KEX_ECDH_REPLY
                        if (!reply("SSH2_ECC_REPLY")) {
                            return;
                        }
                    }
                    default -> {
                        failure = "invalid index for case: SSH2_Key_Exchange_ECC_Message: " + msgType;
                        return;
                    }
                }
                size = rpos - start;
            }
            case KEX_GSS -> {
                if (!parseGss(msgType, payloadLength)) {
                    return;
                }
                if (msgType == 40) {
                    size = 12;
                }
            }
            case KEX_RSA -> {
                boolean ok = switch (msgType) {
                    case 30 -> fits(payloadLength, "SSH2_RSA_PUBKEY") && string("SSH2_RSA_PUBKEY:k_s")
                            && string("SSH2_RSA_PUBKEY:k_t");
                    case 31 -> fits(payloadLength, "SSH2_RSA_SECRET") && string("SSH2_RSA_SECRET:encrypted_payload");
                    case 32 -> fits(payloadLength, "SSH2_RSA_DONE") && string("SSH2_RSA_DONE:signature");
                    default -> {
                        failure = "invalid index for case: SSH2_Key_Exchange_RSA_Message: " + msgType;
                        yield false;
                    }
                };
                if (!ok) {
                    return;
                }
            }
            default -> { // ENCRYPTED (NEWKEYS) and anything else: payload kept as unknown bytes
                if (!fits(payloadLength, "SSH2_Message:unknown")) {
                    return;
                }
            }
        }
        if (msgType == MSG_NEWKEYS) {
            confirm(); // SSH2_Message &let proc_newkeys
        }
        rpos = start + size;
        skip(padLen, "SSH2_Key_Exchange:pad");
    }

    private boolean parseGss(int msgType, long payloadLength) {
        return switch (msgType) {
            case 30 -> fits(payloadLength, "SSH2_GSS_INIT") && string("SSH2_GSS_INIT:output_token")
                    && string("SSH2_GSS_INIT:e");
            case 31 -> fits(payloadLength, "SSH2_GSS_CONTINUE") && string("SSH2_GSS_CONTINUE:output_token");
            case 32 -> {
                if (!fits(payloadLength, "SSH2_GSS_COMPLETE") || !string("SSH2_GSS_COMPLETE:f")
                        || !string("SSH2_GSS_COMPLETE:per_msg_token")) {
                    yield false;
                }
                int haveToken = u8("SSH2_GSS_COMPLETE:have_token");
                yield haveToken == 0 || (haveToken > 0 && string("SSH2_GSS_COMPLETE:token"));
            }
            case 33 -> {
                if (!fits(payloadLength, "SSH2_GSS_HOSTKEY") || !string("SSH2_GSS_HOSTKEY:k_s")) {
                    yield false;
                }
                hostKey(rpos - strLen, strLen);
                yield true;
            }
            case 34 -> fits(payloadLength, "SSH2_GSS_ERROR") && skip(8, "SSH2_GSS_ERROR")
                    && string("SSH2_GSS_ERROR:message") && string("SSH2_GSS_ERROR:language");
            case 40 -> fits(12, "SSH2_DH_GEX_REQUEST");
            case 41 -> fits(payloadLength, "SSH2_DH_GEX_GROUP") && string("SSH2_DH_GEX_GROUP:p")
                    && string("SSH2_DH_GEX_GROUP:g");
            default -> {
                failure = "invalid index for case: SSH2_Key_Exchange_GSS_Message: " + msgType;
                yield false;
            }
        };
    }

    /** K_S, f or Q_S, signature: the host key of a (EC)DH reply. */
    private boolean reply(String type) {
        if (!string(type + ":k_s")) {
            return false;
        }
        long keyPos = rpos - strLen;
        int keyLen = strLen;
        if (!string(type + ":f") || !string(type + ":signature")) {
            return false;
        }
        hostKey(keyPos, keyLen);
        return true;
    }

    /** SSH2_KEXINIT: cookie, ten name-lists, first_kex_packet_follows, reserved. */
    private boolean parseKexinit(boolean isOrig, long length) {
        if (!fits(length, "SSH2_KEXINIT") || !skip(16, "SSH2_KEXINIT:cookie")) {
            return false;
        }
        long[] pos = new long[10];
        int[] len = new int[10];
        for (int i = 0; i < 10; i++) {
            if (!string("SSH2_KEXINIT:name_list")) {
                return false;
            }
            pos[i] = rpos - strLen;
            len[i] = strLen;
        }
        if (!skip(1 + 4, "SSH2_KEXINIT")) {
            return false;
        }
        byte[][][] lists = new byte[8][][];
        byte[] kexRaw = null;
        for (int i = 0; i < 8; i++) {
            byte[] raw = new byte[len[i]];
            MemorySegment.copy(rs, ValueLayout.JAVA_BYTE, pos[i], raw, 0, len[i]);
            if (i == 0) {
                kexRaw = raw;
            }
            lists[i] = NameLists.split(raw);
        }
        updateKex(kexRaw, isOrig);
        onCapabilities(lists, !isOrig);
        return true;
    }

    // ------------------------------------------------------------------ reader

    private int strLen;

    private boolean need(long n, String where) {
        if (n < 0 || rpos + n > rend) {
            failure = "out_of_bound: " + where + ": " + n + " > " + Math.max(0, rend - rpos);
            return false;
        }
        return true;
    }

    /** A record with {@code &length}: its whole length must lie in the packet. */
    private boolean fits(long n, String where) {
        return need(n, where);
    }

    private boolean skip(long n, String where) {
        if (!need(n, where)) {
            return false;
        }
        rpos += n;
        return true;
    }

    private int u8(String where) {
        if (!need(1, where)) {
            return -1;
        }
        return rs.get(ValueLayout.JAVA_BYTE, rpos++) & 0xff;
    }

    /** ssh_string: uint32 length and bytes; leaves the bytes at {@code rpos - strLen}. */
    private boolean string(String where) {
        if (!need(4, where)) {
            return false;
        }
        long n = rs.get(U32, rpos) & 0xffffffffL;
        rpos += 4;
        if (!need(n, where)) {
            return false;
        }
        rpos += n;
        strLen = (int) n;
        return true;
    }

    // ------------------------------------------------------------------ binpac connection logic

    /** update_version: the protocol version both sides speak (1.99 is compatible with both). */
    private void updateVersion(byte[] v, boolean isOrig) {
        if (v.length >= 5) {
            if (v[4] == '2') {
                if (isOrig) {
                    versionClient = SSH2;
                } else {
                    versionServer = SSH2;
                }
            }
            if (v[4] == '1') {
                int side = v.length >= 8 && v[6] == '9' && v[7] == '9' ? SSH199 : SSH1;
                if (isOrig) {
                    versionClient = side;
                } else {
                    versionServer = side;
                }
            }
        }
        if (versionServer == versionClient) {
            version = versionServer == SSH199 ? SSH2 : versionServer;
        } else if ((versionClient == SSH1 && versionServer == SSH2)
                || (versionClient == SSH2 && versionServer == SSH1)) {
            version = UNK;
        } else if ((versionClient == SSH199 && versionServer == SSH2)
                || (versionClient == SSH2 && versionServer == SSH199)) {
            version = SSH2;
        } else if ((versionClient == SSH1 && versionServer == SSH199)
                || (versionClient == SSH199 && versionServer == SSH1)) {
            version = SSH1;
        }
    }

    /** update_kex: after both KEXINITs, the key exchange method decides how replies parse. */
    private void updateKex(byte[] algs, boolean isOrig) {
        if (!kexSeen) {
            kexSeen = true;
            kexOrig = isOrig;
            kexAlgsCache = algs;
            return;
        }
        if (kexOrig == isOrig) {
            return;
        }
        byte[][] clientList = NameLists.split(isOrig ? algs : kexAlgsCache);
        byte[][] serverList = NameLists.split(isOrig ? kexAlgsCache : algs);
        for (byte[] c : clientList) {
            for (byte[] s : serverList) {
                if (Arrays.equals(c, s)) {
                    int state = kexState(new String(c, StandardCharsets.ISO_8859_1));
                    if (state < 0) {
                        ctx.weird("ssh_unknown_kex_algorithm", new String(c, StandardCharsets.ISO_8859_1));
                    } else {
                        orig.state = state;
                        resp.state = state;
                    }
                    return;
                }
            }
        }
    }

    /** The parsing state of a negotiated key exchange method, or -1 if Zeek does not know it. */
    static int kexState(String kex) {
        switch (kex) {
            case "rsa1024-sha1", "rsa2048-sha256" -> {
                return KEX_RSA;
            }
            case "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group14-sha256",
                 "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512" -> {
                return KEX_DH;
            }
            case "diffie-hellman-group-exchange-sha1", "diffie-hellman-group-exchange-sha256" -> {
                return KEX_DH_GEX;
            }
            case "ecmqv-sha2", "mlkem768x25519-sha256", "mlkem768nistp256-sha256", "mlkem1024nistp384-sha384" -> {
                return KEX_ECC;
            }
            default -> {
                if (kex.startsWith("gss-")) {
                    return KEX_GSS;
                }
                if (kex.startsWith("ecdh-sha2-") || kex.startsWith("curve25519-sha256")
                        || kex.startsWith("sntrup761x25519-sha512")) {
                    return KEX_ECC;
                }
                return -1;
            }
        }
    }

    private void confirm() {
        if (!confirmed) {
            confirmed = true;
            ctx.confirm();
        }
        // analyzer_confirmation_info: set_session (already done by the version events)
        setSession();
    }

    /**
     * AnalyzerViolation: Zeek removes the analyzer, so no event changes the record any more. Zeek
     * writes it when the connection goes away (the record lives on the connection); the engine
     * does not call {@link #onConnectionDone()} for a removed analyzer, so it is written now.
     */
    private void violation(String reason) {
        disabled = true;
        ctx.violation("Binpac exception: binpac exception: " + reason);
        if (session && !logged) {
            write();
        }
    }

    // ------------------------------------------------------------------ encrypted traffic

    private void processEncryptedSegment(int len, boolean isOrig) {
        if (!authDecisionMade) {
            processEncrypted(len, isOrig);
        }
    }

    /** SSH.cc ProcessEncrypted: guesses the authentication outcome from encrypted packet sizes. */
    private void processEncrypted(int len, boolean isOrig) {
        if (version != SSH2) {
            return;
        }
        if (isOrig) {
            sawEncryptedClientData = true;
            return;
        }
        // server data before any encrypted client data is ignored
        if (!sawEncryptedClientData) {
            return;
        }
        // first: SERVICE_ACCEPT, of fixed decrypted size
        if (serviceAcceptSize == 0) {
            serviceAcceptSize = len;
            return;
        }
        // "none" authentication accepted: USERAUTH_SUCCESS is 16 bytes smaller
        if (userauthFailureSize == 0 && len + 16 == serviceAcceptSize) {
            authDecisionMade = true;
            authAttempted(true);
            return;
        }
        // USERAUTH_FAILURE (a much larger packet is a pre-auth banner, skipped once)
        if (userauthFailureSize == 0) {
            if (!skippedBanner && (len - serviceAcceptSize) > 256) {
                skippedBanner = true;
                return;
            }
            userauthFailureSize = len;
            return;
        }
        // another failure of the same size
        if (len == userauthFailureSize) {
            authAttempted(false);
            return;
        }
        // ...or the success packet
        if (len - serviceAcceptSize == -16) {
            authDecisionMade = true;
            authAttempted(true);
        }
    }

    // ------------------------------------------------------------------ script layer (main.zeek)

    /** set_session: starts the log record at the first event of the connection. */
    private void setSession() {
        if (session) {
            return;
        }
        session = true;
        ts = ctx.networkTime();
        boolean origLocal = SiteNets.isLocal(ctx.origHost());
        boolean respLocal = SiteNets.isLocal(ctx.respHost());
        if (origLocal != respLocal) {
            direction = origLocal ? "OUTBOUND" : "INBOUND";
        }
    }

    /**
     * ssh_client_version / ssh_server_version for a line starting with {@code SSH-} (Zeek 7.2+,
     * zeek/zeek#4289). Any other server line is RFC 4253 section 4.2 text before the banner
     * ({@code ssh_server_pre_banner_data}, not logged): the server is still in the version
     * exchange. Any other client line is not SSH: a violation.
     */
    private void onVersionLine(Flow f, byte[] line) {
        if (!isBanner(line)) {
            if (f.isOrig) {
                disabled = true;
                ctx.violation("invalid SSH client banner");
                if (session && !logged) {
                    write();
                }
            }
            return;
        }
        f.state = KEX_INIT;
        updateVersion(line, f.isOrig);
        setSession();
        if (f.isOrig) {
            client = line;
        } else {
            server = line;
        }
        setVersion();
    }

    private static boolean isBanner(byte[] line) {
        return line.length >= 4 && line[0] == 'S' && line[1] == 'S' && line[2] == 'H' && line[3] == '-';
    }

    /** set_version: the log's major version from both identification strings. */
    private void setVersion() {
        logVersion = -1;
        boolean hasServer = server != null && server.length > 0;
        boolean hasClient = client != null && client.length > 0;
        if (!(hasServer && hasClient)) {
            return;
        }
        if (client.length > 4 && server.length > 4) {
            byte c = client[4];
            byte s = server[4];
            if (c == '1' && s == '2') {
                if (is199(client)) {
                    logVersion = 2;
                } else {
                    versionWeird("SSH_version_mismatch");
                }
            } else if (c == '2' && s == '1') {
                if (is199(server)) {
                    logVersion = 2;
                } else {
                    versionWeird("SSH_version_mismatch");
                }
            } else if (c == '1' && s == '1') {
                logVersion = is199(server) && is199(client) ? 2 : 1;
            } else if (c == '2' && s == '2') {
                logVersion = 2;
            }
            return;
        }
        versionWeird("SSH_cannot_determine_version");
    }

    private static boolean is199(byte[] v) {
        return v.length > 7 && v[6] == '9' && v[7] == '9';
    }

    private void versionWeird(String name) {
        ctx.weird(name, latin1(server) + " vs " + latin1(client));
    }

    /** ssh_capabilities: the negotiated algorithms once both KEXINITs were seen. */
    private void onCapabilities(byte[][][] lists, boolean isServer) {
        if (!session || (capabilities != null && capabilitiesFromServer == isServer)) {
            return;
        }
        if (capabilities == null) {
            capabilities = lists;
            capabilitiesFromServer = isServer;
            return;
        }
        byte[][][] c = isServer ? capabilities : lists;
        byte[][][] s = isServer ? lists : capabilities;
        // list order: kex, host key, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s, comp s2c
        cipherAlg = NameLists.findBidirectional(c[2], c[3], s[2], s[3]);
        macAlg = NameLists.findBidirectional(c[4], c[5], s[4], s[5]);
        compressionAlg = NameLists.findBidirectional(c[6], c[7], s[6], s[7]);
        kexAlg = NameLists.find(c[0], s[0]);
        hostKeyAlg = NameLists.find(c[1], s[1]);
    }

    /** ssh_server_host_key: SHA-256 of the host key blob, as Zeek logs it. */
    private void hostKey(long pos, int len) {
        if (ctx.wantsSeen()) {
            seenHostKey(pos, len);
        }
        if (!session) {
            return;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(rs.asSlice(pos, len).asByteBuffer());
            hostKeyFingerprint = fingerprint(md.digest());
        } catch (NoSuchAlgorithmException e) {
            hostKeyFingerprint = null; // every Java platform provides SHA-256
        }
    }

    /**
     * policy/frameworks/intel/seen/pubkey-hashes.zeek: {@code ssh_server_host_key}'s hash (MD5 of
     * the key blob as {@code fingerprint_md5} writes it, colon-separated hex) as an
     * {@code Intel::PUBKEY_HASH}.
     */
    private void seenHostKey(long pos, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(rs.asSlice(pos, len).asByteBuffer());
            ctx.seen(md5Fingerprint(md.digest()), "Intel::PUBKEY_HASH", "SSH::IN_SERVER_HOST_KEY");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform provides MD5
        }
    }

    /** proc_ssh1_server_host_key: MD5 over the host key's modulus then exponent (mpint values). */
    private void seenSsh1HostKey(long expPos, long modPos) {
        int expLen = ((rs.get(U16, expPos) & 0xffff) + 7) / 8;
        int modLen = ((rs.get(U16, modPos) & 0xffff) + 7) / 8;
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(rs.asSlice(modPos + 2, modLen).asByteBuffer());
            md.update(rs.asSlice(expPos + 2, expLen).asByteBuffer());
            ctx.seen(md5Fingerprint(md.digest()), "Intel::PUBKEY_HASH", "SSH::IN_SERVER_HOST_KEY");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform provides MD5
        }
    }

    /** Zeek's {@code fingerprint_md5}: lower-case hex bytes joined by ':'. */
    static String md5Fingerprint(byte[] md5) {
        StringBuilder sb = new StringBuilder(md5.length * 3);
        for (int i = 0; i < md5.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((md5[i] >> 4) & 0xf, 16)).append(Character.forDigit(md5[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /** {@code SHA256:} and the base64 of the first 24 digest bytes (32 characters), as Zeek writes it. */
    static String fingerprint(byte[] sha256) {
        return "SHA256:" + Base64.getEncoder().encodeToString(Arrays.copyOf(sha256, 24));
    }

    /** ssh_auth_attempted (both handlers). */
    private void authAttempted(boolean authenticated) {
        if (session && !(authSuccess != null && authSuccess)
                && !(compressionAlg != null && (Arrays.equals(compressionAlg, ZLIB)
                        || Arrays.equals(compressionAlg, ZLIB_OPENSSH)))) {
            authSuccess = authenticated;
            authAttempts++;
        }
        if (authenticated && session && !logged) {
            write();
        }
    }

    private void write() {
        logged = true;
        LogRecord r = new LogRecord(ctx.schema(SshLog.SCHEMA));
        ctx.setConnectionId(r);
        r.set("ts", ts);
        r.set("version", logVersion < 0 ? null : (Object) (long) logVersion);
        r.set("auth_success", authSuccess);
        r.set("auth_attempts", authAttempts);
        r.set("direction", direction);
        r.set("client", client);
        r.set("server", server);
        r.set("cipher_alg", cipherAlg);
        r.set("mac_alg", macAlg);
        r.set("compression_alg", compressionAlg);
        r.set("kex_alg", kexAlg);
        r.set("host_key_alg", hostKeyAlg);
        r.set("host_key_fingerprint", hostKeyFingerprint);
        ctx.log(r);
    }

    /** Bytes of buffer memory held for partial lines and packets (both directions); for tests. */
    int bufferedCapacity() {
        return (orig.buf == null ? 0 : orig.buf.length) + (resp.buf == null ? 0 : resp.buf.length);
    }

    private static String latin1(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
