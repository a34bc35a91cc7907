package jambox.dsp.unit;

import java.util.Arrays;

/**
 * Convolution with a long impulse response at no added latency, for any block size: uniformly
 * partitioned overlap-save with partitions of {@value #PARTITION} samples.
 *
 * <p>The first {@value #PARTITION} taps run as a direct FIR, sample by sample. Every later
 * partition is applied in the frequency domain: each time {@value #PARTITION} input samples are
 * complete (counted on the convolver's own grid, whatever the host's block size), their
 * 128-point spectrum joins a frequency-domain delay line, and the contribution of taps 64 and
 * later to the <em>next</em> 64 outputs is computed at once: those taps only reach inputs that
 * are already complete, so the FFT's inherent one-partition delay is exactly the 64-tap offset,
 * and nothing waits.
 *
 * <p>A convolver has two lanes that share the input history (the FIR's window and the spectra):
 * each lane applies its own {@link Filter}. A switch of impulse response crossfades between the
 * lanes, and the lane faded in is complete from its first sample, with the old input's tail
 * already in it. A {@link Filter} is immutable and built off the audio thread ({@link #filter});
 * the audio thread only reads it.
 *
 * <p>Threads: constructing and {@link #filter} may allocate; {@link #reset}, {@link #select} and
 * {@link #process} are for the audio thread and allocate nothing.
 */
public final class Convolver {
    /** Partition length: the JACK period, so one block costs one partition's spectrum. */
    public static final int PARTITION = 64;
    private static final int FFT_SIZE = 2 * PARTITION;
    private static final int BINS = PARTITION;
    /** Input samples and filter values smaller than this are zero to the convolver (see {@link #process}). */
    private static final float FLUSH = 1e-15f;

    /** An impulse response cut into partitions: the first as FIR taps, the rest as spectra. Immutable. */
    public static final class Filter {
        private final String name;
        private final int length;
        private final float[] fir;
        private final int partitions;
        private final float[][] re;
        private final float[][] im;

        private Filter(String name, int length, float[] fir, int partitions, float[][] re, float[][] im) {
            this.name = name;
            this.length = length;
            this.fir = fir;
            this.partitions = partitions;
            this.re = re;
            this.im = im;
        }

        public String name() {
            return name;
        }

        /** Taps, after trailing zeros are dropped. */
        public int length() {
            return length;
        }

        @Override
        public String toString() {
            return name + " (" + length + " taps)";
        }
    }

    /**
     * Cuts {@code h} into a filter; trailing zeros cost nothing. Off the audio thread: it
     * allocates and transforms every partition.
     */
    public static Filter filter(String name, float[] h) {
        int length = h.length;
        while (length > 1 && h[length - 1] == 0f) {
            length--;
        }
        float[] fir = Arrays.copyOf(h, Math.min(length, PARTITION));
        int partitions = Math.max(0, (length + PARTITION - 1) / PARTITION - 1);
        float[][] re = new float[partitions][BINS];
        float[][] im = new float[partitions][BINS];
        RealFft fft = new RealFft(FFT_SIZE);
        float[] block = new float[FFT_SIZE];
        // forward() doubles, inverse() multiplies by the size: 1/(4 size) leaves the product exact.
        float scale = 1f / (4 * FFT_SIZE);
        for (int p = 0; p < partitions; p++) {
            Arrays.fill(block, 0f);
            int from = (p + 1) * PARTITION;
            System.arraycopy(h, from, block, 0, Math.min(PARTITION, length - from));
            fft.forward(block, re[p], im[p], 0);
            for (int k = 0; k < BINS; k++) {
                re[p][k] = flush(re[p][k] * scale);
                im[p][k] = flush(im[p][k] * scale);
            }
        }
        for (int i = 0; i < fir.length; i++) {
            fir[i] = flush(fir[i]);
        }
        return new Filter(name, length, fir, partitions, re, im);
    }

    private static float flush(float v) {
        return Math.abs(v) < FLUSH ? 0f : v;
    }

    /** Frequency-domain partitions a response of {@code maxTaps} taps needs (at least one). */
    public static int partitionsFor(int maxTaps) {
        return Math.max(1, (maxTaps + PARTITION - 1) / PARTITION - 1);
    }

    private final int capacity;
    private final RealFft fft = new RealFft(FFT_SIZE);
    /** The last two partitions of input: [complete one | the one being filled], the FIR's window and the FFT's input. */
    private final float[] window = new float[FFT_SIZE];
    private int pos;
    /**
     * Input spectra, newest at {@link #head}, as a ring of {@link #capacity} partitions. One array
     * per partition, here and in {@link Filter}: the multiply-add then reads and writes every
     * array at the same index, which C2 vectorises without having to prove that two arrays are
     * not one (it will not vectorise a store into one float[] beside loads from another at a
     * different offset, and a flat layout needs offsets).
     */
    private final float[][] fdlRe;
    private final float[][] fdlIm;
    private int head;
    /** Spectra written since the last reset: older slots hold stale data and are not read. */
    private int filled;
    private final Filter[] lanes = new Filter[2];
    /** Per lane, the later partitions' share of the 64 outputs on the grid now being filled. */
    private final float[][] tails = new float[2][PARTITION];
    private final float[] accRe = new float[BINS];
    private final float[] accIm = new float[BINS];
    /*
     * The FIR sums in double: it reads the window at a shifting offset, and a float[] sum stored
     * beside that is the pattern C2 does not vectorise (see fdlRe); a double[] cannot be the
     * window. It also keeps the 64-tap sum exact to well under a float's rounding.
     */
    private final double[] firAcc = new double[PARTITION];
    private final float[] time = new float[FFT_SIZE];

    /** A convolver for filters of up to {@code maxTaps} taps; both lanes start as a silent filter. */
    public Convolver(int maxTaps) {
        this.capacity = partitionsFor(maxTaps);
        fdlRe = new float[capacity][BINS];
        fdlIm = new float[capacity][BINS];
        Filter silent = filter("silence", new float[1]);
        lanes[0] = silent;
        lanes[1] = silent;
    }

    /** Whether a filter fits this convolver. Any thread. */
    public boolean fits(Filter f) {
        return f.partitions <= capacity;
    }

    /**
     * Forgets all input: the lanes keep their filters. Cheap enough for the audio thread (the
     * delay line is not cleared, only marked empty).
     */
    public void reset() {
        Arrays.fill(window, 0f);
        pos = 0;
        head = 0;
        filled = 0;
        Arrays.fill(tails[0], 0f);
        Arrays.fill(tails[1], 0f);
    }

    /**
     * Puts {@code f} on lane {@code lane}, complete with the tail the input so far leaves in it:
     * one partition-block's worth of multiply-adds. Audio thread; {@code f} must {@link #fits fit}.
     */
    public void select(int lane, Filter f) {
        if (!fits(f)) {
            throw new IllegalArgumentException(f + " is longer than this convolver's " + capacity + " partitions");
        }
        lanes[lane] = f;
        tail(lane);
    }

    public Filter filterOn(int lane) {
        return lanes[lane];
    }

    /**
     * Convolves {@code in[0..n)} with lane 0's filter into {@code out0} and with lane 1's into
     * {@code out1}; a null output skips its lane. A lane skipped in a block must be
     * {@link #select}ed again before it is used. Audio thread, any {@code n}; allocates nothing.
     */
    public void process(float[] in, int n, float[] out0, float[] out1) {
        int done = 0;
        while (done < n) {
            int s = Math.min(n - done, PARTITION - pos);
            float[] w = window;
            int to = PARTITION + pos;
            for (int i = 0; i < s; i++) {
                // Below -300 dBFS is nothing audible, but its products with a response's quiet
                // tail would be denormal floats, each a hundred times slower than a normal one.
                float v = in[done + i];
                w[to + i] = Math.abs(v) < FLUSH ? 0f : v;
            }
            if (out0 != null) {
                fir(lanes[0], tails[0], out0, done, s);
            }
            if (out1 != null) {
                fir(lanes[1], tails[1], out1, done, s);
            }
            pos += s;
            done += s;
            if (pos == PARTITION) {
                pushSpectrum();
                if (out0 != null) {
                    tail(0);
                }
                if (out1 != null) {
                    tail(1);
                }
            }
        }
    }

    /** out[o..o+s) = the tail's share + the first partition's taps over the window, for grid positions pos..pos+s. */
    private void fir(Filter f, float[] tail, float[] out, int o, int s) {
        double[] acc = firAcc;
        for (int i = 0; i < s; i++) {
            acc[i] = tail[pos + i];
        }
        float[] h = f.fir;
        float[] w = window;
        int base = PARTITION + pos;
        // Tap by tap over the segment: each inner loop is an axpy the JIT vectorises, where a
        // dot product per output sample would be a float reduction it may not reorder.
        for (int k = 0; k < h.length; k++) {
            float hk = h[k];
            int from = base - k;
            for (int i = 0; i < s; i++) {
                acc[i] += hk * w[from + i];
            }
        }
        for (int i = 0; i < s; i++) {
            out[o + i] = (float) acc[i];
        }
    }

    private void pushSpectrum() {
        head = head + 1 == capacity ? 0 : head + 1;
        fft.forward(window, fdlRe[head], fdlIm[head], 0);
        if (filled < capacity) {
            filled++;
        }
        System.arraycopy(window, PARTITION, window, 0, PARTITION);
        pos = 0;
    }

    /** The later partitions' share of the next 64 outputs: partition p meets the spectrum p-1 partitions old. */
    private void tail(int lane) {
        Filter f = lanes[lane];
        int count = Math.min(f.partitions, filled);
        float[] tail = tails[lane];
        if (count == 0) {
            Arrays.fill(tail, 0f);
            return;
        }
        float[] ar = accRe, ai = accIm;
        Arrays.fill(ar, 0f);
        Arrays.fill(ai, 0f);
        // Bin 0 packs two real values (DC, Nyquist) that multiply apart: sum them on the side.
        float dc = 0f, nyquist = 0f;
        int slot = head;
        for (int p = 0; p < count; p++) {
            float[] xr = fdlRe[slot], xi = fdlIm[slot], hr = f.re[p], hi = f.im[p];
            dc += xr[0] * hr[0];
            nyquist += xi[0] * hi[0];
            for (int k = 0; k < BINS; k++) {
                float a = xr[k], b = xi[k], c = hr[k], d = hi[k];
                ar[k] += a * c - b * d;
                ai[k] += a * d + b * c;
            }
            slot = slot == 0 ? capacity - 1 : slot - 1;
        }
        ar[0] = dc;
        ai[0] = nyquist;
        fft.inverse(ar, ai, 0, time);
        // Overlap-save: the first half is wrapped around, the second is the linear convolution.
        System.arraycopy(time, PARTITION, tail, 0, PARTITION);
    }
}
