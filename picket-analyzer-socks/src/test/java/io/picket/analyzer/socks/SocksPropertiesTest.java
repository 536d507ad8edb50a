package io.picket.analyzer.socks;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Arbitrary bytes and mutated real handshakes never make the analyzer or detector throw. */
class SocksPropertiesTest {

    record Chunk(boolean isOrig, byte[] bytes) {
    }

    @Provide
    Arbitrary<List<Chunk>> chunks() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(Arbitraries.of(true, false), bytes).as(Chunk::new).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Chunk>> mutatedHandshakes() {
        List<Chunk> real = List.of(new Chunk(true, SocksAnalyzerTest.V5_GREETING),
                new Chunk(false, SocksAnalyzerTest.V5_NOAUTH), new Chunk(true, SocksAnalyzerTest.V5_REQUEST),
                new Chunk(false, SocksAnalyzerTest.V5_REPLY), new Chunk(true, new byte[] {1, 3, 'b', 'o', 'b', 0}),
                new Chunk(false, new byte[] {4, 0, 0x5a, 0, 80, 1, 2, 3, 4}));
        return Arbitraries.integers().between(0, 255).list().ofSize(8).flatMap(pos ->
                Arbitraries.integers().between(0, 255).list().ofSize(8).map(val -> {
                    java.util.ArrayList<Chunk> out = new java.util.ArrayList<>();
                    for (int i = 0; i < real.size(); i++) {
                        byte[] b = real.get(i).bytes().clone();
                        int p = pos.get(i) % b.length;
                        b[p] = (byte) (int) val.get(i);
                        int cut = Math.max(0, b.length - (pos.get(i + 2) % 3));
                        out.add(new Chunk(real.get(i).isOrig(), java.util.Arrays.copyOf(b, cut)));
                    }
                    return out;
                }));
    }

    private static void run(List<Chunk> chunks) {
        SocksAnalyzerTest.Ctx ctx = new SocksAnalyzerTest.Ctx();
        SocksAnalyzer a = new SocksAnalyzer(ctx);
        SocksDetector d = new SocksDetector();
        long[] seen = new long[2];
        for (Chunk c : chunks) {
            MemorySegment seg = MemorySegment.ofArray(c.bytes());
            a.onStream(c.isOrig(), seg, 0, c.bytes().length);
            int v = d.onData(c.isOrig(), seg, 0, c.bytes().length, seen[c.isOrig() ? 0 : 1]);
            seen[c.isOrig() ? 0 : 1] += c.bytes().length;
            assertThat(v).isBetween(Detector.NEED_MORE, Detector.NO_MATCH);
        }
        a.onConnectionDone();
        assertThat(ctx.logs.size()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenFedArbitraryBytes(@ForAll("chunks") List<Chunk> chunks) {
        run(chunks);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenFedMutatedHandshakes(@ForAll("mutatedHandshakes") List<Chunk> chunks) {
        run(chunks);
    }
}
