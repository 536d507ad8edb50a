package io.picket.engine;

/** Receives progress of a run from the engine thread, at most every few thousand packets. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(long packets, long bytes, long inputPosition, long inputSize);

    ProgressListener NONE = (p, b, pos, size) -> { };
}
