package jambox.dsp;

/**
 * A value that glides to its target instead of jumping: a knob, a gain, a bypass or mute fade, the
 * position of a crossfade, each written once here instead of in every user; the call pattern is that of
 * nih-plug's {@code Smoother} and JUCE's {@code SmoothedValue}: set a target, then one call per
 * sample ({@link #next()}) or per block ({@link #next(int)}, {@link #applyGain}).
 *
 * <p>Threads. {@link #setTarget} and {@link #target} may be called from any thread: the hand-over
 * is one volatile float, so there is no lock, no allocation, and the audio thread never sees a
 * half-written value. Everything else belongs to the audio thread (or runs before the value is in
 * use): its state is plain fields. The audio thread reads the target once per block,
 * {@link #latch} (the block calls do it themselves), and per-sample {@link #next()} calls then glide
 * toward that value without touching the volatile field again. A value whose target the audio
 * thread derives itself (a bypass fade from the bypass and hold switches) is set, and may be
 * {@link #reset}, there. Nothing allocates after construction.
 *
 * <p>Styles:
 * <ul>
 * <li>{@link Style#LINEAR}: a straight line at a fixed speed, a full travel of 1 taking the given
 * time. Unlike JUCE's, which takes the full time for every new target, a fade reversed halfway
 * goes back in half the time, as a hand on a fader would: the speed, not the duration, is fixed,
 * so a quick double toggle of a bypass never crawls.</li>
 * <li>{@link Style#EXPONENTIAL}: one pole; each sample covers the same share of the way left, the
 * time being the time constant: quick at first and gentle at the end of any travel, natural for
 * values that change often (knobs, faders). It lands exactly on the target once within {@link #LANDING} of it (relative, at least
 * absolute below 1): at the end of each block for per-sample use ({@link #settle}), so no tail of
 * tiny steps or denormals remains and a resting value is bit-exact.</li>
 * <li>{@link Style#CROSSFADE_LINEAR} and {@link Style#CROSSFADE_EQUAL_POWER}: a LINEAR position
 * from 0 (all the outgoing signal) to 1 (all the incoming one), read as a pair of gains by
 * {@link #fadeIn} and {@link #fadeOut}. The linear pair sums to 1 (right when the two signals are
 * alike, as two reads of one delay line close in time are); the equal-power pair's squares sum to
 * 1 (right for unrelated signals, whose powers add).</li>
 * </ul>
 * A time of zero jumps: a choice parameter is an exponential value with no glide.
 */
public final class Smoothed {
    /** How a {@link Smoothed} value moves to its target. */
    public enum Style {
        LINEAR, EXPONENTIAL, CROSSFADE_LINEAR, CROSSFADE_EQUAL_POWER
    }

    /**
     * An exponential glide lands when this close to its target, relative to the target (absolute
     * below 1): -80 dB. In float the one-pole itself can stall a few ulps short, about 2e-5 of the
     * value at 48 kHz; the landing zone is wider than that at any rate up to 192 kHz.
     */
    public static final float LANDING = 1e-4f;

    private final Style style;
    private final boolean linear;
    private final double seconds;
    private volatile float target;
    /** The target this block glides to: the audio thread's copy of {@link #target}. */
    private float aim;
    private float current;
    /** LINEAR: the step per sample; EXPONENTIAL: the share of the way covered per sample. */
    private float perSample;
    /** EXPONENTIAL: the share of the way covered by a block of {@link #blockSize} samples. */
    private float perBlock;
    private int blockSize = -1;
    private float sampleRate;

    private Smoothed(Style style, double seconds, float initial) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("a glide time is 0 or more seconds, not " + seconds);
        }
        this.style = style;
        this.linear = style != Style.EXPONENTIAL;
        this.seconds = seconds;
        this.target = initial;
        this.aim = initial;
        this.current = initial;
        prepare(48000f);
    }

    /** A value moving at a fixed speed, a full travel of 1 in {@code seconds}. */
    public static Smoothed linear(double seconds, float initial) {
        return new Smoothed(Style.LINEAR, seconds, initial);
    }

    /** A one-pole glide with time constant {@code seconds}. */
    public static Smoothed exponential(double seconds, float initial) {
        return new Smoothed(Style.EXPONENTIAL, seconds, initial);
    }

    /**
     * A crossfade's position, at rest at 1 (all the incoming signal, nothing fading); a full
     * fade from 0 takes {@code seconds}. Its gains follow {@code style}, a CROSSFADE style.
     */
    public static Smoothed crossfade(Style style, double seconds) {
        if (style != Style.CROSSFADE_LINEAR && style != Style.CROSSFADE_EQUAL_POWER) {
            throw new IllegalArgumentException(style + " is not a crossfade");
        }
        return new Smoothed(style, seconds, 1f);
    }

    public Style style() {
        return style;
    }

    /**
     * Sets the rate the glide runs at (the default is 48 kHz). Before the value is in use, or on
     * the audio thread between blocks; the value itself is kept.
     */
    public void prepare(float sampleRate) {
        this.sampleRate = sampleRate;
        this.perSample = linear
                ? (float) (1 / (seconds * sampleRate))
                : (float) (1 - Math.exp(-1 / (seconds * sampleRate)));
        this.blockSize = -1;
    }

    // ---- any thread ----

    /** Any thread: the value to glide to from now on. */
    public void setTarget(float value) {
        target = value;
    }

    /** Any thread: the value last set, where the glide ends. */
    public float target() {
        return target;
    }

    // ---- audio thread (or before the value is in use) ----

    /** True while the value has not reached the newest target. */
    public boolean isSmoothing() {
        return current != target;
    }

    /**
     * Jumps to {@code value} and makes it the target: for a start from silence, or a value whose
     * target only the audio thread sets. Not while a control thread may set the target: use
     * {@link #jump} there, which does not overwrite the target.
     */
    public void reset(float value) {
        target = value;
        aim = value;
        current = value;
    }

    /** Lands on the newest target at once, without a glide. */
    public void jump() {
        float t = target;
        aim = t;
        current = t;
    }

    /** Starts a crossfade over: the position goes to 0 (all the outgoing signal) and glides to 1. */
    public void startFade() {
        target = 1f;
        aim = 1f;
        current = 0f;
    }

    /** The value now: after the last {@link #next()} or block call. */
    public float current() {
        return current;
    }

    /** Takes the newest target (one volatile read) for the {@link #next()} calls of this block, and returns it. */
    public float latch() {
        float t = target;
        aim = t;
        return t;
    }

    /** One sample toward the latched target; returns the value for that sample. */
    public float next() {
        if (linear) {
            float c = current;
            float a = aim;
            current = c < a ? Math.min(a, c + perSample) : Math.max(a, c - perSample);
        } else {
            current += (aim - current) * perSample;
        }
        return current;
    }

    /**
     * Ends a block of {@link #next()} calls: an exponential glide within {@link #LANDING} of its
     * target lands on it. (A linear one lands by itself.)
     */
    public void settle() {
        if (linear) {
            return;
        }
        float a = aim;
        if (Math.abs(a - current) <= LANDING * Math.max(1f, Math.abs(a))) {
            current = a;
        }
    }

    /**
     * Latches the newest target and advances the value by a whole block of {@code n} samples, for
     * values used once a block (filter coefficients) or ramped across the block by the caller.
     * Returns the value at the end of the block. Linear: the same value as {@code n} calls of
     * {@link #next()}; exponential: the same glide in one step (equal up to float rounding),
     * then {@link #settle}.
     */
    public float next(int n) {
        float a = latch();
        if (current == a) {
            return a;
        }
        if (linear) {
            for (int i = 0; i < n; i++) {
                next();
            }
            return current;
        }
        if (n != blockSize) {
            blockSize = n;
            perBlock = (float) (1 - Math.exp(-n / (seconds * sampleRate)));
        }
        current += (a - current) * perBlock;
        settle();
        return current;
    }

    /**
     * Latches the newest target and multiplies {@code buf[0..n)} by the value, sample by sample
     * while it glides; a value resting at 1 leaves the block untouched.
     */
    public void applyGain(float[] buf, int n) {
        float a = latch();
        if (current == a) {
            if (a != 1f) {
                for (int i = 0; i < n; i++) {
                    buf[i] *= a;
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            buf[i] *= next();
        }
        settle();
    }

    /** A crossfade's gain for the incoming signal at the current position. */
    public float fadeIn() {
        return style == Style.CROSSFADE_EQUAL_POWER ? quarterSine(current) : current;
    }

    /** A crossfade's gain for the outgoing signal at the current position. */
    public float fadeOut() {
        return style == Style.CROSSFADE_EQUAL_POWER ? quarterSine(1f - current) : 1f - current;
    }

    /** sin(u) to the ninth power of its series: within 4e-6 for u in 0..pi/2. */
    private static double sineSeries(double u) {
        double u2 = u * u;
        return u * (1 + u2 * (-1.0 / 6 + u2 * (1.0 / 120 + u2 * (-1.0 / 5040 + u2 * (1.0 / 362880)))));
    }

    private static final double QUARTER_SINE_AT_1 = sineSeries(Math.PI / 2);

    /**
     * sin(x pi/2) for x in 0..1 without a library call on the audio thread, scaled so that 0 and
     * 1 map exactly to 0 and 1.
     */
    static float quarterSine(float x) {
        return (float) (sineSeries(x * (Math.PI / 2)) / QUARTER_SINE_AT_1);
    }
}
