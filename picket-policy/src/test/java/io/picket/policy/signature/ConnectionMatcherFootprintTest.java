package io.picket.policy.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.policy.Limits;
import io.picket.policy.SourceFile;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heap bytes a {@link ConnectionMatcher} allocates per new connection and per payload packet for
 * bundles of 1, 30 and 300 signatures (the isolation benchmark's backtracking-style patterns), as
 * the engine feeds it: memory segments, synthetic headers. Measured with the thread's allocation
 * counter after a warm-up; the figures are printed for docs/PERFORMANCE.md.
 */
class ConnectionMatcherFootprintTest {
    private static final String[] TEMPLATES = {".*(a+)+tt%s", ".*(a|aa)*tt%s", ".*([a-z]+)*tt%s", ".*(t|tt)+%s",
        ".*(.*a){3}tt%s"};
    private static final MatchListener NONE = new MatchListener() {
        @Override
        public void onMatch(String id, String msg, boolean isOrig, byte[] data, int off, int len) {
        }
    };
    // An HTTP request and reply of the kind the benchmark generates (no signature matches them).
    private static final MemorySegment REQUEST = MemorySegment.ofArray(("GET /index.html HTTP/1.1\r\n"
            + "Host: www.example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    private static final MemorySegment REPLY = MemorySegment.ofArray(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
            + "Content-Type: text/plain\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
    private static final ConnectionFacts FACTS = ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80);

    static SignatureSet bundle(int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String p = String.format(TEMPLATES[i % TEMPLATES.length], "x" + i);
            sb.append("signature s").append(i).append(" {\n  ip-proto == tcp\n  payload /").append(p)
                    .append("/\n  event \"e\"\n}\n");
        }
        return SignatureSet.compile(List.of(SourceFile.of("t.sig", sb.toString())), Limits.DEFAULT);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Bytes per connection: matcher creation plus the first request and the first reply. */
    static double perConnection(SignatureSet set, int rounds) {
        ConnectionMatcher keep = null;
        long before = allocated();
        for (int i = 0; i < rounds; i++) {
            ConnectionMatcher m = set.newConnectionMatcher(FACTS, NONE);
            m.onStream(true, REQUEST, 0, (int) REQUEST.byteSize());
            m.onStream(false, REPLY, 0, (int) REPLY.byteSize());
            keep = m;
        }
        long bytes = allocated() - before;
        assertThat(keep).isNotNull();
        return (double) bytes / rounds;
    }

    /** Bytes per later payload packet of an established connection (small chunks, within the depth). */
    static double perPacket(SignatureSet set, int rounds, boolean feed) {
        long bytes = 0;
        int packets = 0;
        for (int i = 0; i < rounds; i++) {
            ConnectionMatcher m = set.newConnectionMatcher(FACTS, NONE);
            m.onStream(true, REQUEST, 0, 16);
            m.onStream(false, REPLY, 0, 16);
            long before = allocated();
            for (int k = 1; k < 4 && feed; k++) {
                m.onStream(true, REQUEST, 16 * k, 16);
                m.onStream(false, REPLY, 16 * k, 16);
                packets += 2;
            }
            bytes += allocated() - before;
        }
        return (double) bytes / (feed ? packets : 6 * rounds);
    }

    @Test
    void shouldAllocateFewBytesPerSignatureWhenConnectionStarts() throws Exception {
        StringBuilder report = new StringBuilder("signatures | bytes/new connection | bytes/payload packet\n");
        double[] perConn = new double[3];
        int[] sizes = {1, 30, 300};
        for (int k = 0; k < sizes.length; k++) {
            SignatureSet set = bundle(sizes[k]);
            perConnection(set, 3000);
            perPacket(set, 1000, true);
            perConn[k] = perConnection(set, 3000);
            double perPacket = perPacket(set, 1000, true) - perPacket(set, 1000, false);
            report.append(String.format("%d | %.0f | %.1f%n", sizes[k], perConn[k], perPacket));
        }
        System.out.println(report);
        // Before the layouts and sparse records: about 75 bytes per signature and connection.
        assertThat(perConn[2] - perConn[0]).isLessThan(4.0 * 300);
    }
}
