package io.picket.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.log.format.LogBuffer;
import io.picket.sink.spool.DropCause;
import io.picket.sink.spool.Envelope;
import io.picket.sink.spool.EnvelopeEncoder;
import io.picket.sink.spool.SinkCounters;
import io.picket.sink.spool.SinkFormat;
import io.picket.sink.spool.SinkTestSupport;
import io.picket.sink.spool.SpooledSink;
import io.picket.sink.spool.TestCertificates;
import io.picket.sink.spool.TlsOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SyslogTransportTest {
    private static final Pattern MESSAGE = Pattern.compile(
            "<134>1 2020-06-05T14:39:59\\.\\d{6}Z testhost picket \\d+ conn "
                    + "\\[picket@32473 tenant=\"acme\" path=\"conn\" id=\"[0-9a-f]+-\\d+\"] \\{\"ts\":.*\\}");

    @Test
    void shouldEncodeRfc5424MessageWhenRecordHasTimeAndPath() {
        EnvelopeEncoder enc = new EnvelopeEncoder(SinkFormat.JSON, io.picket.log.format.JsonFormat.Timestamps.EPOCH);
        byte[] env = enc.encode(SinkTestSupport.conn(7));
        Envelope.stamp(env, 0xabcL, 42);
        Rfc5424Encoder r = new Rfc5424Encoder("ac\"me]", 16, 6, "host name", "picket", "picket@32473", 99);
        LogBuffer out = new LogBuffer();
        r.encode(new Envelope().wrap(env), out, 0);
        assertThat(out.toString()).isEqualTo("<134>1 2020-06-05T14:39:59.312988Z hostname picket 99 conn "
                + "[picket@32473 tenant=\"ac\\\"me\\]\" path=\"conn\" id=\"abc-42\"] "
                + "{\"ts\":1591367999.312988,\"uid\":\"C7\",\"seq\":7,\"note\":\"note \\\"quoted\\\" ] \\\\ é 7\"}");
        out.clear();
        r.encodeFramed(new Envelope().wrap(env), out, 0);
        assertThat(out.toString()).startsWith((out.length() - 4) + " <134>1 ");
    }

    @Test
    void shouldCutOnlyMsgAtCharacterBoundaryWhenMessageIsTooLong() {
        EnvelopeEncoder enc = new EnvelopeEncoder(SinkFormat.JSON, io.picket.log.format.JsonFormat.Timestamps.EPOCH);
        var rec = SinkTestSupport.conn(1).set("note", "é".repeat(400)); // 800 bytes of 2-byte characters
        byte[] env = enc.encode(rec);
        Rfc5424Encoder r = new Rfc5424Encoder("acme", 16, 6, "h", "picket", "picket@32473", 1);
        for (int max = 480; max < 490; max++) {
            LogBuffer out = new LogBuffer();
            int n = r.encode(new Envelope().wrap(env), out, max);
            assertThat(n).isBetween(max - 1, max);
            String s = out.toString();
            assertThat(s).doesNotContain("\uFFFD").contains("[picket@32473 tenant=\"acme\" path=\"conn\"");
        }
        assertThat(r.truncated()).isEqualTo(10);
    }

    @Test
    void shouldSendOneDatagramPerRecordWhenProtocolIsUdp() throws Exception {
        int n = 300;
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setReceiveBufferSize(4 << 20);
            rx.setSoTimeout(5000);
            SyslogSinkConfig c = SyslogSinkConfig.tcp(SinkTestSupport.fastOptions("udp"), "127.0.0.1", rx.getLocalPort())
                    .withProtocol(SyslogSinkConfig.Protocol.UDP, null, 480).withHostname("testhost");
            List<String> got = new ArrayList<>();
            try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("udp"),
                    new SyslogSinkProvider().open("acme", c))) {
                for (int i = 0; i < n; i++) {
                    var r = SinkTestSupport.conn(i);
                    if (i == 5) {
                        r.set("note", "x".repeat(1000));
                    }
                    sink.write("acme", r);
                }
                byte[] buf = new byte[65536];
                while (got.size() < n) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    rx.receive(p);
                    got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                }
            }
            assertThat(got.get(0)).matches(MESSAGE);
            assertThat(got.get(5)).hasSize(480).doesNotEndWith("}");
            assertThat(got).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(480));
            List<Long> seqs = got.stream().filter(m -> m.endsWith("}")).map(SinkTestSupport::seqOf).toList();
            assertThat(seqs).hasSize(n - 1).isSorted();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "tls"})
    void shouldDeliverEveryRecordInOrderWhenReceiverStopsAndRestartsMidRun(String protocol) throws Exception {
        SSLContext serverSsl = null;
        TlsOptions tls = null;
        if (protocol.equals("tls")) {
            TestCertificates certs = TestCertificates.get();
            serverSsl = certs.serverContext();
            tls = TlsOptions.trustingPem(certs.caPem);
        }
        int n = 30_000;
        try (SyslogReceiver rx = new SyslogReceiver(serverSsl).start(0)) {
            // the default replay window (2 s): a loaded machine notices a dead peer late, and what was
            // written to the socket before that is only recovered by the replay
            SyslogSinkConfig c = SyslogSinkConfig.tcp(SinkTestSupport.fastOptions("siem"), "127.0.0.1", rx.port())
                    .withProtocol(protocol.equals("tls") ? SyslogSinkConfig.Protocol.TLS : SyslogSinkConfig.Protocol.TCP, tls, 0)
                    .withHostname("testhost").withReplay(Duration.ofSeconds(2), 8L << 20);
            TcpSyslogTransport transport = (TcpSyslogTransport) new SyslogSinkProvider().open("acme", c);
            long start = System.nanoTime();
            long stoppedFor;
            long closeStart = 0;
            SinkCounters counters;
            try (SpooledSink sink = new SpooledSink("acme", c.options(), SinkTestSupport.tempDir("syslog-" + protocol), transport)) {
                Thread writer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < n; i++) {
                        sink.write("acme", SinkTestSupport.conn(i));
                        if (i % 500 == 499) {
                            try {
                                Thread.sleep(3);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                SinkTestSupport.await("a third received", Duration.ofSeconds(20), () -> rx.messages.size() >= n / 3);
                rx.stop();
                long stopAt = System.nanoTime();
                Thread.sleep(400); // the sink keeps accepting; records pile up in the spool
                long spooledWhileDown = sink.counters().spoolPending();
                rx.restart();
                stoppedFor = System.nanoTime() - stopAt;
                writer.join();
                SinkTestSupport.await("all delivered", Duration.ofSeconds(20), () -> sink.counters().delivered() == n);
                counters = sink.counters();
                closeStart = System.nanoTime();
                System.out.printf("syslog %s: %d sent, %d received, %d replayed + %d in failed writes, %d spooled while down %d ms, "
                        + "%d connects, %d retries, %d ms%n", protocol, n, rx.snapshot().size(), transport.replayed(),
                        transport.failedWrites(),
                        spooledWhileDown, stoppedFor / 1_000_000, transport.connects(), counters.retries(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf("sink close %d ms%n", (System.nanoTime() - closeStart) / 1_000_000);
            // "Delivered" means written to the socket; wait until the receiver has read it all.
            SinkTestSupport.await("receiver has every record", Duration.ofSeconds(20), () -> SinkTestSupport.check(
                    rx.snapshot().stream().map(SinkTestSupport::seqOf).toList()).unique() >= n);
            List<Long> seqs = new ArrayList<>();
            for (String m : rx.snapshot()) {
                seqs.add(SinkTestSupport.seqOf(m));
            }
            SinkTestSupport.OrderReport report = SinkTestSupport.check(seqs);
            assertThat(report.gaps()).as("records missing or out of order").isZero();
            assertThat(report.complete(n)).isTrue();
            System.out.printf("syslog %s: %d unique in order, %d duplicates, 0 gaps%n", protocol, report.unique(), report.duplicates());
            assertThat((long) report.duplicates()).isLessThanOrEqualTo(transport.duplicateBound());
            assertThat(counters.droppedTotal()).isZero();
            assertThat(counters.retries()).isPositive();
            assertThat(transport.connects()).isGreaterThanOrEqualTo(2);
            assertThat(rx.snapshot().getFirst()).matches(MESSAGE);
        }
    }

    @Test
    void shouldCountNothingDroppedWhenClosedWithReceiverDown() throws Exception {
        SyslogReceiver rx = new SyslogReceiver(null).start(0);
        rx.stop();
        SyslogSinkConfig c = SyslogSinkConfig.tcp(SinkTestSupport.fastOptions("siem").withCloseTimeout(Duration.ofMillis(100)),
                "127.0.0.1", rx.port());
        var dir = SinkTestSupport.tempDir("syslog-down");
        try (SpooledSink sink = new SpooledSink("acme", c.options(), dir, new SyslogSinkProvider().open("acme", c))) {
            for (int i = 0; i < 100; i++) {
                sink.write("acme", SinkTestSupport.conn(i));
            }
            SinkTestSupport.await("spooled", Duration.ofSeconds(5), () -> sink.counters().spoolPending() == 100);
            assertThat(sink.counters().dropped(DropCause.QUEUE_FULL)).isZero();
        }
        rx.restart();
        try (SpooledSink sink = new SpooledSink("acme", c.options(), dir, new SyslogSinkProvider().open("acme", c))) {
            SinkTestSupport.await("delivered after restart", Duration.ofSeconds(5), () -> rx.messages.size() == 100);
        } finally {
            rx.close();
        }
        assertThat(SinkTestSupport.check(rx.snapshot().stream().map(SinkTestSupport::seqOf).toList()).complete(100)).isTrue();
    }
}
