package io.picket.cli;

import io.picket.capture.CaptureException;
import io.picket.capture.afpacket.AfPacketConfig;
import io.picket.capture.afpacket.AfPacketSource;
import io.picket.capture.afpacket.AfPacketStats;
import io.picket.capture.afpacket.FanoutMode;
import io.picket.engine.Engine;
import io.picket.engine.EngineConfig;
import io.picket.engine.ProgressListener;
import io.picket.engine.RunSummary;
import io.picket.tenant.TenantConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Live capture for {@code picket run --interface}: per interface, {@code workers} AF_PACKET
 * sockets in one hash fanout group (both directions of a flow hash alike), one shard each.
 * A shutdown hook (SIGINT/SIGTERM) stops the sockets and waits until every tenant's logs are
 * flushed and closed.
 */
final class Live {
    private Live() {
    }

    static RunSummary run(EngineConfig cfg, List<String> interfaces, int workers, int blockSize, int blockCount,
            PrintStream err)
            throws CaptureException, TenantConfigException, IOException {
        return run(cfg, interfaces, workers, blockSize, blockCount, err, 0);
    }

    /**
     * {@code --runmode autofp}: {@code captureThreads} sockets per interface (a fanout group when
     * more than one) feed the queues of {@code cfg.workers()} shard threads.
     */
    static RunSummary runAutofp(EngineConfig cfg, List<String> interfaces, int captureThreads, long queueBytes,
            int blockSize, int blockCount, PrintStream err)
            throws CaptureException, TenantConfigException, IOException {
        return run(cfg, interfaces, captureThreads, blockSize, blockCount, err, queueBytes);
    }

    private static RunSummary run(EngineConfig cfg, List<String> interfaces, int workers, int blockSize,
            int blockCount, PrintStream err, long autofpQueueBytes)
            throws CaptureException, TenantConfigException, IOException {
        List<AfPacketSource> sources = new ArrayList<>();
        try {
            int group = (int) (ProcessHandle.current().pid() & 0x7FFF);
            for (String ifname : interfaces) {
                for (int w = 0; w < workers; w++) {
                    AfPacketConfig c = AfPacketConfig.of(ifname).withRing(blockSize, blockCount);
                    if (workers > 1) {
                        c = c.withFanout(group, FanoutMode.HASH).withFanoutDefrag(true);
                    }
                    sources.add(AfPacketSource.open(c));
                }
                group++;
            }
        } catch (CaptureException e) {
            sources.forEach(AfPacketSource::close);
            throw e;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sources.forEach(AfPacketSource::stop);
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "picket-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // SIGINT/SIGTERM just stop the sockets: the run then ends normally, flushes every
        // tenant's logs, prints its summary and exits 0. The hook covers other ways to exit.
        for (String sig : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), x -> sources.forEach(AfPacketSource::stop));
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the shutdown hook still flushes
            }
        }
        err.println("capturing on " + String.join(", ", interfaces) + " (" + sources.size()
                + " socket(s)); Ctrl-C to stop");
        try {
            RunSummary s = autofpQueueBytes > 0
                    ? Engine.runAutofp(cfg, sources, Engine.sinks(cfg), ProgressListener.NONE, autofpQueueBytes)
                    : Engine.runSources(cfg, sources, Engine.sinks(cfg), ProgressListener.NONE);
            for (AfPacketSource src : sources) {
                AfPacketStats st = src.stats();
                err.printf("%s: kernel received %,d, dropped %,d%n", src.name(), st.packets(), st.drops());
            }
            return s;
        } finally {
            sources.forEach(AfPacketSource::close);
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }
}
