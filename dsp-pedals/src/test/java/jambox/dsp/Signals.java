package jambox.dsp;

import java.util.function.Consumer;

import be.tarsos.dsp.util.fft.FFT;

/** Test signals and the measurements the pedal tests make on what comes out. */
public final class Signals {
    public static final float FS = 48000f;
    public static final int BLOCK = 64;

    private Signals() {
    }

    public static float[] sine(double hz, double amplitude, double seconds) {
        float[] x = new float[(int) Math.round(seconds * FS)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / FS));
        }
        return x;
    }

    public static float[] silence(double seconds) {
        return new float[(int) Math.round(seconds * FS)];
    }

    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * A synthetic plucked string: harmonics at exact multiples of {@code hz}, brighter at the
     * attack and decaying faster the higher they are, like a real string but with a known pitch.
     */
    public static float[] pluck(double hz, double seconds) {
        float[] x = new float[(int) Math.round(seconds * FS)];
        for (int h = 1; h * hz < FS / 2 * 0.9 && h <= 30; h++) {
            double amp = 0.5 / h * (h % 2 == 0 ? 0.7 : 1.0);
            double decay = 1.5 + 0.8 * h;
            double phase = 0.37 * h * h;
            for (int i = 0; i < x.length; i++) {
                double t = i / (double) FS;
                x[i] += (float) (amp * Math.exp(-decay * t) * Math.sin(2 * Math.PI * hz * h * t + phase));
            }
        }
        return x;
    }

    /** A pedal of the type, prepared at 48 kHz for 64-frame blocks. */
    public static Pedal pedal(PedalType type) {
        Pedal p = type.create();
        p.prepare(FS, BLOCK);
        return p;
    }

    /** A pedal on a board whose clock is {@code transport}, as the engine's boards are. */
    public static Pedal pedal(PedalType type, Transport transport) {
        return new Board(FS, BLOCK, transport, new jambox.dsp.ir.IrBank()).create(type);
    }

    /** {@code x} convolved with {@code h} directly, in double precision: the reference a fast convolver is held to. */
    public static double[] convolve(float[] x, float[] h) {
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            double s = 0;
            for (int k = 0, m = Math.min(h.length - 1, n); k <= m; k++) {
                s += (double) h[k] * x[n - k];
            }
            y[n] = s;
        }
        return y;
    }

    /** Runs a whole signal through a pedal in 64-frame blocks, as the audio thread would. */
    public static float[] run(Pedal pedal, float[] in) {
        return runBlocks(in, pedal::run);
    }

    public static float[] run(Board board, float[] in) {
        return runBlocks(in, board::process);
    }

    public interface BlockProcessor {
        void process(float[] buf, int n);
    }

    public static float[] runBlocks(float[] in, BlockProcessor processor) {
        return runBlocks(in, processor, null);
    }

    /** As {@link #runBlocks(float[], BlockProcessor)}, calling {@code beforeBlock} with each block's start index. */
    public static float[] runBlocks(float[] in, BlockProcessor processor, Consumer<Integer> beforeBlock) {
        float[] out = new float[in.length];
        float[] block = new float[BLOCK];
        for (int at = 0; at < in.length; at += BLOCK) {
            int n = Math.min(BLOCK, in.length - at);
            if (beforeBlock != null) {
                beforeBlock.accept(at);
            }
            System.arraycopy(in, at, block, 0, n);
            processor.process(block, n);
            System.arraycopy(block, 0, out, at, n);
        }
        return out;
    }

    public static float[] slice(float[] x, double fromSeconds, double toSeconds) {
        int a = (int) Math.round(fromSeconds * FS), b = (int) Math.round(toSeconds * FS);
        return java.util.Arrays.copyOfRange(x, a, Math.min(b, x.length));
    }

    public static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return Math.sqrt(s / x.length);
    }

    public static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    public static double db(double linear) {
        return 20 * Math.log10(Math.max(linear, 1e-30));
    }

    /**
     * Amplitude of the component at {@code hz}: the Hann-windowed projection onto a complex
     * exponential. For a steady sine over a few hundred cycles this is its amplitude within
     * a few thousandths of a dB, whatever else the signal holds far from {@code hz}.
     */
    public static double amplitudeAt(float[] x, double hz) {
        return amplitudeAt(x, hz, FS);
    }

    /** As {@link #amplitudeAt(float[], double)}, at another sample rate. */
    public static double amplitudeAt(float[] x, double hz, double sampleRate) {
        double re = 0, im = 0, wsum = 0;
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            double ph = 2 * Math.PI * hz * i / sampleRate;
            re += w * x[i] * Math.cos(ph);
            im -= w * x[i] * Math.sin(ph);
            wsum += w;
        }
        return 2 * Math.hypot(re, im) / wsum;
    }

    /** Gain in dB at {@code hz}: a sine of that frequency through the pedal, measured after it settles. */
    public static double gainDbAt(Pedal pedal, double hz, double amplitude) {
        float[] out = run(pedal, sine(hz, amplitude, 1.0));
        return db(amplitudeAt(slice(out, 0.5, 1.0), hz) / amplitude);
    }

    /**
     * Magnitude spectrum (linear amplitude per bin) of the first {@code size} samples, through a
     * 4-term Blackman-Harris window (sidelobes under -92 dB). The window is applied here:
     * TarsosDSP 2.4.1's {@code BlackmanHarrisNuttall} adds its cosine terms with the same sign,
     * which is no taper at all and leaves a leakage floor near -42 dB.
     */
    public static float[] spectrum(float[] x, int size) {
        float[] data = java.util.Arrays.copyOf(x, size);
        for (int i = 0; i < size; i++) {
            double p = 2 * Math.PI * i / size;
            data[i] *= (float) (0.35875 - 0.48829 * Math.cos(p) + 0.14128 * Math.cos(2 * p) - 0.01168 * Math.cos(3 * p));
        }
        new FFT(size).forwardTransform(data);
        float[] amps = new float[size / 2];
        new FFT(size).modulus(data, amps);
        return amps;
    }

    /** Largest sample-to-sample difference: the size of a click. */
    public static double maxStep(float[] x, int from, int to) {
        double m = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            m = Math.max(m, Math.abs(x[i] - x[i - 1]));
        }
        return m;
    }

    public static boolean allFinite(float[] x) {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
