package io.picket.analyzer;

import io.picket.capture.CaptureFiles;
import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import io.picket.decode.DecoderOptions;
import io.picket.decode.Packet;
import io.picket.decode.PacketDecoder;
import io.picket.decode.WeirdListener;
import io.picket.flow.ConnTracker;
import io.picket.flow.Connection;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;

/**
 * Runs a capture through decoding, connection tracking and the analyzer stage only (no shard, no
 * tenants, no log files): the analyzer-stage tests' harness. Records go to {@code logged}, analyzer
 * failures to {@code failed} (null: they are rethrown); returns the connections in removal order.
 */
final class TraceRun {
    private TraceRun() {
    }

    static List<Connection> run(Path trace, AnalyzerRegistry registry, IntPredicate likelyTcpServer,
            IntPredicate likelyUdpServer, boolean verifyChecksums, List<LogRecord> logged,
            BiConsumer<String, RuntimeException> failed) throws Exception {
        List<Connection> removed = new ArrayList<>();
        int[] uid = {0};
        double[] now = {0};
        AnalyzerHost host = new AnalyzerHost(registry, new AnalyzerHost.Engine() {
            @Override
            public double networkTime() {
                return now[0];
            }

            @Override
            public LogSchema schema(LogSchema base) {
                return base;
            }

            @Override
            public void log(Connection c, LogRecord record) {
                if (logged != null) {
                    logged.add(record);
                }
            }

            @Override
            public void weird(Connection c, String name, String addl, String source) {
            }

            @Override
            public String newFileId() {
                return "F1";
            }

            @Override
            public void schedule(Connection c, double time, Runnable action) {
            }

            @Override
            public void remove(Connection c) {
            }

            @Override
            public void analyzerFailed(Connection c, String analyzer, RuntimeException e) {
                if (failed == null) {
                    throw e;
                }
                failed.accept(analyzer, e);
            }
        });
        ConnTracker tracker = new ConnTracker(ConnTracker.Options.zeekDefaults(likelyTcpServer,
                likelyUdpServer), new ConnTracker.Listener() {
                    @Override
                    public void onConnectionRemoved(Connection c) {
                        removed.add(c);
                    }
                }, () -> "C" + (++uid[0]), host);
        PacketDecoder decoder = new PacketDecoder(DecoderOptions.defaults().withVerifyChecksums(verifyChecksums),
                WeirdListener.NONE);
        RawPacket raw = new RawPacket();
        Packet p = new Packet();
        try (PacketSource src = CaptureFiles.open(trace)) {
            while (src.next(raw)) {
                now[0] = raw.time();
                if (decoder.decode(raw, p) == PacketDecoder.IP) {
                    tracker.onPacket(0, p);
                }
            }
        }
        tracker.flush();
        return removed;
    }
}
