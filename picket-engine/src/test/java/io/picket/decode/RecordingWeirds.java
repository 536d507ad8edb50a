package io.picket.decode;

import java.util.ArrayList;
import java.util.List;

/** Test listener recording every decoder weird with the packet's scope and addresses at call time. */
final class RecordingWeirds implements WeirdListener {
    record Seen(DecodeWeird weird, String addl, boolean flow, String src, String dst) {
        String name() {
            return weird.zeekName();
        }
    }

    final List<Seen> seen = new ArrayList<>();

    @Override
    public void onWeird(String name, String addl, Packet packet) {
        throw new AssertionError("decoder must call onDecodeWeird");
    }

    @Override
    public void onDecodeWeird(DecodeWeird weird, String addl, Packet p) {
        boolean flow = p.ipVersion != 0;
        seen.add(new Seen(weird, addl, flow,
                flow ? Addresses.format(p.srcHi, p.srcLo) : null,
                flow ? Addresses.format(p.dstHi, p.dstLo) : null));
    }

    List<String> names() {
        return seen.stream().map(Seen::name).toList();
    }

    List<DecodeWeird> weirds() {
        return seen.stream().map(Seen::weird).toList();
    }

    void clear() {
        seen.clear();
    }
}
