package jambox.dsp.unit;

/**
 * A real FFT of a fixed power-of-two size, for the {@link Convolver}: a complex FFT of half the
 * size over the even and odd samples packed as real and imaginary parts, then one pass that
 * separates the two. Ours rather than TarsosDSP's, whose FFT may allocate and works on
 * interleaved arrays; here everything is split real/imaginary float arrays preallocated at
 * construction, and the twiddles of each stage are contiguous so that the long inner loops
 * are plain array arithmetic the JIT can vectorise.
 *
 * <p>Spectra are packed in {@code size/2} bins: bin 0 holds the (real) DC value in its real
 * part and the (real) Nyquist value in its imaginary part. Scaling: {@link #forward} gives
 * twice the textbook DFT and {@link #inverse} gives {@code size} times the textbook inverse, so
 * {@code inverse(forward(x))} is {@code 2 size x}; the convolver folds the constant into its
 * filter spectra instead of spending multiplies on it per block.
 *
 * <p>Not thread-safe: one instance per user (its scratch arrays are its state).
 */
public final class RealFft {
    private final int size;
    private final int half;
    private final int[] bitReverse;
    /** Per stage of the half-size complex FFT, the twiddles e^{-2 pi i j / span} for j < span/2. */
    private final float[][] stageCos;
    private final float[][] stageSin;
    /** e^{-2 pi i k / size} for the pass that separates the even and odd halves. */
    private final float[] splitCos;
    private final float[] splitSin;
    private final float[] zr;
    private final float[] zi;

    public RealFft(int size) {
        if (size < 4 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("a real FFT size is a power of two >= 4, not " + size);
        }
        this.size = size;
        this.half = size / 2;
        int bits = Integer.numberOfTrailingZeros(half);
        bitReverse = new int[half];
        for (int i = 0; i < half; i++) {
            bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        stageCos = new float[bits][];
        stageSin = new float[bits][];
        for (int s = 0; s < bits; s++) {
            int span = 2 << s;
            stageCos[s] = new float[span / 2];
            stageSin[s] = new float[span / 2];
            for (int j = 0; j < span / 2; j++) {
                stageCos[s][j] = (float) Math.cos(2 * Math.PI * j / span);
                stageSin[s][j] = (float) -Math.sin(2 * Math.PI * j / span);
            }
        }
        splitCos = new float[half];
        splitSin = new float[half];
        for (int k = 0; k < half; k++) {
            splitCos[k] = (float) Math.cos(2 * Math.PI * k / size);
            splitSin[k] = (float) -Math.sin(2 * Math.PI * k / size);
        }
        zr = new float[half];
        zi = new float[half];
    }

    public int size() {
        return size;
    }

    /** Bins of a packed spectrum: {@code size/2}. */
    public int bins() {
        return half;
    }

    /**
     * Spectrum of {@code x[0..size)} into {@code re/im[off..off+size/2)}, packed and scaled as
     * the class says. Allocates nothing.
     */
    public void forward(float[] x, float[] re, float[] im, int off) {
        for (int n = 0; n < half; n++) {
            int r = bitReverse[n];
            zr[r] = x[2 * n];
            zi[r] = x[2 * n + 1];
        }
        butterflies(false);
        // X[k] = (Z[k] + conj Z[M-k]) + W^k (Z[k] - conj Z[M-k]) / i, each twice the textbook value.
        re[off] = 2 * (zr[0] + zi[0]);
        im[off] = 2 * (zr[0] - zi[0]);
        for (int k = 1; k < half; k++) {
            float ar = zr[k], ai = zi[k], br = zr[half - k], bi = -zi[half - k];
            float er = ar + br, ei = ai + bi;
            // (Z[k] - conj Z[M-k]) / i = (d_i, -d_r)
            float dr = ai - bi, di = -(ar - br);
            float wr = splitCos[k], wi = splitSin[k];
            re[off + k] = er + (wr * dr - wi * di);
            im[off + k] = ei + (wr * di + wi * dr);
        }
    }

    /**
     * Signal of the packed spectrum {@code re/im[off..off+size/2)} into {@code x[0..size)},
     * scaled as the class says. Allocates nothing; the spectrum is left as it was.
     */
    public void inverse(float[] re, float[] im, int off, float[] x) {
        // Fe = X[k] + conj X[M-k], Fo = (X[k] - conj X[M-k]) W^-k; Z = Fe + i Fo.
        {
            float x0 = re[off], xm = im[off];
            float fe = x0 + xm, fo = x0 - xm;
            int r = bitReverse[0];
            zr[r] = fe;
            zi[r] = fo;
        }
        for (int k = 1; k < half; k++) {
            float ar = re[off + k], ai = im[off + k], br = re[off + half - k], bi = -im[off + half - k];
            float er = ar + br, ei = ai + bi;
            float dr = ar - br, di = ai - bi;
            float wr = splitCos[k], wi = -splitSin[k];
            float or = dr * wr - di * wi, oi = dr * wi + di * wr;
            int r = bitReverse[k];
            zr[r] = er - oi;
            zi[r] = ei + or;
        }
        butterflies(true);
        for (int n = 0; n < half; n++) {
            x[2 * n] = zr[n];
            x[2 * n + 1] = zi[n];
        }
    }

    /**
     * Decimation in time over the bit-reversed {@link #zr}/{@link #zi}; the inverse uses conjugate
     * twiddles. The first two stages go as one radix-4 pass, their twiddles being 1 and -i (or +i):
     * short loops of one or two butterflies cost more in overhead than in arithmetic.
     */
    private void butterflies(boolean inverse) {
        int first = 0;
        if (half >= 4) {
            for (int a = 0; a < half; a += 4) {
                float t0r = zr[a] + zr[a + 1], t0i = zi[a] + zi[a + 1];
                float t1r = zr[a] - zr[a + 1], t1i = zi[a] - zi[a + 1];
                float t2r = zr[a + 2] + zr[a + 3], t2i = zi[a + 2] + zi[a + 3];
                float t3r = zr[a + 2] - zr[a + 3], t3i = zi[a + 2] - zi[a + 3];
                // t3 turned by -i (forward) or +i (inverse)
                float ur = inverse ? -t3i : t3i, ui = inverse ? t3r : -t3r;
                zr[a] = t0r + t2r;
                zi[a] = t0i + t2i;
                zr[a + 2] = t0r - t2r;
                zi[a + 2] = t0i - t2i;
                zr[a + 1] = t1r + ur;
                zi[a + 1] = t1i + ui;
                zr[a + 3] = t1r - ur;
                zi[a + 3] = t1i - ui;
            }
            first = 2;
        }
        float sign = inverse ? -1f : 1f;
        for (int s = first; s < stageCos.length; s++) {
            float[] wc = stageCos[s], ws = stageSin[s];
            int h = wc.length;
            for (int start = 0; start < half; start += 2 * h) {
                for (int j = 0; j < h; j++) {
                    int a = start + j, b = a + h;
                    float wr = wc[j], wi = sign * ws[j];
                    float br = zr[b] * wr - zi[b] * wi;
                    float bi = zr[b] * wi + zi[b] * wr;
                    float ar = zr[a], ai = zi[a];
                    zr[a] = ar + br;
                    zi[a] = ai + bi;
                    zr[b] = ar - br;
                    zi[b] = ai - bi;
                }
            }
        }
    }
}
