package io.picket.bench;

import io.picket.analyzer.spi.Analyzer;
import java.io.ByteArrayOutputStream;
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
 * The SSL analyzer alone (its provider's analyzer on {@link AnalyzerBench.Context}, no engine) on
 * the steady path of a TLS 1.2 connection after its handshake: ClientHello, ServerHello and both
 * ChangeCipherSpecs in the setup, then each operation delivers one
 * {@value AnalyzerBench#SEGMENT}-byte segment of the server's stream of 16 KiB application-data
 * records (record headers crossing segment boundaries as they do on the wire).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class SslAnalyzerBenchmark {

    /** Payload bytes of each application-data record (the TLS maximum). */
    static final int RECORD = 16384;

    AnalyzerBench.Context ctx;
    Analyzer analyzer;
    private AnalyzerBench.Stream records;

    @Setup
    public void setup() {
        ctx = new AnalyzerBench.Context("10.0.0.5", 50124, "93.184.216.34", 443, "tcp");
        analyzer = AnalyzerBench.provider("ssl").newAnalyzer(ctx);
        AnalyzerBench.send(analyzer, true, clientHello());
        AnalyzerBench.send(analyzer, false, serverHello());
        AnalyzerBench.send(analyzer, false, changeCipherSpec());
        AnalyzerBench.send(analyzer, true, changeCipherSpec());
        AnalyzerBench.send(analyzer, true, record(22, AnalyzerBench.noise(40, 3)));   // encrypted Finished
        AnalyzerBench.send(analyzer, false, record(22, AnalyzerBench.noise(40, 4)));
        // 53 records; the last slice is shorter, so every cycle restarts on a record boundary
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 53; i++) {
            all.writeBytes(record(23, AnalyzerBench.noise(RECORD, 11 + i)));
        }
        records = new AnalyzerBench.Stream(all.toByteArray());
        for (int i = 0; i < 700; i++) {
            serverSegment();
        }
    }

    /** One segment of the server's application data. */
    @Benchmark
    public int serverSegment() {
        return records.next(analyzer, false);
    }

    /** A TLS record: content type, version 1.2, length, payload. */
    static byte[] record(int type, byte[] payload) {
        byte[] r = new byte[5 + payload.length];
        r[0] = (byte) type;
        r[1] = 3;                                   // version 3.3 (TLS 1.2)
        r[2] = 3;
        r[3] = (byte) (payload.length >>> 8);       // length
        r[4] = (byte) payload.length;
        System.arraycopy(payload, 0, r, 5, payload.length);
        return r;
    }

    private static byte[] handshake(int type, byte[] body) {
        byte[] h = new byte[4 + body.length];
        h[0] = (byte) type;                         // msg_type
        h[1] = (byte) (body.length >>> 16);         // length (24 bits)
        h[2] = (byte) (body.length >>> 8);
        h[3] = (byte) body.length;
        System.arraycopy(body, 0, h, 4, body.length);
        return h;
    }

    static byte[] clientHello() {
        byte[] sni = AnalyzerBench.ascii("example.com");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(3);                                 // client_version 3.3
        b.write(3);
        b.writeBytes(AnalyzerBench.noise(32, 1));   // random
        b.write(0);                                 // session_id length
        b.writeBytes(new byte[] {0, 4, (byte) 0xc0, 0x2f, (byte) 0xc0, 0x30});   // cipher_suites
        b.writeBytes(new byte[] {1, 0});            // compression_methods: null
        int sniLen = sni.length;
        int extLen = 4 + 2 + 1 + 2 + sniLen;        // server_name extension
        b.write(0);                                 // extensions length
        b.write(extLen);
        b.writeBytes(new byte[] {0, 0, 0, (byte) (2 + 1 + 2 + sniLen)});   // type server_name, length
        b.writeBytes(new byte[] {0, (byte) (1 + 2 + sniLen), 0, 0, (byte) sniLen});   // list, host_name
        b.writeBytes(sni);
        return record(22, handshake(1, b.toByteArray()));
    }

    static byte[] serverHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(3);                                 // server_version 3.3
        b.write(3);
        b.writeBytes(AnalyzerBench.noise(32, 2));   // random
        b.write(0);                                 // session_id length
        b.writeBytes(new byte[] {(byte) 0xc0, 0x2f});   // cipher_suite
        b.write(0);                                 // compression_method
        return record(22, handshake(2, b.toByteArray()));
    }

    static byte[] changeCipherSpec() {
        return record(20, new byte[] {1});
    }
}
