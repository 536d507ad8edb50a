package io.picket.analyzer.socks;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The {@code socks.log} columns, as Zeek's {@code SOCKS::Info} in
 * {@code scripts/base/protocols/socks/main.zeek} declares them ({@code request} and {@code bound}
 * are {@code SOCKS::Address} records: {@code host} and/or {@code name}). Immutable, shared.
 */
public final class SocksLog {

    /** Base schema of {@code socks.log}. */
    public static final LogSchema SCHEMA = LogSchema.of("socks",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("version", ZeekType.COUNT),
            LogField.of("user", ZeekType.STRING),
            LogField.of("password", ZeekType.STRING),
            LogField.of("status", ZeekType.STRING),
            LogField.of("request.host", ZeekType.ADDR),
            LogField.of("request.name", ZeekType.STRING),
            LogField.of("request_p", ZeekType.PORT),
            LogField.of("bound.host", ZeekType.ADDR),
            LogField.of("bound.name", ZeekType.STRING),
            LogField.of("bound_p", ZeekType.PORT));

    private SocksLog() {
    }
}
