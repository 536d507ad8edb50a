package io.picket.analyzer.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Arbitrary bytes and mutated frames never make the WebSocket analyzer throw or hold more than a chunk. */
class WebSocketPropertiesTest {

    record Chunk(boolean isOrig, byte[] bytes) {
    }

    @Provide
    Arbitrary<List<Chunk>> chunks() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        return Combinators.combine(Arbitraries.of(true, false), bytes).as(Chunk::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Chunk>> mutatedFrames() {
        byte[] masked = WebSocketAnalyzerTest.b(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
        byte[] fragmented = WebSocketAnalyzerTest.b(0x01, 0x03, "Hel", 0x80, 0x02, "lo", 0x88, 0x02, 0x03, 0xe8);
        byte[] long16 = WebSocketAnalyzerTest.b(0x82, 126, 0x01, 0x00, new byte[256]);
        return Arbitraries.integers().between(0, 1 << 20).list().ofSize(6).map(r -> {
            java.util.ArrayList<Chunk> out = new java.util.ArrayList<>();
            byte[][] real = {masked, fragmented, long16};
            for (int i = 0; i < real.length; i++) {
                byte[] b = real[i].clone();
                b[r.get(i) % b.length] ^= (byte) (r.get(i + 3) >>> 8);
                int cut = r.get(i + 3) % (b.length + 1);
                out.add(new Chunk(i % 2 == 0, java.util.Arrays.copyOf(b, cut)));
                out.add(new Chunk(i % 2 == 0, java.util.Arrays.copyOfRange(b, cut, b.length)));
            }
            return out;
        });
    }

    private static void run(List<Chunk> chunks) {
        WsContext ctx = new WsContext();
        WebSocketAnalyzer a = new WebSocketAnalyzer(ctx);
        for (Chunk c : chunks) {
            a.onStream(c.isOrig(), MemorySegment.ofArray(c.bytes()), 0, c.bytes().length);
            assertThat(a.bufferedBytes()).isLessThanOrEqualTo(2 * (WebSocketAnalyzer.PAYLOAD_CHUNK_SIZE + 14));
        }
        a.onConnectionDone();
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenFedArbitraryBytes(@ForAll("chunks") List<Chunk> chunks) {
        run(chunks);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenFedMutatedFrames(@ForAll("mutatedFrames") List<Chunk> chunks) {
        run(chunks);
    }
}
