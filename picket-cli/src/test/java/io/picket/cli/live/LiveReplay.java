package io.picket.cli.live;

import io.picket.capture.afpacket.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One live run of {@code picket run --interface vb} inside a {@link TestNetwork}: start the
 * child, wait for "capturing on", send the demo frames out of {@code va}, wait until {@code vb}
 * counted them all and the child has gone quiet, stop it with a signal, wait for its exit. Test
 * helper, run by the test thread.
 *
 * @param process the ended child (outputs readable)
 * @param logs the log folder of the run
 * @param exitStatus the child's exit status
 * @param framesSent frames written to {@code va}
 * @param framesOnLink frames {@code vb} counted during the run (rx_packets difference)
 * @param startupSeconds from starting the child to "capturing on"
 * @param sendMillis time to send all frames
 * @param stopSeconds from the signal to the child's exit
 */
record LiveReplay(PicketProcess process, Path logs, int exitStatus, long framesSent, long framesOnLink,
                  double startupSeconds, double sendMillis, double stopSeconds) {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration ARRIVAL = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration QUIET_LIMIT = Duration.ofSeconds(5);
    private static final Duration EXIT = Duration.ofSeconds(30);

    /**
     * Runs it: {@code extraArgs} are added to {@code picket run -i vb --logs DIR --tenants FILE
     * --uid-seed 1} (a {@code --tenants} among them replaces the demo's); {@code beforeSignal} sees the log folder while the capture is idle, just
     * before {@code signal} ("TERM" or "INT") is sent.
     */
    static LiveReplay run(TestNetwork net, DemoReference ref, Path dir, String name, List<String> extraArgs,
                          String signal, Consumer<Path> beforeSignal) throws Exception {
        Path logs = dir.resolve(name + "-logs");
        List<String> args = new ArrayList<>(List.of("run", "-i", TestNetwork.CAPTURE_LINK));
        List<String> base = new ArrayList<>(ref.runArgs(logs));
        int own = extraArgs.indexOf("--tenants");
        if (own >= 0) { // the test's own tenants.yaml replaces the demo's
            int i = base.indexOf("--tenants");
            base.remove(i + 1);
            base.remove(i);
        }
        args.addAll(base);
        args.addAll(extraArgs);
        PicketProcess p = PicketProcess.start(net.exec(), dir, name, args);
        try {
            p.awaitStderr("capturing on", STARTUP);
            double startup = p.elapsedSeconds();
            long rxBefore = net.rxPackets(TestNetwork.CAPTURE_LINK);
            long t0 = System.nanoTime();
            long sent = NetnsFrameSender.send(net.name(), TestNetwork.SEND_LINK, ref.frames);
            double sendMillis = (System.nanoTime() - t0) / 1e6;
            long deadline = System.nanoTime() + ARRIVAL.toNanos();
            long onLink;
            while ((onLink = net.rxPackets(TestNetwork.CAPTURE_LINK) - rxBefore) < sent && System.nanoTime() < deadline) {
                TestNetwork.sleep(10);
            }
            // The ring hands a block over after at most 10 ms; then the child works until quiet.
            TestNetwork.sleep(QUIET.toMillis());
            p.awaitQuiet(QUIET, QUIET_LIMIT);
            beforeSignal.accept(logs);
            long t1 = System.nanoTime();
            p.signal(signal);
            int status = p.awaitExit(EXIT);
            double stop = (System.nanoTime() - t1) / 1e9;
            LiveReplay r = new LiveReplay(p, logs, status, sent, onLink, startup, sendMillis, stop);
            System.out.println(r.evidence(name, signal));
            return r;
        } finally {
            p.close();
        }
    }

    /** One line for the test output: counts, counters and timings. */
    String evidence(String name, String signal) {
        return String.format(Locale.ROOT,
                "[%s] frames sent %d, on %s %d, kernel (received, dropped) per socket %s; startup %.2f s, send %.1f ms, "
                        + "SIG%s to exit %.2f s, exit status %d",
                name, framesSent, TestNetwork.CAPTURE_LINK, framesOnLink,
                ZeekLogs.describe(ZeekLogs.kernelCounters(process.stderr())), startupSeconds, sendMillis, signal,
                stopSeconds, exitStatus);
    }
}
