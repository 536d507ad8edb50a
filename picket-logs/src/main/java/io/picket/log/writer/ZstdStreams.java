package io.picket.log.writer;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The only class touching zstd-jni, so that its native library is loaded only when zstd
 * compression is configured. Thread-safe.
 */
final class ZstdStreams {
    /** zstd's default level, as the {@code zstd} command uses. */
    private static final int LEVEL = 3;

    private ZstdStreams() {
    }

    /** Loads the native library; false (never an exception) when this platform has none. */
    static boolean available() {
        try {
            Native.load();
            return Native.isLoaded();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** A zstd frame writer over {@code out}; closing it ends the frame and closes {@code out}. */
    static OutputStream compress(OutputStream out) throws IOException {
        return new ZstdOutputStreamNoFinalizer(out, LEVEL);
    }
}
