package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Body lines of a message in DATA (decoded into segments and scanned for URLs, the tenant having
 * intel) allocate nothing: {@value #LINES} lines per round after as many of warm-up, the quietest
 * of {@value #ROUNDS} rounds counts (a one-off JIT or runtime event lands in one round only, a
 * per-line allocation in every round, at least 16 bytes a line).
 */
class SmtpBodyAllocationTest {
    private static final int LINES = 50_000;
    private static final int ROUNDS = 3;
    private static final long MAX_BYTES = 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void shouldCountThisThreadsAllocations() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private static long quietest(Runnable line) {
        for (int i = 0; i < LINES; i++) {
            line.run();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < LINES; i++) {
                line.run();
            }
            best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return best;
    }

    private static void send(SmtpAnalyzer a, boolean orig, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        a.onStream(orig, MemorySegment.ofArray(b), 0, b.length);
    }

    private long body(String partHeader, String line) {
        SmtpMessageUrlTest.SeenContext ctx = new SmtpMessageUrlTest.SeenContext();
        SmtpAnalyzer a = new SmtpAnalyzer(ctx);
        send(a, false, "220 mx ESMTP\r\n");
        send(a, true, "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        send(a, false, "250 mx\r\n250 Ok\r\n250 Ok\r\n354 Go\r\n");
        send(a, true, "Subject: s\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n" + partHeader + "\r\n");
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment seg = MemorySegment.ofArray(b);
        long bytes = quietest(() -> a.onStream(true, seg, 0, b.length));
        assertThat(ctx.seen).isEmpty();
        assertThat(ctx.weirds).isEmpty();
        // the lines were body data of the part: it became a file
        send(a, true, "--B--\r\n.\r\n");
        send(a, false, "250 Ok\r\n");
        assertThat(ctx.logs).singleElement().satisfies(r -> assertThat((java.util.List<?>) r.get("fuids")).hasSize(1));
        return bytes;
    }

    @Test
    void shouldNotAllocateWhenPlainBodyLinesArrive() {
        assertThat(body("Content-Type: text/plain\r\n", "a line of text with no link: see example dot com, www x\r\n"))
                .isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenQuotedPrintableLinesArrive() {
        assertThat(body("Content-Transfer-Encoding: quoted-printable\r\n",
                "<p style=3D\"margin:0\">caf=C3=A9 mailto:x@example.com ://nohost=\r\n"))
                .isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenBase64LinesArrive() {
        // 76 characters a line, decoding to text without a URL
        assertThat(body("Content-Transfer-Encoding: base64\r\n",
                "VGhpcyBpcyBhIGxpbmUgb2YgdGV4dCB0aGF0IGNhcnJpZXMgbm8gbGluayBhdCBhbGwsIGp1c3Qgd29y\r\n"))
                .isLessThanOrEqualTo(MAX_BYTES);
    }
}
