package io.picket.analyzer.ssh;

import io.picket.log.LogField;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;

/**
 * The {@code ssh.log} columns, as Zeek's {@code SSH::Info} record in
 * {@code scripts/base/protocols/ssh/main.zeek} declares them (Zeek 8.2 / 9.1: {@code version}
 * optional, the host key logged as {@code host_key_fingerprint}). Immutable, shared by all threads.
 *
 * <ul>
 *   <li>{@code ts}: network time of the first version string seen (either side).</li>
 *   <li>{@code version}: 1 or 2 from both version strings; unset while a side is missing or when
 *       they are incompatible.</li>
 *   <li>{@code auth_success}/{@code auth_attempts}: the packet-size heuristic of the analyzer;
 *       unset/0 when undecided or when compression is negotiated.</li>
 *   <li>{@code direction}: OUTBOUND/INBOUND when exactly one side is in {@code Site::local_nets}.</li>
 *   <li>{@code client}/{@code server}: the identification lines without the line end.</li>
 *   <li>{@code *_alg}: the first client algorithm the server also lists ("To server: a, to client: b"
 *       when the two directions differ, "Algorithm negotiation failed" when none matches).</li>
 *   <li>{@code host_key_fingerprint}: {@code SHA256:} and the first 32 base64 characters of the
 *       SHA-256 of the server host key blob (SSH2 only).</li>
 * </ul>
 */
public final class SshLog {

    /** Base schema of {@code ssh.log} (the context adds {@code id.ctx.*} columns when needed). */
    public static final LogSchema SCHEMA = LogSchema.of("ssh",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("id.orig_h", ZeekType.ADDR),
            LogField.of("id.orig_p", ZeekType.PORT),
            LogField.of("id.resp_h", ZeekType.ADDR),
            LogField.of("id.resp_p", ZeekType.PORT),
            LogField.of("version", ZeekType.COUNT),
            LogField.of("auth_success", ZeekType.BOOL),
            LogField.of("auth_attempts", ZeekType.COUNT),
            LogField.of("direction", ZeekType.ENUM),
            LogField.of("client", ZeekType.STRING),
            LogField.of("server", ZeekType.STRING),
            LogField.of("cipher_alg", ZeekType.STRING),
            LogField.of("mac_alg", ZeekType.STRING),
            LogField.of("compression_alg", ZeekType.STRING),
            LogField.of("kex_alg", ZeekType.STRING),
            LogField.of("host_key_alg", ZeekType.STRING),
            LogField.of("host_key_fingerprint", ZeekType.STRING));

    private SshLog() {
    }
}
