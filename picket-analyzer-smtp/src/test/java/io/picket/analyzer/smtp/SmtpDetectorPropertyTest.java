package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The SMTP detector, which reads byte by byte and skips the inside of the originator's lines,
 * answers as Zeek's dpd.sig patterns (as regular expressions over each side's stream so far) do,
 * chunk after chunk, whatever the chunking.
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
    void shouldAnswerAsZeeksSmtpSignaturesDo(@ForAll("chunks") List<Chunk> chunks) {
        SmtpDetector detector = new SmtpDetector();
        StringBuilder orig = new StringBuilder();
        StringBuilder resp = new StringBuilder();
        List<Integer> got = new ArrayList<>();
        List<Integer> want = new ArrayList<>();
        for (Chunk c : chunks) {
            StringBuilder side = c.isOrig() ? orig : resp;
            got.add(detector.onData(c.isOrig(), MemorySegment.ofArray(c.bytes()), 0, c.bytes().length,
                    side.length()));
            side.append(new String(c.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
            want.add(verdict(orig, resp));
        }
        assertThat(got).as(chunks.toString()).isEqualTo(want);
    }

    // base/protocols/smtp/dpd.sig: dpd_smtp_server on the responder's stream, dpd_smtp_client
    // (requiring the server's) on the originator's; [[:space:]] as in the detector
    private static final Pattern SERVER = Pattern.compile("[ \\t\\r\\n\\x0b\\x0c]*220[ \\t\\r\\n\\x0b\\x0c-]");
    private static final Pattern CLIENT = Pattern.compile(
            "(?:^|[\\r\\n])[ \\t\\r\\n\\x0b\\x0c]*(?:HELO|EHLO)", Pattern.CASE_INSENSITIVE);

    private static int verdict(CharSequence orig, CharSequence resp) {
        Matcher server = SERVER.matcher(resp);
        boolean serverMatched = server.lookingAt();
        if (!serverMatched && !server.hitEnd()) {
            return Detector.NO_MATCH; // no more responder data can make it match
        }
        return serverMatched && CLIENT.matcher(orig).find() ? Detector.MATCH : Detector.NEED_MORE;
    }
}
