package io.picket.analyzer.ssl;

import io.picket.analyzer.spi.AnalyzerContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether a connection is "partial" in Zeek's sense ({@code TCP_Analyzer::IsPartial()}: picked
 * up without its SYN); Zeek's SSL analyzer ignores the data of such connections. The SPI does
 * not offer this yet: when {@code AnalyzerContext} gains a {@code boolean partial()} method it
 * is used, otherwise every connection counts as complete. Stateless; any thread.
 */
final class PartialConnections {
    private static final MethodHandle PARTIAL = find();

    private PartialConnections() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(AnalyzerContext.class, "partial", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** True when the engine reports the connection as partial. */
    static boolean partial(AnalyzerContext ctx) {
        if (PARTIAL == null) {
            return false;
        }
        try {
            return (boolean) PARTIAL.invoke(ctx);
        } catch (Throwable t) {
            return false;
        }
    }
}
