package io.picket.tunnel;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/** tunnel.log: Zeek's {@code base/frameworks/tunnels/main.zeek} columns. */
public final class TunnelLog {
    public static final LogSchema SCHEMA = LogSchema.of("tunnel",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("tunnel_type", ZeekType.ENUM),
            LogField.of("action", ZeekType.ENUM));

    private TunnelLog() {
    }
}
