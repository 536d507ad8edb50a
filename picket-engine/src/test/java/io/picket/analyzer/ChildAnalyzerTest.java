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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AnalyzerContext.startChild: a parent hands the rest of the stream to a child analyzer. */
class ChildAnalyzerTest {

    /** Port 80; confirms, then hands everything after the first originator segment to {@code childName}. */
    static final class Parent implements AnalyzerProvider {
        final String childName;
        final Map<String, Handing> byUid = new HashMap<>();

        Parent(String childName) {
            this.childName = childName;
        }

        @Override
        public String name() {
            return "parent";
        }

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
            return Set.of(80);
        }

        @Override
        public Set<Integer> udpPorts() {
            return Set.of();
        }

        @Override
        public Detector newDetector() {
            return null;
        }

        @Override
        public Analyzer newAnalyzer(AnalyzerContext ctx) {
            Handing h = new Handing(ctx, childName);
            byUid.put(ctx.uid(), h);
            return h;
        }

        @Override
        public List<LogSchema> logs() {
            return List.of();
        }
    }

    static final class Handing implements Analyzer {
        final AnalyzerContext ctx;
        final String childName;
        Analyzer child;
        boolean asked;
        long seen;
        final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();

        Handing(AnalyzerContext ctx, String childName) {
            this.ctx = ctx;
            this.childName = childName;
        }

        @Override
        public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
            seen += length;
            if (!asked) {
                asked = true;
                ctx.confirm();
                child = ctx.startChild(childName);
                return;
            }
            if (child != null && isOrig) {
                byte[] b = new byte[length];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b, 0, length);
                forwarded.writeBytes(b);
                child.onStream(isOrig, data, offset, length);
            }
        }
    }

    /** An analyzer that throws on data, started only as a child. */
    static final class Failing implements AnalyzerProvider {
        @Override
        public String name() {
            return "bad";
        }

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
            return Set.of();
        }

        @Override
        public Set<Integer> udpPorts() {
            return Set.of();
        }

        @Override
        public Detector newDetector() {
            return null;
        }

        @Override
        public Analyzer newAnalyzer(AnalyzerContext ctx) {
            return new Analyzer() {
                @Override
                public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
                    throw new IllegalStateException("boom");
                }
            };
        }

        @Override
        public List<LogSchema> logs() {
            return List.of();
        }
    }

    private final List<String> failures = new ArrayList<>();

    private List<Connection> run(AnalyzerRegistry registry) throws Exception {
        Path trace = Path.of(ChildAnalyzerTest.class.getResource("/zeek/wikipedia-default/trace.pcap").toURI());
        return TraceRun.run(trace, registry, p -> p == 80, p -> p == 53, true, null, (a, e) -> failures.add(a));
    }

    @Test
    void shouldFeedChildWhatParentForwardsAndListItsServiceSecondWhenChildIsStarted() throws Exception {
        Parent parent = new Parent("child");
        StreamDeliveryTest.Provider child = new StreamDeliveryTest.Provider("child", Set.of(), null);
        List<Connection> conns = run(AnalyzerRegistry.of(List.of(parent, child)));
        int checked = 0;
        for (Connection c : conns) {
            Handing h = parent.byUid.get(c.uid());
            if (h == null || h.forwarded.size() == 0) {
                continue;
            }
            StreamDeliveryTest.Recorder r = child.byUid.get(c.uid());
            assertThat(r.orig.toByteArray()).isEqualTo(h.forwarded.toByteArray());
            assertThat(r.resp.size()).isZero();
            assertThat(r.done).isTrue();
            assertThat(c.services()).containsExactly("parent", "child");
            checked++;
        }
        assertThat(checked).isPositive();
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldRemoveOnlyChildWhenChildThrows() throws Exception {
        Parent parent = new Parent("bad");
        StreamDeliveryTest.Provider reference = new StreamDeliveryTest.Provider("reference", Set.of(80), null);
        List<Connection> conns = run(AnalyzerRegistry.of(List.of(parent, new Failing(), reference)));
        int checked = 0;
        for (Connection c : conns) {
            Handing h = parent.byUid.get(c.uid());
            if (h == null || h.forwarded.size() == 0) {
                continue;
            }
            StreamDeliveryTest.Recorder r = reference.byUid.get(c.uid());
            assertThat(h.seen).isEqualTo(r.orig.size() + r.resp.size()); // the parent saw the whole stream
            assertThat(c.services()).doesNotContain("bad").contains("parent");
            checked++;
        }
        assertThat(checked).isPositive();
        assertThat(failures).isNotEmpty().containsOnly("bad");
    }

    @Test
    void shouldReturnNullWhenChildAnalyzerIsNotLoaded() throws Exception {
        Parent parent = new Parent("absent");
        run(AnalyzerRegistry.of(List.of(parent)));
        assertThat(parent.byUid).isNotEmpty();
        assertThat(parent.byUid.values()).allMatch(h -> h.child == null);
    }
}
