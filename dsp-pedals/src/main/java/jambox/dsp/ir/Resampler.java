package jambox.dsp.ir;

/**
 * Band-limited resampling of an impulse response to the board's rate: a Kaiser-windowed sinc
 * evaluated at each output instant. Off the audio thread only (it allocates, and costs a few
 * million multiply-adds for half a second of response): an impulse response is resampled once,
 * when it is loaded or the board's rate changes, never while it plays.
 */
public final class Resampler {
    /** Zero crossings of the (lower rate's) sinc on each side of the output instant. */
    static final int HALF_WIDTH = 32;
    /** Kaiser beta: stop band near -90 dB. */
    private static final double BETA = 8.6;
    /** Passband edge as a share of the lower rate's Nyquist: the transition band lies below it. */
    private static final double CUTOFF = 0.95;
    /** Table points per zero crossing: linear interpolation between them is good to about -110 dB. */
    private static final int OVERSAMPLE = 512;
    /**
     * The windowed sinc from 0 to {@link #HALF_WIDTH} zero crossings (it is even). Tabulated once:
     * a Bessel series and a sine per tap made half a second of response cost ~0.1 s here, several
     * times that on a Pi, for every pedal and slot.
     */
    private static final double[] KERNEL = kernel();

    private Resampler() {
    }

    /**
     * {@code x}, sampled at {@code from} Hz, at {@code to} Hz, truncated to {@code maxLength}
     * samples. The same rate returns a copy. The response's gain at low frequencies is kept:
     * every output sample stands for {@code from/to} input samples' worth of area.
     */
    public static float[] resample(float[] x, double from, double to, int maxLength) {
        if (!(from > 0 && to > 0) || maxLength < 1) {
            throw new IllegalArgumentException("cannot resample from " + from + " Hz to " + to + " Hz");
        }
        int length = (int) Math.min(maxLength, Math.ceil(x.length * to / from));
        float[] y = new float[Math.max(1, length)];
        if (from == to) {
            System.arraycopy(x, 0, y, 0, Math.min(x.length, y.length));
            return y;
        }
        double step = from / to;
        // The sinc is as wide as the lower rate's: downsampling filters out what the new rate cannot hold.
        double fc = CUTOFF * Math.min(1.0, to / from);
        double reach = HALF_WIDTH / fc;
        for (int m = 0; m < y.length; m++) {
            double t = m * step;
            int lo = Math.max(0, (int) Math.ceil(t - reach));
            int hi = Math.min(x.length - 1, (int) Math.floor(t + reach));
            double s = 0;
            for (int n = lo; n <= hi; n++) {
                s += x[n] * kernelAt(Math.abs(t - n) * fc);
            }
            s *= fc;
            // fc*sinc sums to 1 over the input grid: a DC response of area A keeps area A only if
            // each of the (to/from times as many) output samples carries from/to of it.
            y[m] = (float) (s * step);
        }
        return y;
    }

    /** The windowed sinc {@code v} zero crossings from its centre ({@code v >= 0}), interpolated from the table. */
    private static double kernelAt(double v) {
        double pos = v * OVERSAMPLE;
        int i = (int) pos;
        if (i >= KERNEL.length - 1) {
            return 0;
        }
        double frac = pos - i;
        return KERNEL[i] + frac * (KERNEL[i + 1] - KERNEL[i]);
    }

    private static double[] kernel() {
        double[] k = new double[HALF_WIDTH * OVERSAMPLE + 1];
        double i0Beta = besselI0(BETA);
        for (int i = 0; i < k.length; i++) {
            double v = i / (double) OVERSAMPLE;
            double r = v / HALF_WIDTH;
            double w = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            double arg = Math.PI * v;
            k[i] = (arg == 0 ? 1 : Math.sin(arg) / arg) * w;
        }
        return k;
    }

    /** The modified Bessel function of the first kind, order 0, by its series. */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50 && term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
