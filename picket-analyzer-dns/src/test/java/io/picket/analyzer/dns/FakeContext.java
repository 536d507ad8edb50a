package io.picket.analyzer.dns;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.TsvFormat;
import java.util.ArrayList;
import java.util.List;

/** A test {@link AnalyzerContext}: fixed endpoints, settable clock, collected output. */
final class FakeContext implements AnalyzerContext {
    record Weird(String name, String addl) {
    }

    private final String uid;
    private String origHost;
    private int origPort;
    private String respHost;
    private int respPort;
    int flips;
    private final String transport;
    double now = 1000.0;
    double lastPacket = 1000.0;
    boolean removed;
    /** Timers the analyzer scheduled, in order; a harness runs them. */
    final List<Timer> timers = new ArrayList<>();

    record Timer(double time, Runnable action) {
    }

    final List<LogRecord> logs = new ArrayList<>();
    final List<Weird> weirds = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    int confirmations;

    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort, String transport) {
        this.uid = uid;
        this.origHost = origHost;
        this.origPort = origPort;
        this.respHost = respHost;
        this.respPort = respPort;
        this.transport = transport;
    }

    static FakeContext udp(int respPort) {
        return new FakeContext("CTest", "10.0.0.1", 40000, "10.0.0.53", respPort, "udp");
    }

    static FakeContext tcp() {
        return new FakeContext("CTest", "10.0.0.1", 40000, "10.0.0.53", 53, "tcp");
    }

    @Override
    public void flipRoles() {
        String h = origHost;
        origHost = respHost;
        respHost = h;
        int p = origPort;
        origPort = respPort;
        respPort = p;
        flips++;
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
        return transport;
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
        weirds.add(new Weird(name, addl));
    }

    @Override
    public String newFileId() {
        return "FTest";
    }

    @Override
    public double lastPacketTime() {
        return lastPacket;
    }

    @Override
    public void schedule(double time, Runnable action) {
        timers.add(new Timer(time, action));
    }

    @Override
    public void removeConnection() {
        removed = true;
    }

    /** Sets the clock for a packet at {@code t}. */
    FakeContext at(double t) {
        now = t;
        lastPacket = t;
        return this;
    }

    List<String> weirdNames() {
        return weirds.stream().map(Weird::name).toList();
    }

    /** The rows as Zeek's TSV would print them. */
    List<String> rows() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : logs) {
            out.add(tsv(r));
        }
        return out;
    }

    static String tsv(LogRecord r) {
        LogBuffer b = new LogBuffer(256);
        new TsvFormat().row(r, b);
        String s = b.toString();
        return s.substring(0, s.length() - 1);
    }

    /** One column of the TSV row of record {@code i}. */
    String col(int i, String name) {
        LogRecord r = logs.get(i);
        return tsv(r).split("\t", -1)[r.schema().indexOf(name)];
    }
}
