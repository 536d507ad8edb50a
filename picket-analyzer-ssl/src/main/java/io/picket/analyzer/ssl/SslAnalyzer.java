package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zeek's SSL analyzer for one TCP connection: the binpac record layer
 * (ssl-protocol.pac, ssl-dtls-protocol.pac, ssl-dtls-analyzer.pac), the handshake layer
 * (tls-handshake-protocol.pac, tls-handshake-analyzer.pac) reassembled across records and
 * segments, and the script state of base/protocols/ssl/main.zeek and files.zeek that builds
 * ssl.log, plus the certificates' x509.log rows. Events are applied in the order Zeek queues
 * them. Used only by the shard thread that owns the connection; never throws.
 */
final class SslAnalyzer implements Analyzer {
    static final int UNKNOWN_VERSION = 0x0000;
    static final int SSLV20 = 0x0002;
    static final int SSLV30 = 0x0300;
    static final int TLSV10 = 0x0301;
    static final int TLSV11 = 0x0302;
    static final int TLSV12 = 0x0303;
    static final int TLSV13 = 0x0304;
    static final int DTLSV10 = 0xFEFF;
    static final int DTLSV12 = 0xFEFD;
    static final int DTLSV13 = 0xFEFC;
    static final int NO_CHOSEN_CIPHER = 0xFFFFFF;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;
    private static final int HEARTBEAT = 24;
    private static final int V2_ERROR = 300;
    private static final int V2_CLIENT_HELLO = 301;
    private static final int V2_CLIENT_MASTER_KEY = 302;
    private static final int V2_SERVER_HELLO = 304;

    private static final int MAX_SSL_HISTORY = 100;
    /** Prefix of the violation reason when an unexpected exception is caught (a bug, never bad input). */
    static final String INTERNAL_ERROR = "SSL analyzer internal error: ";
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11,
        (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91,
        (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
        0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C,
    };

    private final AnalyzerContext ctx;
    private final SslAnalyzerProvider provider;
    private final Side orig = new Side(true);
    private final Side resp = new Side(false);
    private final TlsFingerprint fingerprint;
    private final java.util.function.BooleanSupplier partial;

    // binpac SSL_Conn / Handshake_Conn state
    private int recordLayerVersion = UNKNOWN_VERSION;
    private boolean establishedFlag;
    private int chosenCipher = NO_CHOSEN_CIPHER;
    private int chosenVersion = UNKNOWN_VERSION;
    private boolean flipped;
    private boolean alreadyAlerted;
    private boolean confirmed;
    /** Violation, skip or detach after establishment: no more parsing. */
    private boolean stopped;
    /** A content gap was seen: Zeek's SSL analyzer ignores all further data. */
    private boolean hadGap;
    private Object dedupScope;

    // script state (SSL::Info)
    private Info info;

    SslAnalyzer(AnalyzerContext ctx, SslAnalyzerProvider provider) {
        this(ctx, provider, ctx::partial);
    }

    /** With an explicit source of Zeek's {@code IsPartial()} (data of partial connections is ignored). */
    SslAnalyzer(AnalyzerContext ctx, SslAnalyzerProvider provider, java.util.function.BooleanSupplier partial) {
        this.ctx = ctx;
        this.provider = provider;
        this.partial = partial;
        SslOptions o = provider.options();
        this.fingerprint = o.ja3() || o.ja4() ? new TlsFingerprint() : null;
    }

    /** Per-direction record-layer and handshake-reassembly state. */
    private static final class Side {
        final boolean isOrig;
        final byte[] head = new byte[5];
        int headLen;
        int contentType;
        int length;
        int bodyLen;
        boolean capture;
        byte[] body;
        boolean encrypted;
        byte[] hs;
        int hsLen;

        Side(boolean isOrig) {
            this.isOrig = isOrig;
        }
    }

    /** The script-level SSL::Info record. */
    private static final class Info {
        final double ts;
        long versionNum = -1;
        String version;
        String cipher;
        String curve;
        byte[] serverName;
        byte[] sessionId;
        boolean resumed;
        boolean clientTicketEmptySessionSeen;
        boolean clientKeyExchangeSeen;
        boolean clientPskSeen;
        String lastAlert;
        byte[] nextProtocol;
        boolean established;
        boolean logged;
        boolean hrrSeen;
        final StringBuilder history = new StringBuilder(16);
        List<X509Certificate> certChain;
        List<X509Certificate> clientCertChain;
        List<String> certChainFps;
        List<String> clientCertChainFps;
        Boolean sniMatchesCert;
        /** DER of the server's certificates, parallel to certChain (kept only when validating). */
        List<byte[]> certDers;
        String validationStatus;
        /** File ids of the server's certificates, parallel to certChain (only when the tenant has intel). */
        List<String> certFuids;

        Info(double ts) {
            this.ts = ts;
        }
    }

    // ------------------------------------------------------------------ stream input

    @Override
    public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
        if (stopped || hadGap || length <= 0 || partial.getAsBoolean()) {
            return;
        }
        try {
            Side s = isOrig ? orig : resp;
            long p = offset;
            long end = offset + length;
            while (p < end && !stopped) {
                if (s.headLen < 5) {
                    int n = (int) Math.min(5 - s.headLen, end - p);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p, s.head, s.headLen, n);
                    s.headLen += n;
                    p += n;
                    if (s.headLen < 5) {
                        break;
                    }
                    if (!startRecord(s)) {
                        return;
                    }
                    if (s.length == 0) {
                        endRecord(s);
                        continue;
                    }
                }
                int n = (int) Math.min(s.length - s.bodyLen, end - p);
                if (s.capture) {
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p, s.body, s.bodyLen, n);
                }
                s.bodyLen += n;
                p += n;
                if (s.bodyLen == s.length) {
                    processRecord(s);
                    endRecord(s);
                }
            }
        } catch (RuntimeException e) {
            violation(INTERNAL_ERROR + e);
        }
    }

    /** Bytes held in this connection's record and handshake buffers (bounded). */
    int bufferedBytes() {
        return len(orig.body) + len(orig.hs) + len(resp.body) + len(resp.hs);
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    @Override
    public void onGap(boolean isOrig, long length) {
        hadGap = true;
    }

    @Override
    public void onConnectionDone() {
        try {
            if (info != null && !info.logged) {
                finishing();
                logSsl();
            }
        } catch (RuntimeException e) {
            // a log failure must not escape into the engine
        }
    }

    private static void endRecord(Side s) {
        s.headLen = 0;
        s.bodyLen = 0;
        s.length = 0;
    }

    /** binpac's {@code determine_ssl_record_layer} and the record's length/content type. */
    private boolean startRecord(Side s) {
        int h0 = s.head[0] & 0xff;
        int h1 = s.head[1] & 0xff;
        int h2 = s.head[2] & 0xff;
        int h3 = s.head[3] & 0xff;
        int h4 = s.head[4] & 0xff;
        int version;
        if (recordLayerVersion != UNKNOWN_VERSION && recordLayerVersion != SSLV20) {
            int v = (h1 << 8) | h2;
            if (!recordVersionOk(v)) {
                violation("Invalid version late in TLS connection. Packet reported version: " + v);
                return false;
            }
        }
        if (recordLayerVersion != UNKNOWN_VERSION) {
            version = recordLayerVersion;
        } else if ((h0 & 0x80) != 0) {
            if (h2 == 0x01 && s.isOrig) {
                int v = (h3 << 8) | h4;
                if (v != SSLV20 && !recordVersionOk(v)) {
                    violation("Invalid version in SSL client hello. Version: " + v);
                    return false;
                }
                version = SSLV20;
            } else if (h2 == 0x04 && h4 < 2 && !s.isOrig) {
                recordLayerVersion = SSLV20;
                version = SSLV20;
            } else {
                violation("Invalid headers in SSL connection. Head1: " + h1 + ", head2: " + h2 + ", head3: " + h3);
                return false;
            }
        } else {
            int v = (h1 << 8) | h2;
            if (!recordVersionOk(v)) {
                violation("Invalid version in TLS connection. Version: " + v);
                return false;
            }
            if (h0 >= 20 && h0 <= 30) {
                recordLayerVersion = v;
                version = v;
            } else {
                violation("Invalid type in TLS connection. Version: " + v + ", Type: " + h0);
                return false;
            }
        }
        if (version == SSLV20) {
            s.contentType = h2 + 300;
            s.length = (((h0 & 0x7f) << 8) | h1) - 3;
            if (s.length < 0) {
                violation("Binpac exception: binpac exception: out_of_bound: SSLRecord: " + (s.length + 5) + " > 5");
                return false;
            }
        } else {
            s.contentType = h0;
            s.length = (h3 << 8) | h4;
        }
        s.bodyLen = 0;
        int ct = s.contentType;
        s.capture = !s.encrypted && (ct == CHANGE_CIPHER_SPEC || ct == ALERT || ct == HANDSHAKE || ct == HEARTBEAT
                || ct == V2_ERROR || ct == V2_CLIENT_HELLO || ct == V2_CLIENT_MASTER_KEY || ct == V2_SERVER_HELLO);
        if (s.capture && (s.body == null || s.body.length < s.length)) {
            s.body = new byte[Math.max(s.length, 512)];
        }
        return true;
    }

    private static boolean recordVersionOk(int v) {
        return v == SSLV30 || v == TLSV10 || v == TLSV11 || v == TLSV12;
    }

    /** The record's RecordText elements, each classified by binpac's {@code determine_state}. */
    private void processRecord(Side s) {
        int len = s.length;
        int p = 0;
        try {
            while (p < len && !stopped) {
                if (determineEncrypted(s)) {
                    ciphertext();
                    return;
                }
                switch (s.contentType) {
                    case CHANGE_CIPHER_SPEC -> {
                        p += 1;
                        s.encrypted = true;
                        evChangeCipherSpec(s.isOrig);
                    }
                    case ALERT -> {
                        if (len - p < 2) {
                            throw ParseError.outOfBound("Alert", 2, len - p);
                        }
                        int desc = s.body[p + 1] & 0xff;
                        p += 2;
                        evAlert(s.isOrig, desc);
                    }
                    case HANDSHAKE -> {
                        handshakeData(s, p, len - p);
                        p = len;
                    }
                    case APPLICATION_DATA -> p = len;
                    case HEARTBEAT -> {
                        if (len - p < 3) {
                            throw ParseError.outOfBound("Heartbeat", 3, len - p);
                        }
                        p = len;
                        evHeartbeat(s.isOrig);
                    }
                    case V2_ERROR -> {
                        p = len;
                        evAlert(s.isOrig, ((s.head[3] & 0xff) << 8) | (s.head[4] & 0xff));
                    }
                    case V2_CLIENT_HELLO -> p += v2ClientHello(s, p, len);
                    case V2_CLIENT_MASTER_KEY -> p += v2ClientMasterKey(s, p, len);
                    case V2_SERVER_HELLO -> p += v2ServerHello(s, p, len);
                    default -> {
                        violation("unknown SSL record type (" + s.contentType + ") from " + label(s.isOrig));
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                evPlaintextData(s.contentType);
            }
        } catch (ParseError e) {
            violation("Binpac exception: " + e.getMessage());
        }
    }

    private boolean determineEncrypted(Side s) {
        if (s.encrypted || s.contentType != APPLICATION_DATA) {
            return s.encrypted;
        }
        int v = chosenVersion;
        if (v != SSLV20 && v != SSLV30 && v != TLSV10 && v != TLSV11 && v != TLSV12) {
            s.encrypted = true;
            return true;
        }
        return false;
    }

    private void ciphertext() {
        if (orig.encrypted && resp.encrypted && !establishedFlag) {
            establishedFlag = true;
            evEstablished();
        }
    }

    // ------------------------------------------------------------------ SSLv2

    private int v2ClientHello(Side s, int p, int len) {
        ByteReader r = new ByteReader(s.body, p, len);
        int csuit = r.u16("V2ClientHello:csuit_len");
        int sess = r.u16("V2ClientHello:session_len");
        int chal = r.u16("V2ClientHello:chal_len");
        int total = 6 + csuit + sess + chal;
        if (len - p < total) {
            throw ParseError.outOfBound("V2ClientHello", total, len - p);
        }
        int n = csuit / 3;
        int[] ciphers = new int[n];
        for (int i = 0; i < n; i++) {
            ciphers[i] = r.u24("V2ClientHello:ciphers");
        }
        byte[] sessionId = r.bytes(sess, "V2ClientHello:session_id");
        r.skip(chal, "V2ClientHello:challenge");
        clientHelloDone(SSLV20, 0, sessionId, ciphers);
        return total;
    }

    private int v2ClientMasterKey(Side s, int p, int len) {
        ByteReader r = new ByteReader(s.body, p, len);
        r.u8("V2ClientMasterKey:cipher_kind_8");
        int cl = r.u16("V2ClientMasterKey:cl_key_len");
        int en = r.u16("V2ClientMasterKey:en_key_len");
        int ka = r.u16("V2ClientMasterKey:key_arg_len");
        int total = 7 + cl + en + ka;
        if (len - p < total) {
            throw ParseError.outOfBound("V2ClientMasterKey", total, len - p);
        }
        orig.encrypted = true;
        resp.encrypted = true;
        if (!establishedFlag) {
            establishedFlag = true;
            evEstablished();
        }
        return total;
    }

    private int v2ServerHello(Side s, int p, int len) {
        ByteReader r = new ByteReader(s.body, p, len);
        int version = r.u16("V2ServerHello:server_version");
        int certLen = r.u16("V2ServerHello:cert_len");
        int ciphLen = r.u16("V2ServerHello:ciph_len");
        int connIdLen = r.u16("V2ServerHello:conn_id_len");
        int certOff = r.skip(certLen, "V2ServerHello:cert_data");
        int n = ciphLen / 3;
        int[] ciphers = new int[n];
        for (int i = 0; i < n; i++) {
            ciphers[i] = r.u24("V2ServerHello:ciphers");
        }
        byte[] connId = r.bytes(connIdLen, "V2ServerHello:conn_id_data");
        if (version != SSLV20) {
            violation("Invalid version in SSL server hello. Version: " + version);
            return r.pos - p;
        }
        evServerHello(version, connId, padSessionId(null), n == 0 ? 0 : ciphers[0]);
        certificates(s.isOrig ^ flipped, s.body, new int[] {certOff, certLen});
        return r.pos - p;
    }

    // ------------------------------------------------------------------ handshake layer

    private void handshakeData(Side s, int off, int len) {
        if (s.hs == null || s.hs.length < s.hsLen + len) {
            int cap = Math.max(Math.max(1024, s.hsLen + len), s.hs == null ? 0 : s.hs.length * 2);
            s.hs = s.hs == null ? new byte[cap] : Arrays.copyOf(s.hs, cap);
        }
        System.arraycopy(s.body, off, s.hs, s.hsLen, len);
        s.hsLen += len;
        int p = 0;
        int max = provider.options().maxHandshakeMessage();
        while (!stopped && s.hsLen - p >= 4) {
            int type = s.hs[p] & 0xff;
            int mlen = ((s.hs[p + 1] & 0xff) << 16) | ((s.hs[p + 2] & 0xff) << 8) | (s.hs[p + 3] & 0xff);
            if (mlen > max) {
                violation("Binpac exception: handshake message of " + mlen + " bytes exceeds the flow buffer limit");
                return;
            }
            if (s.hsLen - p - 4 < mlen) {
                break;
            }
            handshakeMessage(s, type, p + 4, mlen);
            p += 4 + mlen;
        }
        if (stopped) {
            return;
        }
        if (p > 0) {
            System.arraycopy(s.hs, p, s.hs, 0, s.hsLen - p);
            s.hsLen -= p;
        }
        if (s.hsLen == 0 && s.hs.length > 16384) {
            s.hs = null;
        }
    }

    private void handshakeMessage(Side s, int type, int off, int len) {
        boolean isOrig = s.isOrig;
        ByteReader r = new ByteReader(s.hs, off, off + len);
        try {
            switch (type) {
                case 0 -> checkFlipped(false, isOrig);
                case 1 -> clientHello(r, isOrig);
                case 2 -> serverHello(r, isOrig);
                case 3 -> {
                    r.u16("HelloVerifyRequest:version");
                    int cl = r.u8("HelloVerifyRequest:cookie_length");
                    r.skip(cl, "HelloVerifyRequest:cookie");
                }
                case 4 -> r.u32("SessionTicketHandshake:ticket_lifetime_hint");
                case 11 -> certificate(s, r, isOrig);
                case 12 -> serverKeyExchange(r);
                case 13, 14, 15, 16, 20, 21 -> {
                    // bodies binpac does not look into
                }
                case 22 -> certificateStatus(r);
                default -> {
                    violation("unknown handshake message (" + type + ") from " + label(isOrig));
                    return;
                }
            }
        } catch (ParseError e) {
            violation("Binpac exception: " + e.getMessage());
            return;
        }
        if (!stopped) {
            evHandshakeMessage(isOrig, type);
        }
    }

    private void checkFlipped(boolean desired, boolean isOrig) {
        if (flipped) {
            if (desired == isOrig) {
                flipped = false;
                evFlipped();
                if (!alreadyAlerted) {
                    alreadyAlerted = true;
                    ctx.weird("SSL_unclear_connection_direction", null);
                }
            }
        } else if (desired != isOrig) {
            flipped = true;
            evFlipped();
        }
    }

    private void clientHello(ByteReader r, boolean isOrig) {
        checkFlipped(true, isOrig);
        int version = r.u16("ClientHello:client_version");
        r.u32("ClientHello:gmt_unix_time");
        r.skip(28, "ClientHello:random_bytes");
        int sl = r.u8("ClientHello:session_len");
        byte[] sessionId = r.bytes(sl, "ClientHello:session_id");
        if (version == DTLSV10 || version == DTLSV12) {
            int cl = r.u8("ClientHelloCookie:cookie_len");
            r.skip(cl, "ClientHelloCookie:cookie");
        }
        int csuitLen = r.u16("ClientHello:csuit_len");
        int[] ciphers = new int[csuitLen / 2];
        for (int i = 0; i < ciphers.length; i++) {
            ciphers[i] = r.u16("ClientHello:csuits");
        }
        int cmethLen = r.u8("ClientHello:cmeth_len");
        r.skip(cmethLen, "ClientHello:cmeths");
        boolean firstHello = fingerprint != null && !fingerprint.clientSeen;
        if (firstHello) {
            fingerprint.clientVersion = version;
            fingerprint.ciphers = ciphers;
        }
        if (r.remaining() > 0) {
            r.u16("ClientHello:ext_len");
        }
        extensions(r, isOrig, 1, firstHello);
        if (stopped) {
            return;
        }
        if (firstHello) {
            fingerprint.clientSeen = true;
        }
        clientHelloDone(version, 1, sessionId, ciphers);
    }

    /** binpac's {@code proc_client_hello}: version check, confirmation, ssl_client_hello. */
    private void clientHelloDone(int version, int recordVersion, byte[] sessionId, int[] ciphers) {
        if (!versionOk(version)) {
            violation(String.format("unsupported client SSL version 0x%04x", version));
            return;
        }
        if (!confirmed) {
            confirmed = true;
            ctx.confirm();
            setSession();
        }
        if (fingerprint != null && recordVersion == 0 && !fingerprint.clientSeen) {
            fingerprint.clientVersion = version;
            fingerprint.ciphers = ciphers;
            fingerprint.clientSeen = true;
        }
        evClientHello(recordVersion, padSessionId(sessionId));
    }

    private void serverHello(ByteReader r, boolean isOrig) {
        checkFlipped(false, isOrig);
        int v0 = r.u8("ServerHelloChoice:server_version0");
        int v1 = r.u8("ServerHelloChoice:server_version1");
        int serverVersion = (v0 << 8) | v1;
        boolean hello13 = serverVersion == TLSV13 || v0 == 0x7F;
        byte[] random = r.bytes(32, "ServerHello:random_bytes");
        byte[] sessionId = null;
        if (!hello13) {
            int sl = r.u8("ServerHello:session_len");
            sessionId = r.bytes(sl, "ServerHello:session_id");
        }
        int cipher = r.u16("ServerHello:cipher_suite");
        if (!hello13) {
            r.u8("ServerHello:compression_method");
        }
        boolean firstHello = fingerprint != null && !fingerprint.serverSeen;
        if (firstHello) {
            fingerprint.serverVersion = serverVersion;
            fingerprint.serverCipher = cipher;
        }
        if (r.remaining() > 0) {
            r.u16("ServerHello:ext_len");
        }
        extensions(r, isOrig, 2, firstHello);
        if (stopped) {
            return;
        }
        if (firstHello) {
            fingerprint.serverSeen = true;
        }
        chosenCipher = cipher;
        if (!versionOk(serverVersion)) {
            violation(String.format("unsupported server SSL version 0x%04x", serverVersion));
            return;
        }
        evServerHello(serverVersion, random, padSessionId(sessionId), cipher);
        setVersion(serverVersion);
    }

    private void setVersion(int v) {
        if (chosenVersion == UNKNOWN_VERSION) {
            chosenVersion = v;
        }
    }

    private static boolean versionOk(int v) {
        if ((v >> 8) == 0x7F) {
            return true;
        }
        return switch (v) {
            case SSLV20, SSLV30, TLSV10, TLSV11, TLSV12, TLSV13, DTLSV10, DTLSV12, DTLSV13 -> true;
            default -> false;
        };
    }

    /** binpac's {@code to_string_val}: 32 bytes, zero padded; empty when longer than 32. */
    private static byte[] padSessionId(byte[] id) {
        if (id != null && id.length > 32) {
            return new byte[0];
        }
        byte[] out = new byte[32];
        if (id != null) {
            System.arraycopy(id, 0, out, 0, id.length);
        }
        return out;
    }

    private void extensions(ByteReader r, boolean isOrig, int msgType, boolean record) {
        int[] types = new int[8];
        int n = 0;
        while (r.remaining() > 0 && !stopped) {
            int type = r.u16("SSLExtension:type");
            int dataLen = r.u16("SSLExtension:data_len");
            ByteReader c = r.sub(dataLen, "SSLExtension");
            if (c.remaining() > 0) {
                extension(type, c, dataLen, isOrig, msgType, record);
            }
            if (n == types.length) {
                types = Arrays.copyOf(types, n * 2);
            }
            types[n++] = type;
            evExtension(isOrig, type, dataLen);
        }
        if (record) {
            int[] t = Arrays.copyOf(types, n);
            if (msgType == 1) {
                fingerprint.clientExtensions = t;
            } else {
                fingerprint.serverExtensions = t;
            }
        }
    }

    private void extension(int type, ByteReader c, int dataLen, boolean isOrig, int msgType, boolean record) {
        switch (type) {
            case 0 -> {
                int len = c.u16("ServerNameExt:length");
                ByteReader l = c.sub(len, "ServerNameExt");
                List<byte[]> names = new ArrayList<>(1);
                while (l.remaining() > 0) {
                    int nameType = l.u8("ServerName:name_type");
                    if (nameType == 0) {
                        int hl = l.u16("ServerNameHostName:length");
                        names.add(l.bytes(hl, "ServerNameHostName:host_name"));
                    } else {
                        l.pos = l.end;
                        ctx.weird("ssl_ext_unknown_server_name_type", Integer.toString(nameType));
                    }
                }
                evServerName(isOrig, names);
            }
            case 16 -> {
                int len = c.u16("ApplicationLayerProtocolNegotiationExtension:length");
                ByteReader l = c.sub(len, "ApplicationLayerProtocolNegotiationExtension");
                List<byte[]> protocols = new ArrayList<>(2);
                while (l.remaining() > 0) {
                    int pl = l.u8("ProtocolName:length");
                    protocols.add(l.bytes(pl, "ProtocolName:name"));
                }
                if (record) {
                    byte[] first = protocols.isEmpty() ? null : protocols.get(0);
                    if (msgType == 1) {
                        fingerprint.clientAlpn = first;
                    } else {
                        fingerprint.serverAlpn = first;
                    }
                }
                evAlpn(isOrig, protocols);
            }
            case 10 -> {
                int len = c.u16("EllipticCurves:length");
                int[] curves = new int[len / 2];
                for (int i = 0; i < curves.length; i++) {
                    curves[i] = c.u16("EllipticCurves:elliptic_curve_list");
                }
                if (record && msgType == 1) {
                    fingerprint.curves = curves;
                }
            }
            case 11 -> {
                int len = c.u8("EcPointFormats:length");
                int at = c.skip(len, "EcPointFormats:point_format_list");
                if (record && msgType == 1) {
                    int[] pf = new int[len];
                    for (int i = 0; i < len; i++) {
                        pf[i] = c.b[at + i] & 0xff;
                    }
                    fingerprint.pointFormats = pf;
                }
            }
            case 13 -> {
                c.u16("SignatureAlgorithm:length");
                int[] algs = new int[c.remaining() / 2];
                int i = 0;
                while (c.remaining() > 0) {
                    int h = c.u8("SignatureAndHashAlgorithm:HashAlgorithm");
                    int sig = c.u8("SignatureAndHashAlgorithm:SignatureAlgorithm");
                    algs[i++] = (h << 8) | sig;
                }
                if (record && msgType == 1) {
                    fingerprint.signatureAlgorithms = algs;
                }
            }
            case 40, 51 -> keyShare(c, dataLen, isOrig, msgType);
            case 43 -> {
                if (isOrig ^ flipped) {
                    int len = c.u8("SupportedVersions:length");
                    ByteReader l = c.sub(len, "SupportedVersions");
                    int[] versions = new int[len / 2];
                    int i = 0;
                    while (l.remaining() > 0) {
                        versions[i++] = l.u16("SupportedVersions:versions");
                    }
                    if (record && msgType == 1) {
                        fingerprint.clientSupportedVersions = versions;
                    }
                    evSupportedVersions(isOrig, versions);
                } else {
                    int v = c.u16("OneSupportedVersion:version");
                    setVersion(v);
                    if (record && msgType == 2) {
                        fingerprint.serverSelectedVersion = v;
                    }
                    evSupportedVersions(isOrig, new int[] {v});
                }
            }
            case 45 -> {
                int len = c.u8("PSKKeyExchangeModes:length");
                c.sub(len, "PSKKeyExchangeModes");
            }
            case 41 -> {
                if (msgType == 1) {
                    int il = c.u16("PSKIdentitiesList:length");
                    ByteReader ids = c.sub(il, "PSKIdentitiesList");
                    while (ids.remaining() > 0) {
                        int l = ids.u16("PSKIdentity:length");
                        ids.skip(l, "PSKIdentity:identity");
                        ids.u32("PSKIdentity:obfuscated_ticket_age");
                    }
                    int bl = c.u16("PSKBindersList:length");
                    ByteReader binders = c.sub(bl, "PSKBindersList");
                    while (binders.remaining() > 0) {
                        int l = binders.u8("PSKBinder:length");
                        binders.skip(l, "PSKBinder:binder");
                    }
                } else if (msgType == 2) {
                    c.u16("SelectedPreSharedKeyIdentity:selected_identity");
                }
            }
            default -> {
                // kept as raw data by binpac
            }
        }
    }

    private void keyShare(ByteReader c, int dataLen, boolean isOrig, int msgType) {
        if (msgType == 1) {
            int len = c.u16("ClientHelloKeyShare:length");
            ByteReader l = c.sub(len, "ClientHelloKeyShare");
            int[] groups = new int[8];
            int n = 0;
            while (l.remaining() > 0) {
                int g = l.u16("KeyShareEntry:namedgroup");
                int kl = l.u16("KeyShareEntry:key_exchange_length");
                l.skip(kl, "KeyShareEntry:key_exchange");
                if (n == groups.length) {
                    groups = Arrays.copyOf(groups, n * 2);
                }
                groups[n++] = g;
            }
            evKeyShare(isOrig, Arrays.copyOf(groups, n));
        } else if (msgType == 2) {
            if (dataLen == 2) {
                evKeyShare(isOrig, new int[] {c.u16("HelloRetryRequestKeyShare:namedgroup")});
            } else {
                int g = c.u16("KeyShareEntry:namedgroup");
                int kl = c.u16("KeyShareEntry:key_exchange_length");
                c.skip(kl, "KeyShareEntry:key_exchange");
                evKeyShare(isOrig, new int[] {g});
            }
        }
    }

    private void certificate(Side s, ByteReader r, boolean isOrig) {
        int total = r.u24("Certificate:length");
        ByteReader l = r.sub(total, "Certificate");
        int[] certs = new int[8];
        int n = 0;
        while (l.remaining() > 0) {
            int cl = l.u24("X509Certificate:length");
            int at = l.skip(cl, "X509Certificate:certificate");
            if (n + 2 > certs.length) {
                certs = Arrays.copyOf(certs, certs.length * 2);
            }
            certs[n++] = at;
            certs[n++] = cl;
        }
        certificates(isOrig ^ flipped, s.hs, Arrays.copyOf(certs, n));
    }

    private void certificateStatus(ByteReader r) {
        int statusType = r.u8("CertificateStatus:status_type");
        r.u24("CertificateStatus:length");
        int responseLength = r.remaining();
        if (statusType == 1 && responseLength > 0) {
            return; // stapled OCSP response: Zeek hands it to the OCSP file analyzer (ocsp.log)
        }
        if (responseLength == 0) {
            ctx.weird("SSL_zero_length_stapled_OCSP_message", null);
        }
    }

    private void serverKeyExchange(ByteReader r) {
        int c = chosenCipher;
        if (CipherGroups.ecdhe(c)) {
            int curveType = r.u8("EcdheServerKeyExchange:curve_type");
            if (curveType != 3) {
                return;
            }
            int curve = r.u16("ServerECDHParamsAndSignature:curve");
            int pl = r.u8("ServerECDHParamsAndSignature:point_length");
            r.skip(pl, "ServerECDHParamsAndSignature:point");
            signature(r);
            evEcdhServerParams(curve);
        } else if (CipherGroups.ecdhAnon(c)) {
            int curveType = r.u8("EcdhAnonServerKeyExchange:curve_type");
            if (curveType != 3) {
                return;
            }
            int curve = r.u16("ServerECDHParamsAndSignature:curve");
            int pl = r.u8("ServerECDHParamsAndSignature:point_length");
            r.skip(pl, "ServerECDHParamsAndSignature:point");
            evEcdhServerParams(curve);
        } else if (CipherGroups.dhe(c)) {
            dhParams(r, "DheServerKeyExchange");
            signature(r);
        } else if (CipherGroups.dhAnon(c)) {
            dhParams(r, "DhAnonServerKeyExchange");
        }
    }

    private static void dhParams(ByteReader r, String where) {
        r.skip(r.u16(where + ":dh_p_length"), where + ":dh_p");
        r.skip(r.u16(where + ":dh_g_length"), where + ":dh_g");
        r.skip(r.u16(where + ":dh_Ys_length"), where + ":dh_Ys");
    }

    private void signature(ByteReader r) {
        if (chosenVersion > TLSV11 && chosenVersion != DTLSV10) {
            r.u8("SignatureAndHashAlgorithm:HashAlgorithm");
            r.u8("SignatureAndHashAlgorithm:SignatureAlgorithm");
        }
        int len = r.u16("ServerKeyExchangeSignature:signature_length");
        r.skip(len, "ServerKeyExchangeSignature:signature");
    }

    // ------------------------------------------------------------------ certificates (files)

    /**
     * binpac's {@code proc_certificate} with the file framework and x509 scripts behind it:
     * each certificate becomes a file (chain entry via {@code file_sniff} when the connection
     * already has its SSL record) and, when OpenSSL would parse it, an x509.log row subject
     * to deduplication.
     */
    private void certificates(boolean fileIsOrig, byte[] buf, int[] certs) {
        if (certs.length == 0) {
            return;
        }
        double now = ctx.networkTime();
        for (int i = 0; i < certs.length / 2; i++) {
            int off = certs[2 * i];
            int len = certs[2 * i + 1];
            if (len <= 0) {
                ctx.weird("zero_length_certificate", null);
                continue;
            }
            X509Certificate cert = X509Certificate.parse(buf, off, len);
            if (ctx.wantsSeen()) {
                seenCertificate(fileIsOrig, i, cert, buf, off, len);
            }
            if (info != null) {
                if (info.certChain == null) {
                    info.certChain = new ArrayList<>(3);
                    info.clientCertChain = new ArrayList<>(0);
                    info.certChainFps = new ArrayList<>(3);
                    info.clientCertChainFps = new ArrayList<>(0);
                }
                (fileIsOrig ? info.clientCertChain : info.certChain).add(cert);
                if (!fileIsOrig && provider.validator() != null) {
                    if (info.certDers == null) {
                        info.certDers = new ArrayList<>(3);
                    }
                    info.certDers.add(Arrays.copyOfRange(buf, off, off + len));
                }
            }
            if (cert != null) {
                boolean host = i == 0;
                if (dedupScope == null) {
                    dedupScope = provider.options().dedupScope().apply(ctx);
                }
                if (provider.dedup().shouldLog(dedupScope, cert.fingerprint, host, fileIsOrig, now)) {
                    ctx.log(x509Record(cert, now, host, fileIsOrig));
                }
            }
        }
    }

    /**
     * policy/frameworks/intel/seen/x509.zeek for one certificate, which Zeek's files framework
     * makes a file (its id, mime type {@code application/x-x509-user-cert} for the first of a
     * chain, {@code application/x-x509-ca-cert} for the others, {@code SSL::describe_file}): the
     * subject's {@code emailAddress} as an EMAIL, every SAN DNS name as a DOMAIN, the SHA-1 of the
     * DER as a CERT_HASH, all at {@code X509::IN_CERT}. Only parsed certificates raise the x509
     * events; the file id is kept for {@code ssl_established}'s common-name sighting.
     */
    private void seenCertificate(boolean fileIsOrig, int index, X509Certificate cert, byte[] buf, int off, int len) {
        String fuid = ctx.newFileId();
        if (info != null && !fileIsOrig) {
            if (info.certFuids == null) {
                info.certFuids = new ArrayList<>(3);
            }
            info.certFuids.add(fuid);
        }
        String mime = index == 0 ? "application/x-x509-user-cert" : "application/x-x509-ca-cert";
        if (cert == null) {
            // file-hashes.zeek: the MD5 and SHA-1 analyzers run on every certificate; describe_file
            // has nothing to say without a parsed certificate
            ctx.seen(digest("MD5", buf, off, len), "Intel::FILE_HASH", "Files::IN_HASH", fuid, mime, "");
            ctx.seen(digest("SHA-1", buf, off, len), "Intel::FILE_HASH", "Files::IN_HASH", fuid, mime, "");
            return;
        }
        String desc = info != null ? ctx.respHost() + ":" + ctx.respPort()
                : "Serial: " + cert.serial + " Subject: " + cert.subject + " Issuer: " + cert.issuer;
        String subject = cert.subject == null ? "" : cert.subject;
        int at = subject.lastIndexOf("emailAddress=");
        if (at >= 0) {
            String email = subject.substring(at + "emailAddress=".length());
            int comma = email.indexOf(',');
            if (comma >= 0) {
                email = email.substring(0, comma);
            }
            ctx.seen(email, "Intel::EMAIL", "X509::IN_CERT", fuid, mime, desc);
        }
        if (cert.sanPresent && cert.sanDns != null) {
            for (byte[] dns : cert.sanDns) {
                ctx.seen(new String(dns, java.nio.charset.StandardCharsets.ISO_8859_1), "Intel::DOMAIN",
                        "X509::IN_CERT", fuid, mime, desc);
            }
        }
        String sha1 = digest("SHA-1", buf, off, len);
        ctx.seen(sha1, "Intel::CERT_HASH", "X509::IN_CERT", fuid, mime, desc);
        ctx.seen(digest("MD5", buf, off, len), "Intel::FILE_HASH", "Files::IN_HASH", fuid, mime, desc);
        ctx.seen(sha1, "Intel::FILE_HASH", "Files::IN_HASH", fuid, mime, desc);
    }

    /** Lower-case hex digest of {@code buf[off, off+len)} (MD5 and SHA-1 exist on every Java platform). */
    private static String digest(String algorithm, byte[] buf, int off, int len) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);
            md.update(buf, off, len);
            byte[] d = md.digest();
            StringBuilder hex = new StringBuilder(d.length * 2);
            for (byte b : d) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** policy/frameworks/intel/seen/ssl.zeek's {@code ssl_established}: the host certificate's CN. */
    private void seenCommonName() {
        if (info.certChain == null || info.certChain.isEmpty() || info.certChain.get(0) == null
                || info.certChain.get(0).lastCn == null) {
            return;
        }
        String fuid = info.certFuids != null && !info.certFuids.isEmpty() ? info.certFuids.get(0) : null;
        ctx.seen(info.certChain.get(0).lastCn, "Intel::DOMAIN", "X509::IN_CERT", fuid, null, null);
    }

    private static LogRecord x509Record(X509Certificate c, double ts, boolean host, boolean client) {
        return c.x509Record(ts, host, client);
    }

    // ------------------------------------------------------------------ violations

    /** Zeek's AnalyzerViolation: the script logs what it has, the analyzer is detached. */
    private void violation(String reason) {
        if (stopped) {
            return;
        }
        stopped = true;
        ctx.violation(reason);
        if (info != null) {
            if (!info.logged) {
                finishing();
            }
            logSsl();
        }
    }

    private static String label(boolean isOrig) {
        return isOrig ? "originator" : "responder";
    }

    // ------------------------------------------------------------------ script layer (main.zeek)

    private void setSession() {
        if (info == null) {
            info = new Info(ctx.networkTime());
        }
    }

    private void addToHistory(boolean isClient, char c) {
        StringBuilder h = info.history;
        if (h.length() == MAX_SSL_HISTORY) {
            return;
        }
        h.append(isClient ? Character.toUpperCase(c) : Character.toLowerCase(c));
        if (h.length() == MAX_SSL_HISTORY) {
            ctx.limitExceeded("SSL_max_ssl_history_length_reached");
        }
    }

    private void evClientHello(int recordVersion, byte[] sessionId) {
        setSession();
        if (sessionId.length > 0 && !allZero32(sessionId)) {
            info.sessionId = sessionId;
            info.clientTicketEmptySessionSeen = false;
        }
        if (recordVersion == 0) {
            addToHistory(true, 'c');
        }
    }

    private static boolean allZero32(byte[] b) {
        if (b.length != 32) {
            return false;
        }
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void evServerHello(int version, byte[] random, byte[] sessionId, int cipher) {
        setSession();
        if (info.versionNum < 0) {
            info.versionNum = version;
            info.version = TlsNames.version(version);
        }
        info.cipher = TlsNames.cipher(cipher);
        if (Arrays.equals(random, HRR_RANDOM)) {
            info.hrrSeen = true;
        }
        if (info.sessionId != null && Arrays.equals(info.sessionId, sessionId)
                && info.versionNum / 0xFF != 0x7F && info.versionNum != TLSV13) {
            info.resumed = true;
        }
        if (version == SSLV20) {
            addToHistory(false, 's');
        }
    }

    private void evSupportedVersions(boolean isClient, int[] versions) {
        if (isClient || versions.length != 1) {
            return;
        }
        setSession();
        info.versionNum = versions[0];
        info.version = TlsNames.version(versions[0]);
    }

    private void evEcdhServerParams(int curve) {
        setSession();
        info.curve = TlsNames.curve(curve);
    }

    private void evKeyShare(boolean isClient, int[] groups) {
        if (isClient || groups.length != 1) {
            return;
        }
        setSession();
        info.curve = TlsNames.curve(groups[0]);
    }

    private void evServerName(boolean isClient, List<byte[]> names) {
        setSession();
        if (isClient && !names.isEmpty()) {
            info.serverName = names.get(0);
            if (names.size() > 1) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    sb.append(DistinguishedName.ascii(names.get(i)));
                }
                ctx.weird("SSL_many_server_names", sb.append(']').toString());
            }
        }
        if (isClient && info.serverName != null && ctx.wantsSeen()) {
            // policy/frameworks/intel/seen/ssl.zeek: c$ssl$server_name as an Intel::DOMAIN
            ctx.seen(new String(info.serverName, java.nio.charset.StandardCharsets.ISO_8859_1), "Intel::DOMAIN",
                    "SSL::IN_SERVER_NAME");
        }
    }

    private void evAlpn(boolean isClient, List<byte[]> protocols) {
        setSession();
        if (isClient) {
            return;
        }
        if (!protocols.isEmpty()) {
            info.nextProtocol = protocols.get(0);
        }
    }

    private void evFlipped() {
        setSession();
        info.history.append('^');
    }

    private void evHandshakeMessage(boolean isClient, int type) {
        setSession();
        if (isClient && type == 16) {
            info.clientKeyExchangeSeen = true;
        }
        char c = switch (type) {
            case 0 -> 'h';
            case 1 -> 'c';
            case 2 -> {
                if (info.hrrSeen) {
                    info.hrrSeen = false;
                    yield 'j';
                }
                yield 's';
            }
            case 3 -> 'v';
            case 4 -> 't';
            case 5 -> 'e';
            case 6 -> 'j';
            case 8 -> 'o';
            case 11 -> 'x';
            case 12 -> 'k';
            case 13 -> 'r';
            case 14 -> 'n';
            case 15 -> 'y';
            case 16 -> 'g';
            case 20 -> 'f';
            case 21 -> 'w';
            case 22 -> 'u';
            case 23 -> 'a';
            case 24 -> 'p';
            case 254 -> 'm';
            default -> 'z';
        };
        addToHistory(isClient, c);
    }

    private void evExtension(boolean isClient, int code, int length) {
        setSession();
        if (isClient && code == 35 && length > 0) {
            info.clientTicketEmptySessionSeen = true;
        } else if (isClient && code == 41) {
            info.clientPskSeen = true;
        } else if (!isClient && code == 41 && info.clientPskSeen) {
            info.resumed = true;
        }
    }

    private void evChangeCipherSpec(boolean isClient) {
        setSession();
        addToHistory(isClient, 'i');
        if (isClient && info.clientTicketEmptySessionSeen && !info.clientKeyExchangeSeen) {
            info.resumed = true;
        }
    }

    private void evAlert(boolean isClient, int desc) {
        setSession();
        addToHistory(isClient, 'l');
        info.lastAlert = TlsNames.alert(desc);
    }

    private void evHeartbeat(boolean isClient) {
        setSession();
        addToHistory(isClient, 'b');
    }

    private void evPlaintextData(int contentType) {
        setSession();
        if (info.version == null || info.established || contentType != APPLICATION_DATA) {
            return;
        }
        ctx.weird("ssl_early_application_data", null);
    }

    private void evEstablished() {
        setSession();
        finishing();
        info.established = true;
        if (ctx.wantsSeen()) {
            seenCommonName();
        }
        logSsl();
        stopped = true; // SSL::disable_analyzer_after_detection
    }

    /** The {@code ssl_finishing} hook of files.zeek: chain fingerprints and SNI match. */
    private void finishing() {
        if (info.certChain != null) {
            for (X509Certificate c : info.certChain) {
                if (c != null) {
                    info.certChainFps.add(c.fingerprint);
                }
            }
        }
        if (info.clientCertChain != null) {
            for (X509Certificate c : info.clientCertChain) {
                if (c != null) {
                    info.clientCertChainFps.add(c.fingerprint);
                }
            }
        }
        if (info.certChain != null && !info.certChain.isEmpty() && info.certChain.get(0) != null
                && info.serverName != null) {
            info.sniMatchesCert = info.certChain.get(0).matchesHostname(info.serverName);
        }
        validateCertificates();
    }

    /**
     * The {@code ssl_finishing} hook of policy/protocols/ssl/validate-certs.zeek: validates the
     * server chain (the certificates that parsed) when its host certificate parsed.
     */
    private void validateCertificates() {
        CertValidator v = provider.validator();
        if (v == null || info.certChain == null || info.certChain.isEmpty() || info.certChain.get(0) == null
                || info.certDers == null) {
            return;
        }
        List<byte[]> ders = new ArrayList<>(info.certChain.size());
        List<String> fps = new ArrayList<>(info.certChain.size());
        for (int i = 0; i < info.certChain.size(); i++) {
            X509Certificate c = info.certChain.get(i);
            if (c != null) {
                ders.add(info.certDers.get(i));
                fps.add(c.fingerprint);
            }
        }
        if (dedupScope == null) {
            dedupScope = provider.options().dedupScope().apply(ctx);
        }
        info.validationStatus = v.status(dedupScope, ders, fps, ctx.networkTime());
    }

    private void logSsl() {
        if (info.logged) {
            return;
        }
        info.logged = true;
        LogRecord r = new LogRecord(ctx.schema(provider.sslSchema()));
        ctx.setConnectionId(r);
        r.set("ts", info.ts);
        r.set("version", info.version);
        r.set("cipher", info.cipher);
        r.set("curve", info.curve);
        r.set("server_name", info.serverName);
        r.set("resumed", info.resumed);
        r.set("last_alert", info.lastAlert);
        r.set("next_protocol", info.nextProtocol);
        r.set("established", info.established);
        r.set("ssl_history", info.history.toString());
        r.set("cert_chain_fps", info.certChainFps);
        r.set("client_cert_chain_fps", info.clientCertChainFps);
        r.set("sni_matches_cert", info.sniMatchesCert);
        if (provider.validator() != null) {
            r.set("validation_status", info.validationStatus);
        }
        if (fingerprint != null) {
            SslOptions o = provider.options();
            if (o.ja3()) {
                r.set("ja3", fingerprint.ja3());
                r.set("ja3s", fingerprint.ja3s());
            }
            if (o.ja4()) {
                r.set("ja4", fingerprint.ja4());
                r.set("ja4s", fingerprint.ja4s());
            }
        }
        ctx.log(r);
    }
}
