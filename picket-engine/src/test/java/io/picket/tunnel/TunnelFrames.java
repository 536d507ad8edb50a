package io.picket.tunnel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds encapsulated frames for the tunnel tests: Ethernet, IPv4/IPv6 (valid checksums), UDP,
 * VXLAN, Geneve and GRE headers around a payload, and reads/writes classic pcap files.
 * Test-only.
 */
public final class TunnelFrames {
    public static final byte[] V4_A = {10, 99, 0, 1};
    public static final byte[] V4_B = {10, 99, 0, 2};
    public static final byte[] V6_A = v6(0x20010db8_00000000L, 0x0000_0000_0000_0001L);
    public static final byte[] V6_B = v6(0x20010db8_00000000L, 0x0000_0000_0000_0002L);

    private TunnelFrames() {
    }

    /** One captured frame. */
    public record Frame(long tsSeconds, int tsMicros, byte[] data) {
    }

    private static byte[] v6(long hi, long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Ethernet II: destination 02:00:00:00:00:02, source 02:00:00:00:00:01, then {@code type}. */
    public static byte[] ethernet(int type, byte[] payload) {
        byte[] h = {
            0x02, 0, 0, 0, 0, 0x02,           // destination MAC
            0x02, 0, 0, 0, 0, 0x01,           // source MAC
            (byte) (type >>> 8), (byte) type, // EtherType
        };
        return concat(h, payload);
    }

    /** IPv4 header (20 bytes, TTL 64, DF clear, valid header checksum) before {@code payload}. */
    public static byte[] ipv4(byte[] src, byte[] dst, int proto, byte[] payload) {
        int total = 20 + payload.length;
        byte[] h = {
            0x45, 0,                                  // version 4, IHL 5; DSCP/ECN
            (byte) (total >>> 8), (byte) total,       // total length
            0x12, 0x34,                               // identification
            0, 0,                                     // flags, fragment offset
            64, (byte) proto,                         // TTL, protocol
            0, 0,                                     // header checksum (filled below)
            src[0], src[1], src[2], src[3],           // source address
            dst[0], dst[1], dst[2], dst[3],           // destination address
        };
        int sum = ~fold(sum(h, 0, 20, 0)) & 0xFFFF;
        h[10] = (byte) (sum >>> 8);
        h[11] = (byte) sum;
        return concat(h, payload);
    }

    /** IPv6 header (40 bytes, hop limit 64) before {@code payload}. */
    public static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        int len = payload.length;
        byte[] h = new byte[40];
        h[0] = 0x60;                   // version 6, traffic class, flow label 0
        h[4] = (byte) (len >>> 8);     // payload length
        h[5] = (byte) len;
        h[6] = (byte) next;            // next header
        h[7] = 64;                     // hop limit
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        return concat(h, payload);
    }

    /**
     * UDP header before {@code payload}; the checksum is computed over the pseudo header of
     * {@code src}/{@code dst} unless {@code zeroChecksum}.
     */
    public static byte[] udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload, boolean zeroChecksum) {
        int len = 8 + payload.length;
        byte[] h = {
            (byte) (sport >>> 8), (byte) sport, // source port
            (byte) (dport >>> 8), (byte) dport, // destination port
            (byte) (len >>> 8), (byte) len,     // length
            0, 0,                               // checksum (filled below)
        };
        byte[] d = concat(h, payload);
        if (!zeroChecksum) {
            long pseudo = sum(src, 0, src.length, 0);
            pseudo = sum(dst, 0, dst.length, pseudo);
            pseudo += 17 + len;
            int c = ~fold(sum(d, 0, d.length, pseudo)) & 0xFFFF;
            if (c == 0) {
                c = 0xFFFF;
            }
            d[6] = (byte) (c >>> 8);
            d[7] = (byte) c;
        }
        return d;
    }

    /** An IP packet of the family of {@code src} around {@code payload}. */
    public static byte[] ip(byte[] src, byte[] dst, int proto, byte[] payload) {
        return src.length == 4 ? ipv4(src, dst, proto, payload) : ipv6(src, dst, proto, payload);
    }

    /** Ethernet + IP + UDP (v4: checksum 0 when {@code zeroChecksum}; v6 always computed unless asked). */
    public static byte[] udpFrame(byte[] src, byte[] dst, int sport, int dport, byte[] payload, boolean zeroChecksum) {
        byte[] u = udp(src, dst, sport, dport, payload, zeroChecksum);
        return ethernet(src.length == 4 ? 0x0800 : 0x86DD, ip(src, dst, 17, u));
    }

    /** Ethernet + IP (protocol {@code proto}) around {@code payload}. */
    public static byte[] ipFrame(byte[] src, byte[] dst, int proto, byte[] payload) {
        return ethernet(src.length == 4 ? 0x0800 : 0x86DD, ip(src, dst, proto, payload));
    }

    /** VXLAN header (I flag, VNI) before an Ethernet frame. */
    public static byte[] vxlan(int vni, byte[] inner) {
        byte[] h = {
            0x08, 0, 0, 0,                                         // flags: I; reserved
            (byte) (vni >>> 16), (byte) (vni >>> 8), (byte) vni, 0, // VNI; reserved
        };
        return concat(h, inner);
    }

    /** Geneve header (version 0, {@code optionWords} 4-byte option words of zeros) before {@code inner}. */
    public static byte[] geneve(int protocolType, int vni, int optionWords, byte[] inner) {
        byte[] h = {
            (byte) (optionWords & 0x3F), 0,                          // version 0, option length; flags
            (byte) (protocolType >>> 8), (byte) protocolType,        // protocol type
            (byte) (vni >>> 16), (byte) (vni >>> 8), (byte) vni, 0,  // VNI; reserved
        };
        return concat(h, new byte[optionWords * 4], inner);
    }

    /** GRE header with {@code flagsVersion} and {@code protocolType}, {@code extra} words, then {@code inner}. */
    public static byte[] gre(int flagsVersion, int protocolType, byte[] extra, byte[] inner) {
        byte[] h = {
            (byte) (flagsVersion >>> 8), (byte) flagsVersion, // flags and version
            (byte) (protocolType >>> 8), (byte) protocolType, // protocol type
        };
        return concat(h, extra, inner);
    }

    /** The IP packet inside an Ethernet frame (VLAN tags skipped), or null for non-IP frames. */
    public static byte[] ipOf(byte[] frame) {
        int off = 12;
        int type = ((frame[off] & 0xFF) << 8) | (frame[off + 1] & 0xFF);
        while (type == 0x8100 || type == 0x88A8) {
            off += 4;
            type = ((frame[off] & 0xFF) << 8) | (frame[off + 1] & 0xFF);
        }
        if (type != 0x0800 && type != 0x86DD) {
            return null;
        }
        byte[] out = new byte[frame.length - off - 2];
        System.arraycopy(frame, off + 2, out, 0, out.length);
        // trim Ethernet padding to the IP length
        int len = type == 0x0800 ? ((out[2] & 0xFF) << 8) | (out[3] & 0xFF)
                : 40 + (((out[4] & 0xFF) << 8) | (out[5] & 0xFF));
        if (len < out.length) {
            byte[] t = new byte[len];
            System.arraycopy(out, 0, t, 0, len);
            return t;
        }
        return out;
    }

    /** Frames of a little-endian microsecond pcap file. */
    public static List<Frame> readPcap(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xA1B2C3D4) {
            throw new IOException(file + ": not a little-endian microsecond pcap");
        }
        List<Frame> out = new ArrayList<>();
        int off = 24;
        while (off + 16 <= b.limit()) {
            long sec = b.getInt(off) & 0xFFFF_FFFFL;
            int usec = b.getInt(off + 4);
            int cap = b.getInt(off + 8);
            byte[] d = new byte[cap];
            b.get(off + 16, d);
            out.add(new Frame(sec, usec, d));
            off += 16 + cap;
        }
        return out;
    }

    /** Writes {@code frames} as an Ethernet pcap. */
    public static void writePcap(Path file, List<Frame> frames) throws IOException {
        Files.createDirectories(file.getParent());
        try (io.picket.capture.PcapWriter w = new io.picket.capture.PcapWriter(file, 1, 65535)) {
            for (Frame f : frames) {
                w.write(f.tsSeconds(), f.tsMicros(), f.data());
            }
        }
    }

    static long sum(byte[] d, int off, int len, long acc) {
        for (int i = 0; i + 1 < len; i += 2) {
            acc += ((d[off + i] & 0xFF) << 8) | (d[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            acc += (d[off + len - 1] & 0xFF) << 8;
        }
        return acc;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
