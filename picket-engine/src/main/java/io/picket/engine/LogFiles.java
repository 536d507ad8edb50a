package io.picket.engine;

import java.time.Duration;

/**
 * Rotation of the local log files, as Zeek's {@code Log::default_rotation_interval}: by interval
 * (aligned to local midnight, on network time for file input and wall-clock time for live
 * capture), by size, and optional compression of rotated files ({@code gzip} or {@code zstd}).
 */
public record LogFiles(Duration rotateInterval, long rotateBytes, String compression) {
    public static final LogFiles NO_ROTATION = new LogFiles(Duration.ZERO, 0, "none");

    public LogFiles {
        rotateInterval = rotateInterval == null ? Duration.ZERO : rotateInterval;
        compression = compression == null ? "none" : compression;
    }

    public boolean rotates() {
        return !rotateInterval.isZero() || rotateBytes > 0;
    }
}
