package io.picket.policy.notice;

/**
 * One {@code NOTICE} call as a script makes it (Zeek's {@code Notice::Info} before
 * {@code apply_policy}): the type, message, sub message ({@code String} or raw {@code byte[]},
 * null when unset), the connection (uid and id; null when none, with its transport as Zeek's
 * {@code transport_proto} name), {@code src}, {@code dst}, {@code p} with its transport, {@code n}
 * and the suppression {@code identifier} (null: never suppressed). Immutable.
 */
public record Notice(double ts, String note, String msg, Object sub, String uid, String origH, Integer origP,
                     String respH, Integer respP, String connProto, String src, String dst, Integer p,
                     String portProto, Long n, String identifier) {

    /** A notice without a connection. */
    public static Notice of(double ts, String note, String msg, Object sub, String src, String dst, Integer p,
                            String portProto, Long n, String identifier) {
        return new Notice(ts, note, msg, sub, null, null, null, null, null, null, src, dst, p, portProto, n,
                identifier);
    }
}
