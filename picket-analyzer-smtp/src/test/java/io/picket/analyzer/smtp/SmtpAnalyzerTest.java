package io.picket.analyzer.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.testing.RecordingContext;
import io.picket.log.LogRecord;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpAnalyzerTest {

    private RecordingContext ctx;
    private SmtpAnalyzer smtp;

    private void open() {
        ctx = new RecordingContext("CSmtp", "10.0.0.1", 40000, "10.0.0.2", 25, "tcp").at(100.0);
        smtp = new SmtpAnalyzer(ctx);
    }

    private void client(String text) {
        send(true, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void server(String text) {
        send(false, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void send(boolean isOrig, byte[] b) {
        smtp.onStream(isOrig, MemorySegment.ofArray(b), 0, b.length);
    }

    private static String text(LogRecord r, String field) {
        Object v = r.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                out.add(o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o));
            }
            return String.join(",", out);
        }
        return String.valueOf(v);
    }

    private void greet() {
        server("220 mx.example.com ESMTP\r\n");
        client("EHLO client.example.com\r\n");
        server("250-mx.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
    }

    private void message(String headers, String body) {
        client("MAIL FROM:<alice@example.com> SIZE=100\r\n");
        server("250 2.1.0 Ok\r\n");
        client("RCPT TO:<bob@example.org>\r\n");
        server("250 2.1.5 Ok\r\n");
        client("DATA\r\n");
        server("354 End data with <CR><LF>.<CR><LF>\r\n");
        client(headers + "\r\n" + body + ".\r\n");
        ctx.at(101.0);
        server("250 2.0.0 Ok: queued as 1234\r\n");
    }

    @Test
    void shouldLogTransactionFieldsWhenMessageIsSent() {
        open();
        greet();
        message("Date: Mon, 5 Oct 2009 11:36:07 +0530\r\nFrom: \"Alice, A.\" <alice@example.com>\r\n"
                + "To: bob@example.org, \"Carol\" <carol@example.org>\r\nCc: dave@example.net\r\n"
                + "Subject: hello\r\n  world\r\nMessage-ID: <1@example.com>\r\nIn-Reply-To: <0@example.com>\r\n"
                + "Reply-To: alice@example.com\r\nX-Mailer: Test Mailer 1.0\r\nX-Originating-IP: [192.0.2.7]\r\n"
                + "Received: from a.example ([198.51.100.1]) by b.example\r\n"
                + "Received: from c.example (c.example [203.0.113.9]) by d.example\r\n",
                "body line\r\n..dot line\r\n");
        client("QUIT\r\n");
        server("221 Bye\r\n");
        smtp.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(r.get("ts")).isEqualTo(100.0);
        assertThat(r.get("trans_depth")).isEqualTo(1L);
        assertThat(text(r, "helo")).isEqualTo("client.example.com");
        assertThat(text(r, "mailfrom")).isEqualTo("alice@example.com");
        assertThat(text(r, "rcptto")).isEqualTo("bob@example.org");
        assertThat(text(r, "date")).isEqualTo("Mon, 5 Oct 2009 11:36:07 +0530");
        assertThat(text(r, "from")).isEqualTo("\"Alice, A.\" <alice@example.com>");
        assertThat(text(r, "to")).isEqualTo("bob@example.org,\"Carol\" <carol@example.org>");
        assertThat(text(r, "cc")).isEqualTo("dave@example.net");
        assertThat(text(r, "subject")).isEqualTo("hello  world");
        assertThat(text(r, "msg_id")).isEqualTo("<1@example.com>");
        assertThat(text(r, "in_reply_to")).isEqualTo("<0@example.com>");
        assertThat(text(r, "reply_to")).isEqualTo("alice@example.com");
        assertThat(text(r, "user_agent")).isEqualTo("Test Mailer 1.0");
        assertThat(text(r, "x_originating_ip")).isEqualTo("192.0.2.7");
        assertThat(text(r, "first_received")).isEqualTo("from c.example (c.example [203.0.113.9]) by d.example");
        assertThat(text(r, "second_received")).isEqualTo("from a.example ([198.51.100.1]) by b.example");
        assertThat(text(r, "path")).isEqualTo("10.0.0.2,10.0.0.1,198.51.100.1,203.0.113.9");
        assertThat(text(r, "last_reply")).isEqualTo("250 2.0.0 Ok: queued as 1234");
        assertThat(r.get("tls")).isEqualTo(false);
        assertThat(text(r, "fuids")).isEqualTo("FTest0");
        assertThat(ctx.confirmations).isPositive();
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldCountTransactionsAndStartNextRecordAtEndOfDataReplyWhenSessionSendsTwoMessages() {
        open();
        greet();
        message("Subject: one\r\n", "a\r\n");
        ctx.at(102.0);
        message("Subject: two\r\n", "b\r\n");
        smtp.onConnectionDone();

        assertThat(ctx.logs).hasSize(2);
        assertThat(ctx.logs.get(0).get("trans_depth")).isEqualTo(1L);
        assertThat(ctx.logs.get(1).get("trans_depth")).isEqualTo(2L);
        // Zeek's next record starts at the reply to "." of the previous message
        assertThat(ctx.logs.get(1).get("ts")).isEqualTo(101.0);
        assertThat(text(ctx.logs.get(1), "subject")).isEqualTo("two");
        assertThat(text(ctx.logs.get(1), "helo")).isEqualTo("client.example.com");
    }

    @Test
    void shouldCountOneFilePerLeafWhenMessageIsMultipart() {
        open();
        greet();
        message("Subject: parts\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n",
                "preamble\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XYZ\r\n"
                        + "Content-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n"
                        + "Subject: ignored\r\n\r\nUEsDBA==\r\n--XYZ--\r\nepilogue\r\n");
        smtp.onConnectionDone();

        LogRecord r = ctx.only();
        assertThat(text(r, "fuids")).isEqualTo("FTest0,FTest1");
        assertThat(text(r, "subject")).isEqualTo("parts");
    }

    @Test
    void shouldHandRestOfStreamToSslWhenStartTlsIsAccepted() {
        open();
        greet();
        client("STARTTLS\r\n");
        // the 220 reply and the first TLS bytes in one segment
        send(false, new byte[] {'2', '2', '0', ' ', 'G', 'o', '\r', '\n', 0x16, 0x03, 0x01});
        send(true, new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}); // ClientHello record header
        smtp.onConnectionDone();

        assertThat(ctx.children).hasSize(1);
        RecordingContext.Child ssl = ctx.children.getFirst();
        assertThat(ssl.name).isEqualTo("ssl");
        assertThat(ssl.resp.toByteArray()).containsExactly(0x16, 0x03, 0x01);
        assertThat(ssl.orig.toByteArray()).containsExactly(0x16, 0x03, 0x01, 0x00, 0x05);
        LogRecord r = ctx.only();
        assertThat(r.get("tls")).isEqualTo(true);
        assertThat(text(r, "last_reply")).isEqualTo("220 Go");
        assertThat(text(r, "fuids")).isEmpty();
        assertThat(text(r, "path")).isEqualTo("10.0.0.2,10.0.0.1");
    }

    @Test
    void shouldStopParsingWithoutChildWhenSslAnalyzerIsNotLoaded() {
        open();
        ctx.childrenAvailable = false;
        greet();
        client("STARTTLS\r\n");
        server("220 Go\r\n");
        client("\u0016\u0003\u0001garbage\r\nMAIL FROM:<x@y.z>\r\n");
        smtp.onConnectionDone();

        assertThat(ctx.only().get("tls")).isEqualTo(true);
        assertThat(text(ctx.only(), "mailfrom")).isNull();
    }

    @Test
    void shouldIgnorePartialConnectionWhenMidStream() {
        open();
        ctx.partial = true;
        greet();
        message("Subject: x\r\n", "y\r\n");
        smtp.onConnectionDone();

        assertThat(ctx.logs).isEmpty();
        assertThat(ctx.confirmations).isZero();
    }

    @Test
    void shouldReportViolationWhenReplyCodeIsOutOfRange() {
        open();
        server("HTTP/1.1 200 OK\r\n");

        assertThat(ctx.violations).containsExactly("reply code -1 out of range");
    }

    @Test
    void shouldRaiseWeirdWhenRcptComesWithoutMail() {
        open();
        greet();
        client("RCPT TO:<bob@example.org>\r\n");

        assertThat(ctx.weirdTexts()).containsExactly("smtp_mail_transaction_invalid:rcpt to missing mail from");
    }

    @Test
    void shouldRaiseWeirdWhenDataComesWithoutRcpt() {
        open();
        greet();
        client("MAIL FROM:<a@b.c>\r\nDATA\r\n");

        assertThat(ctx.weirdTexts()).containsExactly("smtp_mail_transaction_invalid:data missing rcpt to");
    }

    @Test
    void shouldDisableAnalyzerWhenInvalidTransactionsExceedLimit() {
        open();
        greet();
        for (int i = 0; i < 26; i++) {
            client("RCPT TO:<bob" + i + "@example.org>\r\n");
        }
        client("MAIL FROM:<late@example.com>\r\n");
        smtp.onConnectionDone();

        assertThat(ctx.weirdNames()).hasSize(27).endsWith("smtp_excessive_invalid_mail_transactions");
        assertThat(text(ctx.only(), "mailfrom")).isNull();
    }

    @Test
    void shouldRaiseWeirdWhenPipelineExceedsThousandCommands() {
        open();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            sb.append("NOOP\r\n");
        }
        client(sb.toString());

        assertThat(ctx.weirdNames()).containsExactly("smtp_excessive_pending_cmds");
    }

    @Test
    void shouldRaiseWeirdWhenMailStartsWhileAnotherIsOpen() {
        open();
        greet();
        client("AUTH PLAIN\r\n");
        client("DATA\r\n");        // pipelined: the message begins before AUTH is answered
        server("235 Ok\r\n");      // the AUTH reply leaves the data state
        client("DATA\r\n");

        assertThat(ctx.weirdNames()).contains("smtp_nested_mail_transaction");
    }

    @Test
    void shouldRaiseWeirdWhenEndOfDataArrivesAfterConnectionFinished() {
        open();
        greet();
        client("MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: x\r\n");
        smtp.onEndOfStream(true);
        smtp.onEndOfStream(false);  // ConnectionFinished ends the open message
        client(".\r\n");

        assertThat(ctx.weirdNames()).containsExactly("smtp_unmatched_end_of_data");
    }

    @Test
    void shouldRaiseWeirdWhenRcptAddressesExceedLimit() {
        open();
        greet();
        client("MAIL FROM:<a@b.c>\r\n");
        server("250 Ok\r\n");
        for (int i = 0; i < 1001; i++) {
            client("RCPT TO:<r" + i + "@example.org>\r\n");
            server("250 Ok\r\n");
        }
        smtp.onConnectionDone();

        assertThat(ctx.weirdNames()).containsExactly("smtp_too_many_rcptto_addresses");
        assertThat(text(ctx.only(), "rcptto").split(",")).hasSize(1000);
    }

    @Test
    void shouldRaiseWeirdsWhenToAndCcAddressesExceedLimit() {
        open();
        greet();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            list.append(i == 0 ? "" : ", ").append("u").append(i).append("@example.org");
        }
        message("To: " + list + "\r\nCc: " + list + "\r\n", "x\r\n");

        assertThat(ctx.weirdNames()).containsExactly("smtp_too_many_to_addresses", "smtp_too_many_cc_addresses");
    }

    @Test
    void shouldRaiseWeirdWhenReceivedPathExceedsLimit() {
        open();
        greet();
        StringBuilder hs = new StringBuilder();
        for (int i = 0; i < 999; i++) {
            hs.append("Received: from h ([10.1.").append(i / 250).append('.').append(i % 250).append("])\r\n");
        }
        message(hs.toString(), "x\r\n");

        assertThat(ctx.weirdNames()).containsExactly("smtp_max_path_length_exceeded");
        assertThat(text(ctx.only(), "path").split(",")).hasSize(1000);
    }

    @Test
    void shouldRaiseContentLineWeirdsWhenLineHasSingleCrOrNul() {
        open();
        server("220 a\rb\r\n");
        server("220 c\u0000d\r\n");

        assertThat(ctx.weirdNames()).containsExactly("line_terminated_with_single_CR", "NUL_in_line");
    }

    @Test
    void shouldCutLineAndRaiseWeirdWhenLineExceedsBound() {
        open();
        greet();
        client("HELO " + "x".repeat(SmtpAnalyzer.MAX_LINE + 10) + "\r\n");

        assertThat(ctx.weirdNames()).containsExactly("contentline_size_exceeded");
        assertThat(smtp.bufferedCapacity()).isLessThanOrEqualTo(2 * SmtpAnalyzer.MAX_LINE);
    }

    @Test
    void shouldJoinLinesAcrossSegmentsWhenCrLfIsSplit() {
        open();
        server("220 a\r");
        server("\n");
        client("EHLO split\r");
        client("\nMAIL FROM:<a@b.c>\r\n");
        smtp.onConnectionDone();

        assertThat(text(ctx.only(), "helo")).isEqualTo("split");
        assertThat(ctx.weirds).isEmpty();
    }
    private void bdatPrologue() {
        greet();
        client("MAIL FROM:<alice@example.com>\r\n");
        server("250 Ok\r\n");
        client("RCPT TO:<bob@example.org>\r\n");
        server("250 Ok\r\n");
    }

    @Test
    void shouldParseChunksAndLogAtLastReplyWhenMessageIsSentWithBdat() {
        open();
        bdatPrologue();
        String one = "Subject: chunked\r\nFrom: a";
        String two = "@example.com\r\n\r\nbody\r\n";
        client("BDAT " + one.length() + "\r\n" + one);
        server("250 2.0.0 Ok\r\n");
        client("BDAT " + two.length() + " LAST\r\n" + two);
        ctx.at(101.0);
        server("250 2.0.0 queued\r\n");
        client("MAIL FROM:<next@example.com>\r\n");
        smtp.onConnectionDone();

        assertThat(ctx.logs).hasSize(2);
        LogRecord r = ctx.logs.getFirst();
        assertThat(text(r, "subject")).isEqualTo("chunked");
        assertThat(text(r, "from")).isEqualTo("a@example.com");
        assertThat(text(r, "last_reply")).isEqualTo("250 2.0.0 queued");
        assertThat(text(r, "fuids")).isEqualTo("FTest0");
        assertThat(ctx.logs.get(1).get("trans_depth")).isEqualTo(2L);
        assertThat(ctx.weirds).isEmpty();
    }

    @Test
    void shouldRaiseWeirdWhenBdatArgumentIsInvalid() {
        open();
        bdatPrologue();
        client("BDAT 12x\r\n");
        client("BDAT\r\n");
        client("BDAT 99999999999999999999 LAST\r\n");

        assertThat(ctx.weirdTexts()).containsExactly("smtp_invalid_bdat_command:BDAT chunk-size not valid",
                "smtp_invalid_bdat_command:BDAT argument bad length",
                "smtp_invalid_bdat_command:BDAT chunk-size too large");
    }

    @Test
    void shouldRaiseWeirdWhenBdatChunkExceedsSignedRange() {
        open();
        bdatPrologue();
        client("BDAT 18446744073709551615 LAST\r\n");

        assertThat(ctx.weirdTexts()).containsExactly("smtp_huge_bdat_chunk:18446744073709551615");
    }

    @Test
    void shouldRaiseWeirdWhenCommandFollowsChunkWithoutLast() {
        open();
        bdatPrologue();
        client("BDAT 3\r\nabc");
        client("QUIT\r\n");

        // the unfinished line "abc" is handed over when the transfer is closed
        assertThat(ctx.weirdNames()).containsExactly("smtp_missing_bdat_last_chunk", "smtp_bdat_undelivered_at_done");
    }

    @Test
    void shouldRaiseBdatLineWeirdsWhenChunkHasBareLineEndsOrLongLine() {
        open();
        bdatPrologue();
        String lf = "Subject: a\nX: b\r";
        client("BDAT " + lf.length() + "\r\n" + lf);
        String rest = "Y: c\r\n" + "z".repeat(SmtpAnalyzer.BDAT_MAX_LINE + 1) + "\r\npartial";
        client("BDAT " + rest.length() + "\r\n" + rest);
        client("RSET\r\n");

        assertThat(ctx.weirdNames()).containsExactly("smtp_bdat_line_lf_only", "smtp_bdat_line_cr_only",
                "smtp_bdat_line_too_long", "smtp_missing_bdat_last_chunk", "smtp_bdat_undelivered_at_done");
    }
}
