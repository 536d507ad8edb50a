package io.picket.cli.live;

import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.LinkTypes;
import io.picket.capture.PacketSource;
import io.picket.capture.PcapWriter;
import io.picket.capture.RawPacket;
import io.picket.cli.demo.DemoCapture;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo capture and its offline reference, built once per test JVM and shared by the live
 * tests: {@link DemoCapture#build} output, its frames, and the logs of
 * {@code picket run -r compact.pcap --tenants tenants.yaml --uid-seed 1}.
 *
 * <p>Why {@code compact.pcap}: demo.pcap spans 267 s, and initech's long DNS exchange has gaps
 * longer than the 60 s UDP inactivity timeout, so reading demo.pcap splits it into 7 conn.log
 * rows. A live replay sends all 423 frames within milliseconds, so live capture (rightly) sees
 * one connection. compact.pcap holds the same frames, bytes and order, 100 microseconds apart:
 * reading it is what a live capture of the replay must equal, timers included.
 *
 * <p>Test helper; {@link #get()} is synchronized, the result immutable.
 */
final class DemoReference {
    /** Spacing of frames in compact.pcap. */
    static final long COMPACT_STEP_MICROS = 100;
    /** The --uid-seed of the live and offline runs. */
    static final String UID_SEED = "1";

    private static DemoReference instance;

    final Path dir;
    final DemoCapture.Result demo;
    final List<byte[]> frames;
    final Path compactPcap;
    final Path offlineLogs;
    final String offlineStdout;
    /** IPv4 addresses of the frames on the VLAN no tenant owns. */
    final Set<String> unassignedAddresses;

    private DemoReference(Path dir, DemoCapture.Result demo, List<byte[]> frames, Path compactPcap, Path offlineLogs,
                          String offlineStdout, Set<String> unassignedAddresses) {
        this.dir = dir;
        this.demo = demo;
        this.frames = frames;
        this.compactPcap = compactPcap;
        this.offlineLogs = offlineLogs;
        this.offlineStdout = offlineStdout;
        this.unassignedAddresses = unassignedAddresses;
    }

    static synchronized DemoReference get() throws IOException, CaptureException {
        if (instance == null) {
            instance = build();
        }
        return instance;
    }

    /** Arguments of a run over the demo's tenants: --logs DIR --tenants FILE --uid-seed 1. */
    List<String> runArgs(Path logs) {
        return runArgs(demo, logs);
    }

    private static List<String> runArgs(DemoCapture.Result demo, Path logs) {
        return List.of("--logs", logs.toString(), "--tenants", demo.tenantsYaml().toString(), "--uid-seed", UID_SEED);
    }

    private static DemoReference build() throws IOException, CaptureException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "picket-live-demo-");
        DemoCapture.Result demo = DemoCapture.build(dir);
        List<byte[]> frames = new ArrayList<>();
        long firstMicros = -1;
        RawPacket packet = new RawPacket();
        try (PacketSource source = CaptureFiles.open(demo.pcap())) {
            while (source.next(packet)) {
                if (packet.capturedLength != packet.wireLength) {
                    throw new IllegalStateException("demo frame " + frames.size() + " is cut");
                }
                frames.add(packet.segment.asSlice(packet.offset, packet.capturedLength).toArray(ValueLayout.JAVA_BYTE));
                if (firstMicros < 0) {
                    firstMicros = packet.timeMicros();
                }
            }
        }
        if (frames.size() != demo.totalPackets()) {
            throw new IllegalStateException("read " + frames.size() + " frames of " + demo.totalPackets());
        }
        Path compact = dir.resolve("compact.pcap");
        try (PcapWriter w = new PcapWriter(compact, LinkTypes.ETHERNET, DemoCapture.SNAPLEN)) {
            for (int i = 0; i < frames.size(); i++) {
                long ts = firstMicros + i * COMPACT_STEP_MICROS;
                byte[] f = frames.get(i);
                w.write(ts / 1_000_000L, (int) (ts % 1_000_000L), f, 0, f.length, f.length);
            }
        }
        Path offlineLogs = dir.resolve("offline-logs");
        List<String> args = new ArrayList<>(List.of("run", "-r", compact.toString()));
        args.addAll(runArgs(demo, offlineLogs));
        PicketProcess offline = PicketProcess.runToEnd(dir, "offline", args);
        if (offline.exitValue() != 0) {
            throw new IllegalStateException("offline run failed (" + offline.exitValue() + "):\n" + offline.stderr());
        }
        return new DemoReference(dir, demo, List.copyOf(frames), compact, offlineLogs, offline.stdout(),
                unassigned(frames));
    }

    /** Source and destination IPv4 addresses of the frames tagged 802.1Q {@value DemoCapture#UNASSIGNED_VLAN}. */
    private static Set<String> unassigned(List<byte[]> frames) throws IOException {
        Set<String> out = new TreeSet<>();
        for (byte[] f : frames) {
            int tpid = (f[12] & 0xFF) << 8 | f[13] & 0xFF;                // outer TPID
            int vid = ((f[14] & 0x0F) << 8) | f[15] & 0xFF;               // outer TCI, VLAN id bits
            int type = (f[16] & 0xFF) << 8 | f[17] & 0xFF;                // ethertype after the tag
            if (tpid == 0x8100 && vid == DemoCapture.UNASSIGNED_VLAN && type == 0x0800) {
                out.add(InetAddress.getByAddress(Arrays.copyOfRange(f, 18 + 12, 18 + 16)).getHostAddress()); // src
                out.add(InetAddress.getByAddress(Arrays.copyOfRange(f, 18 + 16, 18 + 20)).getHostAddress()); // dst
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("demo.pcap has no IPv4 frame on VLAN " + DemoCapture.UNASSIGNED_VLAN);
        }
        return out;
    }
}
