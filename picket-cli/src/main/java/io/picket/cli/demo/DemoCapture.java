package io.picket.cli.demo;

import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.LinkTypes;
import io.picket.capture.PacketSource;
import io.picket.capture.PcapWriter;
import io.picket.capture.RawPacket;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the multi-tenant input of {@code picket demo} from real captures bundled under
 * {@code demo/traffic/} (see {@code SOURCES.md} there): every seed frame gets the VLAN tag(s) of
 * its tenant (tags already present are replaced), each seed's timeline is shifted to start at
 * {@link #BASE_EPOCH_SECONDS} plus a per-tenant offset, and all frames are merged in timestamp
 * order (stable: equal timestamps keep tenant, seed and frame order).
 *
 * <table>
 * <caption>Layout of demo.pcap</caption>
 * <tr><th>tenant</th><th>tags</th><th>traffic</th><th>start</th></tr>
 * <tr><td>acme</td><td>802.1Q 1000</td><td>HTTP + DNS</td><td>+0.1 s</td></tr>
 * <tr><td>globex</td><td>802.1Q 1001</td><td>SSH + TLS</td><td>+0.2 s</td></tr>
 * <tr><td>initech</td><td>802.1ad 300, then 802.1Q 1002 (selected by the inner tag)</td>
 *     <td>DNS + ICMP</td><td>+0.3 s</td></tr>
 * <tr><td>umbrella</td><td>802.1Q 1003</td><td>acme's frames again, same IP addresses</td>
 *     <td>+0.4 s</td></tr>
 * <tr><td>(none)</td><td>802.1Q 999</td><td>DNS, owned by no tenant</td><td>+0.5 s</td></tr>
 * </table>
 *
 * <p>The output is the same bytes on every run. Stateless; called by the thread running the
 * demo command, and safe from any thread as long as two calls do not share an output directory.
 */
public final class DemoCapture {
    /** Name of the capture written into the output directory. */
    public static final String PCAP_FILE = "demo.pcap";
    /** Name of the tenant configuration written into the output directory. */
    public static final String TENANTS_FILE = "tenants.yaml";
    /** Start of the demo timeline: 2024-06-01T00:00:00Z. */
    public static final long BASE_EPOCH_SECONDS = 1_717_200_000L;
    /** Snaplen written in the pcap header (libpcap's maximum; no seed frame is cut). */
    public static final int SNAPLEN = 262_144;
    /** VLAN id of the frames that no tenant owns. */
    public static final int UNASSIGNED_VLAN = 999;

    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88a8;
    static final int TPID_QINQ_LEGACY = 0x9100;

    private static final String RESOURCE_ROOT = "/demo/";
    private static final String TRAFFIC = "traffic/";
    private static final int MAC_BYTES = 12;
    private static final int TAG_BYTES = 4;
    private static final long BASE_MICROS = BASE_EPOCH_SECONDS * 1_000_000L;
    private static final long TENANT_STEP_MICROS = 100_000L;

    /**
     * What one copy of seed traffic becomes: its owner ({@code null} for unassigned), the tags
     * put on every frame as (TPID, VLAN id) pairs from outermost to innermost, and the seeds.
     */
    private record Slot(String tenant, String vlans, String traffic, int[] tags, List<String> seeds) {
    }

    private static final List<Slot> SLOTS = List.of(
            new Slot("acme", "802.1Q 1000", "HTTP + DNS",
                    new int[] {TPID_8021Q, 1000}, List.of("zeek-wikipedia.pcap")),
            new Slot("globex", "802.1Q 1001", "SSH + TLS",
                    new int[] {TPID_8021Q, 1001}, List.of("zeek-ssh_single-conn.pcap", "zeek-tls_tls1.2.pcap")),
            new Slot("initech", "802.1ad 300 / 802.1Q 1002 (inner)", "DNS + ICMP",
                    new int[] {TPID_8021AD, 300, TPID_8021Q, 1002},
                    List.of("zeek-dns_long-connection.pcap", "zeek-icmp_5-pings.pcap")),
            new Slot("umbrella", "802.1Q 1003", "copy of acme (same IP addresses)",
                    new int[] {TPID_8021Q, 1003}, List.of("zeek-wikipedia.pcap")),
            new Slot(null, "802.1Q " + UNASSIGNED_VLAN, "DNS",
                    new int[] {TPID_8021Q, UNASSIGNED_VLAN}, List.of("zeek-dns-two-responses.pcap")));

    /**
     * One tenant of the demo.
     *
     * @param id tenant id as in tenants.yaml
     * @param vlans the tags its frames carry, e.g. {@code "802.1Q 1000"}
     * @param traffic what its traffic is, e.g. {@code "HTTP + DNS"}
     * @param packets frames of this tenant in demo.pcap
     */
    public record Tenant(String id, String vlans, String traffic, long packets) {
    }

    /**
     * What {@link #build(Path)} wrote.
     *
     * @param pcap the capture ({@value #PCAP_FILE})
     * @param tenantsYaml the tenant configuration ({@value #TENANTS_FILE})
     * @param tenants the tenants in configuration order
     * @param unassignedPackets frames on VLAN {@value #UNASSIGNED_VLAN}, owned by no tenant
     * @param totalPackets all frames in the capture
     */
    public record Result(Path pcap, Path tenantsYaml, List<Tenant> tenants, long unassignedPackets,
                         long totalPackets) {
        public Result {
            tenants = List.copyOf(tenants);
        }
    }

    private record Frame(long tsMicros, byte[] bytes, int wireLength) {
    }

    private DemoCapture() {
    }

    /**
     * Writes {@value #PCAP_FILE} (classic microsecond pcap, Ethernet) and {@value #TENANTS_FILE}
     * into {@code outDir}, creating the directory if needed and replacing both files if present.
     *
     * @throws IOException if a file cannot be written, or a bundled resource is missing or
     *         unreadable (a broken build)
     */
    public static Result build(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Frame> frames = new ArrayList<>();
        List<Tenant> tenants = new ArrayList<>();
        long unassigned = 0;
        for (int i = 0; i < SLOTS.size(); i++) {
            Slot slot = SLOTS.get(i);
            long startMicros = BASE_MICROS + (i + 1) * TENANT_STEP_MICROS;
            long count = 0;
            for (String seed : slot.seeds()) {
                List<Frame> seedFrames = readSeed(seed);
                long first = Long.MAX_VALUE;
                for (Frame f : seedFrames) {
                    first = Math.min(first, f.tsMicros());
                }
                for (Frame f : seedFrames) {
                    byte[] tagged = retag(f.bytes(), slot.tags());
                    frames.add(new Frame(startMicros + (f.tsMicros() - first), tagged,
                            f.wireLength() + tagged.length - f.bytes().length));
                }
                count += seedFrames.size();
            }
            if (slot.tenant() == null) {
                unassigned += count;
            } else {
                tenants.add(new Tenant(slot.tenant(), slot.vlans(), slot.traffic(), count));
            }
        }
        frames.sort(Comparator.comparingLong(Frame::tsMicros));

        Path pcap = outDir.resolve(PCAP_FILE);
        try (PcapWriter writer = new PcapWriter(pcap, LinkTypes.ETHERNET, SNAPLEN)) {
            for (Frame f : frames) {
                writer.write(f.tsMicros() / 1_000_000L, (int) (f.tsMicros() % 1_000_000L),
                        f.bytes(), 0, f.bytes().length, f.wireLength());
            }
        }
        Path yaml = outDir.resolve(TENANTS_FILE);
        Files.write(yaml, resource(TENANTS_FILE));
        return new Result(pcap, yaml, tenants, unassigned, frames.size());
    }

    /**
     * Returns a copy of the Ethernet frame {@code frame} whose VLAN tags (802.1Q, 802.1ad, 0x9100)
     * are replaced by {@code tags}, given as (TPID, VLAN id) pairs from outermost to innermost
     * with priority and DEI 0. A frame too short for an Ethernet header is a broken seed.
     *
     * @throws IllegalArgumentException if {@code frame} is shorter than 14 bytes
     */
    static byte[] retag(byte[] frame, int[] tags) {
        if (frame.length < MAC_BYTES + 2) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes has no Ethernet header");
        }
        int rest = MAC_BYTES;
        while (rest + TAG_BYTES + 2 <= frame.length && isVlanTpid(u16(frame, rest))) {
            rest += TAG_BYTES;
        }
        int added = tags.length / 2 * TAG_BYTES;
        byte[] out = new byte[MAC_BYTES + added + frame.length - rest];
        System.arraycopy(frame, 0, out, 0, MAC_BYTES);
        int at = MAC_BYTES;
        for (int t = 0; t < tags.length; t += 2) {
            putU16(out, at, tags[t]);
            putU16(out, at + 2, tags[t + 1] & 0x0FFF);
            at += TAG_BYTES;
        }
        System.arraycopy(frame, rest, out, at, frame.length - rest);
        return out;
    }

    static boolean isVlanTpid(int type) {
        return type == TPID_8021Q || type == TPID_8021AD || type == TPID_QINQ_LEGACY;
    }

    private static List<Frame> readSeed(String seed) throws IOException {
        String name = RESOURCE_ROOT + TRAFFIC + seed;
        MemorySegment data = MemorySegment.ofArray(resource(TRAFFIC + seed));
        List<Frame> frames = new ArrayList<>();
        RawPacket packet = new RawPacket();
        try (PacketSource source = CaptureFiles.open(name, data)) {
            while (source.next(packet)) {
                if (packet.linkType != LinkTypes.ETHERNET) {
                    throw new IOException(name + ": link type " + packet.linkType + " is not Ethernet");
                }
                byte[] bytes = packet.segment.asSlice(packet.offset, packet.capturedLength)
                        .toArray(ValueLayout.JAVA_BYTE);
                frames.add(new Frame(packet.timeMicros(), bytes, packet.wireLength));
            }
            if (!source.warnings().isEmpty()) {
                throw new IOException(name + ": " + source.warnings().getFirst());
            }
        } catch (CaptureException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (frames.isEmpty()) {
            throw new IOException(name + ": no packets");
        }
        return frames;
    }

    private static byte[] resource(String relative) throws IOException {
        String name = RESOURCE_ROOT + relative;
        try (InputStream in = DemoCapture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing bundled resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
