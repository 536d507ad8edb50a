package io.picket.tunnel;

import io.picket.decode.Addresses;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
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

    /** Zeek's {@code Tunnel::Action} values. */
    public static final String DISCOVER = "Tunnel::DISCOVER";
    public static final String CLOSE = "Tunnel::CLOSE";
    public static final String EXPIRE = "Tunnel::EXPIRE";

    private TunnelLog() {
    }

    /** One tunnel.log line (allocates: once per tunnel event, never per packet). */
    public static LogRecord record(double ts, String uid, long origHi, long origLo, int origPort, long respHi,
            long respLo, int respPort, String tunnelType, String action) {
        return new LogRecord(SCHEMA).set(0, ts).set(1, uid).set(2, Addresses.format(origHi, origLo))
                .set(3, origPort).set(4, Addresses.format(respHi, respLo)).set(5, respPort).set(6, tunnelType)
                .set(7, action);
    }
}
