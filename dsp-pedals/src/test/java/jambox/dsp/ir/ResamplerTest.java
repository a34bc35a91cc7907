package jambox.dsp.ir;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] sine(double hz, double rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    /**
     * Error of {@code y} against the same sine sampled at {@code rate} and scaled by {@code gain},
     * away from the ends, in dB.
     */
    private static double errorDb(float[] y, double hz, double rate, double gain) {
        double e = 0, s = 0;
        for (int i = y.length / 4; i < 3 * y.length / 4; i++) {
            double want = gain * Math.sin(2 * Math.PI * hz * i / rate);
            e += (y[i] - want) * (y[i] - want);
            s += want * want;
        }
        return 10 * Math.log10(e / s);
    }

    /** As a response, not a waveform: each sample's value scales by old rate / new rate, so the filter's gain stays. */
    @Test
    void aSineComesOutAsTheSameSineAtTheNewRate() {
        for (double[] rates : new double[][] {{44100, 48000}, {96000, 48000}, {48000, 44100}, {22050, 48000}}) {
            float[] y = Resampler.resample(sine(1000, rates[0], 8000), rates[0], rates[1], 100000);
            double db = errorDb(y, 1000, rates[1], rates[0] / rates[1]);
            assertTrue(db < -80, rates[0] + " -> " + rates[1] + ": " + db + " dB");
        }
    }

    @Test
    void whatTheNewRateCannotHoldIsFilteredOut() {
        // 30 kHz at 96 kHz has no place at 48 kHz: it must not fold down to 18 kHz.
        float[] y = Resampler.resample(sine(30000, 96000, 16000), 96000, 48000, 100000);
        double s = 0;
        for (int i = y.length / 4; i < 3 * y.length / 4; i++) {
            s += y[i] * y[i];
        }
        assertTrue(10 * Math.log10(s / (y.length / 2) * 2) < -80, "alias at " + 10 * Math.log10(s / (y.length / 2) * 2) + " dB");
    }

    @Test
    void theResponsesLowFrequencyGainIsKeptAndTheLengthCut() {
        float[] h = new float[4410];
        h[100] = 1; // a delayed delta: gain 1 at every frequency (at 0 its resampled pre-ringing would be cut)
        float[] y = Resampler.resample(h, 44100, 48000, 100000);
        double sum = 0;
        for (float v : y) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-3);
        assertEquals(4800, y.length);
        h[0] = 1;
        assertEquals(1000, Resampler.resample(h, 44100, 48000, 1000).length);
        float[] same = Resampler.resample(h, 48000, 48000, 2000);
        assertEquals(2000, same.length);
        assertEquals(1f, same[0]);
    }

    @Test
    void preparingCutsAtHalfASecondAndNormalisesTheEnergy() {
        float[] h = new float[(int) (0.5 * 96000)];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) (0.01 * r.nextGaussian());
        }
        float[] p = UserFilters.prepare(new ImpulseResponse("long", 96000, new float[][] {h}), 44100, (int) (0.5 * 44100));
        assertEquals(22050, p.length);
        double e = 0;
        for (float v : p) {
            e += v * v;
        }
        assertEquals(1.0, e, 1e-4);
    }

    /** A response padded with near-silence loses the padding and no more than -120 dB of its energy. */
    @Test
    void trimmingDropsOnlyATailUnder120Db() {
        float[] h = new float[24000];
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < h.length; i++) {
            double level = i < 4800 ? Math.exp(-7.0 * i / 4800) : 1e-9; // -60 dB at 4800, then a -180 dB floor
            h[i] = (float) (level * r.nextGaussian());
        }
        float[] t = UserFilters.trim(h);
        double total = 0, kept = 0;
        for (float v : h) {
            total += (double) v * v;
        }
        for (float v : t) {
            kept += (double) v * v;
        }
        // The decay ends at -61 dB, far above the cut; the whole floor is far below it.
        assertEquals(4800, t.length);
        assertTrue(1 - kept / total <= UserFilters.TRIM_ENERGY, "lost " + (1 - kept / total));
        for (int i = 0; i < t.length; i++) {
            assertEquals(h[i], t[i]);
        }
        float[] flat = {1, 0.5f, 0.25f};
        assertSame(flat, UserFilters.trim(flat));
    }
}
