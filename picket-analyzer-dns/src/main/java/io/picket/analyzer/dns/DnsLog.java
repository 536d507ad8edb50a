package io.picket.analyzer.dns;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The dns.log schema: the {@code &log} fields of Zeek's {@code DNS::Info}
 * ({@code scripts/base/protocols/dns/main.zeek}), in Zeek's order. Immutable, shared by all
 * threads.
 */
public final class DnsLog {
    /** dns.log base columns (the run may add {@code id.ctx.*} after {@code id.resp_p}). */
    public static final LogSchema SCHEMA = LogSchema.of("dns",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("proto", ZeekType.ENUM),
            LogField.of("trans_id", ZeekType.COUNT),
            LogField.of("rtt", ZeekType.INTERVAL),
            LogField.of("query", ZeekType.STRING),
            LogField.of("qclass", ZeekType.COUNT),
            LogField.of("qclass_name", ZeekType.STRING),
            LogField.of("qtype", ZeekType.COUNT),
            LogField.of("qtype_name", ZeekType.STRING),
            LogField.of("rcode", ZeekType.COUNT),
            LogField.of("rcode_name", ZeekType.STRING),
            LogField.of("AA", ZeekType.BOOL),
            LogField.of("TC", ZeekType.BOOL),
            LogField.of("RD", ZeekType.BOOL),
            LogField.of("RA", ZeekType.BOOL),
            LogField.of("Z", ZeekType.COUNT),
            LogField.of("answers", ZeekType.VECTOR_STRING),
            LogField.of("TTLs", ZeekType.VECTOR_INTERVAL),
            LogField.of("rejected", ZeekType.BOOL),
            LogField.of("opcode", ZeekType.COUNT),
            LogField.of("opcode_name", ZeekType.STRING));

    private DnsLog() {
    }
}
