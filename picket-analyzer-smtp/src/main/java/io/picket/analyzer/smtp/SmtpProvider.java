package io.picket.analyzer.smtp;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.log.LogSchema;
import java.util.List;
import java.util.Set;

/**
 * The SMTP analyzer's declaration: Zeek's {@code SMTP} analyzer on TCP, registered for ports 25
 * and 587 ({@code SMTP::ports}), detected by the {@code dpd_smtp_client}/{@code dpd_smtp_server}
 * signatures, writing {@code smtp.log}; after a successful {@code STARTTLS} the rest of the stream
 * goes to the {@code ssl} analyzer as its child. Stateless and shared by all shard threads.
 */
public final class SmtpProvider implements AnalyzerProvider {

    private static final List<String> WEIRDS = List.of(
            "smtp_excessive_pending_cmds",              // SMTP.cc NewCmd: over 1000 pipelined commands
            "smtp_nested_mail_transaction",             // SMTP.cc BeginData while a mail is open
            "smtp_unmatched_end_of_data",               // SMTP.cc EndData without a mail
            "smtp_mail_transaction_invalid",            // main.zeek: RCPT without MAIL, DATA without RCPT
            "smtp_excessive_invalid_mail_transactions", // main.zeek: over 25 invalid transactions
            "smtp_too_many_rcptto_addresses",           // main.zeek: over 1000 rcptto
            "smtp_too_many_to_addresses",               // main.zeek: over 1000 to
            "smtp_too_many_cc_addresses",               // main.zeek: over 1000 cc
            "smtp_max_path_length_exceeded",            // main.zeek: path over 1000
            "smtp_invalid_bdat_command",                // SMTP.cc ProcessBdatArg: bad BDAT argument
            "smtp_huge_bdat_chunk",                     // SMTP.cc ProcessBdatArg: chunk over 2^63-1
            "smtp_missing_bdat_last_chunk",             // SMTP.cc: a command before the LAST chunk
            "smtp_bdat_line_cr_only",                   // BDAT.cc (source SMTP_BDAT)
            "smtp_bdat_line_lf_only",                   // BDAT.cc (source SMTP_BDAT)
            "smtp_bdat_line_too_long",                  // BDAT.cc: over SMTP::bdat_max_line_length (4096)
            "smtp_bdat_undelivered_at_done",            // BDAT.cc: a partial line at the end
            "line_terminated_with_single_CR",           // ContentLine (source CONTENTLINE)
            "NUL_in_line",                              // ContentLine, NUL-sensitive (source CONTENTLINE)
            "contentline_size_exceeded",                // line over SmtpAnalyzer.MAX_LINE (source CONTENTLINE)
            "base64_illegal_encoding");                 // Base64.cc via MIME.cc: a body's first base64 error

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return Set.of(25, 587);
    }

    @Override
    public Detector newDetector() {
        return new SmtpDetector();
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        return new SmtpAnalyzer(context);
    }

    @Override
    public List<LogSchema> logs() {
        return List.of(SmtpLog.SCHEMA);
    }

    @Override
    public List<String> weirds() {
        return WEIRDS;
    }
}
