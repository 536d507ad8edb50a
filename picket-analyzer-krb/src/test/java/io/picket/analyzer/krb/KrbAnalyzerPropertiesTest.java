package io.picket.analyzer.krb;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.picket.analyzer.ssl.X509Dedup;
import io.picket.analyzer.testing.RecordingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** No input, arbitrary or a mutation of a real message, makes an exception escape the analyzer. */
class KrbAnalyzerPropertiesTest {

    /** Every Kerberos PDU of the kinit trace (UDP datagrams; PKINIT included via the TCP records). */
    private static final List<byte[]> REAL = load();

    private static List<byte[]> load() {
        try (InputStream in = KrbAnalyzerPropertiesTest.class.getResourceAsStream("/kinit/kinit.pcap")) {
            List<byte[]> out = new ArrayList<>();
            for (PcapTrace.Conn c : PcapTrace.read(in)) {
                if (c.respPort == 88) {
                    for (PcapTrace.Delivery d : c.deliveries) {
                        byte[] p = d.payload();
                        out.add(c.tcp && p.length > 4 ? java.util.Arrays.copyOfRange(p, 4, p.length) : p);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void feed(byte[] pdu, boolean tcp, int split) {
        RecordingContext ctx = new RecordingContext("CProp", "10.0.0.1", 1, "10.0.0.2", 88, tcp ? "tcp" : "udp");
        KrbAnalyzer a = new KrbAnalyzer(ctx, tcp, new X509Dedup(86400.0, 10));
        if (tcp) {
            byte[] rec = KrbMessages.record(pdu);
            int cut = Math.min(split, rec.length);
            a.onStream(true, MemorySegment.ofArray(rec), 0, cut);
            a.onStream(true, MemorySegment.ofArray(rec), cut, rec.length - cut);
            a.onStream(false, MemorySegment.ofArray(rec), 0, rec.length);
        } else {
            a.onDatagram(true, MemorySegment.ofArray(pdu), 0, pdu.length);
            a.onDatagram(false, MemorySegment.ofArray(pdu), 0, pdu.length);
        }
        a.onConnectionDone();
    }

    @Property(tries = 300)
    void shouldNotThrowWhenBytesAreArbitrary(@ForAll @Size(max = 600) byte[] bytes, @ForAll boolean tcp) {
        assertThatCode(() -> feed(bytes, tcp, bytes.length / 2)).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.of(REAL).flatMap(msg -> Arbitraries.integers().between(0, msg.length - 1).list()
                .ofMinSize(1).ofMaxSize(6).flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                        .map(values -> {
                            byte[] m = msg.clone();
                            for (int i = 0; i < positions.size(); i++) {
                                m[positions.get(i)] = values.get(i);
                            }
                            return m;
                        })));
    }

    @Provide
    Arbitrary<byte[]> truncated() {
        return Arbitraries.of(REAL).flatMap(msg -> Arbitraries.integers().between(0, msg.length)
                .map(n -> java.util.Arrays.copyOf(msg, n)));
    }

    @Property(tries = 400)
    void shouldNotThrowWhenRealMessageIsMutated(@ForAll("mutated") byte[] msg, @ForAll boolean tcp) {
        assertThatCode(() -> feed(msg, tcp, 7)).doesNotThrowAnyException();
    }

    @Property(tries = 200)
    void shouldNotThrowWhenRealMessageIsTruncated(@ForAll("truncated") byte[] msg, @ForAll boolean tcp) {
        assertThatCode(() -> feed(msg, tcp, 3)).doesNotThrowAnyException();
    }
}
