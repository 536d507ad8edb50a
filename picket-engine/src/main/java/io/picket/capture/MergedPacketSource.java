package io.picket.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges several packet sources into one stream in timestamp order: keeps one pending packet
 * per input and hands out the earliest, ties going to the input listed first. Allocates
 * nothing per packet. Polled by one thread; closing it closes every input.
 *
 * <p>An input that fails raises its {@link CaptureException} from the {@link #next} call that
 * would have refilled it, after the packet taken from it was delivered.
 */
public final class MergedPacketSource implements PacketSource {
    private final PacketSource[] inputs;
    private final RawPacket[] pending;
    private final boolean[] available;
    private final String name;
    private boolean primed;
    private int refill = -1;
    private boolean closed;

    /** Takes ownership of {@code inputs}, which must not be empty. */
    public MergedPacketSource(List<? extends PacketSource> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to merge");
        }
        this.inputs = inputs.toArray(new PacketSource[0]);
        this.pending = new RawPacket[this.inputs.length];
        this.available = new boolean[this.inputs.length];
        List<String> names = new ArrayList<>(this.inputs.length);
        for (int i = 0; i < this.inputs.length; i++) {
            pending[i] = new RawPacket();
            names.add(this.inputs[i].name());
        }
        this.name = String.join(",", names);
    }

    @Override
    public boolean next(RawPacket packet) throws CaptureException {
        if (closed) {
            return false;
        }
        if (!primed) {
            primed = true;
            for (int i = 0; i < inputs.length; i++) {
                available[i] = inputs[i].next(pending[i]);
            }
        } else if (refill >= 0) {
            int i = refill;
            refill = -1;
            available[i] = false;
            available[i] = inputs[i].next(pending[i]);
        }
        int best = -1;
        for (int i = 0; i < inputs.length; i++) {
            if (available[i] && (best < 0 || earlier(pending[i], pending[best]))) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        packet.copyFrom(pending[best]);
        refill = best;
        return true;
    }

    private static boolean earlier(RawPacket a, RawPacket b) {
        return a.tsSeconds < b.tsSeconds || (a.tsSeconds == b.tsSeconds && a.tsNanos < b.tsNanos);
    }

    /** Number of merged inputs. */
    public int inputCount() {
        return inputs.length;
    }

    @Override
    public String name() {
        return name;
    }

    /** Warnings of all inputs, in input order. */
    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>();
        for (PacketSource input : inputs) {
            all.addAll(input.warnings());
        }
        return all;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (PacketSource input : inputs) {
                input.close();
            }
        }
    }
}
