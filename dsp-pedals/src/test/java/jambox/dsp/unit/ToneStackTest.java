package jambox.dsp.unit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * The tone stack against its circuit: the test solves the same netlist on its own, in complex
 * arithmetic at each frequency (node equations, Gaussian elimination), and compares with what the
 * filter does to an impulse, 20 Hz to 20 kHz, at five settings of each stack.
 */
class ToneStackTest {
    private static final double FS = 4 * 48_000; // the amp runs its stages oversampled
    private static final double[][] SETTINGS = {
            {0.5, 0.5, 0.5}, {1, 0, 1}, {0, 1, 0}, {0.8, 0.2, 0.3}, {0.1, 0.9, 1}}; // treble, mid, bass

    @Test
    void bothStacksFollowTheirCircuitWithin1dBFrom20HzTo20kHz() {
        for (ToneStack.Circuit c : new ToneStack.Circuit[] {ToneStack.BASSMAN, ToneStack.JCM}) {
            for (double[] s : SETTINGS) {
                ToneStack t = new ToneStack().set(c, s[0], s[1], s[2], FS);
                double[] h = impulse(t, (int) FS / 2);
                double worst = 0;
                double worstAt = 0;
                StringBuilder shape = new StringBuilder();
                for (double f = 20; f <= 20_000; f *= Math.pow(2, 1 / 6.0)) {
                    double circuit = 20 * Math.log10(circuitGain(c, s[0], s[1], s[2], f));
                    double filter = 20 * Math.log10(dft(h, f, FS));
                    if (Math.abs(filter - circuit) > worst) {
                        worst = Math.abs(filter - circuit);
                        worstAt = f;
                    }
                    if (Math.abs(Math.log(f / 100)) < 0.01 || Math.abs(Math.log(f / 1000)) < 0.06
                            || Math.abs(Math.log(f / 10_000)) < 0.06) {
                        shape.append(String.format(Locale.ROOT, " %.0f Hz %.1f dB", f, circuit));
                    }
                }
                System.out.printf(Locale.ROOT, "ToneStackTest: %s treble %.1f mid %.1f bass %.1f:%s; worst %.3f dB at %.0f Hz%n",
                        c.name(), s[0], s[1], s[2], shape, worst, worstAt);
                assertTrue(worst < 1.0, c.name() + " at " + java.util.Arrays.toString(s) + ": " + worst + " dB off at " + worstAt);
            }
        }
    }

    @Test
    void turningTheKnobsOnTheAudioThreadAllocatesNothing() {
        ToneStack t = new ToneStack().set(ToneStack.JCM, 0.5, 0.5, 0.5, FS);
        float[] block = new float[64];
        Runnable glide = () -> {
            for (int i = 0; i < 1000; i++) {
                double v = i / 999.0;
                t.set(ToneStack.JCM, v, 1 - v, v, FS);
                t.process(block, 64);
            }
        };
        glide.run(); // compiled first
        long bytes = jambox.dsp.Allocation.bytesDuring(glide);
        System.out.println("ToneStackTest: 1000 settings and blocks allocated " + bytes + " B");
        assertTrue(bytes == 0, bytes + " B");
    }

    private static double[] impulse(ToneStack t, int n) {
        float[] x = new float[n];
        x[0] = 1;
        t.process(x, n);
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = x[i];
        }
        return h;
    }

    private static double dft(double[] h, double f, double fs) {
        double re = 0;
        double im = 0;
        double w = 2 * Math.PI * f / fs;
        for (int i = 0; i < h.length; i++) {
            re += h[i] * Math.cos(w * i);
            im -= h[i] * Math.sin(w * i);
        }
        return Math.hypot(re, im);
    }

    /** |Vout / Vin| of the netlist in ToneStack's comment, solved at s = j 2 pi f. */
    static double circuitGain(ToneStack.Circuit c, double treble, double mid, double bass, double f) {
        double w = 2 * Math.PI * f;
        // unknowns: a, out, b, n, m; admittances as (re, im)
        double[][] re = new double[5][6];
        double[][] im = new double[5][6];
        double top = 1 / Math.max(1, (1 - treble) * c.treblePot());
        double bottom = 1 / Math.max(1, treble * c.treblePot());
        double gb = 1 / Math.max(1, bass * c.bassPot());
        double gm = 1 / Math.max(1, mid * c.midPot());
        // C1 from the 1 V input to a; R1 from the input to n
        im[0][0] += w * c.c1();
        im[0][5] += w * c.c1();
        re[3][3] += 1 / c.r1();
        re[3][5] += 1 / c.r1();
        link(re, im, 0, 1, top, 0);
        link(re, im, 1, 2, bottom, 0);
        link(re, im, 3, 2, 0, w * c.c2());
        link(re, im, 3, 4, 0, w * c.c3());
        link(re, im, 2, 4, gb, 0);
        re[4][4] += gm;
        // Gauss-Jordan on the augmented complex matrix
        for (int col = 0; col < 5; col++) {
            int p = col;
            for (int r = col + 1; r < 5; r++) {
                if (Math.hypot(re[r][col], im[r][col]) > Math.hypot(re[p][col], im[p][col])) {
                    p = r;
                }
            }
            double[] t = re[p];
            re[p] = re[col];
            re[col] = t;
            t = im[p];
            im[p] = im[col];
            im[col] = t;
            double pr = re[col][col];
            double pi = im[col][col];
            double mag = pr * pr + pi * pi;
            for (int r = 0; r < 5; r++) {
                if (r == col) {
                    continue;
                }
                // factor = row[col] / pivot
                double fr = (re[r][col] * pr + im[r][col] * pi) / mag;
                double fi = (im[r][col] * pr - re[r][col] * pi) / mag;
                for (int k = col; k < 6; k++) {
                    double xr = re[col][k];
                    double xi = im[col][k];
                    re[r][k] -= fr * xr - fi * xi;
                    im[r][k] -= fr * xi + fi * xr;
                }
            }
        }
        // out = rhs[1] / diag[1]
        double nr = re[1][5];
        double ni = im[1][5];
        double dr = re[1][1];
        double di = im[1][1];
        return Math.hypot(nr, ni) / Math.hypot(dr, di);
    }

    private static void link(double[][] re, double[][] im, int i, int j, double g, double b) {
        re[i][i] += g;
        re[j][j] += g;
        re[i][j] -= g;
        re[j][i] -= g;
        im[i][i] += b;
        im[j][j] += b;
        im[i][j] -= b;
        im[j][i] -= b;
    }
}
