package jambox.appliance.render;

/**
 * Integrated loudness in LUFS, after ITU-R BS.1770: each channel K-weighted (a high shelf of about
 * +4 dB above 1.7 kHz, the head's effect, then a high-pass at 38 Hz), mean square over 400 ms
 * blocks overlapping by 75%, the channels summed with weight 1 (no surrounds here), blocks under
 * -70 LUFS dropped, then those more than 10 LU under the mean of the rest. The filters are
 * designed for the given rate from the standard's analogue prototypes (at 48 kHz they come out as
 * the standard's own coefficients).
 */
final class Loudness {
    private Loudness() {
    }

    /** The integrated loudness of {@code channels} at {@code rate} Hz, or -infinity when every block is gated out. */
    static double integrated(float[][] channels, double rate) {
        int frames = channels[0].length;
        double[][] weighted = new double[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            weighted[c] = kWeighted(channels[c], rate);
        }
        int block = (int) Math.round(0.4 * rate);
        int step = block / 4;
        int blocks = frames < block ? 0 : (frames - block) / step + 1;
        double[] power = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            double sum = 0;
            for (double[] w : weighted) {
                for (int i = b * step; i < b * step + block; i++) {
                    sum += w[i] * w[i];
                }
            }
            power[b] = sum / block;
        }
        double absolute = mean(power, Math.pow(10, (-70 + 0.691) / 10));
        if (Double.isNaN(absolute)) {
            return Double.NEGATIVE_INFINITY;
        }
        double relative = lufs(absolute) - 10;
        return lufs(mean(power, Math.pow(10, (relative + 0.691) / 10)));
    }

    private static double lufs(double power) {
        return -0.691 + 10 * Math.log10(power);
    }

    /** The mean of the blocks above {@code gate}; NaN when none is. */
    private static double mean(double[] power, double gate) {
        double sum = 0;
        int n = 0;
        for (double p : power) {
            if (p > gate) {
                sum += p;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static double[] kWeighted(float[] x, double rate) {
        // Stage 1: the high shelf.
        double k = Math.tan(Math.PI * 1681.974450955533 / rate);
        double vh = Math.pow(10, 3.999843853973347 / 20);
        double vb = Math.pow(vh, 0.4996667741545416);
        double q = 0.7071752369554196;
        double a0 = 1 + k / q + k * k;
        double[] shelf = {(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
        // Stage 2: the high-pass.
        k = Math.tan(Math.PI * 38.13547087602444 / rate);
        q = 0.5003270373238773;
        a0 = 1 + k / q + k * k;
        double[] highPass = {1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
        return biquad(biquad(toDouble(x), shelf), highPass);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** {b0, b1, b2, a1, a2}, direct form I. */
    private static double[] biquad(double[] x, double[] f) {
        double[] y = new double[x.length];
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double v = f[0] * x[i] + f[1] * x1 + f[2] * x2 - f[3] * y1 - f[4] * y2;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = v;
            y[i] = v;
        }
        return y;
    }
}
