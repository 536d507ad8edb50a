package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The SMTP detector, which skips the inside of the originator's lines, answers exactly as a
 * byte-at-a-time reading of Zeek's dpd.sig rules does, chunk by chunk, whatever the chunking.
 */
class SmtpDetectorPropertyTest {

    private record Chunk(boolean isOrig, byte[] bytes) {
    }

    @Provide
    Arbitrary<List<Chunk>> chunks() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("HELO", "ehlo", "EhLo", "HEL", "EH", "220 ", "220-", "22",
                        "\r\n", "\n", "\r", " ", "\t")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars("HELOhelo \t\r\n2-0xX").ofMaxLength(6)));
        Arbitrary<byte[]> bytes = token.list().ofMaxSize(8).map(l -> String.join("", l)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return Combinators.combine(Arbitraries.of(true, true, false), bytes).as(Chunk::new).list().ofMaxSize(8);
    }

    @Property(tries = 3000)
    void shouldAnswerAsTheByteAtATimeRulesDo(@ForAll("chunks") List<Chunk> chunks) {
        SmtpDetector fast = new SmtpDetector();
        Reference ref = new Reference();
        long origAt = 0;
        long respAt = 0;
        List<Integer> got = new ArrayList<>();
        List<Integer> want = new ArrayList<>();
        for (Chunk c : chunks) {
            long at = c.isOrig() ? origAt : respAt;
            MemorySegment seg = MemorySegment.ofArray(c.bytes());
            got.add(fast.onData(c.isOrig(), seg, 0, c.bytes().length, at));
            want.add(ref.onData(c.isOrig(), c.bytes(), at));
            if (c.isOrig()) {
                origAt += c.bytes().length;
            } else {
                respAt += c.bytes().length;
            }
        }
        assertThat(got).isEqualTo(want);
    }

    /** dpd_smtp_server and dpd_smtp_client read one byte at a time (the detector before its skip). */
    private static final class Reference {
        private int server;
        private long serverSeen;
        private boolean client;
        private boolean lineStart = true;
        private int helo;
        private int first;

        int onData(boolean isOrig, byte[] data, long streamOffset) {
            for (int i = 0; i < data.length; i++) {
                byte b = data[i];
                if (isOrig) {
                    if (!client) {
                        client(b);
                    }
                } else if (server < 5) {
                    if (streamOffset + i != serverSeen) {
                        server = 6;
                    } else {
                        serverSeen++;
                        server(b);
                    }
                }
            }
            if (server == 6) {
                return Detector.NO_MATCH;
            }
            return server == 5 && client ? Detector.MATCH : Detector.NEED_MORE;
        }

        private void server(byte b) {
            switch (server) {
                case 0 -> server = b == '2' ? 2 : space(b) ? 0 : 6;
                case 2 -> server = b == '2' ? 3 : 6;
                case 3 -> server = b == '0' ? 4 : 6;
                case 4 -> server = space(b) || b == '-' ? 5 : 6;
                default -> {
                }
            }
        }

        private void client(byte b) {
            int c = b | 0x20;
            if (helo > 0) {
                int want = helo == 1 ? (first == 'h' ? 'e' : 'h') : helo == 2 ? 'l' : 'o';
                if (c == want) {
                    helo++;
                    client = helo == 4;
                    return;
                }
                helo = 0;
                lineStart = false;
            }
            if (b == '\r' || b == '\n') {
                lineStart = true;
            } else if (lineStart && (c == 'h' || c == 'e')) {
                first = c;
                helo = 1;
            } else if (!(lineStart && space(b))) {
                lineStart = false;
            }
        }

        private static boolean space(byte b) {
            return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == 0x0c;
        }
    }
}
