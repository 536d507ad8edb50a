package io.picket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each analyzer alone (the per-analyzer benchmarks' setups: provider, minimal context, no engine)
 * allocates nothing per packet on its steady path: HTTP body segments of a long response, TLS
 * application-data segments after the handshake, SSH encrypted segments after key exchange and
 * authentication, and the parse of a DNS reply. Each runs {@value #PACKETS} operations after
 * {@value #WARMUP} of warm-up, measured with the thread's allocation counter over {@value #ROUNDS}
 * rounds; the quietest round counts. A one-off event of the JIT or the runtime (a deoptimisation,
 * an OSR compile, measured once at 7.9 KB) lands in one round; a per-packet allocation would be in
 * every round and at least {@value #PACKETS} times 16 bytes, far above the bound of
 * {@value #MAX_BYTES} bytes.
 *
 * <p>A DNS query/reply pair that writes a dns.log row does allocate (the row's state and record):
 * its bytes per transaction are measured and bounded, so a growth shows.
 */
class AnalyzerAllocationTest {
    private static final int WARMUP = 100_000;
    private static final int PACKETS = 100_000;
    private static final int ROUNDS = 3;
    private static final long MAX_BYTES = 1024;
    /** Bound of the bytes one logged DNS transaction allocates (measured 1.2 KB, 2026-11-26). */
    private static final long MAX_BYTES_PER_DNS_ROW = 2048;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void shouldCountThisThreadsAllocations() {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void shouldNotAllocateWhenHttpBodySegmentsArrive() {
        HttpAnalyzerBenchmark b = new HttpAnalyzerBenchmark();
        b.setup();
        long bytes = measure("http body segment", b::bodySegment);
        assertThat(b.ctx.violations).isZero();
        assertThat(b.ctx.weirds).isZero();
        b.analyzer.onConnectionDone();
        assertThat(((Number) b.ctx.last.get("response_body_len")).longValue())
                .as("every segment counted as body").isGreaterThan((long) (WARMUP + ROUNDS * PACKETS) * 1000);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenTlsApplicationDataArrives() {
        SslAnalyzerBenchmark b = new SslAnalyzerBenchmark();
        b.setup();
        long bytes = measure("tls application data segment", b::serverSegment);
        assertThat(b.ctx.violations).isZero();
        assertThat(b.ctx.weirds).isZero();
        assertThat(b.ctx.confirmations).isPositive();
        b.analyzer.onConnectionDone();
        assertThat(b.ctx.last.get("server_name")).as("ssl.log of the handshake").isNotNull();
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenSshEncryptedSegmentsArrive() {
        SshAnalyzerBenchmark b = new SshAnalyzerBenchmark();
        b.setup();
        assertThat(b.records()).as("ssh.log written once authentication succeeded").isEqualTo(1);
        long bytes = measure("ssh encrypted segment", b::encryptedSegment);
        assertThat(b.ctx.violations).isZero();
        assertThat(b.records()).isEqualTo(1);
        assertThat(b.ctx.last.get("auth_success")).isEqualTo(Boolean.TRUE);
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldNotAllocateWhenParsingDnsReply() {
        DnsAnalyzerBenchmark b = new DnsAnalyzerBenchmark();
        b.setup();
        long bytes = measure("dns reply parse", b::replyParse);
        assertThat(b.netbiosCtx.weirds).isZero();
        assertThat(b.netbiosCtx.records).isZero();
        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldBoundAllocationPerRowWhenLoggingDnsTransactions() {
        DnsAnalyzerBenchmark b = new DnsAnalyzerBenchmark();
        b.setup();
        long rows = b.ctx.records;
        long bytes = measure("dns query+reply with dns.log row", b::queryReply);
        assertThat(b.ctx.records - rows).isEqualTo(WARMUP + (long) ROUNDS * PACKETS);
        assertThat(b.ctx.weirds).isZero();
        assertThat(bytes / PACKETS).isLessThanOrEqualTo(MAX_BYTES_PER_DNS_ROW);
    }

    private static long measure(String what, Runnable op) {
        for (int i = 0; i < WARMUP; i++) {
            op.run();
        }
        long quietest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = allocated();
            for (int i = 0; i < PACKETS; i++) {
                op.run();
            }
            long bytes = allocated() - before;
            System.out.printf("%s: %d bytes for %d operations (%.3f B/op)%n", what, bytes, PACKETS,
                    (double) bytes / PACKETS);
            quietest = Math.min(quietest, bytes);
        }
        return quietest;
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
