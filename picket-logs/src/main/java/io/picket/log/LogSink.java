package io.picket.log;

/**
 * Where a tenant's log records go. {@link #write} is called from shard threads and must not
 * block on I/O: implementations queue and write on their own thread. {@link #close} flushes
 * everything accepted so far and ends every open log file (writing {@code #close}).
 */
public interface LogSink extends AutoCloseable {
    /** Accepts a record for the tenant's stream {@code record.schema().path()}. */
    void write(String tenant, LogRecord record);

    /** Records accepted so far, per tenant and path, for summaries. */
    long recordsWritten(String tenant);

    @Override
    void close();
}
