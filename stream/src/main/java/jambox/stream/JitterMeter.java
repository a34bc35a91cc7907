package jambox.stream;

import java.util.Arrays;

/**
 * Network thread: how late packets arrive compared with the earliest of their neighbours: the
 * network's jitter as the player sees it in the stats. The automatic depth does not follow it (it
 * follows {@link NeedMeter}, which also sees our own schedule).
 *
 * <p>Each packet's transit (arrival on our clock minus send time on the sender's) holds an unknown
 * constant offset, which cancels when transits are compared within a window. Per one-second window
 * the spread is the 99th percentile of transit above the window's minimum: how much later than
 * the luckiest packet nearly all packets come, i.e. the delay the buffer must absorb. A percentile
 * rather than the maximum ignores the odd outlier (concealment covers those); the estimate is the
 * largest spread of the last four windows, so one calm second does not shrink it. Clock drift adds
 * its few hundred microseconds per second inside a window, a harmless overestimate.
 */
final class JitterMeter {
    /** Before the first window closes, assume a modest network. */
    static final int DEFAULT_US = 2_000;
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final int WINDOWS = 4;
    private static final int MAX_PER_WINDOW = 2048;
    private static final int BIN_US = 50;
    private static final int BINS = 2048;
    private static final double PERCENTILE = 0.99;

    private final long[] transits = new long[MAX_PER_WINDOW];
    private final int[] histogram = new int[BINS];
    private final int[] spreads = new int[WINDOWS];
    private int count;
    private int closed;
    private long windowStart;
    private volatile int estimateUs = DEFAULT_US;

    void arrival(long arrivalNanos, long senderTimeUs) {
        if (count == 0) {
            windowStart = arrivalNanos;
        }
        transits[count++] = arrivalNanos / 1000 - senderTimeUs;
        if (count == MAX_PER_WINDOW || arrivalNanos - windowStart >= WINDOW_NANOS) {
            close();
        }
    }

    /** The sender's clock may have restarted with its stream: old transits mean nothing now. */
    void reset() {
        count = 0;
        closed = 0;
        estimateUs = DEFAULT_US;
    }

    /** Any thread: the current estimate in microseconds. */
    int estimateUs() {
        return estimateUs;
    }

    private void close() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, transits[i]);
        }
        Arrays.fill(histogram, 0);
        for (int i = 0; i < count; i++) {
            histogram[(int) Math.min(BINS - 1, (transits[i] - min) / BIN_US)]++;
        }
        int rank = (int) Math.ceil(PERCENTILE * count);
        int seen = 0;
        int bin = 0;
        while (bin < BINS - 1 && (seen += histogram[bin]) < rank) {
            bin++;
        }
        spreads[closed++ % WINDOWS] = (bin + 1) * BIN_US;
        int widest = 0;
        for (int i = 0; i < Math.min(closed, WINDOWS); i++) {
            widest = Math.max(widest, spreads[i]);
        }
        estimateUs = widest;
        count = 0;
    }
}
