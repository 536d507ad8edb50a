package io.picket.analyzer.ssl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builders of TLS wire bytes for tests (records, handshake messages, extensions). */
final class Tls {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;

    private Tls() {
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }

    /** A record: content type, version, 16-bit length, body. */
    static byte[] record(int type, int version, byte[] body) {
        return cat(u8(type), u16(version), u16(body.length), body);
    }

    /** A handshake message: type, 24-bit length, body. */
    static byte[] handshake(int type, byte[] body) {
        return cat(u8(type), u24(body.length), body);
    }

    /** One handshake record (TLS 1.0 record version) holding the given messages. */
    static byte[] handshakeRecord(byte[]... messages) {
        return record(HANDSHAKE, 0x0301, cat(messages));
    }

    static byte[] clientHello(int version, byte[] sessionId, int[] ciphers, byte[] extensions) {
        byte[] suites = new byte[ciphers.length * 2];
        for (int i = 0; i < ciphers.length; i++) {
            suites[2 * i] = (byte) (ciphers[i] >> 8);
            suites[2 * i + 1] = (byte) ciphers[i];
        }
        byte[] body = cat(
                u16(version),                     // client_version
                zeros(32),                        // gmt_unix_time + random_bytes
                u8(sessionId.length), sessionId,  // session_id
                u16(suites.length), suites,       // cipher_suites
                u8(1), u8(0),                     // compression_methods: null
                extensions == null ? new byte[0] : cat(u16(extensions.length), extensions));
        return handshake(1, body);
    }

    static byte[] serverHello(int version, byte[] random, byte[] sessionId, int cipher, byte[] extensions) {
        byte[] body = cat(
                u16(version),                     // server_version
                random,                           // 32-byte random
                u8(sessionId.length), sessionId,  // session_id
                u16(cipher),                      // cipher_suite
                u8(0),                            // compression_method
                extensions == null ? new byte[0] : cat(u16(extensions.length), extensions));
        return handshake(2, body);
    }

    static byte[] ext(int type, byte[] data) {
        return cat(u16(type), u16(data.length), data);
    }

    /** server_name with host names. */
    static byte[] sni(String... names) {
        byte[] list = new byte[0];
        for (String n : names) {
            byte[] b = ascii(n);
            list = cat(list, u8(0), u16(b.length), b);
        }
        return ext(0, cat(u16(list.length), list));
    }

    static byte[] alpn(String... protocols) {
        byte[] list = new byte[0];
        for (String p : protocols) {
            byte[] b = ascii(p);
            list = cat(list, u8(b.length), b);
        }
        return ext(16, cat(u16(list.length), list));
    }

    /** Server's supported_versions (one selected version). */
    static byte[] selectedVersion(int v) {
        return ext(43, u16(v));
    }

    /** Server's key_share with one group and a 32-byte key. */
    static byte[] serverKeyShare(int group) {
        return ext(51, cat(u16(group), u16(32), zeros(32)));
    }

    static byte[] certificate(byte[]... certs) {
        byte[] list = new byte[0];
        for (byte[] c : certs) {
            list = cat(list, u24(c.length), c);
        }
        return handshake(11, cat(u24(list.length), list));
    }

    static byte[] ccs() {
        return record(CHANGE_CIPHER_SPEC, 0x0303, u8(1));
    }

    static byte[] alert(int level, int desc) {
        return record(ALERT, 0x0303, cat(u8(level), u8(desc)));
    }

    static byte[] appData(int n) {
        return record(APPLICATION_DATA, 0x0303, zeros(n));
    }
}
