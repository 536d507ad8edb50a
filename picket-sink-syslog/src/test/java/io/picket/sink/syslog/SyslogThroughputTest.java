package io.picket.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.bench.EndToEndThroughput;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records per second from the first write to the last arrival at a syslog receiver on loopback,
 * through {@link io.picket.sink.spool.SpooledSink}; prints the figure next to the no-op baseline.
 * Asserts only that every record arrived.
 */
@Tag("benchmark")
class SyslogThroughputTest {
    private static final int N = Integer.getInteger("picket.bench.records", 50_000);

    @Test
    void shouldDeliverEveryRecordOverTcpWhenMeasuringThroughput() throws Exception {
        EndToEndThroughput.noop(N / 5, SinkTestSupport.tempDir("noop-warm"));
        EndToEndThroughput.Result base = EndToEndThroughput.noop(N, SinkTestSupport.tempDir("noop"));
        tcp(N / 5);
        EndToEndThroughput.Result r = tcp(N);
        System.out.println(EndToEndThroughput.line(r, base));
        assertThat(r.arrived()).isEqualTo(N);
        assertThat(r.dropped()).isZero();
    }

    @Test
    void shouldDeliverEveryRecordOverUdpWhenMeasuringThroughput() throws Exception {
        EndToEndThroughput.noop(N / 5, SinkTestSupport.tempDir("noop-warm"));
        EndToEndThroughput.Result base = EndToEndThroughput.noop(N, SinkTestSupport.tempDir("noop"));
        udp(N / 5);
        long[] received = new long[1];
        EndToEndThroughput.Result r = udp(N, received);
        System.out.println(EndToEndThroughput.line(r, base));
        // UDP may lose datagrams when the reader falls behind (a loaded machine): every record must
        // have been handed to the kernel; what the receiver got is reported, not required
        System.out.printf("syslog UDP: %d of %d datagrams received (%d lost on loopback)%n", received[0], N,
                N - received[0]);
        assertThat(r.arrived()).as("datagrams sent").isEqualTo(N);
        assertThat(r.dropped()).isZero();
        assertThat(received[0]).isPositive();
    }

    private static EndToEndThroughput.Result tcp(int n) throws IOException {
        try (SyslogReceiver rx = new SyslogReceiver(null).start(0)) {
            SyslogSinkConfig c = SyslogSinkConfig.tcp(EndToEndThroughput.options("syslog-tcp", n), "127.0.0.1", rx.port())
                    .withHostname("benchhost");
            return EndToEndThroughput.run("syslog TCP (octet counting)", n, c.options(),
                    SinkTestSupport.tempDir("syslog-tcp"), new SyslogSinkProvider().open(EndToEndThroughput.TENANT, c),
                    rx.messages::size, Duration.ofSeconds(20));
        }
    }

    private static EndToEndThroughput.Result udp(int n) throws Exception {
        return udp(n, new long[1]);
    }

    /** Completion is the last datagram sent; {@code received[0]} gets what the receiver counted. */
    private static EndToEndThroughput.Result udp(int n, long[] received) throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setReceiveBufferSize(4 << 20);
            AtomicLong got = new AtomicLong();
            Thread reader = Thread.ofPlatform().name("test-syslog-udp").start(() -> {
                byte[] buf = new byte[65536];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        rx.receive(p);
                        got.incrementAndGet();
                    }
                } catch (SocketException e) {
                    // closed at the end
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            SyslogSinkConfig c = SyslogSinkConfig.tcp(EndToEndThroughput.options("syslog-udp", n), "127.0.0.1", rx.getLocalPort())
                    .withProtocol(SyslogSinkConfig.Protocol.UDP, null, 8192).withHostname("benchhost");
            UdpSyslogTransport t = (UdpSyslogTransport) new SyslogSinkProvider().open(EndToEndThroughput.TENANT, c);
            EndToEndThroughput.Result r = EndToEndThroughput.run("syslog UDP", n, c.options(),
                    SinkTestSupport.tempDir("syslog-udp"), t, t::sent, Duration.ofSeconds(20));
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (got.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            received[0] = got.get();
            rx.close();
            reader.join();
            return r;
        }
    }
}
