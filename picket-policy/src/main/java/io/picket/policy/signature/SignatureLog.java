package io.picket.policy.signature;

import com.google.re2j.Pattern;
import io.picket.log.LogField;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.ZeekType;
import io.picket.policy.IpAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * signatures.log and the signature notices, built exactly as Zeek's
 * {@code base/frameworks/signatures/main.zeek} {@code signature_match} handler: per-signature
 * actions (default {@link Action#SIG_ALARM}), {@code ignored_ids}, the 140-byte trim of the matched
 * data, the Sensitive_Signature notice, {@code SIG_COUNT_PER_RESP} counting and the horizontal and
 * vertical scan thresholds with their log rows and notices. The scan tables expire entries one
 * hour after their last use ({@code &read_expire = 1 hr}) and are capped in size. The scheduled
 * {@code SIG_SUMMARY} summary notice is not produced.
 *
 * <p>Owned by one shard thread (keeps the scan tables of its connections).
 */
public final class SignatureLog {
    public static final LogSchema SCHEMA = LogSchema.of("signatures",
            LogField.of("ts", ZeekType.TIME),
            LogField.of("uid", ZeekType.STRING),
            LogField.of("src_addr", ZeekType.ADDR),
            LogField.of("src_port", ZeekType.PORT),
            LogField.of("dst_addr", ZeekType.ADDR),
            LogField.of("dst_port", ZeekType.PORT),
            LogField.of("note", ZeekType.ENUM),
            LogField.of("sig_id", ZeekType.STRING),
            LogField.of("event_msg", ZeekType.STRING),
            LogField.of("sub_msg", ZeekType.STRING),
            LogField.of("sig_count", ZeekType.COUNT),
            LogField.of("host_count", ZeekType.COUNT));

    /** Zeek's {@code Signatures::Action}. */
    public enum Action {
        SIG_IGNORE, SIG_QUIET, SIG_LOG, SIG_FILE_BUT_NO_SCAN, SIG_ALARM, SIG_ALARM_PER_ORIG, SIG_ALARM_ONCE,
        SIG_COUNT_PER_RESP, SIG_SUMMARY
    }

    private static final Set<Long> SCAN_THRESHOLDS = Set.of(5L, 10L, 50L, 100L, 500L, 1000L);
    private static final Set<Long> COUNT_THRESHOLDS = Set.of(5L, 10L, 50L, 100L, 500L, 1000L, 10000L, 1000000L);
    private static final double EXPIRE = 3600.0;
    private static final int MAX_ENTRIES = 1 << 18;

    private final Map<String, Action> actions;
    private final Pattern ignoredIds;
    private final Map<String, Timed<Set<String>>> horiz = new HashMap<>();
    private final Map<String, Timed<Set<String>>> vert = new HashMap<>();
    private final Map<String, Timed<long[]>> lastHThresh = new HashMap<>();
    private final Map<String, Timed<long[]>> lastVThresh = new HashMap<>();
    private final Map<String, Timed<long[]>> countPerResp = new HashMap<>();
    private final Map<String, Timed<long[]>> countPerOrig = new HashMap<>();
    private final Map<String, Timed<long[]>> didSigLog = new HashMap<>();

    private static final class Timed<T> {
        T value;
        double last;

        Timed(T value, double last) {
            this.value = value;
            this.last = last;
        }
    }

    /** Zeek's defaults: every signature {@link Action#SIG_ALARM}, ignored ids {@code /NO_DEFAULT_MATCHES/}. */
    public SignatureLog() {
        this(Map.of(), Pattern.compile("NO_DEFAULT_MATCHES"));
    }

    /** Per-signature actions ({@code Signatures::actions}) and the {@code ignored_ids} pattern (searched anywhere). */
    public SignatureLog(Map<String, Action> actions, Pattern ignoredIds) {
        this.actions = Map.copyOf(actions);
        this.ignoredIds = ignoredIds;
    }

    /** Where the records and notices of one {@code signature_match} go. */
    public interface Sink {
        void log(LogRecord record);

        void notice(SignatureNotice notice);
    }

    /**
     * Handles one {@code signature_match}: {@code conn} gives the connection id, {@code isOrig} the
     * direction of the match, {@code data} the matched chunk.
     */
    public void onSignatureMatch(double ts, String uid, ConnectionFacts conn, boolean isOrig, String sigId,
                                 String msg, byte[] data, int offset, int length, Sink sink) {
        Action action = actions.getOrDefault(sigId, Action.SIG_ALARM);
        if (action == Action.SIG_IGNORE || ignoredIds.matcher(sigId).find()) {
            return;
        }
        byte[] sub;
        if (length > 140) {
            sub = Arrays.copyOf(Arrays.copyOfRange(data, offset, offset + 140), 143);
            sub[140] = '.';
            sub[141] = '.';
            sub[142] = '.';
        } else {
            sub = Arrays.copyOfRange(data, offset, offset + length);
        }
        String origH = IpAddress.format(conn.origHi(), conn.origLo());
        String respH = IpAddress.format(conn.respHi(), conn.respLo());
        String srcAddr = isOrig ? origH : respH;
        int srcPort = isOrig ? conn.origPort() : conn.respPort();
        String dstAddr = isOrig ? respH : origH;
        int dstPort = isOrig ? conn.respPort() : conn.origPort();

        if (action != Action.SIG_QUIET && action != Action.SIG_COUNT_PER_RESP) {
            sink.log(new LogRecord(SCHEMA).set(0, ts).set(1, uid).set(2, srcAddr).set(3, srcPort).set(4, dstAddr)
                    .set(5, dstPort).set(6, "Signatures::Sensitive_Signature").set(7, sigId)
                    .set(8, srcAddr + ": " + msg).set(9, sub));
        }
        boolean notice = action == Action.SIG_ALARM;
        if (action == Action.SIG_COUNT_PER_RESP) {
            long n = ++counter(countPerResp, respH + "|" + sigId, ts)[0];
            if (COUNT_THRESHOLDS.contains(n)) {
                byte[] s = (n + " matches of signature " + sigId + " on host " + respH)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                sink.notice(new SignatureNotice(ts, "Signatures::Count_Signature", uid, origH, conn.origPort(), respH,
                        conn.respPort(), null, null, msg, s, n));
            }
        }
        if ((action == Action.SIG_ALARM_PER_ORIG || action == Action.SIG_SUMMARY)
                && ++counter(countPerOrig, origH + "|" + sigId, ts)[0] == 1) {
            if (action == Action.SIG_ALARM_PER_ORIG) {
                notice = true;
            }
        }
        if (action == Action.SIG_ALARM_ONCE) {
            long[] c = counter(didSigLog, sigId, ts);
            if (c[0] == 0) {
                notice = true;
                c[0] = 1;
            }
        }
        if (notice) {
            sink.notice(new SignatureNotice(ts, "Signatures::Sensitive_Signature", uid, origH, conn.origPort(), respH,
                    conn.respPort(), srcAddr, dstAddr, srcAddr + ": " + msg, sub, null));
        }
        if (action == Action.SIG_FILE_BUT_NO_SCAN || action == Action.SIG_SUMMARY) {
            return;
        }
        Set<String> responders = set(horiz, origH + "|" + sigId, ts);
        responders.add(respH);
        Set<String> sigs = set(vert, origH + "|" + respH, ts);
        sigs.add(sigId);
        long hcount = responders.size();
        long vcount = sigs.size();
        long[] lastH = counter(lastHThresh, origH, ts);
        if (SCAN_THRESHOLDS.contains(hcount) && hcount != lastH[0]) {
            String m = origH + " has triggered signature " + sigId + " on " + hcount + " hosts";
            sink.log(new LogRecord(SCHEMA).set(0, ts).set(2, origH).set(6, "Signatures::Multiple_Sig_Responders")
                    .set(7, sigId).set(8, msg).set(9, m).set(11, hcount));
            sink.notice(new SignatureNotice(ts, "Signatures::Multiple_Sig_Responders", null, null, null, null, null,
                    origH, null, msg, m.getBytes(java.nio.charset.StandardCharsets.UTF_8), hcount));
            lastH[0] = hcount;
        }
        long[] lastV = counter(lastVThresh, origH, ts);
        if (SCAN_THRESHOLDS.contains(vcount) && vcount != lastV[0]) {
            String m = origH + " has triggered " + vcount + " different signatures on host " + respH;
            String em = vcount + " different signatures triggered";
            sink.log(new LogRecord(SCHEMA).set(0, ts).set(2, origH).set(4, respH).set(6, "Signatures::Multiple_Signatures")
                    .set(7, sigId).set(8, em).set(9, m).set(10, vcount));
            sink.notice(new SignatureNotice(ts, "Signatures::Multiple_Signatures", null, null, null, null, null, origH,
                    respH, em, m.getBytes(java.nio.charset.StandardCharsets.UTF_8), vcount));
            lastV[0] = vcount;
        }
    }

    private static <T> T fresh(Map<String, Timed<T>> map, String key, double now, java.util.function.Supplier<T> init) {
        Timed<T> t = map.get(key);
        if (t == null || now - t.last > EXPIRE) {
            if (map.size() >= MAX_ENTRIES) {
                map.values().removeIf(x -> now - x.last > EXPIRE);
                if (map.size() >= MAX_ENTRIES) {
                    map.clear();
                }
            }
            t = new Timed<>(init.get(), now);
            map.put(key, t);
        }
        t.last = now;
        return t.value;
    }

    private static long[] counter(Map<String, Timed<long[]>> map, String key, double now) {
        return fresh(map, key, now, () -> new long[1]);
    }

    private static Set<String> set(Map<String, Timed<Set<String>>> map, String key, double now) {
        return fresh(map, key, now, HashSet::new);
    }

    /** Convenience sink collecting into lists. */
    public static Sink collectInto(List<LogRecord> records, List<SignatureNotice> notices) {
        return new Sink() {
            @Override
            public void log(LogRecord record) {
                records.add(record);
            }

            @Override
            public void notice(SignatureNotice notice) {
                notices.add(notice);
            }
        };
    }
}
