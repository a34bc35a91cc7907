package jambox.dsp;

import jambox.dsp.unit.FastMath;

/**
 * One live parameter of one pedal. Any thread may {@link #set} it; only the audio thread reads
 * the smoothed value, so a jump on a knob becomes a short glide instead of a zipper or a click.
 *
 * <p>The hand-over is a single volatile float: no lock, no allocation, and a reader never sees
 * a half-written value.
 */
public final class Param {
    /** Time constant of the glide toward a new value. */
    public static final double SMOOTHING_SECONDS = 0.012;

    private final ParamSpec spec;
    private volatile float target;
    private float current;
    private float perSample;
    private float perBlockRemain;
    private int blockSize = -1;
    private float sampleRate = 48000f;

    public Param(ParamSpec spec) {
        this.spec = spec;
        this.target = (float) spec.defaultValue();
        this.current = target;
        prepare(sampleRate);
    }

    public ParamSpec spec() {
        return spec;
    }

    /** Sets a new value from any thread; the audio thread glides to it. */
    public void set(double value) {
        target = (float) spec.validate(value);
    }

    /** The value last set: what the page, presets and knobs see. */
    public double get() {
        return target;
    }

    void prepare(float sampleRate) {
        this.sampleRate = sampleRate;
        this.perSample = spec.isChoice() ? 1f : (float) (1 - Math.exp(-1 / (SMOOTHING_SECONDS * sampleRate)));
        this.blockSize = -1;
    }

    // ---- audio thread only below ----

    /** The value to aim at in this block (one volatile read). */
    public float target() {
        return target;
    }

    /** The current smoothed value. */
    public float current() {
        return current;
    }

    /** Advances the glide by one sample and returns the value for that sample. */
    public float next(float target) {
        current += (target - current) * perSample;
        return current;
    }

    /**
     * Advances the glide by a whole block of {@code n} samples, for parameters that set filter
     * coefficients once a block. Returns the value at the end of the block.
     */
    public float advance(int n) {
        if (n != blockSize) {
            blockSize = n;
            perBlockRemain = spec.isChoice() ? 0f : (float) Math.exp(-n / (SMOOTHING_SECONDS * sampleRate));
        }
        float t = target;
        current = t + (current - t) * perBlockRemain;
        settle(t);
        return current;
    }

    /**
     * Ends a block of {@link #next} calls: a glide that is close enough lands, so no tail of tiny
     * steps (or denormals) remains. In float the glide itself can stall a few ulps short, about
     * 2e-5 of the value at 48 kHz; the landing zone is wider than that at any rate up to 192 kHz.
     */
    public void settle(float target) {
        float d = target - current;
        if (Math.abs(d) <= 1e-4f * Math.max(1f, Math.abs(target))) {
            current = target;
        }
    }

    /**
     * Multiplies a block by this parameter read as a gain in dB: one constant when settled,
     * a per-sample glide in dB (even across the knob's travel) while it moves.
     */
    public void applyDbGain(float[] buf, int n) {
        float t = target;
        if (current == t) {
            float g = FastMath.dbToGain(t);
            for (int i = 0; i < n; i++) {
                buf[i] *= g;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            buf[i] *= FastMath.dbToGain(next(t));
        }
        settle(t);
    }

    /** True while the value is still gliding. */
    public boolean moving() {
        return current != target;
    }

    /** Jumps to the target at once (used when a pedal starts from silence). */
    public void snap() {
        current = target;
    }
}
