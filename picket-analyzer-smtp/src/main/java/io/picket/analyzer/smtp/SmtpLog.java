package io.picket.analyzer.smtp;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The {@code smtp.log} columns, as Zeek's {@code SMTP::Info} record declares them in
 * {@code scripts/base/protocols/smtp/main.zeek} and {@code files.zeek} (Zeek 8.2). One row per
 * message transaction, and one for a session that only did {@code STARTTLS}. Immutable, shared
 * by all threads.
 */
public final class SmtpLog {

    /** Base schema of {@code smtp.log} (the context adds {@code id.ctx.*} columns when needed). */
    public static final LogSchema SCHEMA = LogSchema.of("smtp",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("trans_depth", ZeekType.COUNT),
            LogField.of("helo", ZeekType.STRING),
            LogField.of("mailfrom", ZeekType.STRING),
            LogField.of("rcptto", ZeekType.SET_STRING),
            LogField.of("date", ZeekType.STRING),
            LogField.of("from", ZeekType.STRING),
            LogField.of("to", ZeekType.SET_STRING),
            LogField.of("cc", ZeekType.SET_STRING),
            LogField.of("reply_to", ZeekType.STRING),
            LogField.of("msg_id", ZeekType.STRING),
            LogField.of("in_reply_to", ZeekType.STRING),
            LogField.of("subject", ZeekType.STRING),
            LogField.of("x_originating_ip", ZeekType.ADDR),
            LogField.of("first_received", ZeekType.STRING),
            LogField.of("second_received", ZeekType.STRING),
            LogField.of("last_reply", ZeekType.STRING),
            LogField.of("path", ZeekType.VECTOR_ADDR),
            LogField.of("user_agent", ZeekType.STRING),
            LogField.of("tls", ZeekType.BOOL),
            LogField.of("fuids", ZeekType.VECTOR_STRING));

    private SmtpLog() {
    }
}
