package io.picket.analyzer.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Arbitrary and mutated input never breaks the analyzer, the detector or the X.509 parser. */
class SslPropertiesTest {
    private static final String[] STREAMS = {
        "tls10-sni-basic-1.tcps", "tls12-sni-repeated-certs-5.tcps", "tls13-ech-sni-2.tcps",
        "seeds/zeek-tls_client-certificate-1.tcps", "seeds/zeek-tls_ocsp-stapling-1.tcps",
        "seeds/zeek-tls_missing-intermediate-2.tcps", "seeds/zeek-tls_tls-expired-cert-2.tcps",
    };
    private static final int BOUND = (1 << 20) + 4 * 70_000;
    /** Validates certificates too (against the roots of the validate-certs traces). */
    private static final SslAnalyzerProvider VALIDATING = validating();

    private static SslAnalyzerProvider validating() {
        try (java.io.InputStream in = SslPropertiesTest.class.getResourceAsStream("/roots/mozilla-2014-subset.pem")) {
            return new SslAnalyzerProvider(SslOptions.defaults().withFingerprints(true, true)
                    .withValidation(CertValidation.with(TrustStore.fromPem(in))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertHealthy(FakeContext ctx, SslAnalyzer a) {
        assertThat(ctx.violations).noneMatch(v -> v.startsWith(SslAnalyzer.INTERNAL_ERROR));
        assertThat(a.bufferedBytes()).isLessThanOrEqualTo(BOUND);
    }

    @Property(tries = 300)
    void shouldNeverFailOnArbitraryBytes(@ForAll("chunks") List<byte[]> chunks, @ForAll long directions) {
        FakeContext ctx = new FakeContext();
        SslAnalyzer a = new SslAnalyzer(ctx, new SslAnalyzerProvider(), () -> false);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            a.onStream(((directions >> (i & 63)) & 1) == 0, MemorySegment.ofArray(c), 0, c.length);
        }
        a.onConnectionDone();
        assertHealthy(ctx, a);
    }

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        Arbitrary<byte[]> tlsLike = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> b.length < 5 ? b : withHeader(b));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(tlsLike, raw).list().ofMaxSize(20);
    }

    /** Makes the first bytes look like a TLS record header so parsing goes deeper. */
    private static byte[] withHeader(byte[] b) {
        byte[] out = b.clone();
        out[0] = (byte) (20 + Math.floorMod(out[0], 5));
        out[1] = 3;
        out[2] = (byte) Math.floorMod(out[2], 4);
        int len = b.length - 5;
        out[3] = (byte) (len >> 8);
        out[4] = (byte) len;
        return out;
    }

    @Property(tries = 200)
    void shouldNeverFailOnMutatedRealHandshakes(@ForAll @IntRange(min = 0, max = 6) int which,
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int mutations,
            @ForAll @IntRange(min = 1, max = 700) int piece) {
        TcpStream stream = TcpStream.load(STREAMS[which]);
        Random rnd = new Random(seed);
        List<TcpStream.Chunk> chunks = new ArrayList<>();
        for (TcpStream.Chunk c : stream.chunks) {
            chunks.add(new TcpStream.Chunk(c.fin(), c.isOrig(), c.ts(), c.data().clone()));
        }
        for (int m = 0; m < mutations; m++) {
            TcpStream.Chunk c = chunks.get(rnd.nextInt(chunks.size()));
            if (c.data().length > 0) {
                int at = rnd.nextInt(Math.min(c.data().length, 6000));
                c.data()[at] = (byte) (rnd.nextInt(3) == 0 ? 0xff : rnd.nextInt(256));
            }
        }
        FakeContext ctx = stream.context("C1");
        SslAnalyzer a = new SslAnalyzer(ctx, (seed & 1) == 0 ? new SslAnalyzerProvider() : VALIDATING, () -> false);
        for (TcpStream.Chunk c : chunks) {
            ctx.now = c.ts();
            MemorySegment seg = MemorySegment.ofArray(c.data());
            for (int off = 0; off < c.data().length; off += piece) {
                a.onStream(c.isOrig(), seg, off, Math.min(piece, c.data().length - off));
            }
        }
        a.onConnectionDone();
        assertHealthy(ctx, a);
        assertThat(VALIDATING.validator().errors()).isZero();
    }

    @Property(tries = 300)
    void shouldNeverThrowWhileParsingArbitraryCertificates(@ForAll @Size(max = 400) byte[] der) {
        X509Certificate.parseUnchecked(der, 0, der.length);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhileParsingMutatedCertificates(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int flips) {
        byte[] der = DerBuilder.certificate(DerBuilder.name(DerBuilder.cn("x.example")),
                DerBuilder.seq(DerBuilder.seq(DerBuilder.oid("1.2.840.113549.1.1.1"), DerBuilder.tlv(0x05)),
                        DerBuilder.tlv(0x03, new byte[] {0, 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03})),
                DerBuilder.extension("2.5.29.17", false,
                        DerBuilder.seq(DerBuilder.tlv(0x82, "x.example".getBytes()))),
                DerBuilder.extension("2.5.29.19", true, DerBuilder.seq(DerBuilder.tlv(0x01, new byte[] {-1}))));
        Random rnd = new Random(seed);
        for (int i = 0; i < flips; i++) {
            der[rnd.nextInt(der.length)] = (byte) rnd.nextInt(256);
        }
        X509Certificate.parseUnchecked(der, 0, der.length);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhileDetecting(@ForAll @Size(max = 40) byte[] orig, @ForAll @Size(max = 40) byte[] resp,
            @ForAll boolean sslv2) {
        SslDetector d = new SslDetector(sslv2);
        d.onData(true, MemorySegment.ofArray(orig), 0, orig.length, 0);
        d.onData(false, MemorySegment.ofArray(resp), 0, resp.length, 0);
    }
}
