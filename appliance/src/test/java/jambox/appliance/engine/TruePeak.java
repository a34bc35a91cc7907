package jambox.appliance.engine;

/**
 * True peak as a test measures it, independently of the limiter's own 4x detector: each signal is
 * reconstructed at 16x the rate with a 64-tap-per-phase Blackman-Harris windowed sinc, and the
 * largest magnitude of the samples and all points between them is the true peak.
 */
final class TruePeak {
    static final int FACTOR = 16;
    static final int HALF = 32;

    private TruePeak() {
    }

    /**
     * Linear true peak of {@code x[from .. to)}. The reconstruction looks {@value #HALF} samples
     * either side: keep that far from an array's end, where the signal stops dead, and from a switch.
     */
    static double of(float[] x, int from, int to) {
        double[][] taps = new double[FACTOR][2 * HALF];
        for (int p = 1; p < FACTOR; p++) {
            double f = p / (double) FACTOR;
            for (int j = 0; j < 2 * HALF; j++) {
                double u = f - (j - HALF + 1);
                double a = Math.PI * u / HALF;
                double w = 0.35875 + 0.48829 * Math.cos(a) + 0.14128 * Math.cos(2 * a) + 0.01168 * Math.cos(3 * a);
                taps[p][j] = Math.sin(Math.PI * u) / (Math.PI * u) * w;
            }
        }
        double peak = 0;
        for (int k = from; k < to; k++) {
            peak = Math.max(peak, Math.abs(x[k]));
            for (int p = 1; p < FACTOR; p++) {
                double v = 0;
                for (int j = 0; j < 2 * HALF; j++) {
                    int i = k + j - HALF + 1;
                    if (i >= 0 && i < x.length) {
                        v += taps[p][j] * x[i];
                    }
                }
                peak = Math.max(peak, Math.abs(v));
            }
        }
        return peak;
    }

    static double dbtp(float[][] channels, int from, int to) {
        double peak = 0;
        for (float[] c : channels) {
            peak = Math.max(peak, of(c, from, to));
        }
        return 20 * Math.log10(peak);
    }
}
