package io.picket.policy.intel;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * intel.log: Zeek's {@code Intel::Info} columns (base/frameworks/intel/main.zeek plus files.zeek's
 * {@code fuid}, {@code file_mime_type}, {@code file_desc}).
 */
public final class IntelLog {
    public static final LogSchema SCHEMA = LogSchema.of("intel",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("seen.indicator", ZeekType.STRING),
            LogField.of("seen.indicator_type", ZeekType.ENUM),
            LogField.of("seen.where", ZeekType.ENUM),
            LogField.of("seen.node", ZeekType.STRING),
            LogField.of("matched", ZeekType.SET_ENUM),
            LogField.of("sources", ZeekType.SET_STRING),
            LogField.of("fuid", ZeekType.STRING),
            LogField.of("file_mime_type", ZeekType.STRING),
            LogField.of("file_desc", ZeekType.STRING));

    private IntelLog() {
    }
}
