package io.picket.cli.control;

import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live-like packet source fed by the test: frames offered with their time are handed to the
 * capture thread in order; while none is queued it times out like an idle link. After
 * {@link #stop()} the queued frames are still delivered, then it reports STOPPED.
 */
final class QueueSource implements PacketSource {
    private record Frame(double time, byte[] bytes) {
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile boolean stopped;

    void offer(double time, byte[] frame) {
        frames.add(new Frame(time, frame));
    }

    @Override
    public boolean next(RawPacket packet) {
        int r;
        while ((r = poll(packet, 100)) == TIMEOUT) {
            // wait for the test
        }
        return r == PACKET;
    }

    @Override
    public int poll(RawPacket packet, int timeoutMillis) {
        Frame f;
        try {
            f = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return STOPPED;
        }
        if (f == null) {
            return stopped ? STOPPED : TIMEOUT;
        }
        long sec = (long) Math.floor(f.time());
        packet.segment = MemorySegment.ofArray(f.bytes());
        packet.offset = 0;
        packet.capturedLength = f.bytes().length;
        packet.wireLength = f.bytes().length;
        packet.tsSeconds = sec;
        packet.tsNanos = (int) Math.min(999_999_999, Math.round((f.time() - sec) * 1e9));
        packet.linkType = 1;
        packet.interfaceId = 0;
        packet.interfaceName = "test0";
        packet.outOfBandVlanTci = -1;
        return PACKET;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public String name() {
        return "test0";
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        stopped = true;
    }
}
