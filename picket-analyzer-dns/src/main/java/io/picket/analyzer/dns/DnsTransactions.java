package io.picket.analyzer.dns;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request/reply bookkeeping of Zeek's {@code base/protocols/dns/main.zeek} for one
 * connection: {@code c$dns} ({@link #current}), {@code c$dns_state} (one fast-path pending
 * query plus per-transaction-id queues of unmatched queries and replies), the event handlers
 * that fill {@code DNS::Info} and the writes to dns.log. Owned by the shard thread of the
 * connection. Memory is bounded by Zeek's own limits ({@code DNS::max_pending_msgs},
 * {@code DNS::max_pending_query_ids}) plus a cap on retained answers (a weird when exceeded).
 */
final class DnsTransactions {
    /** {@code DNS::max_pending_msgs}. */
    static final int MAX_PENDING_MSGS = 50;
    /** {@code DNS::max_pending_query_ids}. */
    static final int MAX_PENDING_QUERY_IDS = 50;
    /** Answers kept per row; more is a weird (Zeek has no cap). */
    static final int MAX_ANSWERS_PER_ROW = 4096;
    /** Answer bytes kept in unlogged rows of one connection; more is a weird. */
    static final long MAX_RETAINED_ANSWER_BYTES = 4L << 20;
    /** Weird raised when an answer is dropped for the caps above. */
    static final String WEIRD_ANSWERS_CAPPED = "DNS_answers_capped";

    private final DnsAnalyzer analyzer;
    private final AnalyzerContext ctx;
    private final boolean multicastStandalone;

    private DnsInfo current;
    private boolean hasState;
    private DnsInfo pendingQuery;
    private Map<Integer, ArrayDeque<DnsInfo>> pendingQueries;
    private Map<Integer, ArrayDeque<DnsInfo>> pendingReplies;
    private long retainedAnswerBytes;

    DnsTransactions(DnsAnalyzer analyzer, AnalyzerContext ctx, boolean multicastStandalone) {
        this.analyzer = analyzer;
        this.ctx = ctx;
        this.multicastStandalone = multicastStandalone;
    }

    /** {@code event dns_message}: the {@code set_session} hook for tracked opcodes. */
    void onMessage(DnsHeader msg) {
        if (!msg.tracked()) {
            return;
        }
        setSession(msg, !msg.qr);
    }

    private void setSession(DnsHeader msg, boolean isQuery) {
        hasState = true;
        if (multicastStandalone && analyzer.respIsMulticast()) {
            // Zeek 9: multicast (mDNS, LLMNR) messages are never paired; each is its own row.
            current = newSession(msg.id);
            current.sawQuery = true;
            current.sawReply = true;
        } else if (isQuery) {
            ArrayDeque<DnsInfo> q = pendingReplies == null ? null : pendingReplies.get(msg.id);
            if (q != null && !q.isEmpty()) {
                current = pop(pendingReplies, msg.id);
            } else {
                current = newSession(msg.id);
                if (pendingQuery == null) {
                    pendingQuery = current;
                } else {
                    if (pendingQueries == null) {
                        pendingQueries = new LinkedHashMap<>();
                    }
                    enqueue(pendingQueries, msg.id, current);
                }
            }
        } else {
            if (pendingQuery != null && pendingQuery.transId == msg.id) {
                current = pendingQuery;
                pendingQuery = null;
                if (pendingQueries != null) {
                    ArrayDeque<DnsInfo> q = pendingQueries.get(msg.id);
                    if (q != null && !q.isEmpty()) {
                        pendingQuery = pop(pendingQueries, msg.id);
                    } else {
                        Integer tid = null;
                        for (Map.Entry<Integer, ArrayDeque<DnsInfo>> e : pendingQueries.entrySet()) {
                            if (!e.getValue().isEmpty()) {
                                tid = e.getKey();
                                break;
                            }
                        }
                        if (tid != null) {
                            pendingQuery = pop(pendingQueries, tid);
                        }
                    }
                }
            } else {
                ArrayDeque<DnsInfo> q = pendingQueries == null ? null : pendingQueries.get(msg.id);
                if (q != null && !q.isEmpty()) {
                    current = pop(pendingQueries, msg.id);
                } else {
                    current = newSession(msg.id);
                    if (pendingReplies == null) {
                        pendingReplies = new LinkedHashMap<>();
                    }
                    enqueue(pendingReplies, msg.id, current);
                }
            }
        }
        if (!isQuery) {
            current.rcode = msg.rcode;
            current.rcodeName = DnsConstants.rcode(msg.rcode);
            if (msg.rcode != 0 && msg.qdCount == 0) {
                current.rejected = true;
            }
        }
        current.opcode = msg.opcode;
        current.opcodeName = msg.netbios ? DnsConstants.netbiosOpcode(msg.opcode) : DnsConstants.opcode(msg.opcode);
    }

    private DnsInfo newSession(int transId) {
        return new DnsInfo(ctx.networkTime(), transId);
    }

    private void enqueue(Map<Integer, ArrayDeque<DnsInfo>> msgs, int id, DnsInfo info) {
        ArrayDeque<DnsInfo> q = msgs.get(id);
        if (q == null) {
            if (msgs.size() > MAX_PENDING_QUERY_IDS) {
                writeAll(msgs);
            }
            q = new ArrayDeque<>(2);
            msgs.put(id, q);
        } else if (q.size() > MAX_PENDING_MSGS) {
            writeQueue(q);
        }
        q.add(info);
    }

    private static DnsInfo pop(Map<Integer, ArrayDeque<DnsInfo>> msgs, int id) {
        ArrayDeque<DnsInfo> q = msgs.get(id);
        DnsInfo info = q.poll();
        if (q.isEmpty()) {
            msgs.remove(id);
        }
        return info;
    }

    private void writeQueue(ArrayDeque<DnsInfo> q) {
        for (DnsInfo info : q) {
            write(info);
        }
        q.clear();
    }

    private void writeAll(Map<Integer, ArrayDeque<DnsInfo>> msgs) {
        for (Iterator<ArrayDeque<DnsInfo>> it = msgs.values().iterator(); it.hasNext();) {
            writeQueue(it.next());
        }
        msgs.clear();
    }

    /** {@code event dns_request}: fields of the question (the last question wins). */
    void onRequest(DnsHeader msg, byte[] name, int nameLen, int qtype, int qclass) {
        analyzer.seenQuery(name, nameLen);
        if (!msg.tracked() || current == null) {
            return;
        }
        DnsInfo d = current;
        d.rd = msg.rd;
        d.tc = msg.tc;
        d.qclass = qclass;
        d.qclassName = DnsConstants.qclass(qclass);
        d.qtype = qtype;
        d.qtypeName = DnsConstants.queryType(qtype);
        d.z = msg.z;
        byte[] query = java.util.Arrays.copyOf(name, nameLen);
        if (analyzer.respPort() == 137 && analyzer.isUdp()) {
            byte[] decoded = DnsText.decodeNetbiosName(query);
            if (decoded != null) {
                query = decoded;
            }
            if ("SRV".equals(d.qtypeName)) {
                d.qtypeName = "NBSTAT";
            }
        }
        d.query = query;
    }

    /** {@code event dns_rejected}. */
    void onRejected() {
        if (current != null) {
            current.rejected = true;
        }
    }

    /** Whether the {@code DNS::do_reply} hook would use an answer of this section. */
    boolean acceptsReply(DnsHeader msg, int section) {
        return msg.tracked() && msg.qr && current != null
                && (section == DnsConstants.SECTION_ANSWER || section == DnsConstants.SECTION_PREREQUISITES
                        || section == DnsConstants.SECTION_UPDATES);
    }

    /** The {@code DNS::do_reply} hook; call only after {@link #acceptsReply} said yes. */
    void onReply(DnsHeader msg, int section, byte[] owner, int ownerLen, long ttl, DnsText reply) {
        DnsInfo d = current;
        if (d.query == null) {
            d.query = java.util.Arrays.copyOf(owner, ownerLen);
        }
        d.aa = msg.aa;
        d.ra = msg.ra;
        if (Double.isNaN(d.rtt)) {
            double rtt = ctx.networkTime() - d.ts;
            if (rtt != 0.0) {
                d.rtt = rtt;
            }
        }
        if (reply.length() == 0) {
            return;
        }
        byte[] text;
        if (msg.opcode == DnsConstants.OP_DYNAMIC_UPDATE && section == DnsConstants.SECTION_UPDATES
                && !reply.startsWith("del:")) {
            byte[] r = reply.array();
            int n = reply.length();
            text = new byte[n + 5];
            text[0] = 'a';
            text[1] = 'd';
            text[2] = 'd';
            text[3] = ':';
            text[4] = ' ';
            System.arraycopy(r, 0, text, 5, n);
        } else {
            text = reply.toBytes();
        }
        if (d.answerCount() >= MAX_ANSWERS_PER_ROW
                || retainedAnswerBytes + text.length > MAX_RETAINED_ANSWER_BYTES) {
            ctx.weird(WEIRD_ANSWERS_CAPPED, null);
            return;
        }
        retainedAnswerBytes += text.length;
        d.chargedBytes += text.length;
        d.addAnswer(text, (double) ttl);
    }

    /** {@code event dns_end} at priorities 5 and -5: marks the side seen, writes a complete row. */
    void onEnd(DnsHeader msg) {
        DnsInfo d = current;
        if (d == null) {
            return;
        }
        if (msg.qr) {
            d.sawReply = true;
        } else {
            d.sawQuery = true;
        }
        if (d.sawReply && d.sawQuery) {
            write(d);
            current = null;
        }
    }

    /** The {@code finalize_dns} removal hook: every unmatched query and reply is written. */
    void onConnectionDone() {
        if (!hasState) {
            return;
        }
        if (pendingQuery != null) {
            write(pendingQuery);
        }
        if (pendingQueries != null) {
            writeAll(pendingQueries);
        }
        if (pendingReplies != null) {
            writeAll(pendingReplies);
        }
    }

    /** Rows waiting for their other half (tests and memory accounting). */
    int pendingRows() {
        int n = pendingQuery != null ? 1 : 0;
        n += count(pendingQueries);
        n += count(pendingReplies);
        return n;
    }

    private static int count(Map<Integer, ArrayDeque<DnsInfo>> msgs) {
        int n = 0;
        if (msgs != null) {
            for (ArrayDeque<DnsInfo> q : msgs.values()) {
                n += q.size();
            }
        }
        return n;
    }

    /** Answer bytes held by rows not yet written. */
    long retainedAnswerBytes() {
        return retainedAnswerBytes;
    }

    private void write(DnsInfo d) {
        LogSchema schema = ctx.schema(DnsLog.SCHEMA);
        Layout l = Layout.of(schema);
        LogRecord r = new LogRecord(schema);
        ctx.setConnectionId(r);
        if (analyzer.locallyFlipped()) {
            swap(r, l.origH, l.respH);
            swap(r, l.origP, l.respP);
        }
        r.set(l.ts, d.ts);
        r.set(l.proto, analyzer.isUdp() ? "udp" : "tcp");
        r.set(l.transId, (long) d.transId);
        r.set(l.rtt, Double.isNaN(d.rtt) ? null : d.rtt);
        r.set(l.query, d.query);
        r.set(l.qclass, d.qclass < 0 ? null : (long) d.qclass);
        r.set(l.qclassName, d.qclassName);
        r.set(l.qtype, d.qtype < 0 ? null : (long) d.qtype);
        r.set(l.qtypeName, d.qtypeName);
        r.set(l.rcode, d.rcode < 0 ? null : (long) d.rcode);
        r.set(l.rcodeName, d.rcodeName);
        r.set(l.aa, d.aa);
        r.set(l.tc, d.tc);
        r.set(l.rd, d.rd);
        r.set(l.ra, d.ra);
        r.set(l.z, (long) d.z);
        if (d.answers != null) {
            int n = d.answers.size();
            List<Object> answers = new ArrayList<>(d.answers);
            List<Double> ttls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ttls.add(d.ttls[i]);
            }
            r.set(l.answers, answers);
            r.set(l.ttls, ttls);
        }
        r.set(l.rejected, d.rejected);
        r.set(l.opcode, d.opcode < 0 ? null : (long) d.opcode);
        r.set(l.opcodeName, d.opcodeName);
        retainedAnswerBytes -= d.chargedBytes;
        d.chargedBytes = 0;
        ctx.log(r);
    }

    private static void swap(LogRecord r, int a, int b) {
        Object t = r.get(a);
        r.set(a, r.get(b));
        r.set(b, t);
    }

    /** Column positions of one schema (the run may insert id.ctx columns); immutable. */
    private record Layout(LogSchema schema, int ts, int origH, int origP, int respH, int respP, int proto,
            int transId, int rtt, int query, int qclass, int qclassName, int qtype, int qtypeName, int rcode,
            int rcodeName, int aa, int tc, int rd, int ra, int z, int answers, int ttls, int rejected, int opcode,
            int opcodeName) {

        private static volatile Layout last;

        static Layout of(LogSchema s) {
            Layout l = last;
            if (l != null && l.schema == s) {
                return l;
            }
            l = new Layout(s, s.indexOf("ts"), s.indexOf("id.orig_h"), s.indexOf("id.orig_p"),
                    s.indexOf("id.resp_h"), s.indexOf("id.resp_p"), s.indexOf("proto"), s.indexOf("trans_id"),
                    s.indexOf("rtt"), s.indexOf("query"), s.indexOf("qclass"), s.indexOf("qclass_name"),
                    s.indexOf("qtype"), s.indexOf("qtype_name"), s.indexOf("rcode"), s.indexOf("rcode_name"),
                    s.indexOf("AA"), s.indexOf("TC"), s.indexOf("RD"), s.indexOf("RA"), s.indexOf("Z"),
                    s.indexOf("answers"), s.indexOf("TTLs"), s.indexOf("rejected"), s.indexOf("opcode"),
                    s.indexOf("opcode_name"));
            last = l;
            return l;
        }
    }
}
