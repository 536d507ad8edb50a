package io.picket.flow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reusable native buffers of one shard thread, for handing bytes kept on the heap (reassembly
 * blocks, the analyzers' replay buffer) to analyzers as a native segment, the same segment class
 * as the packets: the JIT then sees one class on every payload access. Nothing is allocated per
 * use once a buffer has its size.
 *
 * <p>Each thread has its own instance ({@link #current()}); it is never shared. Uses nest: a
 * copy made while another is still held gets a buffer of its own, and every {@link #copyOf} is
 * paired with a {@link #release()} (in a {@code finally}). A copy stays valid until its release.
 * Buffers up to {@value #RETAINED_BYTES} bytes are kept for reuse; larger ones are one-offs freed
 * by the garbage collector.
 */
public final class NativeScratch {
    /** Largest buffer kept between uses. */
    static final long RETAINED_BYTES = 64 * 1024;

    private static final ThreadLocal<NativeScratch> CURRENT = ThreadLocal.withInitial(NativeScratch::new);

    private MemorySegment[] held = new MemorySegment[2];
    private int depth;

    private NativeScratch() {
    }

    /** The calling thread's buffers. */
    public static NativeScratch current() {
        return CURRENT.get();
    }

    /**
     * Copies {@code bytes[from, from + length)} to a native buffer of this thread, at offset 0.
     * Valid until the matching {@link #release()}.
     */
    public MemorySegment copyOf(byte[] bytes, int from, int length) {
        if (depth == held.length) {
            held = java.util.Arrays.copyOf(held, depth * 2);
        }
        MemorySegment buf = held[depth];
        if (buf == null || buf.byteSize() < length) {
            long size = Math.max(length, buf == null ? 2048 : Math.min(RETAINED_BYTES, buf.byteSize() * 2));
            buf = Arena.ofAuto().allocate(size);
            if (size <= RETAINED_BYTES) {
                held[depth] = buf;
            }
        }
        depth++;
        MemorySegment.copy(bytes, from, buf, ValueLayout.JAVA_BYTE, 0, length);
        return buf;
    }

    /** Ends the use of the latest copy. */
    public void release() {
        if (depth > 0) {
            depth--;
        }
    }

    /** Copies currently held (for tests). */
    int depth() {
        return depth;
    }
}
