package dev.clerksync.bench;

import java.util.Arrays;

/** Request latencies in nanoseconds: appended by one thread, then merged and sorted for percentiles. */
final class Latencies {

    /** Latency percentiles in milliseconds. */
    record Percentiles(double p50, double p95, double p99, double max) {
    }

    private long[] nanos = new long[1 << 14];
    private int count;

    void add(long value) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = value;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            add(other.nanos[i]);
        }
    }

    int count() {
        return count;
    }

    Percentiles percentiles() {
        if (count == 0) {
            return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Percentiles(millis(sorted, 0.50), millis(sorted, 0.95), millis(sorted, 0.99),
                sorted[count - 1] / 1e6);
    }

    /** The nearest-rank percentile. */
    private static double millis(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
