package io.picket.analyzer.dns;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * One dns.log row in the making (Zeek's {@code DNS::Info} record). Mutable and shared by
 * reference between "current" and the pending queues, as Zeek's record values are; owned by the
 * shard thread. Unset numbers are -1, unset rtt is NaN, unset strings and vectors are null.
 */
final class DnsInfo {
    final double ts;
    final int transId;
    double rtt = Double.NaN;
    byte[] query;
    int qclass = -1;
    String qclassName;
    int qtype = -1;
    String qtypeName;
    int rcode = -1;
    String rcodeName;
    boolean aa;
    boolean tc;
    boolean rd;
    boolean ra;
    int z;
    ArrayList<byte[]> answers;
    double[] ttls;
    boolean rejected;
    int opcode = -1;
    String opcodeName;
    boolean sawQuery;
    boolean sawReply;
    /** Answer bytes charged to the connection's budget and not yet released by a log write. */
    long chargedBytes;

    DnsInfo(double ts, int transId) {
        this.ts = ts;
        this.transId = transId;
    }

    int answerCount() {
        return answers == null ? 0 : answers.size();
    }

    void addAnswer(byte[] text, double ttl) {
        if (answers == null) {
            answers = new ArrayList<>(4);
            ttls = new double[4];
        }
        int n = answers.size();
        if (n == ttls.length) {
            ttls = Arrays.copyOf(ttls, n * 2);
        }
        answers.add(text);
        ttls[n] = ttl;
    }
}
