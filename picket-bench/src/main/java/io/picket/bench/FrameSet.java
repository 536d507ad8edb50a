package io.picket.bench;

import io.picket.capture.LinkTypes;
import io.picket.capture.RawPacket;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Captured frames laid out back to back in one off-heap segment (as a memory-mapped capture
 * file is), each described by a {@link RawPacket}. The named sets are the frame kinds the
 * benchmarks decode.
 *
 * <p>Built on the setup thread, then read by one benchmark thread; the segment lives as long as
 * the set is reachable.
 */
public final class FrameSet {
    /** 802.1Q-tagged IPv4 TCP frames (one tag): the 14 frames of Zeek's vlan-collisions.pcap on VLAN 42. */
    public static final String VLAN_TCP = "vlan-tcp";
    /** QinQ IPv4 UDP frames (outer 13, inner 10): the 4 UDP frames of Zeek's q-in-q.pcap. */
    public static final String QINQ_UDP = "qinq-udp";
    /** Untagged IPv6 UDP frames, not fragmented: 9 frames of DNS, LLMNR and mDNS from two Zeek captures. */
    public static final String IPV6 = "ipv6";
    /** Every frame (617) of the 8-tenant capture, including ARP, STP and IPv6 fragments. */
    public static final String MIX = "mix";
    /** The frames of the 8-tenant capture that decode to a complete IP packet on their own. */
    public static final String MIX_IP = "mix-ip";

    private final RawPacket[] frames;
    private final MemorySegment data;

    private FrameSet(RawPacket[] frames, MemorySegment data) {
        this.frames = frames;
        this.data = data;
    }

    /** The frames of {@code list}, copied off-heap. */
    public static FrameSet of(List<Traces.Frame> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        long total = 0;
        for (Traces.Frame f : list) {
            total += f.bytes().length;
        }
        MemorySegment seg = Arena.ofAuto().allocate(total, 64);
        RawPacket[] out = new RawPacket[list.size()];
        long off = 0;
        for (int i = 0; i < out.length; i++) {
            Traces.Frame f = list.get(i);
            MemorySegment.copy(f.bytes(), 0, seg, ValueLayout.JAVA_BYTE, off, f.bytes().length);
            RawPacket r = new RawPacket();
            r.segment = seg;
            r.offset = off;
            r.capturedLength = f.bytes().length;
            r.wireLength = f.wireLength();
            r.tsSeconds = Math.floorDiv(f.tsMicros(), 1_000_000L);
            r.tsNanos = (int) Math.floorMod(f.tsMicros(), 1_000_000L) * 1000;
            r.linkType = LinkTypes.ETHERNET;
            out[i] = r;
            off += f.bytes().length;
        }
        return new FrameSet(out, seg);
    }

    /** The named set ({@link #VLAN_TCP}, {@link #QINQ_UDP}, {@link #IPV6}, {@link #MIX}, {@link #MIX_IP}). */
    public static FrameSet named(String name) {
        return switch (name) {
            case VLAN_TCP -> of(filter(Traces.read(Traces.VLAN_COLLISIONS),
                    p -> p.ipProto == 6 && p.vlan >= 0 && p.innerVlan < 0));
            case QINQ_UDP -> of(filter(Traces.read(Traces.QINQ), p -> p.ipProto == 17 && p.innerVlan >= 0));
            case IPV6 -> {
                List<Traces.Frame> v6 = new ArrayList<>(Traces.read(Traces.WIKIPEDIA));
                v6.addAll(Traces.read(Traces.IPV6_DNS));
                yield of(filter(v6, p -> p.ipVersion == 6));
            }
            case MIX -> of(Traces.eightTenants());
            case MIX_IP -> of(filter(Traces.eightTenants(), p -> true));
            default -> throw new IllegalArgumentException("unknown frame set " + name);
        };
    }

    /**
     * The frames that a fresh decoder (checksums verified) turns into a complete, non-fragmented
     * IP packet matching {@code accept}.
     */
    static List<Traces.Frame> filter(List<Traces.Frame> frames, Predicate<Packet> accept) {
        FrameSet all = of(frames);
        Packet p = new Packet();
        List<Traces.Frame> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            PacketDecoder d = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
            if (d.decode(all.frames[i], p) == PacketDecoder.IP && !p.reassembled && accept.test(p)) {
                out.add(frames.get(i));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no frame matches");
        }
        return out;
    }

    /** Number of frames. */
    public int size() {
        return frames.length;
    }

    /** Frame {@code i}; shared, do not modify. */
    public RawPacket frame(int i) {
        return frames[i];
    }

    /** All frames (the array is shared). */
    public RawPacket[] frames() {
        return frames;
    }

    /** Captured bytes of all frames. */
    public long bytes() {
        return data.byteSize();
    }
}
