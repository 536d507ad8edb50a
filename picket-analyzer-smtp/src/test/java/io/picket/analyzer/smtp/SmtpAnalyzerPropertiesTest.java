package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.testing.RecordingContext;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Arbitrary and mutated SMTP sessions never make the analyzer throw, and its buffers stay bounded. */
class SmtpAnalyzerPropertiesTest {

    /** One real session: client lines (orig) and server lines (resp), in order. */
    private static final String[][] SESSION = {
        {"S", "220 mx.example.com ESMTP\r\n"},
        {"C", "EHLO client\r\n"},
        {"S", "250-mx.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n"},
        {"C", "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"},
        {"S", "250 Ok\r\n250 Ok\r\n354 Go\r\n"},
        {"C", "From: A <a@example.com>\r\nTo: b@example.org\r\nReceived: from x ([10.0.0.9])\r\n"
                + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner\r\n\r\nhi\r\n--b1--\r\n.\r\n"},
        {"S", "250 queued\r\n"},
        {"C", "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nBDAT 12 LAST\r\nSubject: x\r\n"},
        {"S", "250 Ok\r\n250 Ok\r\n250 done\r\n"},
        {"C", "STARTTLS\r\n"},
        {"S", "220 Go ahead\r\n"},
        {"C", "\u0016\u0003\u0001\u0000\u0005hello"},
    };

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenBytesAreArbitrary(@ForAll("chunks") List<byte[]> chunks) {
        RecordingContext ctx = new RecordingContext("C1", "10.0.0.1", 1, "10.0.0.2", 25, "tcp");
        SmtpAnalyzer a = new SmtpAnalyzer(ctx);
        boolean orig = false;
        for (byte[] c : chunks) {
            a.onStream(orig, MemorySegment.ofArray(c), 0, c.length);
            orig = !orig;
        }
        a.onEndOfStream(true);
        a.onEndOfStream(false);
        a.onConnectionDone();
        assertThat(a.bufferedCapacity()).isLessThanOrEqualTo(2 * SmtpAnalyzer.MAX_LINE);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenRealSessionIsMutated(@ForAll("mutations") List<Integer> flips,
            @ForAll("cuts") int cut) {
        RecordingContext ctx = new RecordingContext("C1", "10.0.0.1", 1, "10.0.0.2", 25, "tcp");
        SmtpAnalyzer a = new SmtpAnalyzer(ctx);
        int n = 0;
        for (String[] step : SESSION) {
            byte[] b = step[1].getBytes(StandardCharsets.ISO_8859_1);
            for (int k = 0; k < flips.size(); k += 2) {
                int at = flips.get(k) % (b.length);
                b[at] = (byte) (int) flips.get(k + 1 < flips.size() ? k + 1 : k);
            }
            boolean orig = step[0].equals("C");
            int split = Math.min(b.length, cut % (b.length + 1));
            a.onStream(orig, MemorySegment.ofArray(b), 0, split);
            a.onStream(orig, MemorySegment.ofArray(b), split, b.length - split);
            if (++n == 6 && cut % 7 == 0) {
                a.onGap(orig, 10);
            }
        }
        a.onConnectionDone();
        assertThat(ctx.logs.size()).isLessThanOrEqualTo(4);
    }

    @Provide
    Arbitrary<List<Integer>> mutations() {
        return Arbitraries.integers().between(0, 255).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 500);
    }
}
