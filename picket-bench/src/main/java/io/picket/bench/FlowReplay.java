package io.picket.bench;

import io.picket.capture.RawPacket;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.tenant.TenantSelector;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded packets of the 8-tenant capture replayed over and over with network time advancing,
 * for the connection stage. Each call to {@link #next()} rewrites one pre-decoded
 * {@link Packet} in place for the current pass and returns its index; nothing is allocated.
 *
 * <ul>
 * <li>{@link Mode#STEADY}: the same flows on every pass. The TCP handshake packets (SYN, SYN-ACK)
 *     come once, before the first pass (timed just before it); packets with FIN or RST, and every
 *     packet of a flow after its first FIN or RST, are left out; each pass shifts the sequence
 *     and acknowledgement numbers of a direction by the sequence space that direction used in
 *     one pass, so the tracker sees long-lived connections whose streams go on in order. Each
 *     direction advertises one window (its largest in the pass), or the jump back to the early,
 *     smaller windows at the start of a pass would be a {@code window_recision}. Once
 *     the flows without steady packets (handshake only) have timed out, no connection is created
 *     or removed.</li>
 * <li>{@link Mode#CHURN}: every IP packet, with bits 8-23 of both addresses XORed with the pass
 *     number, so each pass brings new connections and old ones time out (insert and expiry).</li>
 * </ul>
 * Time: pass k shifts every packet by k times the span of one pass (plus 1 ms).
 *
 * <p>Owned by one thread.
 */
public final class FlowReplay {
    /** What each pass looks like to the tracker. */
    public enum Mode { STEADY, CHURN }

    private final Mode mode;
    private final FrameSet frames;
    private final Packet[] packets;
    private final int[] tenants;
    private final double[] time;
    private final long[] timeMicros;
    private final long[] seq;
    private final long[] ack;
    private final long[] seqStep;
    private final long[] ackStep;
    private final long[] srcLo;
    private final long[] dstLo;
    /** Frame of each packet in {@link #frames}, and its transport header's offset in that frame. */
    private final int[] frameIndex;
    private final int[] l4InFrame;
    private final int prologue;
    private final double span;
    private final long spanMicros;
    private long pass;
    private int index = -1;

    private FlowReplay(Mode mode, FrameSet frames, List<Packet> kept, List<Integer> keptTenants,
            List<Integer> keptFrames, int prologue) {
        this.mode = mode;
        this.frames = frames;
        this.prologue = prologue;
        int n = kept.size();
        packets = kept.toArray(new Packet[0]);
        tenants = new int[n];
        time = new double[n];
        timeMicros = new long[n];
        seq = new long[n];
        ack = new long[n];
        seqStep = new long[n];
        ackStep = new long[n];
        srcLo = new long[n];
        dstLo = new long[n];
        frameIndex = new int[n];
        l4InFrame = new int[n];
        for (int i = 0; i < n; i++) {
            Packet p = packets[i];
            tenants[i] = keptTenants.get(i);
            frameIndex[i] = keptFrames.get(i);
            l4InFrame[i] = (int) (p.l4Offset - frames.frame(frameIndex[i]).offset);
            time[i] = p.time;
            timeMicros[i] = p.timeMicros;
            seq[i] = p.seq;
            ack[i] = p.ack;
            srcLo[i] = p.srcLo;
            dstLo[i] = p.dstLo;
        }
        for (int i = 0; i < prologue; i++) {
            timeMicros[i] = timeMicros[prologue] - (prologue - i);
            time[i] = timeMicros[i] / 1e6;
        }
        if (mode == Mode.STEADY) {
            computeSteps();
        }
        spanMicros = timeMicros[n - 1] - timeMicros[prologue] + 1000;
        span = spanMicros / 1e6;
    }

    /**
     * The IP packets of the 8-tenant capture owned by a tenant of {@code selector}, prepared for
     * {@code mode}.
     */
    public static FlowReplay of(Mode mode, TenantSelector selector) {
        FrameSet frames = FrameSet.named(FrameSet.MIX_IP);
        PacketDecoder d = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
        List<Packet> kept = new ArrayList<>();
        List<Integer> keptTenants = new ArrayList<>();
        List<Integer> keptFrames = new ArrayList<>();
        List<Packet> handshakes = new ArrayList<>();
        List<Integer> handshakeTenants = new ArrayList<>();
        List<Integer> handshakeFrames = new ArrayList<>();
        Map<FlowKey, Boolean> closed = new HashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            Packet p = new Packet();
            if (d.decode(frames.frame(i), p) != PacketDecoder.IP || p.reassembled) {
                continue;
            }
            int t = selector.select(p);
            if (t == TenantSelector.UNASSIGNED) {
                continue;
            }
            if (mode == Mode.STEADY && p.ipProto == 6) {
                FlowKey k = FlowKey.of(t, p).canonical();
                if (closed.containsKey(k)) {
                    continue;
                }
                if ((p.tcpFlags & (Packet.TCP_FIN | Packet.TCP_RST)) != 0) {
                    closed.put(k, true);
                    continue;
                }
                if ((p.tcpFlags & Packet.TCP_SYN) != 0) {
                    handshakes.add(p);
                    handshakeTenants.add(t);
                    handshakeFrames.add(i);
                    continue;
                }
            }
            kept.add(p);
            keptTenants.add(t);
            keptFrames.add(i);
        }
        handshakes.addAll(kept);
        handshakeTenants.addAll(keptTenants);
        handshakeFrames.addAll(keptFrames);
        return new FlowReplay(mode, frames, handshakes, handshakeTenants, handshakeFrames,
                handshakes.size() - kept.size());
    }

    /** Direction of a flow: tenant, addresses and ports as seen in one packet. */
    private record FlowKey(int tenant, int proto, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        static FlowKey of(int tenant, Packet p) {
            return new FlowKey(tenant, p.ipProto, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        }

        FlowKey reverse() {
            return new FlowKey(tenant, proto, bHi, bLo, bPort, aHi, aLo, aPort);
        }

        FlowKey canonical() {
            int c = Long.compare(aHi, bHi);
            if (c == 0) {
                c = Long.compare(aLo, bLo);
            }
            if (c == 0) {
                c = Integer.compare(aPort, bPort);
            }
            return c <= 0 ? this : reverse();
        }
    }

    /** Sequence space one pass of each TCP direction uses: its data and what the peer acknowledged. */
    private void computeSteps() {
        Map<FlowKey, long[]> dirs = new HashMap<>(); // first seq, min rel, max rel end, max window
        for (int i = prologue; i < packets.length; i++) {
            Packet p = packets[i];
            if (p.ipProto != 6) {
                continue;
            }
            FlowKey k = FlowKey.of(tenants[i], p);
            long[] d = dirs.computeIfAbsent(k, x -> new long[] {p.seq, 0, 0, 0});
            long rel = (int) (p.seq - d[0]);
            d[1] = Math.min(d[1], rel);
            d[2] = Math.max(d[2], rel + p.payloadLength);
            d[3] = Math.max(d[3], p.window);
        }
        for (int i = prologue; i < packets.length; i++) {
            Packet p = packets[i];
            if (p.ipProto != 6 || (p.tcpFlags & Packet.TCP_ACK) == 0) {
                continue;
            }
            long[] peer = dirs.get(FlowKey.of(tenants[i], p).reverse());
            if (peer != null) {
                peer[2] = Math.max(peer[2], (int) (p.ack - peer[0]));
            }
        }
        for (int i = prologue; i < packets.length; i++) {
            Packet p = packets[i];
            if (p.ipProto != 6) {
                continue;
            }
            FlowKey k = FlowKey.of(tenants[i], p);
            long[] d = dirs.get(k);
            seqStep[i] = d[2] - d[1];
            p.window = (int) d[3];
            long[] peer = dirs.get(k.reverse());
            ackStep[i] = peer == null ? 0 : peer[2] - peer[1];
        }
    }

    /**
     * Prepares the next packet of the replay ({@link #packet}, {@link #tenant}) and returns its
     * index.
     */
    public int next() {
        int i = index + 1;
        if (i == packets.length) {
            i = prologue;
            pass++;
        }
        index = i;
        Packet p = packets[i];
        long k = pass;
        p.time = time[i] + k * span;
        p.timeMicros = timeMicros[i] + k * spanMicros;
        if (mode == Mode.STEADY) {
            p.seq = (seq[i] + k * seqStep[i]) & 0xFFFF_FFFFL;
            p.ack = (ack[i] + k * ackStep[i]) & 0xFFFF_FFFFL;
        } else {
            long x = ((k + 1) & 0xFFFF) << 8;
            p.srcLo = srcLo[i] ^ x;
            p.dstLo = dstLo[i] ^ x;
        }
        return i;
    }

    /**
     * The frames of {@link Mode#STEADY} replay's first {@code passes} passes (handshakes
     * included), as a capture: each frame is a copy of its original with the TCP sequence,
     * acknowledgement and window fields rewritten as {@link #next()} sets them. TCP checksums are
     * then wrong: read the capture with checksums ignored (Zeek's {@code -C}). Uses a fresh
     * replay; this one is not advanced.
     */
    public static List<Traces.Frame> steadyCapture(TenantSelector selector, int passes) {
        FlowReplay r = of(Mode.STEADY, selector);
        int total = r.prologue + passes * r.size();
        List<Traces.Frame> out = new ArrayList<>(total);
        for (int n = 0; n < total; n++) {
            int i = r.next();
            Packet p = r.packets[i];
            RawPacket raw = r.frames.frame(r.frameIndex[i]);
            byte[] b = raw.segment.asSlice(raw.offset, raw.capturedLength).toArray(ValueLayout.JAVA_BYTE);
            if (p.ipProto == 6) {
                int at = r.l4InFrame[i];
                putU32(b, at + 4, p.seq);
                putU32(b, at + 8, p.ack);
                b[at + 14] = (byte) (p.window >>> 8);
                b[at + 15] = (byte) p.window;
            }
            out.add(new Traces.Frame(p.timeMicros, b, raw.wireLength));
        }
        return out;
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** The packet at {@code index}, as last prepared by {@link #next()}. */
    public Packet packet(int index) {
        return packets[index];
    }

    /** The tenant of the packet at {@code index}. */
    public int tenant(int index) {
        return tenants[index];
    }

    /** Packets in one pass (the handshakes before the first pass not counted). */
    public int size() {
        return packets.length - prologue;
    }

    /** Packets before the first pass (TCP handshakes in {@link Mode#STEADY}). */
    public int prologue() {
        return prologue;
    }

    /** Completed passes. */
    public long passes() {
        return pass;
    }

    /** The frames the packets point into (kept reachable with the replay). */
    FrameSet frames() {
        return frames;
    }
}
