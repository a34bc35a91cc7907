package jambox.bench.room;

/** Latencies in whole microseconds, up to 1 s (larger ones count as 1 s); exact percentiles, no allocation. */
final class LatencyHistogram {
    private static final int MAX = 1_000_000;
    private final long[] counts = new long[MAX + 1];
    private long total;
    private long max;

    void add(long micros) {
        int i = (int) Math.max(0, Math.min(MAX, micros));
        counts[i]++;
        total++;
        max = Math.max(max, i);
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i <= MAX; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The smallest latency that at least {@code q} of all samples do not exceed. */
    long percentile(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= MAX; i++) {
            seen += counts[i];
            if (seen >= rank && seen > 0) {
                return i;
            }
        }
        return max;
    }
}
