package io.picket.sink.spool;

import io.picket.log.format.JsonFormat;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Options every network sink shares (the common keys of a {@code sinks:} entry).
 *
 * @param name the sink's name, unique within its tenant; names the spool directory
 * @param format how records are formatted
 * @param jsonTimestamps time format for JSON ({@code LogAscii::json_timestamps})
 * @param queueRecords records that may wait in memory for the spool thread
 * @param queueBytes bytes that may wait in memory for the spool thread
 * @param spool the on-disk spool
 * @param batch how records are grouped for the transport
 * @param retry back-off after a failed delivery
 * @param closeTimeout how long close waits for pending records to be delivered
 */
public record SinkOptions(String name, SinkFormat format, JsonFormat.Timestamps jsonTimestamps, int queueRecords,
        long queueBytes, SpoolOptions spool, BatchOptions batch, RetryOptions retry, Duration closeTimeout) {

    /** Sink names: lower-case letters, digits, {@code _} and {@code -}, up to 63. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public SinkOptions {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad sink name " + name + ": expected " + NAME.pattern());
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(jsonTimestamps, "jsonTimestamps");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (queueRecords < 1 || queueBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
    }

    /** JSON, epoch times, 65536 records / 64 MiB queue, default spool, batch and retry. */
    public static SinkOptions defaults(String name) {
        return new SinkOptions(name, SinkFormat.JSON, JsonFormat.Timestamps.EPOCH, 65536, 64L << 20,
                SpoolOptions.defaults(), BatchOptions.defaults(), RetryOptions.defaults(), Duration.ofSeconds(5));
    }

    public SinkOptions withFormat(SinkFormat f) {
        return new SinkOptions(name, f, jsonTimestamps, queueRecords, queueBytes, spool, batch, retry, closeTimeout);
    }

    public SinkOptions withQueue(int records, long bytes) {
        return new SinkOptions(name, format, jsonTimestamps, records, bytes, spool, batch, retry, closeTimeout);
    }

    public SinkOptions withSpool(SpoolOptions s) {
        return new SinkOptions(name, format, jsonTimestamps, queueRecords, queueBytes, s, batch, retry, closeTimeout);
    }

    public SinkOptions withBatch(BatchOptions b) {
        return new SinkOptions(name, format, jsonTimestamps, queueRecords, queueBytes, spool, b, retry, closeTimeout);
    }

    public SinkOptions withRetry(RetryOptions r) {
        return new SinkOptions(name, format, jsonTimestamps, queueRecords, queueBytes, spool, batch, r, closeTimeout);
    }

    public SinkOptions withCloseTimeout(Duration d) {
        return new SinkOptions(name, format, jsonTimestamps, queueRecords, queueBytes, spool, batch, retry, d);
    }
}
