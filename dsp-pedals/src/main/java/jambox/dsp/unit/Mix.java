package jambox.dsp.unit;

/**
 * The dry/wet law of every pedal with a {@code mix} knob: at 50 % both are at full level, so
 * turning the knob from there only takes away, never makes the dry note quieter too early.
 */
public final class Mix {
    private Mix() {
    }

    /** Dry gain for a mix of 0..1. */
    public static float dry(float mix) {
        return Math.min(1f, 2f * (1f - mix));
    }

    /** Wet gain for a mix of 0..1. */
    public static float wet(float mix) {
        return Math.min(1f, 2f * mix);
    }

    /**
     * A feedback loop's soft ceiling: exactly linear up to full scale, then bending smoothly
     * toward +-2, so runaway feedback saturates instead of exploding.
     */
    public static float limit(float x) {
        float a = Math.abs(x);
        return a <= 1f ? x : Math.copySign(2f - 1f / a, x);
    }
}
