package io.picket.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the command line's durations ({@code 90s}, {@code 15m}, {@code 1h}, {@code 1d}) and sizes ({@code 100MiB}). */
final class Sizes {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Sizes() {
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + text + "': use e.g. 90s, 15m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (!d.isZero() && d.getSeconds() < 1) {
            throw new IllegalArgumentException("rotation interval must be at least 1s");
        }
        return d;
    }

    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size '" + text + "': use e.g. 500MiB or 1GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
            case "k", "kb", "kib" -> n << 10;
            case "m", "mb", "mib" -> n << 20;
            case "g", "gb", "gib" -> n << 30;
            default -> n;
        };
    }
}
