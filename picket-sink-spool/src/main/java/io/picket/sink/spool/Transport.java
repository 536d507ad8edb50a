package io.picket.sink.spool;

import java.io.IOException;
import java.util.List;

/**
 * Sends batches of spooled records to one destination. Called only from the owning
 * {@link SpooledSink}'s delivery thread (one virtual thread per tenant sink), one batch at a
 * time, in spool order; it may block as long as it needs.
 *
 * <p>Contract: return normally only when every record of the batch is delivered (the sink then
 * acknowledges the batch in the spool). Throw {@link RejectedException} when the destination
 * refused some records for good and took the rest (acknowledged, refused ones counted as dropped);
 * throw {@link DeliveryException} (with an optional Retry-After) or any other
 * {@link IOException} to have the same batch retried after a back-off. Records are
 * {@link Envelope}s. A batch may be offered again after a failure or a restart, so a transport
 * delivers at least once.
 */
public interface Transport extends AutoCloseable {
    /** Delivers the batch, in order. */
    void deliver(List<byte[]> batch) throws IOException;

    /**
     * Releases connections. May be called from another thread while {@link #deliver} blocks, and
     * must then make it return or throw soon.
     */
    @Override
    void close();
}
