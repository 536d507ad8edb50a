package io.picket.analyzer.krb;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The {@code kerberos.log} columns, as Zeek's {@code KRB::Info} record declares them in
 * {@code scripts/base/protocols/krb/main.zeek} plus the certificate columns of {@code files.zeek}.
 * Immutable, shared by all threads.
 */
public final class KrbLog {

    /** Base schema of {@code kerberos.log} (the context adds {@code id.ctx.*} columns when needed). */
    public static final LogSchema SCHEMA = LogSchema.of("kerberos",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("request_type", ZeekType.STRING),
            LogField.of("client", ZeekType.STRING),
            LogField.of("service", ZeekType.STRING),
            LogField.of("success", ZeekType.BOOL),
            LogField.of("error_msg", ZeekType.STRING),
            LogField.of("from", ZeekType.TIME),
            LogField.of("till", ZeekType.TIME),
            LogField.of("cipher", ZeekType.STRING),
            LogField.of("forwardable", ZeekType.BOOL),
            LogField.of("renewable", ZeekType.BOOL),
            LogField.of("client_cert_subject", ZeekType.STRING),
            LogField.of("client_cert_fuid", ZeekType.STRING),
            LogField.of("server_cert_subject", ZeekType.STRING),
            LogField.of("server_cert_fuid", ZeekType.STRING));

    private KrbLog() {
    }
}
