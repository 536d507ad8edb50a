package io.picket.policy.intel;

/**
 * {@code Intel::Seen}: something observed. Either a string {@code indicator} with its
 * {@code type}, or a {@code host} address ({@code hostHi}/{@code hostLo}, {@code host = true});
 * {@code where} it was seen; the connection ({@code uid} and id, null when none); the file
 * ({@code fuid}, mime type, description, null when none); {@code node} (null means Zeek's
 * {@code peer_description} default {@code zeek}). Immutable.
 */
public record IntelSeen(double ts, String indicator, IntelType type, boolean host, long hostHi, long hostLo,
                        IntelWhere where, String uid, String origH, Integer origP, String respH, Integer respP,
                        String fuid, String fileMimeType, String fileDesc, String node) {

    /** A string indicator seen in a connection. */
    public static IntelSeen indicator(double ts, String indicator, IntelType type, IntelWhere where, String uid,
                                      String origH, int origP, String respH, int respP) {
        return new IntelSeen(ts, indicator, type, false, 0, 0, where, uid, origH, origP, respH, respP, null, null,
                null, null);
    }

    /** An address seen in a connection. */
    public static IntelSeen address(double ts, long hi, long lo, IntelWhere where, String uid, String origH,
                                    int origP, String respH, int respP) {
        return new IntelSeen(ts, null, IntelType.ADDR, true, hi, lo, where, uid, origH, origP, respH, respP, null,
                null, null, null);
    }
}
