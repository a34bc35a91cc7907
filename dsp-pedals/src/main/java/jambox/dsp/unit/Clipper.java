package jambox.dsp.unit;

/**
 * A soft clipper, x / sqrt(1 + x^2), with first-order antiderivative anti-aliasing: each
 * output is the clipper's average between the last two inputs, (F(x1) - F(x0)) / (x1 - x0)
 * with F = sqrt(1 + x^2). That averaging is a one-sample box filter on the clipped signal,
 * whose nulls sit exactly where harmonics would fold back onto low frequencies.
 */
public final class Clipper {
    private float last;
    private float lastIntegral = 1f;

    public void reset() {
        reset(0f);
    }

    /**
     * Starts at rest with {@code x} as the last input: a stage biased away from 0 must start at
     * its bias, or its first sample averages the clipper from 0 to the bias and makes a thump.
     */
    public void reset(float x) {
        last = x;
        lastIntegral = (float) Math.sqrt(1f + x * x);
    }

    public static float clip(float x) {
        return x / (float) Math.sqrt(1f + x * x);
    }

    public float process(float x) {
        float integral = (float) Math.sqrt(1f + x * x);
        float dx = x - last;
        float y = Math.abs(dx) > 1e-3f ? (integral - lastIntegral) / dx : clip(0.5f * (x + last));
        last = x;
        lastIntegral = integral;
        return y;
    }
}
