package jambox.dsp.unit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import jambox.dsp.Allocation;
import jambox.dsp.Signals;

class ConvolverTest {
    private static final int FS = 48000;

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * r.nextGaussian());
        }
        return x;
    }

    /** A random response with a room-like decay: every partition carries energy. */
    private static float[] decayingNoise(int n, long seed) {
        float[] h = noise(n, seed);
        for (int i = 0; i < n; i++) {
            h[i] *= (float) Math.exp(-3.0 * i / n);
        }
        return h;
    }

    /** Runs x through lane 0 in blocks of {@code block}. */
    private static float[] convolve(Convolver c, float[] x, int block) {
        float[] out = new float[x.length];
        float[] in = new float[block];
        float[] o = new float[block];
        for (int at = 0; at < x.length; at += block) {
            int n = Math.min(block, x.length - at);
            System.arraycopy(x, at, in, 0, n);
            c.process(in, n, o, null);
            System.arraycopy(o, 0, out, at, n);
        }
        return out;
    }

    /** Error energy over reference energy, in dB. */
    private static double errorDb(float[] got, double[] want) {
        double e = 0, s = 0;
        for (int i = 0; i < want.length; i++) {
            e += (got[i] - want[i]) * (got[i] - want[i]);
            s += want[i] * want[i];
        }
        return 10 * Math.log10(Math.max(e, 1e-300) / s);
    }

    private static Convolver convolver(float[] h) {
        Convolver c = new Convolver(FS / 2);
        c.select(0, Convolver.filter("test", h));
        return c;
    }

    @Test
    void theRealFftInvertsWithItsDocumentedScale() {
        RealFft fft = new RealFft(128);
        float[] x = noise(128, 3);
        float[] re = new float[64], im = new float[64], back = new float[128];
        fft.forward(x, re, im, 0);
        // Against a plain DFT: bin 3, and the packed DC and Nyquist.
        double r3 = 0, i3 = 0, dc = 0, ny = 0;
        for (int n = 0; n < 128; n++) {
            r3 += x[n] * Math.cos(2 * Math.PI * 3 * n / 128);
            i3 -= x[n] * Math.sin(2 * Math.PI * 3 * n / 128);
            dc += x[n];
            ny += x[n] * (n % 2 == 0 ? 1 : -1);
        }
        assertEquals(2 * r3, re[3], 1e-4);
        assertEquals(2 * i3, im[3], 1e-4);
        assertEquals(2 * dc, re[0], 1e-4);
        assertEquals(2 * ny, im[0], 1e-4);
        fft.inverse(re, im, 0, back);
        for (int n = 0; n < 128; n++) {
            assertEquals(2 * 128 * x[n], back[n], 2e-3);
        }
    }

    @Test
    void aDeltaLeavesTheSignalUnchangedWithNoDelay() {
        float[] x = noise(FS, 1);
        float[] h = new float[FS / 5];
        h[0] = 1;
        float[] y = convolve(convolver(h), x, 64);
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = x[i];
        }
        double db = errorDb(y, want);
        System.out.println("delta IR: error " + db + " dB");
        assertTrue(db < -120, "delta error " + db + " dB");
    }

    @Test
    void aDelayedDeltaDelaysExactlyAcrossThePartitionSeam() {
        float[] x = noise(FS / 4, 2);
        for (int d : new int[] {1, 63, 64, 65, 200, 9599}) {
            float[] h = new float[d + 1];
            h[d] = 1;
            float[] y = convolve(convolver(h), x, 17);
            double[] want = new double[x.length];
            for (int i = d; i < x.length; i++) {
                want[i] = x[i - d];
            }
            assertTrue(errorDb(y, want) < -120, "delay " + d + ": " + errorDb(y, want) + " dB");
        }
    }

    @Test
    void aRandom200MsResponseMatchesDirectConvolution() {
        float[] x = noise(FS / 2, 4);
        float[] h = decayingNoise(FS / 5, 5);
        double[] want = Signals.convolve(x, h);
        float[] y = convolve(convolver(h), x, 64);
        double db = errorDb(y, want);
        System.out.println("random 200 ms IR: error " + db + " dB");
        assertTrue(db < -100, "error " + db + " dB");
    }

    @Test
    void blockSizesOneSeventeenAndSixtyFourGiveTheSameOutput() {
        float[] x = noise(FS / 4, 6);
        float[] h = decayingNoise(5000, 7);
        float[] by64 = convolve(convolver(h), x, 64);
        assertArrayEquals(by64, convolve(convolver(h), x, 1));
        assertArrayEquals(by64, convolve(convolver(h), x, 17));
        assertArrayEquals(by64, convolve(convolver(h), x, 1000));
    }

    /** A lane selected mid-stream already holds the old input's tail: as if it had run from the start. */
    @Test
    void aLaneSelectedLateIsCompleteAtOnce() {
        float[] x = noise(FS / 4, 8);
        float[] h = decayingNoise(3000, 9);
        float[] whole = convolve(convolver(h), x, 17);
        Convolver c = convolver(new float[] {1});
        Convolver.Filter f = Convolver.filter("late", h);
        float[] got = new float[x.length];
        float[] in = new float[17], o0 = new float[17], o1 = new float[17];
        int switchAt = 17 * 300;
        for (int at = 0; at < x.length; at += 17) {
            int n = Math.min(17, x.length - at);
            System.arraycopy(x, at, in, 0, n);
            if (at == switchAt) {
                c.select(1, f);
            }
            c.process(in, n, o0, at >= switchAt ? o1 : null);
            System.arraycopy(at >= switchAt ? o1 : o0, 0, got, at, n);
        }
        for (int i = switchAt; i < x.length; i++) {
            assertEquals(whole[i], got[i], 0f, "sample " + i);
        }
    }

    @Test
    void aResetForgetsTheInput() {
        float[] h = decayingNoise(4000, 10);
        Convolver used = convolver(h);
        convolve(used, noise(FS / 4, 11), 64);
        used.reset();
        float[] x = noise(FS / 8, 12);
        assertArrayEquals(convolve(convolver(h), x, 64), convolve(used, x, 64));
    }

    /** What a pedal's decay leaves below -300 dBFS is silence here, never a denormal product. */
    @Test
    void inputsFarBelowHearingAreSilence() {
        float[] x = new float[4096];
        java.util.Arrays.fill(x, 1e-30f);
        x[7] = -3e-20f;
        float[] y = convolve(convolver(decayingNoise(FS / 5, 18)), x, 64);
        for (float v : y) {
            assertEquals(0f, v);
        }
    }

    @Test
    void processingAllocatesNothing() {
        Convolver c = convolver(decayingNoise(FS / 5, 13));
        c.select(1, Convolver.filter("other", decayingNoise(FS / 10, 14)));
        float[] in = noise(64, 15), o0 = new float[64], o1 = new float[64];
        Runnable blocks = () -> {
            for (int b = 0; b < 3000; b++) {
                c.process(in, b % 3 == 0 ? 17 : 64, o0, b % 2 == 0 ? o1 : null);
            }
        };
        for (int i = 0; i < 5; i++) {
            blocks.run();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5 && best > 0; i++) {
            best = Math.min(best, Allocation.bytesDuring(blocks));
        }
        assertEquals(0, best);
    }

    /** Not a pass/fail figure (the machine is shared): printed for the report. */
    @Test
    void timeA200MsResponsePerBlock() {
        Convolver c = convolver(decayingNoise(FS / 5, 16));
        float[] in = noise(64, 17), out = new float[64];
        for (int i = 0; i < 200_000; i++) {
            c.process(in, 64, out, null);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                c.process(in, 64, out, null);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 20_000);
        }
        System.out.println("200 ms IR (9600 taps), 64-frame block: " + best + " ns");
    }
}
