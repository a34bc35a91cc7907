package jambox.dsp;

import jambox.dsp.unit.FastMath;

/**
 * One live parameter of one pedal. Any thread may {@link #set} it; only the audio thread reads
 * the smoothed value, so a jump on a knob becomes a short glide instead of a zipper or a click.
 *
 * <p>The value is a {@link Smoothed} one-pole glide (a choice jumps): its hand-over is a single
 * volatile float, so no lock, no allocation, and a reader never sees a half-written value.
 */
public final class Param {
    /** Time constant of the glide toward a new value. */
    public static final double SMOOTHING_SECONDS = 0.012;

    private final ParamSpec spec;
    private final Smoothed value;

    public Param(ParamSpec spec) {
        this.spec = spec;
        this.value = Smoothed.exponential(spec.isChoice() ? 0 : SMOOTHING_SECONDS, (float) spec.defaultValue());
    }

    public ParamSpec spec() {
        return spec;
    }

    /** Sets a new value from any thread; the audio thread glides to it. */
    public void set(double value) {
        this.value.setTarget((float) spec.validate(value));
    }

    /** The value last set: what the page, presets and knobs see. */
    public double get() {
        return value.target();
    }

    void prepare(float sampleRate) {
        value.prepare(sampleRate);
    }

    // ---- audio thread only below ----

    /** The value to aim at (one volatile read), for a choice or a value used unsmoothed. */
    public float target() {
        return value.target();
    }

    /** Takes the value to aim at in this block's {@link #next} calls, and returns it. */
    public float latch() {
        return value.latch();
    }

    /** The current smoothed value. */
    public float current() {
        return value.current();
    }

    /** Advances the glide by one sample toward the {@link #latch latched} value and returns the value for that sample. */
    public float next() {
        return value.next();
    }

    /**
     * Advances the glide by a whole block of {@code n} samples, for parameters that set filter
     * coefficients once a block. Returns the value at the end of the block.
     */
    public float advance(int n) {
        return value.next(n);
    }

    /** Ends a block of {@link #next} calls: a glide that is close enough lands (see {@link Smoothed#settle}). */
    public void settle() {
        value.settle();
    }

    /**
     * Multiplies a block by this parameter read as a gain in dB: one constant when settled,
     * a per-sample glide in dB (even across the knob's travel) while it moves.
     */
    public void applyDbGain(float[] buf, int n) {
        float t = value.latch();
        if (value.current() == t) {
            float g = FastMath.dbToGain(t);
            for (int i = 0; i < n; i++) {
                buf[i] *= g;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            buf[i] *= FastMath.dbToGain(value.next());
        }
        value.settle();
    }

    /** True while the value is still gliding. */
    public boolean moving() {
        return value.isSmoothing();
    }

    /** Jumps to the target at once (used when a pedal starts from silence). */
    public void snap() {
        value.jump();
    }
}
