package jambox.stream;

import java.util.Arrays;

/**
 * Network thread: the smallest depth that would have had nearly every packet here in time, read
 * from the packets themselves rather than derived from a model of the network.
 *
 * <p>When a packet arrives while the buffer plays, its lead is how many packets before the audio
 * thread's next take it came (negative: it came after its turn, too late). Had the depth been
 * smaller by a packet, every lead would have been one less; so each arrival says the depth needed
 * to have it in time: the depth now less its lead in frames. Unlike the transit spread of
 * {@link JitterMeter}, this sees our own schedule too: where in our period packets land, how the
 * drift loop wobbles, whether the sender's period and ours beat. It also does not depend on the
 * depth it was measured at, so it can be measured at a small depth and then trusted.
 *
 * <p>Per one-second window the need is the 99.7th percentile of those (at 750 packets a second the
 * third latest of the window: about three late packets in a thousand, inside the 0.5 % of
 * concealment the buffer may cost; the 99.5th let 0.65 % come late on NetemTest's link, the 99.9th,
 * the window's latest, kept the depth a packet above what holds); the estimate is the
 * largest of the last three windows. A window closes early once three packets in it came late
 * (three in a thousand already), and then its need is that of the latest packet: a burst raises
 * the depth within milliseconds to what would have had it in time. Before the first window closes
 * there is no evidence: the estimate is 0 and the depth starts at its floor.
 */
final class NeedMeter {
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final int WINDOWS = 3;
    private static final int LATE_TO_CLOSE = 3;
    static final int BIN_FRAMES = 8;
    private static final int BINS = 1100; // up to 8800 frames, past 32 packets of 256
    private static final double PERCENTILE = 0.997;

    private final int[] histogram = new int[BINS];
    private final int[] needs = new int[WINDOWS];
    private int count;
    private int lateInWindow;
    private int closed;
    private long windowStart;
    private volatile int estimateFrames;

    /** A packet arrived {@code leadFrames} ahead of its turn (negative: late) with the depth at {@code depthFrames}. */
    void arrival(long arrivalNanos, double depthFrames, long leadFrames) {
        if (count == 0) {
            windowStart = arrivalNanos;
        }
        double need = depthFrames - leadFrames;
        histogram[(int) Math.max(0, Math.min(BINS - 1, need / BIN_FRAMES))]++;
        count++;
        if (leadFrames < 0) {
            lateInWindow++;
        }
        if (lateInWindow >= LATE_TO_CLOSE) {
            close(1.0);
        } else if (arrivalNanos - windowStart >= WINDOW_NANOS) {
            close(PERCENTILE);
        }
    }

    /** A new stream, or playback primed again: what was measured belongs to the old one. */
    void reset() {
        Arrays.fill(histogram, 0);
        count = 0;
        lateInWindow = 0;
        closed = 0;
        estimateFrames = 0;
    }

    /** Any thread: the depth in frames the recent packets needed; 0 before there is any evidence. */
    int estimateFrames() {
        return estimateFrames;
    }

    private void close(double percentile) {
        int rank = (int) Math.ceil(percentile * count);
        int seen = 0;
        int bin = 0;
        while (bin < BINS - 1 && (seen += histogram[bin]) < rank) {
            bin++;
        }
        needs[closed++ % WINDOWS] = (bin + 1) * BIN_FRAMES;
        int widest = 0;
        for (int i = 0; i < Math.min(closed, WINDOWS); i++) {
            widest = Math.max(widest, needs[i]);
        }
        estimateFrames = widest;
        Arrays.fill(histogram, 0);
        count = 0;
        lateInWindow = 0;
    }
}
