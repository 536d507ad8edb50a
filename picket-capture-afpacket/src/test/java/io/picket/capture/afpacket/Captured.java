package io.picket.capture.afpacket;

import io.picket.capture.CaptureException;
import io.picket.capture.RawPacket;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A copy of one captured frame and its metadata, taken before the ring slot is released; plus a
 * drain loop over several sources. Test helper.
 */
record Captured(byte[] bytes, int vlanTci, long tsSeconds, int tsNanos, int capturedLength, int wireLength,
                int linkType, String interfaceName, long position) {

    static Captured of(RawPacket p) {
        byte[] bytes = p.segment.asSlice(p.offset, p.capturedLength).toArray(ValueLayout.JAVA_BYTE);
        return new Captured(bytes, p.outOfBandVlanTci, p.tsSeconds, p.tsNanos, p.capturedLength, p.wireLength,
                p.linkType, p.interfaceName, p.sourcePosition);
    }

    String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Bytes and VLAN TCI as one comparable string. */
    String bytesAndTci() {
        return "tci=" + vlanTci + " " + hex();
    }

    long epochNanos() {
        return tsSeconds * 1_000_000_000L + tsNanos;
    }

    /**
     * Polls {@code sources} round robin until {@code expected} test frames (source MAC of
     * {@link Frames#SOURCE_MAC}) arrived or {@code limit} passed, then 50 ms more to catch extra
     * frames. Returns every frame per source, test frames and others.
     */
    static List<List<Captured>> drain(int expected, Duration limit, AfPacketSource... sources)
            throws CaptureException {
        List<List<Captured>> out = new ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            out.add(new ArrayList<>());
        }
        RawPacket packet = new RawPacket();
        long deadline = System.nanoTime() + limit.toNanos();
        int ours = 0;
        long quietUntil = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            if (ours >= expected && quietUntil == Long.MAX_VALUE) {
                quietUntil = now + 50_000_000L;
            }
            if (now > deadline || now > quietUntil) {
                return out;
            }
            for (int i = 0; i < sources.length; i++) {
                while (sources[i].poll(packet, 2) == AfPacketSource.PACKET) {
                    Captured c = of(packet);
                    out.get(i).add(c);
                    if (Frames.fromTestSource(c.bytes())) {
                        ours++;
                    }
                }
            }
        }
    }

    /** The test frames among {@code frames}. */
    static List<Captured> ours(List<Captured> frames) {
        return frames.stream().filter(c -> Frames.fromTestSource(c.bytes())).toList();
    }
}
