package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.testing.RecordingContext;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** policy/frameworks/intel/seen/smtp-url-extraction.zeek: URLs of message bodies seen in SMTP::IN_MESSAGE. */
class SmtpMessageUrlTest {

    /** Records each sighting as "where type indicator", with " fuid=..." when file fields came along. */
    static final class SeenContext extends RecordingContext {
        final List<String> seen = new ArrayList<>();
        boolean wants = true;

        SeenContext() {
            super("CSmtp", "10.0.0.1", 40000, "10.0.0.2", 25, "tcp");
        }

        @Override
        public void seen(String indicator, String indicatorType, String where) {
            seen.add(where + " " + indicatorType + " " + indicator);
        }

        @Override
        public void seen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
                String fileDesc) {
            seen.add(where + " " + indicatorType + " " + indicator + " fuid=" + fuid);
        }

        @Override
        public boolean wantsSeen() {
            return wants;
        }

        List<String> urls() {
            return seen.stream().filter(s -> s.startsWith("SMTP::IN_MESSAGE ")).toList();
        }
    }

    private static void send(SmtpAnalyzer a, boolean orig, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        a.onStream(orig, MemorySegment.ofArray(b), 0, b.length);
    }

    /** One transaction carrying {@code data} (dot-stuffed by the caller, without the final dot). */
    private static void mail(SmtpAnalyzer a, String data) {
        send(a, true, "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
        send(a, false, "250 Ok\r\n250 Ok\r\n354 Go\r\n");
        send(a, true, data + ".\r\n");
        send(a, false, "250 queued\r\n");
    }

    private static SmtpAnalyzer open(SeenContext ctx) {
        SmtpAnalyzer a = new SmtpAnalyzer(ctx);
        send(a, false, "220 mx.example.com ESMTP\r\n");
        send(a, true, "EHLO client\r\n");
        send(a, false, "250 mx.example.com\r\n");
        return a;
    }

    private static final String MULTIPART = "From: alice@example.com\r\nSubject: links\r\n"
            + "Content-Type: multipart/mixed; boundary=\"==b\"\r\n\r\n"
            + "preamble http://preamble.example/ is not an entity\r\n"
            + "--==b\r\nContent-Type: text/plain\r\n\r\n"
            + "click http://bad.example/a now or hxxp://defanged.example/x\r\n"
            + "..and http://bad.example/a again, http://lineend.example/p\r\n"
            + "--==b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<a href=3D\"https://qp.example/l?id=3D7\">x</a> <a href=3D\"http://soft.exa=\r\n"
            + "mple/\">y</a>\r\n"
            + "--==b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            // "Visit http://evil.example/payload now\r\n", a group split over the lines
            + "VmlzaXQgaHR0cDovL2V2aWwuZXhh\r\nbXBsZS9wYXlsb2FkIG5vdw0K\r\n"
            + "--==b--\r\n";

    @Test
    void shouldReportEachSegmentsUrlsWithoutSchemeWhenMessageHasParts() {
        SeenContext ctx = new SeenContext();
        SmtpAnalyzer a = open(ctx);
        mail(a, MULTIPART);
        assertThat(ctx.urls()).containsExactly(
                // text/plain: one segment per line, the line's CRLF held back for the boundary, so a URL
                // at a line's end has no CRLF but one at a line's start follows the previous one
                "SMTP::IN_MESSAGE Intel::URL bad.example/a",
                "SMTP::IN_MESSAGE Intel::URL defanged.example/x",
                "SMTP::IN_MESSAGE Intel::URL bad.example/a",
                "SMTP::IN_MESSAGE Intel::URL lineend.example/p",
                // quoted-printable: decoded per line, the soft break cuts the second URL
                "SMTP::IN_MESSAGE Intel::URL qp.example/l?id=7\">x</a>",
                "SMTP::IN_MESSAGE Intel::URL soft.exa",
                // base64: only whole groups of each line, so the URL is cut where the line ends
                "SMTP::IN_MESSAGE Intel::URL evil.exa");
        assertThat(ctx.seen).noneMatch(s -> s.startsWith("SMTP::IN_MESSAGE") && s.contains("fuid="));
        // the file ids are those of the three parts
        assertThat(((List<?>) ctx.logs.getFirst().get("fuids"))).hasSize(3);
    }

    @Test
    void shouldReportTheUrlWithItsLineEndWhenMessageIsPlainText() {
        SeenContext ctx = new SeenContext();
        SmtpAnalyzer a = open(ctx);
        mail(a, "Subject: plain\r\n\r\nsee http://plain.example/x\r\nor ftp://files.example/y z\r\n");
        // a top-level body line keeps its CRLF: url_regex stops only at blanks
        assertThat(ctx.urls()).containsExactly("SMTP::IN_MESSAGE Intel::URL plain.example/x\r\n",
                "SMTP::IN_MESSAGE Intel::URL files.example/y");
    }

    @Test
    void shouldScanNothingWhenTenantHasNoIntel() {
        SeenContext ctx = new SeenContext();
        ctx.wants = false;
        SmtpAnalyzer a = open(ctx);
        mail(a, MULTIPART);
        assertThat(ctx.seen).isEmpty();
        assertThat(((List<?>) ctx.logs.getFirst().get("fuids"))).hasSize(3);
    }

    @Test
    void shouldStopAtTheBoundWhenMessageHasTooManyUrls() {
        SeenContext ctx = new SeenContext();
        SmtpAnalyzer a = open(ctx);
        StringBuilder sb = new StringBuilder("Subject: many\r\n\r\n");
        for (int i = 0; i < SmtpAnalyzer.MAX_MESSAGE_URLS + 50; i++) {
            sb.append("http://h").append(i).append(".example/ x\r\n");
        }
        mail(a, sb.toString());
        assertThat(ctx.urls()).hasSize(SmtpAnalyzer.MAX_MESSAGE_URLS);
        // the bound is per message
        mail(a, "Subject: one\r\n\r\nhttp://next.example/ x\r\n");
        assertThat(ctx.urls()).hasSize(SmtpAnalyzer.MAX_MESSAGE_URLS + 1).last()
                .isEqualTo("SMTP::IN_MESSAGE Intel::URL next.example/");
    }

    @Provide
    Arbitrary<List<byte[]>> bodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> urlish = Arbitraries.of("http://", "ftp://", "a.b", "/", " ", "\r\n", "=\r\n", "=3D", "--b\r\n",
                "Content-Transfer-Encoding: base64\r\n\r\n", "aHR0cDovL2EuYi9j", "Content-Type: multipart/mixed; boundary=b\r\n",
                "x".repeat(1100)).list().ofMaxSize(60).map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(random, urlish).list().ofMaxSize(8);
    }

    @Property(tries = 200)
    void shouldStayBoundedWhenBodyBytesAreArbitrary(@ForAll("bodies") List<byte[]> chunks) {
        SeenContext ctx = new SeenContext();
        SmtpAnalyzer a = open(ctx);
        send(a, true, "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        send(a, false, "250 Ok\r\n250 Ok\r\n354 Go\r\n");
        for (byte[] c : chunks) {
            a.onStream(true, MemorySegment.ofArray(c), 0, c.length);
        }
        send(a, true, "\r\n.\r\n");
        a.onConnectionDone();
        assertThat(ctx.urls()).hasSizeLessThanOrEqualTo(SmtpAnalyzer.MAX_MESSAGE_URLS)
                // a URL lies inside one segment, after its "x://"
                .allSatisfy(s -> assertThat(s.length() - "SMTP::IN_MESSAGE Intel::URL ".length())
                        .isBetween(1, MimeMail.SEGMENT - 6));
    }
}
