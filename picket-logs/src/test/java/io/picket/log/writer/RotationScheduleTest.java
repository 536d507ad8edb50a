package io.picket.log.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RotationScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void shouldRotateOnNextFullHourWhenIntervalIsOneHour() {
        double now = epoch("2011-03-07T03:00:05Z");
        assertThat(RotationSchedule.nextRotation(now, 3600, UTC)).isEqualTo(epoch("2011-03-07T04:00:00Z"));
    }

    @Test
    void shouldAddWholeIntervalWhenNowIsExactlyOnBoundary() {
        // Zeek's calc_next_rotate returns the interval itself for a zero delay.
        double now = epoch("2024-01-31T13:00:00Z");
        assertThat(RotationSchedule.nextRotation(now, 3600, UTC)).isEqualTo(epoch("2024-01-31T14:00:00Z"));
    }

    @Test
    void shouldAlignToLocalMidnightWhenZoneHasHalfHourOffset() {
        // Asia/Kolkata is UTC+05:30: hours of the local day start at :30 UTC.
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        double now = epoch("2024-01-31T06:40:00Z"); // 12:10 local
        assertThat(RotationSchedule.nextRotation(now, 3600, kolkata)).isEqualTo(epoch("2024-01-31T07:30:00Z"));
    }

    @Test
    void shouldRotateAtLocalMidnightWhenIntervalIsOneDay() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        double now = epoch("2024-01-31T12:00:00Z");
        assertThat(RotationSchedule.nextRotation(now, 86400, berlin)).isEqualTo(epoch("2024-01-31T23:00:00Z"));
    }

    @Test
    void shouldNameRotatedFileByOpenTimeInLocalZoneWhenFormatted() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        double open = epoch("2024-01-31T12:00:00Z") + 0.999;
        assertThat(RotationSchedule.rotatedName("conn", open, berlin, 0)).isEqualTo("conn.2024-01-31-13-00-00.log");
        assertThat(RotationSchedule.rotatedName("conn", open, berlin, 2)).isEqualTo("conn.2024-01-31-13-00-00.2.log");
    }

    @Property(tries = 300)
    void shouldScheduleStrictlyAfterNowAndWithinOneIntervalWhenAnyTime(
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999) int millis,
            @ForAll @IntRange(min = 1, max = 86400 * 2) int interval) {
        double now = seconds + millis / 1000.0;
        double next = RotationSchedule.nextRotation(now, interval, ZoneId.of("America/New_York"));
        assertThat(next).isGreaterThan(now).isLessThanOrEqualTo(now + interval);
    }

    private static double epoch(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }
}
