package io.picket.analyzer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Detector;
import io.picket.log.LogRecord;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the connections of Zeek's SSH test traces through detector and analyzer, segment by
 * segment as Zeek's reassembler delivered them, and compares the ssh.log rows with Zeek's (all
 * columns but {@code ts} and {@code uid}).
 */
class SshTraceTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "ssh.pcap",
            "ssh.client-side-half-duplex.pcap",
            "reverse-ssh.pcap",
            "ssh1-ssh2-fingerprints.pcap",
            "ssh_kex_curve25519.pcap",
            "ssh_kex_mlkem.pcap",
            "ssh_server_sends_first_enc_pkt_with_newkeys.pcap",
            "sshguess.pcap",
            "ssl-and-ssh-using-sslh.pcap"})
    void shouldWriteZeeksRowsWhenReplayingTrace(String trace) throws IOException {
        List<String> rows = new ArrayList<>();
        for (StreamTrace.Conn c : StreamTrace.load(trace + ".streams.gz")) {
            for (LogRecord r : replay(c).logs) {
                rows.add(FakeContext.row(r));
            }
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected(trace + ".expected"));
    }

    /** Runs one connection: port 22 or a DPD match activates the analyzer (Zeek's partial connections are skipped). */
    static FakeContext replay(StreamTrace.Conn c) {
        FakeContext ctx = new FakeContext(c.origHost(), c.origPort(), c.respHost(), c.respPort());
        boolean active = c.respPort() == 22;
        if (!active) {
            Detector d = new SshProvider().newDetector();
            long[] offsets = new long[2];
            for (StreamTrace.Event e : c.events()) {
                if (e.fin() || e.data() == null) {
                    continue;
                }
                int side = e.isOrig() ? 0 : 1;
                int verdict = d.onData(e.isOrig(), MemorySegment.ofArray(e.data()), 0, e.length(), offsets[side]);
                offsets[side] += e.length();
                if (verdict != Detector.NEED_MORE) {
                    active = verdict == Detector.MATCH;
                    break;
                }
            }
        }
        if (!active || c.partial()) {
            return ctx;
        }
        SshAnalyzer a = new SshAnalyzer(ctx);
        for (StreamTrace.Event e : c.events()) {
            ctx.now = e.ts();
            if (e.fin()) {
                a.onEndOfStream(e.isOrig());
            } else {
                a.onStream(e.isOrig(), MemorySegment.ofArray(e.payload()), 0, e.length());
            }
        }
        a.onConnectionDone();
        return ctx;
    }

    private static List<String> expected(String resource) throws IOException {
        try (InputStream in = SshTraceTest.class.getResourceAsStream("traces/" + resource)) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
            return out;
        }
    }
}
