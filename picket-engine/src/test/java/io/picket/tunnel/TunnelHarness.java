package io.picket.tunnel;

import io.picket.capture.RawPacket;
import io.picket.decode.Addresses;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.flow.ConnTracker;
import io.picket.flow.Connection;
import io.picket.flow.Encapsulation;
import io.picket.log.LogRecord;
import io.picket.log.Uid;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard's decode, connection and tunnel stages without the engine around them: frames in,
 * removed connections, weirds ({@code name|addl|source|orig|resp|uid}) and tunnel.log records
 * out. Test-only.
 */
final class TunnelHarness implements TunnelHost, ConnTracker.Listener {
    final List<String> weirds = new ArrayList<>();
    final List<LogRecord> tunnelRecords = new ArrayList<>();
    final List<Connection> removed = new ArrayList<>();
    final ConnTracker tracker;
    final Tunnels tunnels;
    private final PacketDecoder decoder;
    private final Packet pkt = new Packet();
    private final RawPacket raw = new RawPacket();
    private final Uid.Generator uids = Uid.generator(7L);
    private double now;
    private byte[] lastFrame;
    private MemorySegment segment;

    TunnelHarness() {
        this(false);
    }

    /** @param vlanKey Zeek's {@code conn_key/vlan_fivetuple}: VLAN ids are part of the connection key */
    TunnelHarness(boolean vlanKey) {
        tracker = new ConnTracker(ConnTracker.Options.zeekDefaults(p -> false, p -> false).withVlanKey(vlanKey), this,
                ConnTracker.UidSource.of(uids));
        tunnels = new Tunnels(tracker, this, true, true);
        tracker.setUdpPayloadHook(tunnels::onUdp);
        decoder = new PacketDecoder(DecoderOptions.defaults(), WeirdListener.NONE);
    }

    /** Feeds one Ethernet frame at {@code time} seconds. */
    void feed(double time, byte[] frame) {
        if (frame != lastFrame) {
            lastFrame = frame;
            segment = MemorySegment.ofArray(frame);
        }
        raw.segment = segment;
        raw.offset = 0;
        raw.capturedLength = frame.length;
        raw.wireLength = frame.length;
        raw.tsSeconds = (long) time;
        raw.tsNanos = (int) Math.round((time - Math.floor(time)) * 1e6) * 1000;
        raw.linkType = 1;
        raw.outOfBandVlanTci = -1;
        now = raw.time();
        if (decoder.decode(raw, pkt) == PacketDecoder.IP) {
            tunnels.onPacket(0, pkt, raw);
        }
    }

    void finish() {
        tracker.flush();
    }

    List<String> weirdNames() {
        return weirds.stream().map(w -> w.substring(0, w.indexOf('|'))).toList();
    }

    List<String> tunnelLines() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : tunnelRecords) {
            out.add(r.get(1) + " " + r.get(2) + ":" + r.get(3) + " " + r.get(4) + ":" + r.get(5) + " " + r.get(6) + " "
                    + r.get(7));
        }
        return out;
    }

    Connection conn(int respPort) {
        return removed.stream().filter(c -> c.respPort() == respPort).findFirst().orElseThrow();
    }

    // ---- TunnelHost ----

    @Override
    public void tunnelLog(int tenant, LogRecord record) {
        tunnelRecords.add(record);
    }

    @Override
    public void flowWeird(int tenant, String name, String addl, String source, long srcHi, long srcLo, long dstHi,
            long dstLo) {
        weirds.add(name + "|" + addl + "|" + source + "|" + Addresses.format(srcHi, srcLo) + "|"
                + Addresses.format(dstHi, dstLo) + "|-");
    }

    @Override
    public void connWeird(Connection c, String name, String addl, String source) {
        onConnectionWeird(c, name, addl, source);
    }

    @Override
    public void netWeird(int tenant, String name, String addl, String source) {
        weirds.add(name + "|" + addl + "|" + source + "|-|-|-");
    }

    @Override
    public String newUid() {
        return uids.connection();
    }

    @Override
    public double networkTime() {
        return now;
    }

    // ---- ConnTracker.Listener ----

    @Override
    public void onConnectionRemoved(Connection c) {
        tunnels.onConnectionRemoved(c);
        removed.add(c);
    }

    @Override
    public void onTunnelConnection(Connection inner, Encapsulation tunnel) {
        tunnels.onTunnelConnection(inner, tunnel);
    }

    @Override
    public void onConnectionWeird(Connection c, String name, String addl, String source) {
        weirds.add(name + "|" + addl + "|" + source + "|" + Addresses.format(c.origHi(), c.origLo()) + "|"
                + Addresses.format(c.respHi(), c.respLo()) + "|" + c.uid());
    }
}
