package io.picket.cli;

import io.picket.engine.ProgressListener;
import java.io.PrintStream;

/** Progress on a terminal: a single updating line on stderr, at most a few times a second. */
final class Progress {
    private Progress() {
    }

    static ProgressListener to(PrintStream out) {
        boolean tty = System.console() != null;
        long[] last = {0};
        return (packets, bytes, pos, size) -> {
            long now = System.nanoTime();
            if (now - last[0] < 250_000_000L) {
                return;
            }
            last[0] = now;
            String line = String.format("  %,d packets, %.1f MB read", packets, bytes / 1e6);
            if (tty) {
                out.print("\r" + line);
            } else {
                out.println(line);
            }
        };
    }
}
