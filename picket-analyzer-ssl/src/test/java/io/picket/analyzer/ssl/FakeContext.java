package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.TsvFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An AnalyzerContext for tests: collects logs, weirds, confirmations and violations. */
final class FakeContext implements AnalyzerContext {
    final String uid;
    final String origHost;
    final int origPort;
    final String respHost;
    final int respPort;
    double now;
    final List<LogRecord> logs = new ArrayList<>();
    final List<String> weirds = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    int confirmations;

    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort) {
        this.uid = uid;
        this.origHost = origHost;
        this.origPort = origPort;
        this.respHost = respHost;
        this.respPort = respPort;
    }

    FakeContext() {
        this("CFake1", "10.0.0.1", 40000, "10.0.0.2", 443);
    }

    @Override
    public String uid() {
        return uid;
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
        return 0;
    }

    @Override
    public LogSchema schema(LogSchema base) {
        return base;
    }

    @Override
    public void setConnectionId(LogRecord record) {
        record.set("uid", uid);
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
        return "FFake";
    }

    @Override
    public double lastPacketTime() {
        return now;
    }

    @Override
    public void schedule(double time, Runnable action) {
        // the SSL analyzer uses no timers
    }

    @Override
    public void removeConnection() {
        // nothing to remove in tests
    }

    List<LogRecord> logs(String path) {
        return logs.stream().filter(r -> r.schema().path().equals(path)).toList();
    }

    /** TSV rows of one log, without ts and uid (columns 0 and 1 for ssl, 0 for x509). */
    List<String> rows(String path) {
        TsvFormat tsv = new TsvFormat();
        List<String> out = new ArrayList<>();
        for (LogRecord r : logs(path)) {
            LogBuffer b = new LogBuffer();
            tsv.row(r, b);
            out.add(new String(b.array(), 0, b.length() - 1, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String tsv(LogRecord r) {
        LogBuffer b = new LogBuffer();
        new TsvFormat().row(r, b);
        return new String(b.array(), 0, b.length() - 1, StandardCharsets.UTF_8);
    }
}
