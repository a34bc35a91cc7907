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
        double i0Beta = besselI0(BETA);
        for (int m = 0; m < y.length; m++) {
            double t = m * step;
            int lo = Math.max(0, (int) Math.ceil(t - reach));
            int hi = Math.min(x.length - 1, (int) Math.floor(t + reach));
            double s = 0;
            for (int n = lo; n <= hi; n++) {
                double u = t - n;
                double r = u / reach;
                double w = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                double arg = Math.PI * fc * u;
                double sinc = arg == 0 ? 1 : Math.sin(arg) / arg;
                s += x[n] * fc * sinc * w;
            }
            // fc*sinc sums to 1 over the input grid: a DC response of area A keeps area A only if
            // each of the (to/from times as many) output samples carries from/to of it.
            y[m] = (float) (s * step);
        }
        return y;
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
