// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One run's figures: printed for people and as one {@code RESULT} line for run.sh. */
final class Result {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** Puts {@code key} first, before the figures already there. */
    Result putFirst(String key, String value) {
        Map<String, String> rest = new LinkedHashMap<>(values);
        values.clear();
        values.put(key, value);
        values.putAll(rest);
        return this;
    }

    Result put(String key, String value) {
        values.put(key, value);
        return this;
    }

    Result put(String key, long value) {
        return put(key, Long.toString(value));
    }

    Result put(String key, double value) {
        return put(key, String.format(Locale.ROOT, "%.3f", value));
    }

    /** Adds p50/p90/p99/p99.9/max in microseconds from a histogram of nanoseconds. */
    Result latencies(String prefix, Histogram h) {
        put(prefix + "count", h.getTotalCount());
        put(prefix + "p50_us", h.getValueAtPercentile(50) / 1000.0);
        put(prefix + "p90_us", h.getValueAtPercentile(90) / 1000.0);
        put(prefix + "p99_us", h.getValueAtPercentile(99) / 1000.0);
        put(prefix + "p999_us", h.getValueAtPercentile(99.9) / 1000.0);
        put(prefix + "max_us", h.getMaxValue() / 1000.0);
        return this;
    }

    void print() {
        StringBuilder human = new StringBuilder();
        StringBuilder machine = new StringBuilder("RESULT");
        for (Map.Entry<String, String> e : values.entrySet()) {
            human.append(String.format(Locale.ROOT, "  %-22s %s%n", e.getKey(), e.getValue()));
            machine.append('\t').append(e.getKey()).append('=').append(e.getValue());
        }
        System.out.print(human);
        System.out.println(machine);
        System.out.flush();
    }
}
