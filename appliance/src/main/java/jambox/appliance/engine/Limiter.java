package jambox.appliance.engine;

/**
 * The safety limiter at the very end of the box's output: nothing the player hears (or records
 * from the mix) goes over {@value #CEILING_DB} dB true peak, whatever a feedback loop or a fuzz at
 * full gain does upstream. Below that the signal passes untouched: the gain is exactly 1, so a
 * signal that never reaches the ceiling comes out bit-identical, only {@link #latencySamples} later.
 *
 * <p>How it holds the ceiling with a short lookahead. Each input sample's true peak is estimated
 * at 4x the rate (the sample itself and three points between it and the next, from a 32-tap
 * windowed sinc per phase), linked across both channels so the image does not move. Where every
 * sample the interpolator would read is too quiet for any point between them to reach the
 * ceiling, it is not run: a quiet signal costs little. The gain each
 * sample needs ({@code ceiling / peak}, at most 1) goes through a moving minimum as long as the
 * lookahead (so the gain is already down when the peak arrives), a release (it comes back up
 * smoothly, {@value #RELEASE_MS} ms), and a moving average over {@value #ATTACK_MS} ms (the fall
 * is a smooth ramp, not a step). The average of values that are each no more than the gain the
 * peak needs is no more than it either: the ceiling holds by construction, with no overshoot to
 * tune away. The signal itself is delayed so that the ramp ends before the peak: 22 samples (0.46 ms) at 48 kHz.
 *
 * <p>Off, the output is the input at once (no delay, no gain); switching either way crossfades
 * across one period, and the detector keeps running off too, so turning it on protects at once.
 *
 * <p>Everything is allocated in the constructor, for rates up to {@value #MAX_RATE} Hz;
 * {@link #format} and {@link #process} allocate nothing, lock nothing and never block.
 */
public final class Limiter {
    /** The ceiling and threshold in dBFS true peak: the gain stays 1 until a true peak would pass it. */
    public static final double CEILING_DB = -1.0;
    static final double ATTACK_MS = 0.1;
    static final double RELEASE_MS = 80;
    static final int MAX_RATE = 192_000;
    private static final int OVERSAMPLING = 4;
    /**
     * Taps per phase of the true-peak interpolator, half before the point and half after. Fewer
     * let bright material through: with 12, 24 and 32, white noise came out 1.4, 0.6 and 0.4 dB
     * over the ceiling (measured at 16x); with 48, 0.3.
     */
    private static final int TAPS = 32;
    /** How many samples after a segment's start its true peak is known: the interpolator's reach forward. */
    private static final int REACH = TAPS / 2;
    /**
     * Extra samples the moving minimum covers on each side of the output sample: the gain also
     * holds across the neighbours that shape the output's reconstruction between samples.
     */
    private static final int MARGIN = 2;
    private static final int RING = 512;
    private static final int MASK = RING - 1;
    /** Within a millionth of 1 the released gain is 1: exactly unity, so a quiet signal comes through untouched. */
    private static final double SNAP = 1e-6;

    private final float ceiling = (float) Math.pow(10, CEILING_DB / 20);
    /** Under this no point the interpolator makes can reach the ceiling: the ceiling over its largest sum of |taps|. */
    private final float quiet;
    /** The interpolator, phase by phase (1/4, 2/4, 3/4 of the way to the next sample), oldest tap first. */
    private final float[][] phases = new float[OVERSAMPLING - 1][TAPS];
    /** Each channel's recent input, written twice (at i and i + RING) so the interpolator reads it without wrapping. */
    private final float[][] history;
    /** The moving minimum: a queue of gains that only rise from head to tail, with the sample each came at. */
    private final double[] minGain = new double[RING];
    private final long[] minAt = new long[RING];
    private final double[] window = new double[RING];
    private volatile boolean on = true;
    private volatile float deepest = 1f;
    private volatile int latency;

    // Audio thread state (set up by format, before periods run).
    private int attack;
    private int delay;
    private int hold;
    private double release;
    private int write;
    private long clock;
    /** The last sample that was not quiet (a NaN counts): until it leaves the interpolator's reach, interpolate. */
    private long lastLoud;
    private int minHead;
    private int minSize;
    private int windowAt;
    private double windowSum;
    private int windowBelow;
    private double released = 1;
    /** 0 on, 1 off: the mode the last period ended in. */
    private float bypassed;

    public Limiter(int channels) {
        history = new float[channels][2 * RING];
        for (int p = 1; p < OVERSAMPLING; p++) {
            double frac = p / (double) OVERSAMPLING;
            double sum = 0;
            for (int j = 0; j < TAPS; j++) {
                // Tap j weighs the sample j - (REACH - 1) from the segment's start; the point sits at frac.
                double u = frac - (j - (REACH - 1));
                double w = 0.42 + 0.5 * Math.cos(Math.PI * u / REACH) + 0.08 * Math.cos(2 * Math.PI * u / REACH);
                double v = sinc(u) * w;
                phases[p - 1][j] = (float) v;
                sum += v;
            }
            for (int j = 0; j < TAPS; j++) {
                phases[p - 1][j] /= (float) sum; // unity at DC: a held level reads as itself
            }
        }
        double reach = 1;
        for (float[] taps : phases) {
            double l1 = 0;
            for (float t : taps) {
                l1 += Math.abs(t);
            }
            reach = Math.max(reach, l1);
        }
        quiet = (float) (ceiling / reach * 0.999); // a hair under: float sums round
        format(48_000);
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /**
     * Sets the rate (8 kHz and up) and clears the state; no allocation. Call before periods run (or from the
     * audio thread itself, between periods).
     */
    public void format(int sampleRate) {
        // Above MAX_RATE the ramp is as many samples as at MAX_RATE (shorter in time): the rings are that long.
        attack = Math.max(4, (int) Math.round(ATTACK_MS * Math.min(sampleRate, MAX_RATE) / 1000));
        // A segment's peak is known REACH samples after it starts. The ramp must be down by the
        // segment MARGIN before the output sample, and stay down until MARGIN after the one it starts.
        delay = attack + REACH + MARGIN - 1;
        hold = delay + MARGIN + 2 - REACH;
        release = 1 - Math.exp(-1000.0 / (RELEASE_MS * sampleRate));
        for (float[] h : history) {
            java.util.Arrays.fill(h, 0f);
        }
        write = 0;
        clock = 0;
        lastLoud = -TAPS;
        minHead = 0;
        minSize = 0;
        windowAt = 0;
        windowSum = attack;
        windowBelow = 0;
        java.util.Arrays.fill(window, 0, attack, 1.0);
        released = 1;
        bypassed = on ? 0f : 1f; // set before the audio starts: no crossfade
        latency = delay;
    }

    /** Any thread: on (the default) or off; the change is a crossfade across the next period. */
    public void setOn(boolean on) {
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    /** What the limiter delays the output by when on: its lookahead, in samples at the current rate. */
    public int lookaheadSamples() {
        return latency;
    }

    /** What it delays the output by now: its lookahead when on, 0 when off. */
    public int latencySamples() {
        return on ? latency : 0;
    }

    /** The lowest gain it applied during the last period: 1 when it did nothing. Any thread. */
    public float gain() {
        return deepest;
    }

    // ---- audio thread ----

    /** Limits {@code io}'s first {@code n} frames in place (one array per channel, as many as constructed). */
    public void process(float[][] io, int n) {
        float from = bypassed;
        float to = on ? 0f : 1f;
        bypassed = to;
        float step = (to - from) / n;
        double lowest = 1;
        int channels = history.length;
        for (int i = 0; i < n; i++) {
            int w = (write + 1) & MASK;
            write = w;
            float peak = 0f;
            for (int c = 0; c < channels; c++) {
                float x = io[c][i];
                history[c][w] = x;
                history[c][w + RING] = x;
                if (!(Math.abs(x) <= quiet)) {
                    lastLoud = clock;
                }
            }
            if (clock - lastLoud < TAPS) {
                for (int c = 0; c < channels; c++) {
                    peak = Math.max(peak, truePeak(history[c], w + RING - (TAPS - 1)));
                }
            }
            double gain = gainFor(peak, clock++);
            lowest = Math.min(lowest, gain);
            float b = from + step * (i + 1);
            for (int c = 0; c < channels; c++) {
                float late = history[c][(w - delay) & MASK];
                if (!(Math.abs(late) <= Float.MAX_VALUE)) {
                    late = 0f; // a NaN or infinity from upstream never reaches the ears
                }
                float limited = gain == 1.0 ? late : (float) (late * gain);
                if (b == 0f) {
                    io[c][i] = limited;
                } else if (b != 1f) {
                    io[c][i] = limited + b * (io[c][i] - limited);
                }
            }
        }
        deepest = to == 0f ? (float) lowest : 1f;
    }

    /** The largest of the segment's start and the three points after it; the taps read h[first ..]. */
    private float truePeak(float[] h, int first) {
        // The three points in one pass: three independent sums keep the core busy (Java does not
        // reorder a float sum, so one sum at a time waits on each add).
        float[] p1 = phases[0];
        float[] p2 = phases[1];
        float[] p3 = phases[2];
        float v1 = 0f;
        float v2 = 0f;
        float v3 = 0f;
        for (int j = 0; j < TAPS; j++) {
            float x = h[first + j];
            v1 += p1[j] * x;
            v2 += p2[j] * x;
            v3 += p3[j] * x;
        }
        return Math.max(Math.max(Math.abs(h[first + REACH - 1]), Math.abs(v1)), Math.max(Math.abs(v2), Math.abs(v3)));
    }

    /** The gain for the sample leaving now, given the newest sample's segment's true peak. */
    private double gainFor(float peak, long now) {
        double need = peak <= ceiling ? 1.0 : peak <= Float.MAX_VALUE ? ceiling / (double) peak : 0.0;
        // Moving minimum over the last `hold` samples.
        while (minSize > 0 && minGain[(minHead + minSize - 1) & MASK] >= need) {
            minSize--;
        }
        int tail = (minHead + minSize) & MASK;
        minGain[tail] = need;
        minAt[tail] = now;
        minSize++;
        if (minAt[minHead] <= now - hold) {
            minHead = (minHead + 1) & MASK;
            minSize--;
        }
        double held = minGain[minHead];
        // Down at once (the average below makes the ramp), back up at the release rate.
        if (held < released) {
            released = held;
        } else {
            released += (held - released) * release;
            if (held == 1.0 && released > 1 - SNAP) {
                released = 1.0;
            }
        }
        double old = window[windowAt];
        window[windowAt] = released;
        windowAt = windowAt + 1 == attack ? 0 : windowAt + 1;
        windowSum += released - old;
        windowBelow += (released < 1.0 ? 1 : 0) - (old < 1.0 ? 1 : 0);
        if (windowBelow == 0) {
            windowSum = attack; // a running sum drifts; at rest it is exactly this
            return 1.0;
        }
        return Math.min(1.0, windowSum / attack);
    }
}
