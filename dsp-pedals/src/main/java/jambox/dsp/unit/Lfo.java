package jambox.dsp.unit;

/**
 * A low-frequency oscillator with a phase accumulator, so rate changes never jump the phase.
 * Output in -1..1. The square wave has rounded edges (a few ms) so a tremolo does not click.
 */
public final class Lfo {
    public enum Shape { SINE, TRIANGLE, SQUARE }

    private double phase;

    public void reset() {
        phase = 0;
    }

    public void setPhase(double phase) {
        this.phase = phase - Math.floor(phase);
    }

    public double phase() {
        return phase;
    }

    /** Advances by one sample at {@code hz} and returns the new phase, 0..1. */
    public double next(float hz, float sampleRate) {
        return advance(hz / sampleRate);
    }

    /** Advances the phase by {@code cycles} (a fraction of a cycle) and returns it, 0..1. */
    public double advance(double cycles) {
        phase += cycles;
        if (phase >= 1) {
            phase -= 1;
        }
        return phase;
    }

    /** Advances by one sample at {@code hz} and returns the wave's value at the new phase. */
    public float next(Shape shape, float hz, float sampleRate) {
        return value(shape, next(hz, sampleRate), hz / sampleRate);
    }

    /** A sine without the cost of {@link Math#sin}, accurate to about 1e-4. */
    public static float sine(float phase) {
        // Fold to -0.5..0.5 of a cycle, then a parabola with one correction term.
        float x = phase >= 0f && phase < 1f ? (phase < 0.5f ? phase : phase - 1f) : phase - (float) Math.floor(phase + 0.5f);
        float y = 8f * x - 16f * x * Math.abs(x);
        return 0.225f * (y * Math.abs(y) - y) + y;
    }

    /** The wave's value at {@code phase} (0..1); {@code perSample} (cycles per sample) sets the square's edge width. */
    public static float value(Shape shape, double phase, float perSample) {
        float p = (float) phase;
        return switch (shape) {
            case SINE -> sine(p);
            case TRIANGLE -> 1f - 4f * Math.abs(p - 0.5f);
            case SQUARE -> roundedSquare(p, perSample);
        };
    }

    private static float roundedSquare(float phase, float perSample) {
        // Edges take about 2 ms (at most a 10th of a cycle), shaped by a quarter sine each side.
        float edge = Math.min(0.05f, 96f * perSample);
        float rise = phase > 0.5f ? phase - 1f : phase;
        if (Math.abs(rise) < edge) {
            return sine(0.25f * rise / edge);
        }
        float fall = phase - 0.5f;
        if (Math.abs(fall) < edge) {
            return -sine(0.25f * fall / edge);
        }
        return phase < 0.5f ? 1f : -1f;
    }
}
