package jambox.dsp.unit;

/** A one-pole low-pass (and its complementary high-pass): tone controls, damping, DC blocking. */
public final class OnePole {
    private float a = 1f;
    private float z;

    /** Sets the -3 dB corner of the low-pass. */
    public OnePole setCutoff(double fs, double hz) {
        a = coefficient(fs, hz);
        return this;
    }

    /** The smoothing coefficient of a one-pole low-pass at {@code hz}, for loops that keep their own state. */
    public static float coefficient(double fs, double hz) {
        return (float) (1 - Math.exp(-2 * Math.PI * Math.min(hz, fs * 0.49) / fs));
    }

    public void reset() {
        z = 0;
    }

    public float lowpass(float x) {
        z += (x - z) * a;
        z = (z + 1e-18f) - 1e-18f;
        return z;
    }

    public float highpass(float x) {
        return x - lowpass(x);
    }
}
