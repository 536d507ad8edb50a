package io.picket.decode;

import io.picket.capture.RawPacket;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * Test-only frame builder: small helpers that assemble link, IP and transport headers field by
 * field and compute checksums independently of the decoder.
 */
final class Frames {
    static final byte[] MAC_DST = hex("00 11 22 33 44 55");
    static final byte[] MAC_SRC = hex("66 77 88 99 aa bb");

    private Frames() {
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s_]", ""));
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }

    static byte[] addr(String text) {
        long[] a = Addresses.parse(text);
        if (Addresses.isIpv4(a[0], a[1])) {
            return u32(a[1]);
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a[0] >>> (56 - 8 * i));
            b[8 + i] = (byte) (a[1] >>> (56 - 8 * i));
        }
        return b;
    }

    // ---- link layer

    /** Ethernet II: dst MAC, src MAC, EtherType, payload. */
    static byte[] ethernet(int etherType, byte[] payload) {
        return cat(MAC_DST, MAC_SRC, u16(etherType), payload);
    }

    /** One 802.1Q tag body as it follows a tag EtherType: TCI, inner EtherType, payload. */
    static byte[] tag(int tci, int innerType, byte[] payload) {
        return cat(u16(tci), u16(innerType), payload);
    }

    // ---- IPv4

    /** IPv4 header builder (checksum computed unless set). */
    static final class V4 {
        int tos;
        int totalLength = -1;
        int id = 0x1234;
        int flagsOffset = 0x4000; // DF
        int ttl = 64;
        int proto;
        String src = "10.0.0.1";
        String dst = "10.0.0.2";
        byte[] options = new byte[0];
        int checksum = -1;
        int ihl = -1;

        V4(int proto) {
            this.proto = proto;
        }

        V4 src(String s) {
            src = s;
            return this;
        }

        V4 dst(String d) {
            dst = d;
            return this;
        }

        V4 id(int v) {
            id = v;
            return this;
        }

        V4 frag(boolean df, boolean mf, int offsetBytes) {
            flagsOffset = (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (offsetBytes / 8);
            return this;
        }

        V4 totalLength(int v) {
            totalLength = v;
            return this;
        }

        V4 options(byte[] o) {
            options = o;
            return this;
        }

        V4 checksum(int v) {
            checksum = v;
            return this;
        }

        V4 ihl(int v) {
            ihl = v;
            return this;
        }

        V4 ttl(int v) {
            ttl = v;
            return this;
        }

        /** Header (with options) followed by the payload. */
        byte[] build(byte[] payload) {
            int hl = 20 + options.length;
            int ihlValue = ihl >= 0 ? ihl : hl / 4;
            int tl = totalLength >= 0 ? totalLength : hl + payload.length;
            byte[] h = cat(
                    new byte[] {(byte) (0x40 | ihlValue), (byte) tos}, // version 4 | IHL, TOS
                    u16(tl),                                           // total length
                    u16(id),                                           // identification
                    u16(flagsOffset),                                  // flags | fragment offset
                    new byte[] {(byte) ttl, (byte) proto},             // TTL, protocol
                    u16(0),                                            // header checksum (below)
                    addr(src), addr(dst),                              // addresses
                    options);
            int c = checksum >= 0 ? checksum : ~Frames.checksum(h, 0, h.length, 0) & 0xFFFF;
            h[10] = (byte) (c >>> 8);
            h[11] = (byte) c;
            return cat(h, payload);
        }
    }

    static V4 v4(int proto) {
        return new V4(proto);
    }

    // ---- IPv6

    /** Fixed IPv6 header: version/class/flow, payload length, next header, hop limit, addresses. */
    static byte[] ipv6(int next, String src, String dst, byte[] payload) {
        return ipv6(next, src, dst, payload, payload.length);
    }

    static byte[] ipv6(int next, String src, String dst, byte[] payload, int payloadLength) {
        return cat(hex("60 00 00 00"), u16(payloadLength), new byte[] {(byte) next, 64}, addr(src), addr(dst), payload);
    }

    /** Generic extension header (hop-by-hop, routing, destination options): next, length in 8-octet units - 1, body. */
    static byte[] ext(int next, byte[] body) {
        int total = 2 + body.length;
        if (total % 8 != 0) {
            throw new IllegalArgumentException("extension header must be a multiple of 8 bytes: " + total);
        }
        return cat(new byte[] {(byte) next, (byte) (total / 8 - 1)}, body);
    }

    /** IPv6 fragment header: next, reserved, offset | M, identification. */
    static byte[] fragHeader(int next, int offsetBytes, boolean more, long id) {
        return cat(new byte[] {(byte) next, 0}, u16(offsetBytes | (more ? 1 : 0)), u32(id));
    }

    // ---- transport

    /** TCP header without checksum (fill with {@link #withTransportChecksum}): ports, seq, ack, offset, flags, window. */
    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        return cat(u16(sport), u16(dport), u32(seq), u32(ack),
                new byte[] {(byte) ((hl / 4) << 4), (byte) flags}, // data offset, flags
                u16(65535), u16(0), u16(0),                          // window, checksum, urgent pointer
                options, payload);
    }

    /** UDP header: ports, length, checksum 0. */
    static byte[] udp(int sport, int dport, byte[] payload) {
        return cat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
    }

    /** ICMP/ICMPv6 header: type, code, checksum 0, rest of header (4 bytes). */
    static byte[] icmp(int type, int code, byte[] rest, byte[] payload) {
        return cat(new byte[] {(byte) type, (byte) code}, u16(0), rest, payload);
    }

    /**
     * Fills the transport checksum of an IPv4 or IPv6 packet (no extension headers, or the given
     * offset of the transport header) in place and returns the packet.
     */
    static byte[] withTransportChecksum(byte[] ip, int l4Offset, int proto) {
        int version = (ip[0] & 0xFF) >>> 4;
        int l4Len = ip.length - l4Offset;
        long sum = 0;
        if (proto != 1) {
            if (version == 4) {
                sum = checksum(ip, 12, 8, 0);
            } else {
                sum = checksum(ip, 8, 32, 0);
            }
            sum += proto + l4Len;
        }
        int field = switch (proto) {
            case 6 -> 16;
            case 17 -> 6;
            default -> 2;
        };
        ip[l4Offset + field] = 0;
        ip[l4Offset + field + 1] = 0;
        int c = ~fold(checksum(ip, l4Offset, l4Len, sum)) & 0xFFFF;
        if (proto == 17 && c == 0) {
            c = 0xFFFF;
        }
        ip[l4Offset + field] = (byte) (c >>> 8);
        ip[l4Offset + field + 1] = (byte) c;
        return ip;
    }

    /** Plain 16-bit ones'-complement sum, folded. */
    static int checksum(byte[] b, int off, int len, long sum) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        return fold(sum);
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    // ---- raw packets

    /** A raw packet over exactly the frame bytes (any read outside them throws). */
    static RawPacket raw(int linkType, byte[] frame) {
        return raw(linkType, frame, frame.length);
    }

    static RawPacket raw(int linkType, byte[] frame, int wireLength) {
        RawPacket r = new RawPacket();
        r.segment = MemorySegment.ofArray(frame);
        r.offset = 0;
        r.capturedLength = frame.length;
        r.wireLength = wireLength;
        r.tsSeconds = 1_700_000_000L;
        r.tsNanos = 123_456_000;
        r.linkType = linkType;
        return r;
    }

    /** Frame cut to {@code snap} captured bytes (wire length stays the full length). */
    static RawPacket snapped(int linkType, byte[] frame, int snap) {
        byte[] cut = java.util.Arrays.copyOf(frame, snap);
        return raw(linkType, cut, frame.length);
    }
}
