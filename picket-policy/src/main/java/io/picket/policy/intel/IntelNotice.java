package io.picket.policy.intel;

/**
 * Fields of the {@code Intel::Notice} raised by policy/frameworks/intel/do_notice.zeek for an item
 * with {@code meta.do_notice} seen where {@code meta.if_in} allows: message
 * {@code Intel hit on <indicator> at <where>}, sub = indicator, the connection (null when none),
 * the identifier (indicator and both addresses, lower address first) and the item's source. Immutable.
 */
public record IntelNotice(double ts, String msg, String sub, String uid, String origH, Integer origP, String respH,
                          Integer respP, String identifier, String source) {
}
