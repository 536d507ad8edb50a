package io.picket.analyzer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Arbitrary bytes and mutated real handshakes never make the analyzer or detector throw or grow. */
class SshAnalyzerPropertiesTest {

    private static final List<StreamTrace.Conn> REAL = load();

    private static List<StreamTrace.Conn> load() {
        try {
            List<StreamTrace.Conn> all = new ArrayList<>(StreamTrace.load("ssh.pcap.streams.gz"));
            all.addAll(StreamTrace.load("ssh_kex_mlkem.pcap.streams.gz"));
            all.addAll(StreamTrace.load("ssh1-ssh2-fingerprints.pcap.streams.gz"));
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Chunk(boolean isOrig, byte[] data) {
    }

    @Provide
    Arbitrary<List<Chunk>> chunks() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        return Combinators.combine(Arbitraries.of(true, false), bytes).as(Chunk::new).list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenFedArbitraryBytes(@ForAll("chunks") List<Chunk> chunks) {
        run(chunks, false);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenArbitraryBytesFollowValidBanners(@ForAll("chunks") List<Chunk> chunks) {
        run(chunks, true);
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(3).ofMaxSize(12);
    }

    /**
     * Replays a real connection with a few bytes of its cleartext handshake overwritten, a
     * segment truncated or split differently.
     */
    @Property(tries = 300)
    void shouldNeverThrowWhenRealHandshakeIsMutated(@ForAll("mutations") int[] m) {
        StreamTrace.Conn c = REAL.get(m[0] % REAL.size());
        FakeContext ctx = new FakeContext(c.origHost(), c.origPort(), c.respHost(), c.respPort());
        SshAnalyzer a = new SshAnalyzer(ctx);
        SshDetector d = new SshDetector();
        long[] offsets = new long[2];
        int index = 0;
        for (StreamTrace.Event e : c.events()) {
            if (e.fin()) {
                a.onEndOfStream(e.isOrig());
                continue;
            }
            byte[] data = e.payload().clone();
            if (e.data() != null && data.length > 0) {
                for (int i = 1; i + 1 < m.length; i += 2) {
                    if ((m[i] & 7) == index % 8) {
                        data[m[i + 1] % data.length] ^= (byte) (1 + (m[i] >>> 3) % 255);
                    }
                }
                if ((m[1] >>> 5) % 11 == index % 11) {
                    data = java.util.Arrays.copyOf(data, (m[2] >>> 3) % data.length);
                }
            }
            int split = data.length == 0 ? 0 : (m[m.length - 1] >>> 2) % (data.length + 1);
            MemorySegment seg = MemorySegment.ofArray(data);
            a.onStream(e.isOrig(), seg, 0, split);
            a.onStream(e.isOrig(), seg, split, data.length - split);
            int side = e.isOrig() ? 0 : 1;
            d.onData(e.isOrig(), seg, 0, data.length, offsets[side]);
            offsets[side] += data.length;
            index++;
        }
        a.onConnectionDone();
        assertThat(ctx.logs.size()).isLessThanOrEqualTo(1);
        assertThat(a.bufferedCapacity()).isLessThanOrEqualTo(2 * SshAnalyzer.MAX_FRAME);
    }

    private static void run(List<Chunk> chunks, boolean banners) {
        FakeContext ctx = new FakeContext();
        SshAnalyzer a = new SshAnalyzer(ctx);
        SshDetector d = new SshDetector();
        long[] offsets = new long[2];
        if (banners) {
            byte[] c = "SSH-2.0-client\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] s = "SSH-2.0-server\r\n".getBytes(StandardCharsets.US_ASCII);
            a.onStream(true, MemorySegment.ofArray(c), 0, c.length);
            a.onStream(false, MemorySegment.ofArray(s), 0, s.length);
        }
        for (Chunk ch : chunks) {
            MemorySegment seg = MemorySegment.ofArray(ch.data());
            a.onStream(ch.isOrig(), seg, 0, ch.data().length);
            int side = ch.isOrig() ? 0 : 1;
            d.onData(ch.isOrig(), seg, 0, ch.data().length, offsets[side]);
            offsets[side] += ch.data().length;
            assertThat(a.bufferedCapacity()).isLessThanOrEqualTo(2 * SshAnalyzer.MAX_FRAME);
        }
        a.onGap(true, 10);
        a.onConnectionDone();
        assertThat(ctx.logs.size()).isLessThanOrEqualTo(1);
    }
}
