package io.picket.analyzer.http;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The http.log schema, column for column as Zeek's {@code HTTP::Info}
 * ({@code base/protocols/http/main.zeek} plus the file columns of {@code entities.zeek}).
 * Immutable; shared by all threads.
 */
public final class HttpLog {
    /** Base schema (without the optional {@code id.ctx.*} columns a run may add). */
    public static final LogSchema SCHEMA = LogSchema.of("http",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("trans_depth", ZeekType.COUNT),
            LogField.of("method", ZeekType.STRING),
            LogField.of("host", ZeekType.STRING),
            LogField.of("uri", ZeekType.STRING),
            LogField.of("referrer", ZeekType.STRING),
            LogField.of("version", ZeekType.STRING),
            LogField.of("user_agent", ZeekType.STRING),
            LogField.of("origin", ZeekType.STRING),
            LogField.of("request_body_len", ZeekType.COUNT),
            LogField.of("response_body_len", ZeekType.COUNT),
            LogField.of("status_code", ZeekType.COUNT),
            LogField.of("status_msg", ZeekType.STRING),
            LogField.of("info_code", ZeekType.COUNT),
            LogField.of("info_msg", ZeekType.STRING),
            LogField.of("tags", ZeekType.SET_ENUM),
            LogField.of("username", ZeekType.STRING),
            LogField.of("password", ZeekType.STRING),
            LogField.of("proxied", ZeekType.SET_STRING),
            LogField.of("orig_fuids", ZeekType.VECTOR_STRING),
            LogField.of("orig_filenames", ZeekType.VECTOR_STRING),
            LogField.of("orig_mime_types", ZeekType.VECTOR_STRING),
            LogField.of("resp_fuids", ZeekType.VECTOR_STRING),
            LogField.of("resp_filenames", ZeekType.VECTOR_STRING),
            LogField.of("resp_mime_types", ZeekType.VECTOR_STRING));

    static final int TS = 0;
    static final int TRANS_DEPTH = 1;
    static final int METHOD = 2;
    static final int HOST = 3;
    static final int URI = 4;
    static final int REFERRER = 5;
    static final int VERSION = 6;
    static final int USER_AGENT = 7;
    static final int ORIGIN = 8;
    static final int REQUEST_BODY_LEN = 9;
    static final int RESPONSE_BODY_LEN = 10;
    static final int STATUS_CODE = 11;
    static final int STATUS_MSG = 12;
    static final int INFO_CODE = 13;
    static final int INFO_MSG = 14;
    static final int TAGS = 15;
    static final int USERNAME = 16;
    static final int PASSWORD = 17;
    static final int PROXIED = 18;
    static final int ORIG_FUIDS = 19;
    static final int ORIG_FILENAMES = 20;
    static final int ORIG_MIME_TYPES = 21;
    static final int RESP_FUIDS = 22;
    static final int RESP_FILENAMES = 23;
    static final int RESP_MIME_TYPES = 24;

    private static final String[] NAMES = {"ts", "trans_depth", "method", "host", "uri", "referrer",
        "version", "user_agent", "origin", "request_body_len", "response_body_len", "status_code",
        "status_msg", "info_code", "info_msg", "tags", "username", "password", "proxied",
        "orig_fuids", "orig_filenames", "orig_mime_types", "resp_fuids", "resp_filenames",
        "resp_mime_types"};

    private HttpLog() {
    }

    /** Positions of the analyzer-set columns in a run's schema (which may have extra columns). */
    static int[] columns(LogSchema schema) {
        int[] col = new int[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            col[i] = schema.indexOf(NAMES[i]);
        }
        return col;
    }
}
