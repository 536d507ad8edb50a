package io.picket.analyzer.testing;

import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import io.picket.log.format.LogBuffer;
import io.picket.log.format.TsvFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AnalyzerContext} for analyzer unit tests: fixed endpoints, a clock the test sets,
 * and everything the analyzer reports (records, weirds, confirmations, violations, timers)
 * collected in public lists. Shared by the analyzer modules through this module's test jar;
 * single-threaded like the shard thread it stands in for.
 */
public class RecordingContext implements AnalyzerContext {
    /** A weird the analyzer reported. */
    public record Weird(String name, String addl) {
        /** {@code name}, or {@code name:addl} when there is an addl. */
        public String text() {
            return addl == null ? name : name + ":" + addl;
        }
    }

    /** A timer the analyzer scheduled; the test runs it. */
    public record Timer(double time, Runnable action) {
    }

    public final String uid;
    public String origHost;
    public int origPort;
    public String respHost;
    public int respPort;
    public final String transport;

    /** Network time returned by {@link #networkTime()}. */
    public double now;
    /** Time of the last packet; NaN means {@link #now}. */
    public double lastPacket = Double.NaN;
    /** Start of the connection; NaN means {@link #now}. */
    public double start;
    public boolean partial;

    public final List<LogRecord> logs = new ArrayList<>();
    public final List<Weird> weirds = new ArrayList<>();
    public final List<String> violations = new ArrayList<>();
    public final List<Timer> timers = new ArrayList<>();
    public int confirmations;
    public int flips;
    public boolean removed;
    private int nextFile;

    public RecordingContext(String uid, String origHost, int origPort, String respHost, int respPort,
            String transport) {
        this.uid = uid;
        this.origHost = origHost;
        this.origPort = origPort;
        this.respHost = respHost;
        this.respPort = respPort;
        this.transport = transport;
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
        return Double.isNaN(start) ? now : start;
    }

    @Override
    public double lastPacketTime() {
        return Double.isNaN(lastPacket) ? now : lastPacket;
    }

    @Override
    public boolean partial() {
        return partial;
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
        return "FTest" + (nextFile++);
    }

    @Override
    public void schedule(double time, Runnable action) {
        timers.add(new Timer(time, action));
    }

    @Override
    public void removeConnection() {
        removed = true;
    }

    /** Sets the clock (and the last packet time) to {@code t}. */
    public RecordingContext at(double t) {
        now = t;
        lastPacket = t;
        return this;
    }

    public List<String> weirdNames() {
        return weirds.stream().map(Weird::name).toList();
    }

    /** Each weird as {@code name} or {@code name:addl}. */
    public List<String> weirdTexts() {
        return weirds.stream().map(Weird::text).toList();
    }

    /** The single logged record. */
    public LogRecord only() {
        if (logs.size() != 1) {
            throw new AssertionError("expected one record, got " + logs);
        }
        return logs.getFirst();
    }

    /** The records of one log path. */
    public List<LogRecord> logs(String path) {
        return logs.stream().filter(r -> r.schema().path().equals(path)).toList();
    }

    /** Every record as Zeek's TSV row (without the newline). */
    public List<String> rows() {
        return logs.stream().map(RecordingContext::tsv).toList();
    }

    /** The TSV rows of one log path. */
    public List<String> rows(String path) {
        return logs(path).stream().map(RecordingContext::tsv).toList();
    }

    /** One column of the TSV row of record {@code i}. */
    public String col(int i, String name) {
        LogRecord r = logs.get(i);
        return tsv(r).split("\t", -1)[r.schema().indexOf(name)];
    }

    /** A record as Zeek's TSV row, without the newline. */
    public static String tsv(LogRecord r) {
        LogBuffer b = new LogBuffer(256);
        new TsvFormat().row(r, b);
        return new String(b.array(), 0, b.length() - 1, StandardCharsets.UTF_8);
    }
    /** A child analyzer started with {@link #startChild}: its name and the bytes fed to it per direction. */
    public static final class Child implements io.picket.analyzer.spi.Analyzer {
        public final String name;
        public final java.io.ByteArrayOutputStream orig = new java.io.ByteArrayOutputStream();
        public final java.io.ByteArrayOutputStream resp = new java.io.ByteArrayOutputStream();
        public long gaps;

        Child(String name) {
            this.name = name;
        }

        @Override
        public void onStream(boolean isOrig, java.lang.foreign.MemorySegment data, long offset, int length) {
            byte[] b = new byte[length];
            java.lang.foreign.MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, b, 0, length);
            (isOrig ? orig : resp).writeBytes(b);
        }

        @Override
        public void onGap(boolean isOrig, long length) {
            gaps += length;
        }
    }

    /** Children started by the analyzer, in order. */
    public final List<Child> children = new ArrayList<>();
    /** Whether {@link #startChild} succeeds (false: as if the analyzer were not loaded). */
    public boolean childrenAvailable = true;

    @Override
    public io.picket.analyzer.spi.Analyzer startChild(String name) {
        if (!childrenAvailable) {
            return null;
        }
        Child c = new Child(name);
        children.add(c);
        return c;
    }
}
