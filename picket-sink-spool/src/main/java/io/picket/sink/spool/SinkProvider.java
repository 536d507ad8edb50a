package io.picket.sink.spool;

import java.io.IOException;

/**
 * One sink type ({@code syslog}, {@code http}, {@code kafka}), found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.picket.sink.spool.SinkProvider}). Declares how its options are read
 * and how its transport is made; the spool, queue, threads and retries are common.
 */
public interface SinkProvider {
    /** The {@code type:} value. */
    String type();

    /**
     * Reads the type's own options from {@code reader} (the common ones are already read into
     * {@code common}); records problems on the reader instead of throwing. Control thread.
     */
    SinkConfig parse(SinkOptions common, ConfigReader reader);

    /** Makes the transport for one tenant's sink; resolves secrets and TLS material now. */
    Transport open(String tenant, SinkConfig config) throws IOException;
}
