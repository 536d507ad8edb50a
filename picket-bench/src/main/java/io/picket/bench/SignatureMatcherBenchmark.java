package io.picket.bench;

import io.picket.policy.Limits;
import io.picket.policy.PolicyException;
import io.picket.policy.SourceFile;
import io.picket.policy.signature.ConnectionFacts;
import io.picket.policy.signature.ConnectionMatcher;
import io.picket.policy.signature.MatchListener;
import io.picket.policy.signature.SignatureSet;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signature content matching per payload byte: a new {@link ConnectionMatcher} of a TCP
 * connection is fed the payload depth (1024 bytes) as eight 128-byte stream segments of the
 * originator, against a bundle of {@code signatures} signatures of the isolation benchmark's kind
 * ({@code ip-proto == tcp}, {@code payload /.*(a+)+tt.../} and the like). The payload is text
 * rich in {@code a} and {@code t}, and every tenth signature matches it once, so the automata
 * do not die early. One operation is one payload byte.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class SignatureMatcherBenchmark {
    /** Bytes fed per connection: the default payload depth. */
    public static final int BYTES = 1024;
    private static final int CHUNK = 128;
    private static final String[] TEMPLATES = {".*(a+)+tt%s", ".*(a|aa)*tt%s", ".*([a-z]+)*tt%s", ".*(t|tt)+%s",
        ".*(.*a){3}tt%s", ".*((at)|(a)|(t))+%s"};
    private static final ConnectionFacts FACTS = ConnectionFacts.of(6, "10.0.0.1", 40000, "10.0.0.2", 80);

    @Param({"1", "30", "300"})
    public int signatures;

    private SignatureSet set;
    private MemorySegment payload;
    private final Counter listener = new Counter();

    /** Counts matches (so that the work is not dead code). */
    static final class Counter implements MatchListener {
        long matches;

        @Override
        public void onMatch(String id, String msg, boolean isOrig, byte[] data, int off, int len) {
            matches++;
        }
    }

    /** The bundle of the isolation benchmark's shape with {@code n} signatures. */
    public static String bundle(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String tail = i % 10 == 0 ? "ack" : "ackZ" + i;
            sb.append("signature patho-").append(i).append(" {\n  ip-proto == tcp\n  payload /")
                    .append(String.format(Locale.ROOT, TEMPLATES[i % TEMPLATES.length], tail))
                    .append("/\n  event \"pathological ").append(i).append("\"\n}\n");
        }
        return sb.toString();
    }

    @Setup
    public void setup() throws PolicyException {
        set = SignatureSet.compile(List.of(SourceFile.of("patho.sig", bundle(signatures))), Limits.DEFAULT);
        byte[] b = new byte[BYTES];
        Random rnd = new Random(11);
        String alphabet = "aaattt ackbxyz/=&?.";
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        byte[] hit = "tattack".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(hit, 0, b, 600, hit.length);
        payload = MemorySegment.ofArray(b);
    }

    /** One connection's payload depth; returns the matches so far. */
    @Benchmark
    @OperationsPerInvocation(BYTES)
    public long connection() {
        ConnectionMatcher m = set.newConnectionMatcher(FACTS, listener);
        for (int off = 0; off < BYTES; off += CHUNK) {
            m.onStream(true, payload, off, CHUNK);
        }
        return listener.matches;
    }

    /** Replaces the payload by one without {@code c} and {@code k}, so that no signature matches (for tests). */
    void quiet() {
        byte[] b = payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 'c' || b[i] == 'k') {
                b[i] = 'a';
            }
        }
        payload = MemorySegment.ofArray(b);
    }
}
