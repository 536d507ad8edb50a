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
 * The SSH analyzer alone (its provider's analyzer on {@link AnalyzerBench.Context}, no engine) on
 * the steady path of an SSH-2 session after key exchange: banners, KEXINITs, a curve25519
 * exchange and both NEWKEYS in the setup, then the encrypted SERVICE_ACCEPT and a USERAUTH_SUCCESS
 * 16 bytes smaller (Zeek's size heuristic decides "authenticated", ssh.log is written). Each
 * operation then delivers one {@value AnalyzerBench#SEGMENT}-byte encrypted segment, alternating
 * server and client.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class SshAnalyzerBenchmark {

    private static final String KEX = "curve25519-sha256";
    private static final String HOST_KEYS = "ssh-ed25519";
    private static final String CIPHERS = "aes128-ctr";
    private static final String MACS = "hmac-sha2-256";

    AnalyzerBench.Context ctx;
    Analyzer analyzer;
    private AnalyzerBench.Stream server;
    private AnalyzerBench.Stream client;
    private boolean fromServer;

    @Setup
    public void setup() {
        ctx = new AnalyzerBench.Context("10.0.0.5", 50125, "198.51.100.22", 22, "tcp");
        analyzer = AnalyzerBench.provider("ssh").newAnalyzer(ctx);
        AnalyzerBench.send(analyzer, true, AnalyzerBench.ascii("SSH-2.0-OpenSSH_9.6\r\n"));
        AnalyzerBench.send(analyzer, false, AnalyzerBench.ascii("SSH-2.0-OpenSSH_9.3\r\n"));
        AnalyzerBench.send(analyzer, true, kexinit());
        AnalyzerBench.send(analyzer, false, kexinit());
        AnalyzerBench.send(analyzer, true, packet(30, string(AnalyzerBench.noise(32, 5))));   // KEX_ECDH_INIT
        byte[] hostKey = AnalyzerBench.concat(string(AnalyzerBench.ascii(HOST_KEYS)),
                string(AnalyzerBench.noise(32, 6)));
        AnalyzerBench.send(analyzer, false, packet(31, AnalyzerBench.concat(string(hostKey),   // KEX_ECDH_REPLY
                string(AnalyzerBench.noise(32, 7)), string(AnalyzerBench.noise(83, 8)))));
        AnalyzerBench.send(analyzer, true, packet(21, new byte[0]));   // NEWKEYS
        AnalyzerBench.send(analyzer, false, packet(21, new byte[0]));
        AnalyzerBench.send(analyzer, true, AnalyzerBench.noise(64, 9));    // SERVICE_REQUEST
        AnalyzerBench.send(analyzer, false, AnalyzerBench.noise(64, 10));  // SERVICE_ACCEPT
        AnalyzerBench.send(analyzer, true, AnalyzerBench.noise(96, 11));   // USERAUTH_REQUEST
        AnalyzerBench.send(analyzer, false, AnalyzerBench.noise(48, 12));  // USERAUTH_SUCCESS
        server = new AnalyzerBench.Stream(AnalyzerBench.noise(64 * AnalyzerBench.SEGMENT, 13));
        client = new AnalyzerBench.Stream(AnalyzerBench.noise(64 * AnalyzerBench.SEGMENT, 14));
        for (int i = 0; i < 128; i++) {
            encryptedSegment();
        }
    }

    /** One encrypted segment, from the server and the client in turn. */
    @Benchmark
    public int encryptedSegment() {
        fromServer = !fromServer;
        return fromServer ? server.next(analyzer, false) : client.next(analyzer, true);
    }

    /** An SSH-2 binary packet: length, padding length, type, payload, padding to a multiple of 8. */
    static byte[] packet(int type, byte[] payload) {
        int unpadded = 4 + 1 + 1 + payload.length;
        int pad = 8 - unpadded % 8;
        if (pad < 4) {
            pad += 8;
        }
        int packetLength = 1 + 1 + payload.length + pad;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u32(packetLength));
        b.write(pad);
        b.write(type);
        b.writeBytes(payload);
        b.writeBytes(new byte[pad]);
        return b.toByteArray();
    }

    static byte[] kexinit() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(AnalyzerBench.noise(16, 4));   // cookie
        for (String list : new String[] {KEX, HOST_KEYS, CIPHERS, CIPHERS, MACS, MACS, "none", "none", "", ""}) {
            b.writeBytes(string(AnalyzerBench.ascii(list)));
        }
        b.write(0);                                 // first_kex_packet_follows
        b.writeBytes(u32(0));                       // reserved
        return packet(20, b.toByteArray());
    }

    static byte[] string(byte[] value) {
        return AnalyzerBench.concat(u32(value.length), value);
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    long records() {
        return ctx.records;
    }
}
