package io.picket.bench;

import io.picket.analyzer.spi.Analyzer;
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
 * The HTTP analyzer alone (its provider's analyzer on {@link AnalyzerBench.Context}, no engine)
 * on the steady path of a long download: after a GET and a 200 response header announcing a
 * 1 TB body, each operation delivers one {@value AnalyzerBench#SEGMENT}-byte segment of that body
 * (body accounting, the file's bytes seen; the MIME type was sniffed from the first bytes in the
 * setup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class HttpAnalyzerBenchmark {

    static final byte[] REQUEST = AnalyzerBench.ascii(
            "GET /images/big.iso HTTP/1.1\r\nHost: example.com\r\nUser-Agent: bench/1.0\r\n\r\n");
    static final byte[] RESPONSE_HEADER = AnalyzerBench.ascii(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000000000000\r\n\r\n");

    AnalyzerBench.Context ctx;
    Analyzer analyzer;
    private AnalyzerBench.Stream body;

    @Setup
    public void setup() {
        ctx = new AnalyzerBench.Context("10.0.0.5", 50123, "93.184.216.34", 80, "tcp");
        analyzer = AnalyzerBench.provider("http").newAnalyzer(ctx);
        AnalyzerBench.send(analyzer, true, REQUEST);
        AnalyzerBench.send(analyzer, false, RESPONSE_HEADER);
        body = new AnalyzerBench.Stream(AnalyzerBench.noise(64 * AnalyzerBench.SEGMENT, 7));
        for (int i = 0; i < 64; i++) {
            bodySegment();
        }
    }

    /** One segment of the response body. */
    @Benchmark
    public int bodySegment() {
        return body.next(analyzer, false);
    }
}
