package io.picket.analyzer.ssh;

import io.picket.analyzer.testing.RecordingContext;
import io.picket.log.LogRecord;
import java.nio.charset.StandardCharsets;

/** The SSH tests' context: 192.168.1.2:50000 to 192.168.1.3:22 over TCP. */
final class FakeContext extends RecordingContext {
    FakeContext() {
        this("192.168.1.2", 50000, "192.168.1.3", 22);
    }

    FakeContext(String origHost, int origPort, String respHost, int respPort) {
        super("CTestUid000000001", origHost, origPort, respHost, respPort, "tcp");
        now = 1_000_000_000.0;
        start = Double.NaN;
    }

    /** A record's columns after {@code ts} and {@code uid}, tab separated, Zeek's "-" for unset. */
    static String row(LogRecord r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i < r.schema().size(); i++) {
            if (i > 2) {
                sb.append('\t');
            }
            sb.append(text(r.get(i)));
        }
        return sb.toString();
    }

    static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Boolean b) {
            return b ? "T" : "F";
        }
        if (v instanceof byte[] raw) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        return v.toString();
    }
}
