package jambox.dsp.unit;

/**
 * A streaming second-order IIR section (transposed direct form II) with the RBJ "Audio EQ
 * Cookbook" designs. Ours rather than TarsosDSP's: its IIR filters allocate when their
 * coefficients change and have no peaking or shelving types. Setting coefficients never
 * allocates, so the audio thread may retune it every block.
 */
public final class Biquad {
    private float b0 = 1, b1, b2, a1, a2;
    private float z1, z2;

    public void reset() {
        z1 = 0;
        z2 = 0;
    }

    /** One sample; call {@link #flush} once a block. */
    public float process(float x) {
        float y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        return y;
    }

    /**
     * Flushes a state that has decayed into the denormal range to zero: adding and removing a
     * tiny constant leaves normal values as they are and denormals as 0.
     */
    public void flush() {
        z1 = (z1 + 1e-18f) - 1e-18f;
        z2 = (z2 + 1e-18f) - 1e-18f;
    }

    /**
     * Runs a cascade of sections sample by sample. Each section's recurrence is a chain of
     * dependent operations; going through all sections per sample lets the CPU overlap the
     * chains, where filtering the block section by section would wait on each in turn.
     */
    public static void cascade(Biquad[] sections, float[] buf, int n) {
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            for (Biquad b : sections) {
                x = b.process(x);
            }
            buf[i] = x;
        }
        for (Biquad b : sections) {
            b.flush();
        }
    }

    public void process(float[] buf, int n) {
        process(buf, 0, n);
    }

    /** Filters {@code n} samples of {@code buf} from {@code off}, in place. */
    public void process(float[] buf, int off, int n) {
        float lb0 = b0, lb1 = b1, lb2 = b2, la1 = a1, la2 = a2, s1 = z1, s2 = z2;
        for (int i = off; i < off + n; i++) {
            float x = buf[i];
            float y = lb0 * x + s1;
            s1 = lb1 * x - la1 * y + s2;
            s2 = lb2 * x - la2 * y;
            buf[i] = y;
        }
        z1 = (s1 + 1e-18f) - 1e-18f;
        z2 = (s2 + 1e-18f) - 1e-18f;
    }

    /** Passes everything unchanged. */
    public Biquad setIdentity() {
        return set(1, 0, 0, 1, 0, 0);
    }

    public Biquad setPeaking(double fs, double f0, double q, double gainDb) {
        double a = Math.pow(10, gainDb / 40), w = w0(fs, f0), alpha = Math.sin(w) / (2 * q), c = Math.cos(w);
        return set(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
    }

    public Biquad setLowShelf(double fs, double f0, double slope, double gainDb) {
        double a = Math.pow(10, gainDb / 40), w = w0(fs, f0), c = Math.cos(w);
        double alpha = shelfAlpha(a, w, slope), sa = 2 * Math.sqrt(a) * alpha;
        return set(a * ((a + 1) - (a - 1) * c + sa), 2 * a * ((a - 1) - (a + 1) * c), a * ((a + 1) - (a - 1) * c - sa),
                (a + 1) + (a - 1) * c + sa, -2 * ((a - 1) + (a + 1) * c), (a + 1) + (a - 1) * c - sa);
    }

    public Biquad setHighShelf(double fs, double f0, double slope, double gainDb) {
        double a = Math.pow(10, gainDb / 40), w = w0(fs, f0), c = Math.cos(w);
        double alpha = shelfAlpha(a, w, slope), sa = 2 * Math.sqrt(a) * alpha;
        return set(a * ((a + 1) + (a - 1) * c + sa), -2 * a * ((a - 1) + (a + 1) * c), a * ((a + 1) + (a - 1) * c - sa),
                (a + 1) - (a - 1) * c + sa, 2 * ((a - 1) - (a + 1) * c), (a + 1) - (a - 1) * c - sa);
    }

    public Biquad setLowpass(double fs, double f0, double q) {
        double w = w0(fs, f0), alpha = Math.sin(w) / (2 * q), c = Math.cos(w);
        return set((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    public Biquad setHighpass(double fs, double f0, double q) {
        double w = w0(fs, f0), alpha = Math.sin(w) / (2 * q), c = Math.cos(w);
        return set((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    /** Band-pass with 0 dB at the centre. */
    public Biquad setBandpass(double fs, double f0, double q) {
        double w = w0(fs, f0), alpha = Math.sin(w) / (2 * q), c = Math.cos(w);
        return set(alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
    }

    public Biquad setNotch(double fs, double f0, double q) {
        double w = w0(fs, f0), alpha = Math.sin(w) / (2 * q), c = Math.cos(w);
        return set(1, -2 * c, 1, 1 + alpha, -2 * c, 1 - alpha);
    }

    /** Sets raw coefficients, normalised by {@code a0}. */
    public Biquad set(double b0, double b1, double b2, double a0, double a1, double a2) {
        this.b0 = (float) (b0 / a0);
        this.b1 = (float) (b1 / a0);
        this.b2 = (float) (b2 / a0);
        this.a1 = (float) (a1 / a0);
        this.a2 = (float) (a2 / a0);
        return this;
    }

    /** The magnitude response at {@code f} Hz, in dB (for docs and tests, not the audio thread). */
    public double magnitudeDb(double fs, double f) {
        double w = 2 * Math.PI * f / fs;
        double cr1 = Math.cos(w), ci1 = -Math.sin(w), cr2 = Math.cos(2 * w), ci2 = -Math.sin(2 * w);
        double nr = b0 + b1 * cr1 + b2 * cr2, ni = b1 * ci1 + b2 * ci2;
        double dr = 1 + a1 * cr1 + a2 * cr2, di = a1 * ci1 + a2 * ci2;
        return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
    }

    /** The phase response at {@code f} Hz, in radians (for design and tests, not the audio thread). */
    public double phase(double fs, double f) {
        double w = 2 * Math.PI * f / fs;
        double nr = b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w), ni = -b1 * Math.sin(w) - b2 * Math.sin(2 * w);
        double dr = 1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w), di = -a1 * Math.sin(w) - a2 * Math.sin(2 * w);
        return Math.atan2(ni, nr) - Math.atan2(di, dr);
    }

    private static double w0(double fs, double f0) {
        return 2 * Math.PI * Math.min(f0, fs * 0.49) / fs;
    }

    private static double shelfAlpha(double a, double w, double slope) {
        return Math.sin(w) / 2 * Math.sqrt((a + 1 / a) * (1 / slope - 1) + 2);
    }
}
