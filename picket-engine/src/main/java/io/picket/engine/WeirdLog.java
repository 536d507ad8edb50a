package io.picket.engine;

import io.picket.decode.Addresses;
import io.picket.flow.Connection;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.util.HashSet;
import java.util.Set;

/**
 * weird.log: Zeek's columns and its default reporting rule ({@code base/frameworks/notice/weird}):
 * each (weird name, identifier) pair is logged once — the identifier is the connection id for
 * connection weirds and empty for network weirds — while every occurrence is counted.
 * Owned by the shard thread.
 */
final class WeirdLog {
    static final LogSchema SCHEMA = LogSchema.of("weird",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("name", ZeekType.STRING),
            LogField.of("addl", ZeekType.STRING),
            LogField.of("notice", ZeekType.BOOL),
            LogField.of("peer", ZeekType.STRING),
            LogField.of("source", ZeekType.STRING));

    private static final int MAX_REMEMBERED = 1 << 20;
    private final Set<String> logged = new HashSet<>();

    /** A network weird (no connection); returns the record to log, or null if already reported. */
    LogRecord netWeird(int tenant, double ts, String name, String addl, String source) {
        if (!firstTime(tenant + "|" + name + "|")) {
            return null;
        }
        return new LogRecord(SCHEMA).set(0, ts).set(6, name).set(7, addl).set(8, false).set(9, "zeek")
                .set(10, source);
    }

    /**
     * A flow weird (Zeek's {@code flow_weird}: the two addresses with ports 0, no uid); returns the
     * record to log, or null if already reported for this address pair.
     */
    LogRecord flowWeird(int tenant, double ts, String name, String addl, String source, long srcHi, long srcLo,
            long dstHi, long dstLo) {
        String src = Addresses.format(srcHi, srcLo);
        String dst = Addresses.format(dstHi, dstLo);
        if (!firstTime(tenant + "|" + name + "|" + src + "-" + dst)) {
            return null;
        }
        return new LogRecord(SCHEMA).set(0, ts).set(2, src).set(3, 0).set(4, dst).set(5, 0).set(6, name)
                .set(7, addl).set(8, false).set(9, "zeek").set(10, source);
    }

    /** A connection weird; returns the record to log, or null if already reported for this id. */
    LogRecord connWeird(Connection c, double ts, String name, String addl, String source) {
        String oh = Addresses.format(c.origHi(), c.origLo());
        String rh = Addresses.format(c.respHi(), c.respLo());
        String id = c.tenant() + "|" + name + "|" + oh + ":" + c.origPort() + "-" + rh + ":" + c.respPort();
        if (!firstTime(id)) {
            return null;
        }
        return new LogRecord(SCHEMA).set(0, ts).set(1, c.uid()).set(2, oh).set(3, c.origPort()).set(4, rh)
                .set(5, c.respPort()).set(6, name).set(7, addl).set(8, false).set(9, "zeek").set(10, source);
    }

    private boolean firstTime(String key) {
        if (logged.size() >= MAX_REMEMBERED) {
            logged.clear();
        }
        return logged.add(key);
    }
}
