package jambox.dsp.unit;

/**
 * 4x oversampling for nonlinear pedals: a block is interpolated to four times the rate, the
 * caller shapes it there, and it is filtered and decimated back. Both filters are one 64-tap
 * Kaiser-windowed sinc low-pass (linear phase, about -60 dB from 28 kHz), run polyphase, so
 * harmonics a clipper makes above the audio band are removed before they can fold back into
 * it. Latency: {@value #LATENCY_SAMPLES} samples at the base rate, whatever that rate is.
 */
public final class Oversampler {
    public static final int FACTOR = 4;
    private static final int TAPS = 64;
    private static final int PHASE_TAPS = TAPS / FACTOR;
    /**
     * Each linear-phase filter delays by half its length, (TAPS - 1) / 2 high-rate samples, 63 in
     * all; {@link #down} keeps the last of each four high-rate samples (phase FACTOR - 1), which
     * takes 3 of them back: 60 high-rate samples, exactly 15 at the base rate. (The docs said
     * 15.75 until the impulse response was measured.)
     */
    public static final double LATENCY_SAMPLES = (TAPS - 1 - (FACTOR - 1)) / (double) FACTOR;
    /** Cutoff as a fraction of the high rate: 22 kHz at 48 kHz x 4. */
    private static final double CUTOFF = 22.0 / 192.0;
    private static final double KAISER_BETA = 5.65;

    /** The prototype, reversed, so dot products walk both arrays forwards. */
    private final float[] hr = reverse(design());
    /** Each phase's taps times FACTOR (zero-stuffing loses that much gain), reversed likewise. */
    private final float[][] phases = new float[FACTOR][PHASE_TAPS];
    private final float[] in;
    private final float[] high;
    private final float[] out;

    public Oversampler(int maxBlock) {
        float[] h = design();
        for (int p = 0; p < FACTOR; p++) {
            for (int j = 0; j < PHASE_TAPS; j++) {
                phases[p][PHASE_TAPS - 1 - j] = FACTOR * h[j * FACTOR + p];
            }
        }
        in = new float[PHASE_TAPS + maxBlock];
        high = new float[TAPS + FACTOR * maxBlock];
        out = new float[maxBlock];
    }

    private static float[] reverse(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    /**
     * Forgets the signal. Only the filters' history is read before a block overwrites it (the
     * first {@code PHASE_TAPS} input and {@code TAPS} high-rate samples), so only that is cleared:
     * the buffers are sized for the largest block (8192 frames in the box), and a pedal fading in
     * resets on the audio thread.
     */
    public void reset() {
        java.util.Arrays.fill(in, 0, PHASE_TAPS, 0f);
        java.util.Arrays.fill(high, 0, TAPS, 0f);
    }

    /** The high-rate buffer; after {@link #up} its samples {@link #offset} .. + 4n hold the block. */
    public float[] high() {
        return high;
    }

    /** Where the current block starts in {@link #high()}. */
    public int offset() {
        return TAPS;
    }

    /**
     * The decimator's dot product. The taps mirror (linear phase), so mirrored samples are
     * added first: half the multiplies. Eight running sums, not one: a single sum is a chain of
     * dependent adds bound by their latency; independent ones let the CPU overlap them.
     */
    private static float symmetricDot(float[] c, float[] x, int from) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
        int last = from + TAPS - 1;
        for (int k = 0; k < TAPS / 2; k += 8) {
            a0 += c[k] * (x[from + k] + x[last - k]);
            a1 += c[k + 1] * (x[from + k + 1] + x[last - k - 1]);
            a2 += c[k + 2] * (x[from + k + 2] + x[last - k - 2]);
            a3 += c[k + 3] * (x[from + k + 3] + x[last - k - 3]);
            a4 += c[k + 4] * (x[from + k + 4] + x[last - k - 4]);
            a5 += c[k + 5] * (x[from + k + 5] + x[last - k - 5]);
            a6 += c[k + 6] * (x[from + k + 6] + x[last - k - 6]);
            a7 += c[k + 7] * (x[from + k + 7] + x[last - k - 7]);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * Interpolates {@code n} samples of {@code buf} to 4n samples in {@link #high()}. The four
     * phases are computed together from each input sample, two running sums per phase, for
     * the same reason as in {@link #symmetricDot}.
     */
    public void up(float[] buf, int n) {
        System.arraycopy(buf, 0, in, PHASE_TAPS, n);
        float[] p0 = phases[0], p1 = phases[1], p2 = phases[2], p3 = phases[3];
        for (int i = 0; i < n; i++) {
            int from = i + 1;
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
            for (int j = 0; j < PHASE_TAPS; j += 2) {
                float v = in[from + j], w = in[from + j + 1];
                a0 += p0[j] * v;
                a1 += p1[j] * v;
                a2 += p2[j] * v;
                a3 += p3[j] * v;
                b0 += p0[j + 1] * w;
                b1 += p1[j + 1] * w;
                b2 += p2[j + 1] * w;
                b3 += p3[j + 1] * w;
            }
            int at = TAPS + FACTOR * i;
            high[at] = a0 + b0;
            high[at + 1] = a1 + b1;
            high[at + 2] = a2 + b2;
            high[at + 3] = a3 + b3;
        }
        System.arraycopy(in, n, in, 0, PHASE_TAPS);
    }

    /** Filters and decimates the 4n samples in {@link #high()} back into {@code n} samples of {@code buf}. */
    public void down(float[] buf, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = symmetricDot(hr, high, FACTOR * i + FACTOR);
        }
        System.arraycopy(high, FACTOR * n, high, 0, TAPS);
        System.arraycopy(out, 0, buf, 0, n);
    }

    private static float[] design() {
        float[] taps = new float[TAPS];
        double mid = (TAPS - 1) / 2.0, sum = 0;
        for (int k = 0; k < TAPS; k++) {
            double t = k - mid;
            double sinc = 2 * CUTOFF * (t == 0 ? 1 : Math.sin(2 * Math.PI * CUTOFF * t) / (2 * Math.PI * CUTOFF * t));
            double r = t / mid;
            double w = bessel0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / bessel0(KAISER_BETA);
            taps[k] = (float) (sinc * w);
            sum += taps[k];
        }
        for (int k = 0; k < TAPS; k++) {
            taps[k] /= (float) sum;
        }
        return taps;
    }

    private static double bessel0(double x) {
        double term = 1, sum = 1;
        for (int k = 1; k < 40; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }
}
