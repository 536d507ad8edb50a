package io.picket.sink.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and durability of one {@link Spool}.
 *
 * @param maxBytes bound on all segment files together (acknowledged but not yet deleted bytes
 *     included); reaching it applies {@code overflow}
 * @param segmentBytes size at which the active segment is sealed and a new one started; at most
 *     half of {@code maxBytes} so that dropping the oldest segment always frees room
 * @param maxRecordBytes largest record payload accepted; larger ones are refused
 * @param overflow what a full spool gives up: the oldest pending records or the new one
 * @param fsync when appended data and the read cursor are forced to the device
 * @param fsyncInterval for {@link Fsync#INTERVAL}: the longest time data stays unforced
 */
public record SpoolOptions(long maxBytes, long segmentBytes, int maxRecordBytes, Overflow overflow, Fsync fsync,
        Duration fsyncInterval) {

    /** What a full spool drops. */
    public enum Overflow {
        /** Deletes the oldest segment, dropping its records that were not yet handed to the transport. */
        DROP_OLDEST,
        /** Refuses the record being appended. */
        DROP_NEWEST
    }

    /** When the spool forces its files to the device. */
    public enum Fsync {
        /** After every batch appended by the sink's spool thread and after every acknowledgement. */
        BATCH,
        /** At most {@code fsyncInterval} after data was written (a crash may lose that much). */
        INTERVAL,
        /** Never explicitly; the operating system writes back (a power loss may lose minutes). */
        NEVER
    }

    /** Segment header: magic {@code PKSG}, version, base sequence. */
    public static final int SEGMENT_HEADER_BYTES = 16;
    /** Record header: payload length, CRC32C. */
    public static final int RECORD_HEADER_BYTES = 8;

    public SpoolOptions {
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        if (segmentBytes < SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + (long) maxRecordBytes) {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + " cannot hold a record of maxRecordBytes "
                    + maxRecordBytes + " (needs " + (SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + (long) maxRecordBytes) + ")");
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " must be at least twice segmentBytes " + segmentBytes);
        }
        if (fsync == Fsync.INTERVAL && (fsyncInterval.isNegative() || fsyncInterval.isZero())) {
            throw new IllegalArgumentException("fsyncInterval must be positive: " + fsyncInterval);
        }
    }

    /** 1 GiB bound, 64 MiB segments, 1 MiB records, drop oldest, fsync every second. */
    public static SpoolOptions defaults() {
        return new SpoolOptions(1L << 30, 64L << 20, 1 << 20, Overflow.DROP_OLDEST, Fsync.INTERVAL, Duration.ofSeconds(1));
    }

    public SpoolOptions withMaxBytes(long max, long segment) {
        return new SpoolOptions(max, segment, maxRecordBytes, overflow, fsync, fsyncInterval);
    }

    public SpoolOptions withMaxRecordBytes(int max) {
        return new SpoolOptions(maxBytes, segmentBytes, max, overflow, fsync, fsyncInterval);
    }

    public SpoolOptions withOverflow(Overflow o) {
        return new SpoolOptions(maxBytes, segmentBytes, maxRecordBytes, o, fsync, fsyncInterval);
    }

    public SpoolOptions withFsync(Fsync f, Duration interval) {
        return new SpoolOptions(maxBytes, segmentBytes, maxRecordBytes, overflow, f, interval);
    }
}
