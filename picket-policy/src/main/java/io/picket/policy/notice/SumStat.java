package io.picket.policy.notice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Zeek SumStat with one reducer, as the detection scripts use them: per key the observation
 * count ({@code num}), {@code sum} (each observation counts 1), the first {@code samples} strings
 * ({@code SAMPLE}), the unique strings ({@code UNIQUE}, kept up to {@code uniqueMax + 1}) and the
 * first and last observation times; a threshold on sum or unique crossed at most once per key per
 * epoch. Epochs are a fixed grid of {@code epoch} seconds starting at the first observation; at an
 * epoch boundary all results and crossings are cleared. At most {@link #MAX_KEYS} keys are kept per
 * epoch; observations of further keys are dropped (counted in {@link #dropped()}). Not thread-safe.
 */
final class SumStat {
    /** What the threshold is compared with. */
    enum Measure { SUM, UNIQUE }

    /** One key's result in the current epoch. */
    static final class Result {
        double begin;
        double end;
        long num;
        double sum;
        final List<String> samples = new ArrayList<>();
        final Set<String> unique = new LinkedHashSet<>();
    }

    static final int MAX_KEYS = 1 << 20;

    private final double epoch;
    private final double threshold;
    private final Measure measure;
    private final int samples;
    private final int uniqueMax;
    private final Map<String, Result> results = new HashMap<>();
    private final Set<String> crossed = new HashSet<>();
    private double epochStart = Double.NaN;
    private long dropped;

    SumStat(double epoch, double threshold, Measure measure, int samples, int uniqueMax) {
        this.epoch = epoch;
        this.threshold = threshold;
        this.measure = measure;
        this.samples = samples;
        this.uniqueMax = uniqueMax;
    }

    /** Adds one observation; returns the key's result when this observation crosses the threshold, else null. */
    Result observe(double ts, String key, String str) {
        if (Double.isNaN(epochStart)) {
            epochStart = ts;
        } else if (ts >= epochStart + epoch) {
            epochStart += Math.floor((ts - epochStart) / epoch) * epoch;
            results.clear();
            crossed.clear();
        }
        Result r = results.get(key);
        if (r == null) {
            if (results.size() >= MAX_KEYS) {
                dropped++;
                return null;
            }
            r = new Result();
            r.begin = ts;
            results.put(key, r);
        }
        r.end = ts;
        r.num++;
        r.sum += 1;
        if (r.samples.size() < samples) {
            r.samples.add(str);
        }
        if (measure == Measure.UNIQUE && r.unique.size() <= uniqueMax) {
            r.unique.add(str);
        }
        double watch = measure == Measure.SUM ? r.sum : r.unique.size();
        if (watch >= threshold && crossed.add(key)) {
            return r;
        }
        return null;
    }

    /** Observations dropped because the epoch already held {@link #MAX_KEYS} keys. */
    long dropped() {
        return dropped;
    }
}
