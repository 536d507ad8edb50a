package io.picket.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.analyzer.spi.Detector;
import io.picket.flow.Connection;
import io.picket.log.LogRecord;
import io.picket.log.LogSchema;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The engine's nested analysis contract ({@code childDetection}, {@code startChild},
 * {@code connectionState}, {@code registerTunnel}) on Zeek's SOCKS trace: an outer analyzer on
 * the proxy port hands every byte to a child detection and to a named child.
 */
class NestedAnalysisTest {

    /** A provider of test analyzers made by {@code make}; detected by a first byte when {@code first >= 0}. */
    record Provider(String name, Set<Integer> ports, int first, Function<AnalyzerContext, Analyzer> make)
            implements AnalyzerProvider {
        @Override
        public boolean tcp() {
            return true;
        }

        @Override
        public boolean udp() {
            return false;
        }

        @Override
        public Set<Integer> tcpPorts() {
            return ports;
        }

        @Override
        public Set<Integer> udpPorts() {
            return Set.of();
        }

        @Override
        public Detector newDetector() {
            if (first < 0) {
                return null;
            }
            return (isOrig, data, offset, length, streamOffset) -> streamOffset == 0 && length > 0
                    ? (data.get(ValueLayout.JAVA_BYTE, offset) == (byte) first ? Detector.MATCH : Detector.NO_MATCH)
                    : Detector.NEED_MORE;
        }

        @Override
        public Analyzer newAnalyzer(AnalyzerContext context) {
            return make.apply(context);
        }

        @Override
        public List<LogSchema> logs() {
            return List.of();
        }
    }

    /**
     * Forwards every chunk after the SOCKS handshake (those not starting with version byte 5) to a
     * child detection and a named child; registers a tunnel twice.
     */
    static final class Outer implements Analyzer {
        final AnalyzerContext ctx;
        final Analyzer child;
        final Analyzer named;
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Outer(AnalyzerContext ctx) {
            this.ctx = ctx;
            this.child = ctx.childDetection();
            this.named = ctx.startChild("named");
            ctx.connectionState().put("outer", ctx.uid());
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            ctx.confirm();
            ctx.registerTunnel("Tunnel::TEST");
            ctx.registerTunnel("Tunnel::TEST");
            if (data.get(ValueLayout.JAVA_BYTE, offset) == 5) {
                return;
            }
            seen.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            child.onStream(isOrig, data, offset, length);
            named.onStream(isOrig, data, offset, length);
        }

        @Override
        public void onConnectionDone() {
            child.onConnectionDone();
            named.onConnectionDone();
        }
    }

    /** Records what it gets and the shared state it sees; optionally violates on the first data. */
    static final class Inner implements Analyzer {
        final AnalyzerContext ctx;
        final boolean violate;
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int deliveries;
        Object sharedOuter;
        boolean done;

        Inner(AnalyzerContext ctx, boolean violate) {
            this.ctx = ctx;
            this.violate = violate;
            this.sharedOuter = ctx.connectionState().get("outer");
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            deliveries++;
            seen.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            ctx.confirm();
            if (violate) {
                ctx.violation("test");
            }
        }

        @Override
        public void onConnectionDone() {
            done = true;
        }
    }

    @Test
    void shouldFeedChildDetectionAndNamedChildOnTheSameConnectionWhenOuterForwards() throws Exception {
        Map<String, Outer> outers = new HashMap<>();
        Map<String, Inner> detected = new HashMap<>();
        Map<String, Inner> named = new HashMap<>();
        List<LogRecord> logged = new ArrayList<>();
        AnalyzerRegistry registry = AnalyzerRegistry.of(List.of(
                new Provider("outer", Set.of(8124), -1, c -> outers.computeIfAbsent(c.uid(), u -> new Outer(c))),
                // "GET": the tunnelled stream's first byte, so detected inside the child detection only
                new Provider("inner", Set.of(), 'G', c -> detected.computeIfAbsent(c.uid(), u -> new Inner(c, false))),
                new Provider("named", Set.of(), -1, c -> named.computeIfAbsent(c.uid(), u -> new Inner(c, true)))));
        List<Connection> conns = run(registry, logged);

        Connection socks = conns.stream().filter(c -> outers.containsKey(c.uid())
                && outers.get(c.uid()).seen.size() > 0).findFirst().orElseThrow();
        Outer outer = outers.get(socks.uid());
        Inner inner = detected.get(socks.uid());
        assertThat(inner).isNotNull();
        assertThat(inner.seen.toByteArray()).isEqualTo(outer.seen.toByteArray());
        assertThat(inner.sharedOuter).isEqualTo(socks.uid());
        assertThat(inner.done).isTrue();
        // the named child violated on its first data: delivery stopped, its service went
        assertThat(named.get(socks.uid()).deliveries).isEqualTo(1);
        assertThat(socks.services()).containsExactly("outer", "inner");
        // seven connections from one client to the proxy, registered twice each: one DISCOVER
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst().schema().path()).isEqualTo("tunnel");
    }

    private static List<Connection> run(AnalyzerRegistry registry, List<LogRecord> logged) throws Exception {
        Path trace = Path.of(NestedAnalysisTest.class.getResource("/traces/socks.pcap").toURI());
        return TraceRun.run(trace, registry, p -> p == 8124, p -> false, false, logged, null);
    }
}
