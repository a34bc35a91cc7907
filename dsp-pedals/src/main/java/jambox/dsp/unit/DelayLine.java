package jambox.dsp.unit;

/**
 * A circular delay line read at whole or fractional positions. The buffer is a power of two
 * sized at construction, so the audio thread only masks indices; changing the delay never
 * reallocates (unlike TarsosDSP's {@code DelayEffect}).
 */
public final class DelayLine {
    private final float[] buf;
    private final int mask;
    private int write;

    /** A line that can delay by up to {@code maxDelay} samples (plus interpolation margin). */
    public DelayLine(int maxDelay) {
        int size = Integer.highestOneBit(Math.max(4, maxDelay + 4) - 1) << 1;
        buf = new float[size];
        mask = size - 1;
    }

    /** The longest delay that can be read, in samples. */
    public int capacity() {
        return buf.length - 4;
    }

    public void reset() {
        java.util.Arrays.fill(buf, 0f);
        write = 0;
    }

    /** Pushes one sample; reads after this see it at delay 0. */
    public void write(float x) {
        write = (write + 1) & mask;
        buf[write] = x;
    }

    /** The sample written {@code delay} writes ago. */
    public float read(int delay) {
        return buf[(write - delay) & mask];
    }

    /** Linear interpolation between whole-sample positions. */
    public float readLinear(float delay) {
        int d = (int) delay;
        float frac = delay - d;
        float a = buf[(write - d) & mask];
        float b = buf[(write - d - 1) & mask];
        return a + (b - a) * frac;
    }

    /**
     * Four-point cubic (Hermite) interpolation: flat to well above the guitar's range, so a
     * swept delay neither dulls the sound nor adds the zipper of whole-sample steps.
     */
    public float readCubic(float delay) {
        int d = (int) delay;
        float t = delay - d;
        int i = write - d;
        float xm1 = buf[(i + 1) & mask];
        float x0 = buf[i & mask];
        float x1 = buf[(i - 1) & mask];
        float x2 = buf[(i - 2) & mask];
        float c1 = 0.5f * (x1 - xm1);
        float c2 = xm1 - 2.5f * x0 + 2f * x1 - 0.5f * x2;
        float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
        return ((c3 * t + c2) * t + c1) * t + x0;
    }
}
