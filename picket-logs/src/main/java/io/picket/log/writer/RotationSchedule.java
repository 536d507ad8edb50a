package io.picket.log.writer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Zeek's rotation arithmetic: when the next interval rotation is due and how a rotated file is
 * named. Stateless and thread-safe.
 *
 * <p>Alignment follows Zeek's {@code calc_next_rotate} with the default
 * {@code log_rotate_base_time = "0:00"}: rotations happen at local midnight plus whole multiples
 * of the interval, so a 1 h interval rotates on every full hour of the local day. Names follow
 * Zeek's default {@code Log::rotation_format_func} for the ASCII writer:
 * {@code <path>.<open time as %Y-%m-%d-%H-%M-%S in local time>.log}.
 */
final class RotationSchedule {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private RotationSchedule() {
    }

    /**
     * The first rotation time after {@code now} (epoch seconds): the smallest
     * {@code midnight(now) + k * interval} greater than {@code now}, or {@code now + interval} when
     * {@code now} falls exactly on one (Zeek returns the interval for a non-positive delay).
     */
    static double nextRotation(double now, double intervalSeconds, ZoneId zone) {
        long second = (long) Math.floor(now);
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(second), zone);
        double startOfDay = day.atStartOfDay(zone).toEpochSecond();
        double next = startOfDay + Math.ceil((now - startOfDay) / intervalSeconds) * intervalSeconds;
        return next - now > 0 ? next : now + intervalSeconds;
    }

    /** {@code %Y-%m-%d-%H-%M-%S} of the whole second of {@code epochSeconds} in {@code zone}. */
    static String stamp(double epochSeconds, ZoneId zone) {
        long second = (long) Math.floor(epochSeconds);
        return STAMP.format(Instant.ofEpochSecond(second).atZone(zone));
    }

    /**
     * The rotated file name for {@code path} opened at {@code openTime}: {@code conn.2024-01-31-13-00-00.log};
     * {@code collision > 0} inserts a counter for files opened in the same second
     * ({@code conn.2024-01-31-13-00-00.1.log}).
     */
    static String rotatedName(String path, double openTime, ZoneId zone, int collision) {
        String base = path + "." + stamp(openTime, zone);
        return collision == 0 ? base + ".log" : base + "." + collision + ".log";
    }
}
