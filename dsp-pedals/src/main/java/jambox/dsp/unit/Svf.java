package jambox.dsp.unit;

/**
 * A state-variable filter integrated with the trapezoidal rule. For a fixed setting it has the
 * same response as the RBJ cookbook biquad of the same type (both are the bilinear transform
 * of one analog prototype, prewarped at the centre), but its state is two integrator
 * charges, not past outputs, so retuning it sample by sample while a knob sweeps leaves no
 * transients (a direct-form biquad retuned across a 30 dB shelf jump does click).
 */
public final class Svf {
    private float a1 = 1, a2, a3;
    private float m0 = 1, m1, m2;
    /** Where the coefficients are heading: the next {@link #process} call ramps to them. */
    private float ta1 = 1, ta2, ta3, tm0 = 1, tm1, tm2;
    private boolean ramp;
    private float ic1, ic2;

    public void reset() {
        ic1 = 0;
        ic2 = 0;
    }

    /** Peaking ("bell") band: {@code gainDb} at {@code f0}, bandwidth from {@code q}. */
    public Svf setBell(double fs, double f0, double q, double gainDb) {
        double a = Math.pow(10, gainDb / 40);
        return set(g(fs, f0), 1 / (q * a), 1, (a * a - 1) / (q * a), 0);
    }

    public Svf setLowShelf(double fs, double f0, double q, double gainDb) {
        double a = Math.pow(10, gainDb / 40);
        return set(g(fs, f0) / Math.sqrt(a), 1 / q, 1, (a - 1) / q, a * a - 1);
    }

    public Svf setHighShelf(double fs, double f0, double q, double gainDb) {
        double a = Math.pow(10, gainDb / 40);
        return set(g(fs, f0) * Math.sqrt(a), 1 / q, a * a, (1 - a) * a / q, 1 - a * a);
    }

    /**
     * Band-pass with unity gain at {@code f0}: the output is the band integrator times k = 1/Q,
     * so a higher Q narrows the band without making its peak louder.
     */
    public Svf setBandPass(double fs, double f0, double q) {
        return set(g(fs, f0), 1 / q, 0, 1 / q, 0);
    }

    /**
     * Sets the coefficients for the end of the next {@link #process} call; that call moves
     * to them linearly, sample by sample, so even the output mix never steps.
     */
    private Svf set(double g, double k, double m0, double m1, double m2) {
        double d = 1 / (1 + g * (g + k));
        ta1 = (float) d;
        ta2 = (float) (g * d);
        ta3 = (float) (g * g * d);
        tm0 = (float) m0;
        tm1 = (float) m1;
        tm2 = (float) m2;
        ramp = true;
        return this;
    }

    /** Jumps to the coefficients last set, with no ramp (for a filter that is not playing yet). */
    public void settle() {
        a1 = ta1;
        a2 = ta2;
        a3 = ta3;
        m0 = tm0;
        m1 = tm1;
        m2 = tm2;
        ramp = false;
    }

    private static double g(double fs, double f0) {
        return Math.tan(Math.PI * Math.min(f0, fs * 0.49) / fs);
    }

    /** Filters {@code n} samples of {@code buf} from {@code off}, in place, ramping to new coefficients if set. */
    public void process(float[] buf, int off, int n) {
        float inv = ramp ? 1f / n : 0f;
        float da1 = (ta1 - a1) * inv, da2 = (ta2 - a2) * inv, da3 = (ta3 - a3) * inv;
        float dm0 = (tm0 - m0) * inv, dm1 = (tm1 - m1) * inv, dm2 = (tm2 - m2) * inv;
        float s1 = ic1, s2 = ic2;
        for (int i = off; i < off + n; i++) {
            a1 += da1;
            a2 += da2;
            a3 += da3;
            m0 += dm0;
            m1 += dm1;
            m2 += dm2;
            float v0 = buf[i];
            float v3 = v0 - s2;
            float v1 = a1 * s1 + a2 * v3;
            float v2 = s2 + a2 * s1 + a3 * v3;
            s1 = 2 * v1 - s1;
            s2 = 2 * v2 - s2;
            buf[i] = m0 * v0 + m1 * v1 + m2 * v2;
        }
        if (ramp) {
            settle();
        }
        ic1 = (s1 + 1e-18f) - 1e-18f;
        ic2 = (s2 + 1e-18f) - 1e-18f;
    }

    /**
     * Runs settled filters in series sample by sample, so their recurrences overlap in the CPU
     * (as {@link Biquad#cascade} does). Filters still ramping are run one by one instead.
     */
    public static void cascade(Svf[] filters, float[] buf, int n) {
        for (Svf f : filters) {
            if (f.ramp) {
                for (Svf g : filters) {
                    g.process(buf, 0, n);
                }
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            for (Svf f : filters) {
                float v3 = x - f.ic2;
                float v1 = f.a1 * f.ic1 + f.a2 * v3;
                float v2 = f.ic2 + f.a2 * f.ic1 + f.a3 * v3;
                f.ic1 = 2 * v1 - f.ic1;
                f.ic2 = 2 * v2 - f.ic2;
                x = f.m0 * x + f.m1 * v1 + f.m2 * v2;
            }
            buf[i] = x;
        }
        for (Svf f : filters) {
            f.ic1 = (f.ic1 + 1e-18f) - 1e-18f;
            f.ic2 = (f.ic2 + 1e-18f) - 1e-18f;
        }
    }
}
