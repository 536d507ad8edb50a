package io.picket.analyzer.ssh;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An {@link AnalyzerContext} for unit tests: fixed connection id, settable time, collected output. */
final class FakeContext implements AnalyzerContext {
    final String origHost;
    final int origPort;
    final String respHost;
    final int respPort;
    double now = 1_000_000_000.0;
    final List<LogRecord> logs = new ArrayList<>();
    final List<String> weirds = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    int confirmations;

    FakeContext() {
        this("192.168.1.2", 50000, "192.168.1.3", 22);
    }

    FakeContext(String origHost, int origPort, String respHost, int respPort) {
        this.origHost = origHost;
        this.origPort = origPort;
        this.respHost = respHost;
        this.respPort = respPort;
    }

    @Override
    public String uid() {
        return "CTestUid000000001";
    }

    @Override
    public String origHost() {
        return origHost;
    }

    @Override
    public int origPort() {
        return origPort;
    }

    @Override
    public String respHost() {
        return respHost;
    }

    @Override
    public int respPort() {
        return respPort;
    }

    @Override
    public String transport() {
        return "tcp";
    }

    @Override
    public double networkTime() {
        return now;
    }

    @Override
    public double connectionStart() {
        return now;
    }

    @Override
    public LogSchema schema(LogSchema base) {
        return base;
    }

    @Override
    public void setConnectionId(LogRecord record) {
        record.set("uid", uid());
        record.set("id.orig_h", origHost);
        record.set("id.orig_p", origPort);
        record.set("id.resp_h", respHost);
        record.set("id.resp_p", respPort);
    }

    @Override
    public void log(LogRecord record) {
        logs.add(record);
    }

    @Override
    public void confirm() {
        confirmations++;
    }

    @Override
    public void violation(String reason) {
        violations.add(reason);
    }

    @Override
    public void weird(String name, String addl) {
        weirds.add(addl == null ? name : name + ":" + addl);
    }

    @Override
    public String newFileId() {
        return "FTest";
    }

    @Override
    public double lastPacketTime() {
        return now;
    }

    @Override
    public void schedule(double time, Runnable action) {
        throw new UnsupportedOperationException("the SSH analyzer uses no timers");
    }

    @Override
    public void removeConnection() {
        throw new UnsupportedOperationException("the SSH analyzer never removes its connection");
    }

    /** The single logged record. */
    LogRecord only() {
        if (logs.size() != 1) {
            throw new AssertionError("expected one ssh.log record, got " + logs);
        }
        return logs.getFirst();
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
