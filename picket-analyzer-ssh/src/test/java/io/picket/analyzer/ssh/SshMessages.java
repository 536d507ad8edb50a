package io.picket.analyzer.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds SSH wire messages for tests (RFC 4253 binary packets, SSH1 packets, identification lines). */
final class SshMessages {

    static final int KEXINIT = 20;
    static final int NEWKEYS = 21;
    static final int KEX_ECDH_INIT = 30;
    static final int KEX_ECDH_REPLY = 31;
    static final int KEX_DH_GEX_GROUP = 31;
    static final int KEX_DH_GEX_INIT = 32;
    static final int KEX_DH_GEX_REPLY = 33;
    static final int KEX_DH_GEX_REQUEST = 34;

    private SshMessages() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An identification line with CR LF. */
    static byte[] banner(String version) {
        return ascii(version + "\r\n");
    }

    /**
     * An SSH2 binary packet: uint32 packet_length, byte padding_length, byte msg_type, payload,
     * padding (zeros) so that the whole packet is a multiple of 8 with at least 4 padding bytes.
     */
    static byte[] packet(int msgType, byte[] payload) {
        int unpadded = 4 + 1 + 1 + payload.length;
        int pad = 8 - unpadded % 8;
        if (pad < 4) {
            pad += 8;
        }
        int packetLength = 1 + 1 + payload.length + pad;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, packetLength);                 // packet_length
        out.write(pad);                         // padding_length
        out.write(msgType);                     // msg_type
        out.writeBytes(payload);                // payload
        out.writeBytes(new byte[pad]);          // random padding
        return out.toByteArray();
    }

    /** KEXINIT with the same lists in both directions. */
    static byte[] kexinit(String kex, String hostKey, String cipher, String mac, String compression) {
        return kexinit(kex, hostKey, cipher, cipher, mac, mac, compression, compression);
    }

    static byte[] kexinit(String kex, String hostKey, String encC2s, String encS2c, String macC2s, String macS2c,
            String compC2s, String compS2c) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[16]);             // cookie
        str(p, ascii(kex));                     // kex_algorithms
        str(p, ascii(hostKey));                 // server_host_key_algorithms
        str(p, ascii(encC2s));                  // encryption_algorithms_client_to_server
        str(p, ascii(encS2c));                  // encryption_algorithms_server_to_client
        str(p, ascii(macC2s));                  // mac_algorithms_client_to_server
        str(p, ascii(macS2c));                  // mac_algorithms_server_to_client
        str(p, ascii(compC2s));                 // compression_algorithms_client_to_server
        str(p, ascii(compS2c));                 // compression_algorithms_server_to_client
        str(p, new byte[0]);                    // languages_client_to_server
        str(p, new byte[0]);                    // languages_server_to_client
        p.write(0);                             // first_kex_packet_follows
        u32(p, 0);                              // reserved
        return packet(KEXINIT, p.toByteArray());
    }

    /** A message whose payload is a sequence of SSH strings. */
    static byte[] strings(int msgType, byte[]... values) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (byte[] v : values) {
            str(p, v);
        }
        return packet(msgType, p.toByteArray());
    }

    /** An SSH host key blob: string key type, then key material. */
    static byte[] hostKeyBlob(String type, int materialLength) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        str(p, ascii(type));                    // key type
        byte[] material = new byte[materialLength];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        str(p, material);                       // public key
        return p.toByteArray();
    }

    static byte[] newkeys() {
        return packet(NEWKEYS, new byte[0]);
    }

    /**
     * An SSH1 packet: uint32 length (type + data + crc), 8 - length % 8 padding bytes, type,
     * data, crc.
     */
    static byte[] ssh1Packet(int type, byte[] data) {
        int length = 1 + data.length + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, length);                       // length
        out.writeBytes(new byte[8 - length % 8]); // padding
        out.write(type);                        // packet type
        out.writeBytes(data);                   // data
        u32(out, 0);                            // crc32
        return out.toByteArray();
    }

    /** SSH_SMSG_PUBLIC_KEY with small keys. */
    static byte[] ssh1PublicKey() {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(new byte[8]);              // anti-spoofing cookie
        u32(d, 768);                            // server_key_bits
        mp(d, 17);                              // server_key_public_exponent
        mp(d, 768);                             // server_key_public_modulus
        u32(d, 1024);                           // host_key_bits
        mp(d, 17);                              // host_key_public_exponent
        mp(d, 1024);                            // host_key_public_modulus
        u32(d, 2);                              // protocol_flags
        u32(d, 0x48);                           // supported_ciphers_mask
        u32(d, 0x24);                           // supported_authentications_mask
        return ssh1Packet(2, d.toByteArray());
    }

    /** SSH_CMSG_SESSION_KEY. */
    static byte[] ssh1SessionKey() {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(3);                             // cipher_type
        d.writeBytes(new byte[8]);              // anti-spoofing cookie
        mp(d, 1020);                            // double-encrypted session key
        u32(d, 0);                              // protocol_flags
        return ssh1Packet(3, d.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void mp(ByteArrayOutputStream out, int bits) {
        out.write(bits >>> 8);                  // mp-int bit count
        out.write(bits);
        out.writeBytes(new byte[(bits + 7) / 8]); // value
    }

    static void str(ByteArrayOutputStream out, byte[] v) {
        u32(out, v.length);                     // string length
        out.writeBytes(v);                      // string bytes
    }

    static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
