package io.picket.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.flow.Connection;
import io.picket.log.LogSchema;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The analyzer stage gets exactly the reassembled streams, port- and payload-activated. */
class StreamDeliveryTest {

    /** Records every byte it is given; confirms on the first data. */
    static final class Recorder implements Analyzer {
        final AnalyzerContext ctx;
        final ByteArrayOutputStream orig = new ByteArrayOutputStream();
        final ByteArrayOutputStream resp = new ByteArrayOutputStream();
        long gaps;
        int ends;
        boolean done;

        Recorder(AnalyzerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            byte[] b = new byte[length];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b, 0, length);
            (isOrig ? orig : resp).writeBytes(b);
            ctx.confirm();
        }

        @Override
        public void onDatagram(boolean isOrig, MemorySegment data, long offset, int length) {
            onStream(isOrig, data, offset, length);
        }

        @Override
        public void onGap(boolean isOrig, long length) {
            gaps += length;
        }

        @Override
        public void onEndOfStream(boolean isOrig) {
            ends++;
        }

        @Override
        public void onConnectionDone() {
            done = true;
        }
    }

    static final class Provider implements AnalyzerProvider {
        final String name;
        final Set<Integer> tcpPorts;
        final String prefix;
        final Map<String, Recorder> byUid = new HashMap<>();

        Provider(String name, Set<Integer> tcpPorts, String prefix) {
            this.name = name;
            this.tcpPorts = tcpPorts;
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean tcp() {
            return true;
        }

        @Override
        public boolean udp() {
            return true;
        }

        @Override
        public Set<Integer> tcpPorts() {
            return tcpPorts;
        }

        @Override
        public Set<Integer> udpPorts() {
            return Set.of(53);
        }

        @Override
        public Detector newDetector() {
            if (prefix == null) {
                return null;
            }
            byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
            return (isOrig, data, offset, length, streamOffset) -> {
                if (!isOrig || streamOffset != 0 || length < p.length) {
                    return Detector.NEED_MORE;
                }
                for (int i = 0; i < p.length; i++) {
                    if (data.get(ValueLayout.JAVA_BYTE, offset + i) != p[i]) {
                        return Detector.NO_MATCH;
                    }
                }
                return Detector.MATCH;
            };
        }

        @Override
        public Analyzer newAnalyzer(AnalyzerContext ctx) {
            Recorder r = new Recorder(ctx);
            byUid.put(ctx.uid(), r);
            return r;
        }

        @Override
        public List<LogSchema> logs() {
            return List.of();
        }
    }

    private static List<Connection> run(Path trace, AnalyzerRegistry registry) throws Exception {
        return TraceRun.run(trace, registry, p -> p == 80 || p == 22, p -> p == 53, true, null, null);
    }

    private static Path trace(String name) throws Exception {
        return Path.of(StreamDeliveryTest.class.getResource("/zeek/" + name + "/trace.pcap").toURI());
    }

    @Test
    void shouldDeliverEveryStreamByteWhenTheAnalyzerIsRegisteredForThePort() throws Exception {
        Provider http = new Provider("test", Set.of(80), null);
        List<Connection> conns = run(trace("wikipedia-default"), AnalyzerRegistry.of(List.of(http)));
        int checked = 0;
        for (Connection c : conns) {
            if (c.transport() != Connection.TRANSPORT_TCP || c.respPort() != 80) {
                continue;
            }
            Recorder r = http.byUid.get(c.uid());
            assertThat(r).as(c.uid()).isNotNull();
            assertThat(r.done).isTrue();
            if (r.gaps == 0) {
                assertThat((long) r.orig.size()).as("orig " + c.uid()).isEqualTo(c.tcp().orig().size());
                assertThat((long) r.resp.size()).as("resp " + c.uid()).isEqualTo(c.tcp().resp().size());
                checked++;
            }
            if (r.orig.size() > 0) {
                assertThat(r.orig.toString(StandardCharsets.ISO_8859_1)).startsWith("GET ");
                assertThat(c.services()).containsExactly("test");
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void shouldReplayTheBeginningWhenTheDetectorRecognisesThePayload() throws Exception {
        Provider byPayload = new Provider("payload", Set.of(), "GET ");
        Provider byPort = new Provider("port", Set.of(80), null);
        run(trace("wikipedia-default"), AnalyzerRegistry.of(List.of(byPayload, byPort)));
        assertThat(byPayload.byUid).isNotEmpty();
        for (Map.Entry<String, Recorder> e : byPayload.byUid.entrySet()) {
            Recorder viaPort = byPort.byUid.get(e.getKey());
            assertThat(e.getValue().orig.toByteArray()).isEqualTo(viaPort.orig.toByteArray());
            assertThat(e.getValue().resp.toByteArray()).isEqualTo(viaPort.resp.toByteArray());
        }
    }

    @Test
    void shouldDeliverDatagramsToUdpAnalyzers() throws Exception {
        Provider dns = new Provider("dnsish", Set.of(), null);
        List<Connection> conns = run(trace("wikipedia-default"), AnalyzerRegistry.of(List.of(dns)));
        long udp53 = conns.stream().filter(c -> c.transport() == Connection.TRANSPORT_UDP && c.respPort() == 53)
                .count();
        assertThat(dns.byUid).hasSize((int) udp53);
        assertThat(udp53).isGreaterThan(5);
    }
}
