package io.picket.engine;

import io.picket.analyzer.spi.Analyzer;
import io.picket.analyzer.spi.AnalyzerContext;
import io.picket.analyzer.spi.AnalyzerProvider;
import io.picket.log.LogSchema;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;

/**
 * Test-only analyzer found through ServiceLoader: inert (no ports, no detector) unless
 * {@link #armedFor} is set before a run; then it starts on TCP port 80 and throws on the first
 * payload of connections whose originator address starts with that prefix (one tenant's hosts),
 * with a StackOverflowError (an Error the analyzer stage contains like an exception).
 */
public final class FaultyAnalyzerProvider implements AnalyzerProvider {
    /** Originator address prefix whose connections make the analyzer throw; null = inert. */
    static volatile String armedFor;

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Set<Integer> tcpPorts() {
        return armedFor == null ? Set.of() : Set.of(80);
    }

    @Override
    public Analyzer newAnalyzer(AnalyzerContext context) {
        String prefix = armedFor;
        return new Analyzer() {
            @Override
            public void onStream(boolean isOrig, MemorySegment data, long offset, int length) {
                if (prefix != null && context.origHost().startsWith(prefix)) {
                    throw new StackOverflowError("injected analyzer fault");
                }
            }
        };
    }

    @Override
    public List<LogSchema> logs() {
        return List.of();
    }
}
