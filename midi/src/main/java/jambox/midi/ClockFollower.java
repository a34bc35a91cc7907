package jambox.midi;

/**
 * The tempo of an incoming MIDI clock, from the frames its ticks arrived at on the audio clock: the
 * slope of a least-squares line through the last {@link #WINDOW} ticks (two beats). A tick's own
 * jitter moves the slope by far less than it moves one tick-to-tick gap, and a steady clock gives
 * its tempo exactly. A gap of more than {@link #GAP_SECONDS} (the clock stopped) starts over.
 *
 * <p>One thread at a time; allocates nothing.
 */
public final class ClockFollower {
    /** Ticks the estimate is made over: two beats. */
    public static final int WINDOW = 2 * ClockPlanner.TICKS_PER_BEAT + 1;
    /** Ticks needed before there is an estimate: one beat. */
    public static final int LEAST = ClockPlanner.TICKS_PER_BEAT + 1;
    static final double GAP_SECONDS = 0.5;

    private final long[] frames = new long[WINDOW];
    private int count;
    private int next;

    /** A tick (0xF8) arrived at {@code frame}, on a clock of {@code sampleRate} frames a second. */
    public void tick(long frame, int sampleRate) {
        if (count > 0) {
            long last = frames[Math.floorMod(next - 1, WINDOW)];
            if (frame <= last || frame - last > GAP_SECONDS * sampleRate) {
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
        double meanX = (count - 1) / 2.0;
        double meanY = 0;
        for (int k = 0; k < count; k++) {
            meanY += frames[(first + k) % WINDOW] - base;
        }
        meanY /= count;
        double sxy = 0;
        double sxx = 0;
        for (int k = 0; k < count; k++) {
            double dx = k - meanX;
            sxy += dx * (frames[(first + k) % WINDOW] - base - meanY);
            sxx += dx * dx;
        }
        double framesPerTick = sxy / sxx;
        return 60.0 * sampleRate / (framesPerTick * ClockPlanner.TICKS_PER_BEAT);
    }
}
