package io.picket.analyzer.http;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.util.ArrayList;
import java.util.List;

/** A test AnalyzerContext that records what the analyzer logs, confirms and reports. */
final class FakeContext implements AnalyzerContext {
    record Weird(String name, String addl) {
    }

    final List<LogRecord> records = new ArrayList<>();
    final List<Weird> weirds = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    int confirmations;
    double now = 1_000_000_000.0;
    int nextFile;
    final String uid;
    final String origHost;
    final int origPort;
    final String respHost;
    final int respPort;

    FakeContext() {
        this("CtestUid0000000001", "10.0.0.1", 40000, "10.0.0.2", 80);
    }

    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort) {
        this.uid = uid;
        this.origHost = origHost;
        this.origPort = origPort;
        this.respHost = respHost;
        this.respPort = respPort;
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
        records.add(record);
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
        weirds.add(new Weird(name, addl));
    }

    @Override
    public String newFileId() {
        return "Ftest" + (nextFile++);
    }

    @Override
    public double lastPacketTime() {
        return now;
    }

    @Override
    public void schedule(double time, Runnable action) {
        scheduled.add(action);
    }

    @Override
    public void removeConnection() {
        removed = true;
    }

    final List<Runnable> scheduled = new ArrayList<>();
    boolean removed;
    boolean partial;

    @Override
    public boolean partial() {
        return partial;
    }

    List<String> weirdNames() {
        return weirds.stream().map(Weird::name).toList();
    }
}
