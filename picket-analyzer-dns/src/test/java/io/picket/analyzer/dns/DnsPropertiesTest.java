package io.picket.analyzer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Arbitrary and mutated input never throws, and per-connection state stays bounded. */
class DnsPropertiesTest {
    private static final List<byte[]> REAL = realMessages();

    /** Every UDP payload of the seed traces (real DNS, NetBIOS, mDNS messages). */
    private static List<byte[]> realMessages() {
        List<byte[]> out = new ArrayList<>();
        try {
            for (String seed : DnsBenchSeedsTest.lines("dns/seeds/index.txt")) {
                try (InputStream in = DnsVendoredCasesTest.resource("dns/seeds/" + seed)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                        String[] f = line.trim().split(" ");
                        if (f.length == 9 && f[2].equals("u") && !f[8].equals("-")) {
                            out.add(HexFormat.of().parseHex(f[8]));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static FakeContext context(int variant) {
        return switch (variant) {
            case 0 -> FakeContext.udp(53);
            case 1 -> new FakeContext("CTest", "10.0.0.9", 137, "10.0.0.255", 137, "udp");
            case 2 -> new FakeContext("CTest", "fe80::1", 5353, "ff02::fb", 5353, "udp");
            default -> FakeContext.tcp();
        };
    }

    private static void feed(DnsAnalyzer a, FakeContext ctx, boolean isOrig, byte[] b) {
        MemorySegment seg = MemorySegment.ofArray(b);
        if (ctx.transport().equals("tcp")) {
            a.onStream(isOrig, seg, 0, b.length);
        } else {
            a.onDatagram(isOrig, seg, 0, b.length);
        }
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenPayloadsAreArbitrary(@ForAll @Size(max = 12) List<@Size(max = 600) byte[]> payloads,
            @ForAll @IntRange(min = 0, max = 3) int variant) {
        FakeContext ctx = context(variant);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        boolean orig = true;
        for (byte[] p : payloads) {
            feed(a, ctx, orig, p);
            orig = !orig;
        }
        a.onEndOfStream(true);
        a.onConnectionDone();
    }

    @Provide
    Arbitrary<byte[]> mutatedMessages() {
        return Arbitraries.integers().between(0, REAL.size() - 1).flatMap(i -> Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            byte[] m = REAL.get(i).clone();
            int edits = 1 + r.nextInt(6);
            for (int e = 0; e < edits && m.length > 0; e++) {
                switch (r.nextInt(4)) {
                    case 0 -> m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                    case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length + 1));
                    case 2 -> m[r.nextInt(m.length)] = (byte) (0xc0 | r.nextInt(64));
                    default -> {
                        int at = r.nextInt(m.length);
                        m[at] = (byte) r.nextInt(256);
                        if (at + 1 < m.length) {
                            m[at + 1] = (byte) r.nextInt(256);
                        }
                    }
                }
            }
            return m;
        }));
    }

    @Property(tries = 1000)
    void shouldNeverThrowWhenRealMessagesAreMutated(@ForAll("mutatedMessages") byte[] message,
            @ForAll @IntRange(min = 0, max = 3) int variant, @ForAll boolean isOrig) {
        FakeContext ctx = context(variant);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        if (variant == 3) {
            byte[] framed = new byte[message.length + 2];
            framed[0] = (byte) (message.length >>> 8);
            framed[1] = (byte) message.length;
            System.arraycopy(message, 0, framed, 2, message.length);
            message = framed;
        }
        feed(a, ctx, isOrig, message);
        feed(a, ctx, !isOrig, message);
        a.onEndOfStream(isOrig);
        a.onConnectionDone();
    }

    @Property(tries = 5)
    void shouldBoundPendingRowsWhenRepliesNeverMatch(@ForAll long seed) {
        FakeContext ctx = FakeContext.udp(53);
        DnsAnalyzer a = new DnsAnalyzer(ctx);
        Random r = new Random(seed);
        Msg txt = Msg.data();
        for (int i = 0; i < 40; i++) {
            txt.u8(250).ascii("x".repeat(250));
        }
        byte[] rdata = txt.bytes();
        for (int i = 0; i < 3000; i++) {
            int id = r.nextInt(200);
            Msg m = Msg.reply(id, 0, 1, 1).question("big.example", 16, 1).rrAt(12, 16, 60, rdata);
            DnsAnalyzerTest.udp(a, false, m);
            if (r.nextBoolean()) {
                DnsAnalyzerTest.udp(a, true, Msg.query(200 + r.nextInt(200), "q.example", 1));
            }
            assertThat(a.transactions().pendingRows()).isLessThanOrEqualTo(1 + 2 * 51 * 51);
            assertThat(a.transactions().retainedAnswerBytes())
                    .isLessThanOrEqualTo(DnsTransactions.MAX_RETAINED_ANSWER_BYTES);
        }
        a.onConnectionDone();
        assertThat(a.transactions().retainedAnswerBytes()).isZero();
    }
}
