package jambox.dsp.unit;

/**
 * A passive bass / mid / treble tone stack, as in the classic guitar amps: three capacitors, a
 * slope resistor and three pots, driven from a low impedance and read by a high one. The three
 * controls interact as they do in the circuit because the filter is the circuit: for each setting
 * the node equations are solved (the admittance matrix's determinant and the output's cofactor
 * are cubic polynomials in s, found exactly from their values at four points), and the analog
 * cubic is mapped to the sample rate by the bilinear transform, its frequencies warped to meet at
 * 1 kHz. Run it oversampled: at 48 kHz the warp pulls the top octave down.
 *
 * <p>The netlist (nodes: in, a, out, b, n, m; ground is 0): C1 from in to a; the treble pot from
 * a to b, its wiper the output (a to out is (1 - treble) of it); R1 from in to n; C2 from n to b;
 * C3 from n to m; the bass pot as a variable resistor from b to m (bass x its value); the mid pot
 * from m to ground (mid x its value). A pot is never quite at its end: its smallest leg is
 * {@value #MIN_LEG} ohm.
 *
 * <p>{@link #set} allocates nothing and may run on the audio thread (once a block while a knob
 * glides); {@link #process} is a third-order direct form II transposed in double precision.
 */
public final class ToneStack {
    /** The smallest resistance a pot's leg is given, so that a pot at its end is still a resistor. */
    public static final double MIN_LEG = 1.0;
    private static final int N = 5; // unknown node voltages: a, out, b, n, m
    private static final int A = 0;
    private static final int OUT = 1;
    private static final int B = 2;
    private static final int NN = 3;
    private static final int M = 4;
    private static final double WARP_HZ = 1000;

    /** One stack's parts: ohms and farads. */
    public record Circuit(String name, double r1, double c1, double c2, double c3, double treblePot, double bassPot,
                          double midPot) {
    }

    /** The 1959 Bassman's stack, which many amps since have copied. */
    public static final Circuit BASSMAN = new Circuit("bassman", 56e3, 250e-12, 20e-9, 20e-9, 250e3, 1e6, 25e3);
    /** The British plexi and JCM800 stack: a smaller slope resistor, a larger treble cap. */
    public static final Circuit JCM = new Circuit("jcm", 33e3, 470e-12, 22e-9, 22e-9, 220e3, 1e6, 22e3);

    private final double[][] y = new double[N][N];
    private final double[] rhs = new double[N];
    private final double[] p = new double[4];
    private final double[] q = new double[4];
    private final double[] det = new double[4];
    private final double[] num = new double[4];
    private final double[] bz = new double[4];
    private final double[] az = new double[4];
    private double b0, b1, b2, b3, a1, a2, a3;
    private double s1, s2, s3;

    /**
     * Sets the circuit and its three controls (each 0 to 1, as the pots turn; pass a taper's output
     * for a log pot) at sample rate {@code fs}. No allocation.
     */
    public ToneStack set(Circuit c, double treble, double mid, double bass, double fs) {
        double w0 = 2 * Math.PI * WARP_HZ;
        // The cubics in x = s / w0: values at x = 0, 1, 2, 3, then Newton's forward differences.
        for (int k = 0; k < 4; k++) {
            stamp(c, treble, mid, bass, k * w0);
            det[k] = determinant(-1);
            stamp(c, treble, mid, bass, k * w0);
            num[k] = determinant(OUT);
        }
        cubic(det, q);
        cubic(num, p);
        // Bilinear: x = K (1 - z^-1) / (1 + z^-1), K warped so that 1 kHz lands on 1 kHz.
        double kk = w0 / Math.tan(w0 / (2 * fs)) / w0;
        bilinear(p, kk, bz);
        bilinear(q, kk, az);
        double inv = 1 / az[0];
        b0 = bz[0] * inv;
        b1 = bz[1] * inv;
        b2 = bz[2] * inv;
        b3 = bz[3] * inv;
        a1 = az[1] * inv;
        a2 = az[2] * inv;
        a3 = az[3] * inv;
        return this;
    }

    /** Filters {@code x[0..n)} in place. */
    public void process(float[] x, int n) {
        process(x, 0, n);
    }

    /** Filters {@code x[from..to)} in place. */
    public void process(float[] x, int from, int to) {
        double z1 = s1;
        double z2 = s2;
        double z3 = s3;
        for (int i = from; i < to; i++) {
            double in = x[i];
            double out = b0 * in + z1;
            z1 = b1 * in - a1 * out + z2;
            z2 = b2 * in - a2 * out + z3;
            z3 = b3 * in - a3 * out;
            x[i] = (float) out;
        }
        s1 = z1;
        s2 = z2;
        s3 = z3;
    }

    public void reset() {
        s1 = 0;
        s2 = 0;
        s3 = 0;
    }

    /** The digital coefficients, numerator then denominator (a0 = 1), for tests. */
    double[] coefficients() {
        return new double[] {b0, b1, b2, b3, 1, a1, a2, a3};
    }

    /** The node equations Y v = rhs at real s, for a 1 V input. */
    private void stamp(Circuit c, double treble, double mid, double bass, double s) {
        for (double[] row : y) {
            java.util.Arrays.fill(row, 0);
        }
        java.util.Arrays.fill(rhs, 0);
        double gTop = 1 / Math.max(MIN_LEG, (1 - treble) * c.treblePot());
        double gBottom = 1 / Math.max(MIN_LEG, treble * c.treblePot());
        double gBass = 1 / Math.max(MIN_LEG, bass * c.bassPot());
        double gMid = 1 / Math.max(MIN_LEG, mid * c.midPot());
        // C1 and R1 from the driven input: their currents are sources on a and n.
        y[A][A] += s * c.c1();
        rhs[A] += s * c.c1();
        y[NN][NN] += 1 / c.r1();
        rhs[NN] += 1 / c.r1();
        between(A, OUT, gTop);
        between(OUT, B, gBottom);
        between(NN, B, s * c.c2());
        between(NN, M, s * c.c3());
        between(B, M, gBass);
        y[M][M] += gMid;
    }

    private void between(int i, int j, double g) {
        y[i][i] += g;
        y[j][j] += g;
        y[i][j] -= g;
        y[j][i] -= g;
    }

    /** The determinant of y, with column {@code replace} first replaced by rhs (Cramer), or of y itself (-1). */
    private double determinant(int replace) {
        if (replace >= 0) {
            for (int r = 0; r < N; r++) {
                y[r][replace] = rhs[r];
            }
        }
        double d = 1;
        for (int col = 0; col < N; col++) {
            int pivot = col;
            for (int r = col + 1; r < N; r++) {
                if (Math.abs(y[r][col]) > Math.abs(y[pivot][col])) {
                    pivot = r;
                }
            }
            if (pivot != col) {
                double[] t = y[pivot];
                y[pivot] = y[col];
                y[col] = t;
                d = -d;
            }
            double v = y[col][col];
            if (v == 0) {
                return 0;
            }
            d *= v;
            for (int r = col + 1; r < N; r++) {
                double f = y[r][col] / v;
                if (f != 0) {
                    for (int k = col; k < N; k++) {
                        y[r][k] -= f * y[col][k];
                    }
                }
            }
        }
        return d;
    }

    /** The cubic c0 + c1 x + c2 x^2 + c3 x^3 through the values at x = 0, 1, 2, 3. */
    private static void cubic(double[] v, double[] c) {
        double d1 = v[1] - v[0];
        double d2 = v[2] - 2 * v[1] + v[0];
        double d3 = v[3] - 3 * v[2] + 3 * v[1] - v[0];
        // Newton form: v0 + d1 x + d2 x(x-1)/2 + d3 x(x-1)(x-2)/6, expanded.
        c[0] = v[0];
        c[1] = d1 - d2 / 2 + d3 / 3;
        c[2] = d2 / 2 - d3 / 2;
        c[3] = d3 / 6;
    }

    /** sum_k c[k] K^k (1 - z^-1)^k (1 + z^-1)^(3-k), as coefficients of z^0 .. z^-3. */
    private static void bilinear(double[] c, double k, double[] out) {
        double k2 = k * k;
        double k3 = k2 * k;
        // (1+z)^3 = 1 3 3 1; (1-z)(1+z)^2 = 1 1 -1 -1; (1-z)^2(1+z) = 1 -1 -1 1; (1-z)^3 = 1 -3 3 -1
        out[0] = c[0] + c[1] * k + c[2] * k2 + c[3] * k3;
        out[1] = 3 * c[0] + c[1] * k - c[2] * k2 - 3 * c[3] * k3;
        out[2] = 3 * c[0] - c[1] * k - c[2] * k2 + 3 * c[3] * k3;
        out[3] = c[0] - c[1] * k + c[2] * k2 - c[3] * k3;
    }
}
