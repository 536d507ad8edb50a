package io.picket.analyzer.ssl;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The columns of Zeek's ssl.log (base/protocols/ssl/main.zeek + files.zeek) and x509.log
 * (base/files/x509/main.zeek), in Zeek 8's order. Immutable; shared by all threads.
 */
public final class SslLogs {
    /** Zeek's default ssl.log. */
    public static final LogSchema SSL = LogSchema.of("ssl",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("version", ZeekType.STRING),
            LogField.of("cipher", ZeekType.STRING),
            LogField.of("curve", ZeekType.STRING),
            LogField.of("server_name", ZeekType.STRING),
            LogField.of("resumed", ZeekType.BOOL),
            LogField.of("last_alert", ZeekType.STRING),
            LogField.of("next_protocol", ZeekType.STRING),
            LogField.of("established", ZeekType.BOOL),
            LogField.of("ssl_history", ZeekType.STRING),
            LogField.of("cert_chain_fps", ZeekType.VECTOR_STRING),
            LogField.of("client_cert_chain_fps", ZeekType.VECTOR_STRING),
            LogField.of("sni_matches_cert", ZeekType.BOOL));

    /** Zeek's default x509.log. */
    public static final LogSchema X509 = LogSchema.of("x509",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("fingerprint", ZeekType.STRING),
            LogField.of("certificate.version", ZeekType.COUNT),
            LogField.of("certificate.serial", ZeekType.STRING),
            LogField.of("certificate.subject", ZeekType.STRING),
            LogField.of("certificate.issuer", ZeekType.STRING),
            LogField.of("certificate.not_valid_before", ZeekType.TIME),
            LogField.of("certificate.not_valid_after", ZeekType.TIME),
            LogField.of("certificate.key_alg", ZeekType.STRING),
            LogField.of("certificate.sig_alg", ZeekType.STRING),
            LogField.of("certificate.key_type", ZeekType.STRING),
            LogField.of("certificate.key_length", ZeekType.COUNT),
            LogField.of("certificate.exponent", ZeekType.STRING),
            LogField.of("certificate.curve", ZeekType.STRING),
            LogField.of("san.dns", ZeekType.VECTOR_STRING),
            LogField.of("san.uri", ZeekType.VECTOR_STRING),
            LogField.of("san.email", ZeekType.VECTOR_STRING),
            LogField.of("san.ip", ZeekType.VECTOR_ADDR),
            LogField.of("basic_constraints.ca", ZeekType.BOOL),
            LogField.of("basic_constraints.path_len", ZeekType.COUNT),
            LogField.of("host_cert", ZeekType.BOOL),
            LogField.of("client_cert", ZeekType.BOOL));

    private SslLogs() {
    }

    /**
     * ssl.log with the optional columns a run enables appended at the end: {@code
     * validation_status} (policy/protocols/ssl/validate-certs.zeek, a Zeek policy script, so it
     * comes before the columns of packages), then {@code ja3}/{@code ja3s} and
     * {@code ja4}/{@code ja4s} (the JA3 and JA4 packages).
     */
    public static LogSchema ssl(SslOptions options) {
        LogSchema s = SSL;
        if (options.validation() != null) {
            s = s.with(LogField.of("validation_status", ZeekType.STRING));
        }
        if (options.ja3()) {
            s = s.with(LogField.of("ja3", ZeekType.STRING), LogField.of("ja3s", ZeekType.STRING));
        }
        if (options.ja4()) {
            s = s.with(LogField.of("ja4", ZeekType.STRING), LogField.of("ja4s", ZeekType.STRING));
        }
        return s;
    }
}
