package io.picket.policy.signature;

/**
 * The fields of a notice raised by Zeek's {@code base/frameworks/signatures/main.zeek} (for the
 * notice framework to log later): {@code note} as Zeek names it (e.g.
 * {@code Signatures::Sensitive_Signature}), the connection (uid and id, null when none), source and
 * destination address text (null when unset), message, sub message bytes (null when unset) and
 * {@code n} (null when unset). Immutable.
 */
public record SignatureNotice(double ts, String note, String uid, String origH, Integer origP, String respH,
                              Integer respP, String src, String dst, String msg, byte[] sub, Long n) {
}
