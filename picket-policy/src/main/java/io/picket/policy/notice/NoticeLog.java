package io.picket.policy.notice;

import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import java.util.List;
import java.util.Set;

/**
 * notice.log in Zeek 8's columns ({@code base/frameworks/notice/main.zeek} {@code Notice::Info}
 * with the {@code remote_location} of {@code notice/actions/add-geodata.zeek}), and the fields
 * {@code apply_policy} fills in: {@code src}/{@code dst}/{@code p} from the connection id when
 * unset, {@code proto} from {@code p}, the {@code ACTION_LOG} action. Stateless.
 */
public final class NoticeLog {
    public static final LogSchema SCHEMA = LogSchema.of("notice",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("fuid", ZeekType.STRING),
            LogField.of("file_mime_type", ZeekType.STRING),
            LogField.of("file_desc", ZeekType.STRING),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("note", ZeekType.ENUM),
            LogField.of("msg", ZeekType.STRING),
            LogField.of("sub", ZeekType.STRING),
            LogField.of("src", ZeekType.ADDR),
            LogField.of("dst", ZeekType.ADDR),
            LogField.of("p", ZeekType.PORT),
            LogField.of("n", ZeekType.COUNT),
            LogField.of("peer_descr", ZeekType.STRING),
            LogField.of("actions", ZeekType.SET_ENUM),
            LogField.of("email_dest", ZeekType.SET_STRING),
            LogField.of("suppress_for", ZeekType.INTERVAL),
            LogField.of("remote_location.country_code", ZeekType.STRING),
            LogField.of("remote_location.region", ZeekType.STRING),
            LogField.of("remote_location.city", ZeekType.STRING),
            LogField.of("remote_location.latitude", ZeekType.DOUBLE),
            LogField.of("remote_location.longitude", ZeekType.DOUBLE));

    private static final List<String> ACTIONS = List.of("Notice::ACTION_LOG");

    private NoticeLog() {
    }

    /** The notice.log row of {@code n} with the given suppression interval (seconds). */
    public static LogRecord record(Notice n, double suppressFor) {
        boolean hasId = n.origH() != null;
        String src = n.src() != null ? n.src() : hasId ? n.origH() : null;
        String dst = n.dst() != null ? n.dst() : hasId ? n.respH() : null;
        Integer p = n.p();
        String proto = n.portProto();
        if (p == null && hasId) {
            p = n.respP();
            proto = n.connProto();
        }
        LogRecord r = new LogRecord(SCHEMA).set(0, n.ts()).set(1, n.uid());
        if (hasId) {
            r.set(2, n.origH()).set(3, n.origP()).set(4, n.respH()).set(5, n.respP());
        }
        r.set(9, p == null ? null : proto).set(10, n.note()).set(11, n.msg()).set(12, n.sub()).set(13, src)
                .set(14, dst).set(15, p).set(16, n.n()).set(18, ACTIONS).set(19, Set.of()).set(20, suppressFor);
        return r;
    }
}
