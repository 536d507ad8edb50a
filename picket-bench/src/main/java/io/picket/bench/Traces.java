package io.picket.bench;

import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.LinkTypes;
import io.picket.capture.PacketSource;
import io.picket.capture.PcapWriter;
import io.picket.capture.RawPacket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The benchmark traffic: the Zeek test captures bundled in {@code io/picket/bench/traces/} (see
 * the README there) and the 8-tenant capture built from them by re-tagging copies onto the VLANs
 * of {@code tenants-8.yaml}.
 *
 * <p>Used on the benchmark's setup thread only; every method builds new lists. A missing or
 * unreadable bundled capture is a broken build and throws {@link UncheckedIOException}.
 */
public final class Traces {
    /** Zeek's {@code testing/btest/Traces/wikipedia.pcap}: HTTP, DNS, NetBIOS, IPv6 link-local UDP, ARP. */
    public static final String WIKIPEDIA = "wikipedia.pcap";
    /** Zeek's {@code ssh/single-conn.pcap}: one SSH connection. */
    public static final String SSH = "ssh-single-conn.pcap";
    /** Zeek's {@code vlan-collisions.pcap}: one HTTP flow untagged, on VLAN 42 and on QinQ 10/20. */
    public static final String VLAN_COLLISIONS = "vlan-collisions.pcap";
    /** Zeek's {@code q-in-q.pcap}: QinQ (13/10) UDP and ARP. */
    public static final String QINQ = "q-in-q.pcap";
    /** Zeek's {@code ipv6-fragmented-dns.pcap}: IPv6 DNS, one reply in fragments. */
    public static final String IPV6_DNS = "ipv6-fragmented-dns.pcap";

    /** The 8-tenant configuration matching {@link #eightTenants()}. */
    public static final String TENANTS_8 = "tenants-8.yaml";

    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88A8;
    static final int TPID_QINQ_LEGACY = 0x9100;
    /** VLAN owned by no tenant of {@link #TENANTS_8}. */
    static final int UNASSIGNED_VLAN = 999;

    private static final String ROOT = "/io/picket/bench/";
    private static final int MAC_BYTES = 12;
    private static final int TAG_BYTES = 4;
    private static final long SLOT_STEP_MICROS = 100_000L;
    private static final long BASE_MICROS = 1_700_000_000L * 1_000_000L;

    /** One captured Ethernet frame. */
    public record Frame(long tsMicros, byte[] bytes, int wireLength) {
    }

    /**
     * One copy of a bundled capture in the 8-tenant mix: the tags put on its frames as (TPID,
     * VLAN id) pairs from outermost to innermost, or null to keep the capture's own tags.
     */
    private record Slot(String capture, int[] tags) {
    }

    /**
     * The copies making up {@link #eightTenants()}; {@code tenants-8.yaml} says which tenant
     * owns which tags. Every selection path of {@link io.picket.tenant.TenantSelector} is used:
     * a single outer VLAN, an outer range, the 0x9100 TPID, inner tags of QinQ frames, untagged
     * frames and a VLAN nobody claims.
     */
    private static final List<Slot> SLOTS = List.of(
            new Slot(WIKIPEDIA, new int[] {TPID_8021Q, 1000}),                   // web
            new Slot(SSH, new int[] {TPID_8021Q, 1001}),                         // ssh
            new Slot(WIKIPEDIA, new int[] {TPID_8021Q, 1150}),                   // range 1100-1199
            new Slot(VLAN_COLLISIONS, null),                                     // own tags 42 and 10/20 (+ untagged)
            new Slot(QINQ, null),                                                // own tags 13/10: inner 10
            new Slot(IPV6_DNS, new int[] {TPID_8021AD, 300, TPID_8021Q, 2001}),  // inner 2000-2099
            new Slot(SSH, new int[0]),                                           // untagged
            new Slot(SSH, new int[] {TPID_QINQ_LEGACY, 1500}),                   // 0x9100 tag 1500
            new Slot(IPV6_DNS, new int[] {TPID_8021Q, UNASSIGNED_VLAN}));        // unassigned

    private Traces() {
    }

    /** The frames of bundled capture {@code name}, in capture order. */
    public static List<Frame> read(String name) {
        String path = ROOT + "traces/" + name;
        List<Frame> frames = new ArrayList<>();
        RawPacket p = new RawPacket();
        try (PacketSource src = CaptureFiles.open(path, MemorySegment.ofArray(resource("traces/" + name)))) {
            while (src.next(p)) {
                if (p.linkType != LinkTypes.ETHERNET) {
                    throw new IllegalStateException(path + ": link type " + p.linkType);
                }
                frames.add(new Frame(p.timeMicros(),
                        p.segment.asSlice(p.offset, p.capturedLength).toArray(ValueLayout.JAVA_BYTE), p.wireLength));
            }
        } catch (CaptureException e) {
            throw new UncheckedIOException(new IOException(path + ": " + e.getMessage(), e));
        }
        return frames;
    }

    /** Text of {@link #TENANTS_8}. */
    public static String tenantsYaml() {
        return new String(resource(TENANTS_8), StandardCharsets.UTF_8);
    }

    /**
     * The 8-tenant capture: every slot's copy re-tagged, started 0.1 s after the previous one and
     * merged in time order (617 frames over about 21 s, of which 8 on the unassigned VLAN 999).
     */
    public static List<Frame> eightTenants() {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < SLOTS.size(); i++) {
            Slot slot = SLOTS.get(i);
            List<Frame> frames = read(slot.capture());
            long first = frames.getFirst().tsMicros();
            long start = BASE_MICROS + i * SLOT_STEP_MICROS;
            for (Frame f : frames) {
                byte[] b = slot.tags() == null ? f.bytes() : retag(f.bytes(), slot.tags());
                out.add(new Frame(start + f.tsMicros() - first, b, f.wireLength() + b.length - f.bytes().length));
            }
        }
        out.sort(Comparator.comparingLong(Frame::tsMicros));
        return out;
    }

    /**
     * {@code copies} back-to-back copies of {@code frames}, copy k shifted by k times
     * {@code gapMicros} plus the span of {@code frames}.
     */
    public static List<Frame> repeat(List<Frame> frames, int copies, long gapMicros) {
        long first = frames.getFirst().tsMicros();
        long span = frames.getLast().tsMicros() - first + gapMicros;
        List<Frame> out = new ArrayList<>(frames.size() * copies);
        for (int k = 0; k < copies; k++) {
            for (Frame f : frames) {
                out.add(new Frame(f.tsMicros() + k * span, f.bytes(), f.wireLength()));
            }
        }
        return out;
    }

    /** Writes {@code frames} as a classic microsecond pcap (Ethernet). */
    public static void writePcap(Path file, List<Frame> frames) {
        try (PcapWriter w = new PcapWriter(file, LinkTypes.ETHERNET, 262_144)) {
            for (Frame f : frames) {
                w.write(Math.floorDiv(f.tsMicros(), 1_000_000L), (int) Math.floorMod(f.tsMicros(), 1_000_000L),
                        f.bytes(), 0, f.bytes().length, f.wireLength());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of Ethernet frame {@code frame} with its VLAN tags (0x8100, 0x88A8, 0x9100) replaced
     * by {@code tags}, (TPID, VLAN id) pairs from outermost to innermost.
     */
    static byte[] retag(byte[] frame, int[] tags) {
        int rest = MAC_BYTES;
        while (rest + TAG_BYTES + 2 <= frame.length && isVlanTpid(u16(frame, rest))) {
            rest += TAG_BYTES;
        }
        int added = tags.length / 2 * TAG_BYTES;
        byte[] out = new byte[MAC_BYTES + added + frame.length - rest];
        System.arraycopy(frame, 0, out, 0, MAC_BYTES);
        int at = MAC_BYTES;
        for (int t = 0; t < tags.length; t += 2) {
            out[at] = (byte) (tags[t] >>> 8);
            out[at + 1] = (byte) tags[t];
            out[at + 2] = (byte) ((tags[t + 1] >>> 8) & 0x0F);
            out[at + 3] = (byte) tags[t + 1];
            at += TAG_BYTES;
        }
        System.arraycopy(frame, rest, out, at, frame.length - rest);
        return out;
    }

    private static boolean isVlanTpid(int type) {
        return type == TPID_8021Q || type == TPID_8021AD || type == TPID_QINQ_LEGACY;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static byte[] resource(String relative) {
        String name = ROOT + relative;
        try (InputStream in = Traces.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing bundled resource " + name));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
