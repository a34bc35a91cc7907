package jambox.midi;

/**
 * The tempo of an incoming MIDI clock, from the frames its ticks arrived at on the audio clock: the
 * slope of a least-squares line through the last {@link #WINDOW} ticks (two beats). A tick's own
 * jitter moves the slope by far less than it moves one tick-to-tick gap, and a steady clock gives
 * its tempo exactly. Ticks more than {@link #OUTLIER_SECONDS} off a first, median line (several
 * that came at once after a stall of the sender, or of a period) are left out of the fit. Each tick
 * is numbered by the whole beats' 24ths since the one before it, not by its place in the window, so
 * a tick that never came (lost with a period on the way) leaves a hole instead of bending the
 * line: numbered by place, one lost tick in the window of 49 read 97.5 BPM as 93.6. A gap of
 * more than {@link #GAP_SECONDS} either way (the clock stopped, or the audio clock began again)
 * starts over.
 *
 * <p>One thread at a time; allocates nothing.
 */
public final class ClockFollower {
    /** Ticks the estimate is made over: two beats. */
    public static final int WINDOW = 2 * ClockPlanner.TICKS_PER_BEAT + 1;
    /** Ticks needed before there is an estimate: two beats, so that the median beat is of many. */
    public static final int LEAST = WINDOW;
    static final double GAP_SECONDS = 0.5;

    /** A tick further than this from the robust line is out of place, not jitter. */
    static final double OUTLIER_SECONDS = 0.003;

    private final long[] frames = new long[WINDOW];
    private final double[] y = new double[WINDOW];
    private final double[] x = new double[WINDOW];
    private final double[] work = new double[WINDOW];
    private int count;
    private int next;

    /** A tick (0xF8) arrived at {@code frame}, on a clock of {@code sampleRate} frames a second. */
    public void tick(long frame, int sampleRate) {
        if (count > 0) {
            long last = frames[Math.floorMod(next - 1, WINDOW)];
            if (Math.abs(frame - last) > GAP_SECONDS * sampleRate) {
                reset();
            }
        }
        frames[next] = frame;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    /** Forgets the ticks so far (at a start, a stop, or when following ends). */
    public void reset() {
        count = 0;
        next = 0;
    }

    /** Ticks the estimate stands on now. */
    public int ticks() {
        return count;
    }

    /** Quarter notes a minute at {@code sampleRate}, or NaN with fewer than {@link #LEAST} ticks. */
    public double bpm(int sampleRate) {
        if (count < LEAST) {
            return Double.NaN;
        }
        int first = Math.floorMod(next - count, WINDOW);
        long base = frames[first];
        for (int k = 0; k < count; k++) {
            y[k] = frames[(first + k) % WINDOW] - base;
        }
        // Each tick's number: its gap from the one before in whole ticks of the median gap (0 for
        // one that came in a bunch with the one before it), so a missing tick is a hole.
        for (int k = 1; k < count; k++) {
            work[k - 1] = y[k] - y[k - 1];
        }
        double gap = median(work, count - 1);
        if (gap <= 0) {
            return Double.NaN; // most ticks came in bunches: no tempo to read from them
        }
        x[0] = 0;
        for (int k = 1; k < count; k++) {
            x[k] = x[k - 1] + Math.round((y[k] - y[k - 1]) / gap);
        }
        // A first line that a few ticks out of place cannot move: the median beat, through the
        // median tick.
        int spans = 0;
        for (int k = 0; k + ClockPlanner.TICKS_PER_BEAT < count; k++) {
            double dx = x[k + ClockPlanner.TICKS_PER_BEAT] - x[k];
            if (dx > 0) {
                work[spans++] = (y[k + ClockPlanner.TICKS_PER_BEAT] - y[k]) / dx;
            }
        }
        double t = spans > 0 ? median(work, spans) : gap;
        for (int k = 0; k < count; k++) {
            work[k] = y[k] - x[k] * t;
        }
        double c = median(work, count);
        // Then the least-squares line through the ticks near it: jitter averages out, and a tick
        // that came late in a bunch after a stall is not near it (one that came on time is).
        double near = OUTLIER_SECONDS * sampleRate;
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int k = 0; k < count; k++) {
            if (Math.abs(y[k] - c - x[k] * t) <= near) {
                n++;
                sx += x[k];
                sy += y[k];
                sxx += x[k] * x[k];
                sxy += x[k] * y[k];
            }
        }
        double d = n * sxx - sx * sx;
        double framesPerTick = n >= LEAST / 2 && d > 0 ? (n * sxy - sx * sy) / d : t;
        return 60.0 * sampleRate / (framesPerTick * ClockPlanner.TICKS_PER_BEAT);
    }

    /** The median of the first {@code n} values of {@code v}, which it sorts. */
    private static double median(double[] v, int n) {
        java.util.Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
