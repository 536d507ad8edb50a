package io.picket.analyzer.dns;

import io.picket.log.LogRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a trace extracted from a capture (one packet per line:
 * {@code sec usec [u|t] src sport dst dport flags hex}, or the short UDP form
 * {@code sec usec src sport dst dport hex}) through one {@link DnsAnalyzer} per connection,
 * with Zeek's connection rules as far as DNS needs them: UDP roles flipped when only the
 * source port is a likely server port, the analyzer's timers run when network time passes
 * them (before the packet), a removed connection ends, TCP segments in order without
 * retransmissions, FIN as the end of a direction.
 */
final class TraceReplay {
    private static final Set<Integer> LIKELY_SERVER_PORTS = Set.of(53, 137, 5353, 5355);

    private final boolean multicastStandalone;
    private final Map<String, Conn> conns = new LinkedHashMap<>();
    private final List<LogRecord> rows = new ArrayList<>();
    private final List<FakeContext.Weird> weirds = new ArrayList<>();
    private int nextUid;

    private final class Conn {
        final FakeContext ctx;
        final DnsAnalyzer analyzer;
        final String origHost;
        final int origPort;
        final boolean udp;

        Conn(String oh, int op, String rh, int rp, boolean udp, double t) {
            ctx = new FakeContext("C" + (nextUid++), oh, op, rh, rp, udp ? "udp" : "tcp");
            ctx.at(t);
            analyzer = new DnsAnalyzer(ctx, multicastStandalone);
            origHost = oh;
            origPort = op;
            this.udp = udp;
        }

        void done() {
            analyzer.onConnectionDone();
            rows.addAll(ctx.logs);
            weirds.addAll(ctx.weirds);
        }
    }

    TraceReplay(boolean multicastStandalone) {
        this.multicastStandalone = multicastStandalone;
    }

    static List<LogRecord> replay(InputStream in, boolean multicastStandalone) throws IOException {
        TraceReplay r = new TraceReplay(multicastStandalone);
        r.run(in);
        return r.rows;
    }

    List<LogRecord> rows() {
        return rows;
    }

    List<FakeContext.Weird> weirds() {
        return weirds;
    }

    void run(InputStream in) throws IOException {
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = br.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                packet(line.trim().split(" "));
            }
        }
        for (Conn c : conns.values()) {
            c.done();
        }
        conns.clear();
    }

    private void packet(String[] f) {
        double t = Long.parseLong(f[0]) + Long.parseLong(f[1]) / 1e6;
        boolean udp;
        int i;
        if (f.length == 7) {
            udp = true;
            i = 2;
        } else {
            udp = f[2].equals("u");
            i = 3;
        }
        String src = f[i];
        int sport = Integer.parseInt(f[i + 1]);
        String dst = f[i + 2];
        int dport = Integer.parseInt(f[i + 3]);
        String flags = f.length == 7 ? "-" : f[i + 4];
        String hex = f[f.length - 1];
        byte[] payload = hex.equals("-") ? new byte[0] : HexFormat.of().parseHex(hex);
        if (flags.contains("X")) {
            return;
        }
        expire(t);
        String a = src + "/" + sport;
        String b = dst + "/" + dport;
        String key = (udp ? "u|" : "t|") + (a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
        Conn c = conns.get(key);
        if (c == null) {
            if (udp && LIKELY_SERVER_PORTS.contains(sport) && !LIKELY_SERVER_PORTS.contains(dport)
                    && !dst.startsWith("255.") && !dst.endsWith(".255")) {
                c = new Conn(dst, dport, src, sport, true, t);
            } else {
                c = new Conn(src, sport, dst, dport, udp, t);
            }
            conns.put(key, c);
        }
        boolean isOrig = src.equals(c.ctx.origHost()) && sport == c.ctx.origPort();
        c.ctx.at(t);
        MemorySegment seg = MemorySegment.ofArray(payload);
        if (udp) {
            c.analyzer.onDatagram(isOrig, seg, 0, payload.length);
        } else {
            if (payload.length > 0) {
                c.analyzer.onStream(isOrig, seg, 0, payload.length);
            }
            if (flags.contains("F")) {
                c.analyzer.onEndOfStream(isOrig);
            }
        }
    }

    /** Runs every timer due at {@code now}, earliest first; removes the connections they end. */
    private void expire(double now) {
        while (true) {
            Conn due = null;
            FakeContext.Timer first = null;
            for (Conn c : conns.values()) {
                for (FakeContext.Timer tm : c.ctx.timers) {
                    if (tm.time() <= now && (first == null || tm.time() < first.time())) {
                        first = tm;
                        due = c;
                    }
                }
            }
            if (first == null) {
                return;
            }
            due.ctx.timers.remove(first);
            due.ctx.now = now;
            first.action().run();
            if (due.ctx.removed) {
                due.done();
                conns.values().remove(due);
            }
        }
    }
}
