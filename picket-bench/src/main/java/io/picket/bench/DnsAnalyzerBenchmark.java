package io.picket.bench;

import io.picket.analyzer.spi.Analyzer;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The DNS analyzer alone (its provider's analyzer on {@link AnalyzerBench.Context}, no engine),
 * one UDP message per datagram, in two measurements that separate parsing from logging:
 *
 * <ul>
 *   <li>{@link #replyParse}: a reply with four answer records (names with compression pointers,
 *       A records formatted as text) whose opcode main.zeek does not track (a NetBIOS refresh on
 *       port 137): header, questions and every resource record are parsed exactly as for a
 *       tracked reply, but no dns.log row is kept or written;</li>
 *   <li>{@link #queryReply}: a query and its reply on port 53 (the same four answers): both
 *       parsed, paired by transaction id, and one dns.log row written per operation. The row
 *       (its {@code DNS::Info}, the copied query name, the answer strings and the record) is
 *       allocated per transaction by design.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class DnsAnalyzerBenchmark {

    private static final int OP_QUERY = 0;
    private static final int OP_NETBIOS_REFRESH = 8;

    AnalyzerBench.Context netbiosCtx;
    Analyzer netbios;
    AnalyzerBench.Context ctx;
    Analyzer dns;
    private MemorySegment untrackedReply;
    private int untrackedReplyLength;
    private MemorySegment query;
    private int queryLength;
    private MemorySegment reply;
    private int replyLength;

    @Setup
    public void setup() {
        netbiosCtx = new AnalyzerBench.Context("10.0.0.5", 137, "10.0.0.255", 137, "udp");
        netbios = AnalyzerBench.provider("dns").newAnalyzer(netbiosCtx);
        ctx = new AnalyzerBench.Context("10.0.0.5", 53124, "10.0.0.53", 53, "udp");
        dns = AnalyzerBench.provider("dns").newAnalyzer(ctx);
        byte[] u = reply(0x1234, OP_NETBIOS_REFRESH, false);
        untrackedReply = MemorySegment.ofArray(u);
        untrackedReplyLength = u.length;
        byte[] q = query(0x4321);
        query = MemorySegment.ofArray(q);
        queryLength = q.length;
        byte[] r = reply(0x4321, OP_QUERY, true);
        reply = MemorySegment.ofArray(r);
        replyLength = r.length;
        for (int i = 0; i < 10_000; i++) {
            replyParse();
            queryReply();
        }
    }

    /** One reply parsed, no row (untracked opcode). */
    @Benchmark
    public void replyParse() {
        netbios.onDatagram(false, untrackedReply, 0, untrackedReplyLength);
    }

    /** One query and its reply parsed and paired, one dns.log row written. */
    @Benchmark
    public void queryReply() {
        ctx.now += 0.001;
        dns.onDatagram(true, query, 0, queryLength);
        ctx.now += 0.001;
        dns.onDatagram(false, reply, 0, replyLength);
    }

    static byte[] query(int id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header(id, 0x0100, 1, 0));     // RD
        b.writeBytes(NAME);                         // question: www.example.com A IN
        b.writeBytes(new byte[] {0, 1, 0, 1});
        return b.toByteArray();
    }

    /**
     * A reply with four A records: with the question (offset 12 holds the name, answers point to
     * it) or without (the first answer spells the name, the others point to it).
     */
    static byte[] reply(int id, int opcode, boolean withQuestion) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header(id, 0x8000 | opcode << 11 | 0x0400 | 0x0100 | 0x0080, withQuestion ? 1 : 0, 4));
        if (withQuestion) {
            b.writeBytes(NAME);
            b.writeBytes(new byte[] {0, 1, 0, 1});
        }
        for (int i = 0; i < 4; i++) {
            if (i == 0 && !withQuestion) {
                b.writeBytes(NAME);
            } else {
                b.writeBytes(new byte[] {(byte) 0xc0, 12});   // pointer to the name at offset 12
            }
            b.writeBytes(new byte[] {0, 1, 0, 1});          // type A, class IN
            b.writeBytes(new byte[] {0, 0, 0x0e, 0x10});    // TTL 3600
            b.writeBytes(new byte[] {0, 4, 93, (byte) 184, (byte) 216, (byte) (34 + i)});   // rdlength, address
        }
        return b.toByteArray();
    }

    private static final byte[] NAME = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};

    private static byte[] header(int id, int flags, int qd, int an) {
        return new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags,
            0, (byte) qd, 0, (byte) an, 0, 0, 0, 0};
    }
}
